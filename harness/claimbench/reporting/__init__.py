"""Results with provenance, the output formats (table, JSON, Markdown, JUnit) and CI gates."""
