"""Validation of corpus, gold and predictions: every problem found, with where and what."""
