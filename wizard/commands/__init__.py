"""One module per command: arguments in, exit code out; the code that prints."""
