"""Safe file handling: YAML reading, atomic writing, safe names, package resources."""
