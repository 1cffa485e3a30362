"""Evaluation: where predictions come from (a plugin run, a predictions file) and the one
pipeline from corpus, gold, predictions and settings to results, used by `evaluate`, `score`,
`compare`, `plugins check` and the leaderboard build.

It sits between `reporting` (results, formats, gates) and `leaderboard`, and knows nothing
about terminals: the command line parses options, calls it and prints.
"""
