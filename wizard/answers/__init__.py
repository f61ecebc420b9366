"""Answers: the Answers model and its YAML and Excel files, privacy findings."""
