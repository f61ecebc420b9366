"""The questionnaire: template reading, generation, model, loading, conditions."""
