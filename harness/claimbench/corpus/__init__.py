"""The corpus: canonical documents derived from the raw seeds, with their manifest and edits."""
