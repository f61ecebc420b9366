"""Reading rule files: one reader and one error and suggestion style for every YAML file the
project's domain knowledge lives in (questionnaire modules, scoring, support, steps, acute)."""
