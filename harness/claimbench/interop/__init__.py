"""Bringing other annotated corpora in, and taking claimbench gold out.

Importers (brat standoff, CoNLL-2003 BIO, spaCy DocBin) write a corpus in claimbench's format
(`corpus/manifest.json`, `texts/`, `edits/`) and its gold (`gold/<doc_id>.json`,
`gold/entities.json`), so the same harness scores extractors on them. The brat exporter writes
gold as standoff files for viewing and editing in brat; importing them again gives the same gold.
"""
