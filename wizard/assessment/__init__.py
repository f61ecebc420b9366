"""Assessment (pure): session engine, scoring, advice, comparison."""
