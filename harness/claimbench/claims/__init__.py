"""The claims layer beyond the data models: pair relations, resolved gold claims and the
contradiction map (gold/GUIDELINES.md §13).

May import models, scoring, corpus and validation; never the command line.
"""
