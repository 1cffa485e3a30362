"""The claims layer beyond the data models: pair relations, resolved gold claims and the
contradiction map (gold/GUIDELINES.md §13).

Imports only the data models: validation, scoring and reporting build on it, never the reverse
(so it relies on validated gold rather than checking it again).
"""
