"""The two baselines, registered as `rules` and `spacy` in the `claimbench.extractors` group.

Importing this package imports neither spaCy nor a model; each baseline loads them on first use.
"""
