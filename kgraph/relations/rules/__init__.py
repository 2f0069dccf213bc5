"""The built-in rule families: each reads one construction of a sentence and yields relation candidates."""
