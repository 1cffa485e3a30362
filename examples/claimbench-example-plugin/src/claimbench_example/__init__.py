"""An example claimbench plugin package (see docs/tutorial/first-plugin.md)."""
