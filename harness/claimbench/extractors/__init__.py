"""Extractor plugins: the protocol every plugin follows, discovery, and the baselines."""
