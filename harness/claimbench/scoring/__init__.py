"""Scoring: one-to-one alignment, span schemes, layer metrics, intervals and the paired test.

Independent of the command line: it imports the data models and nothing of reporting or cli.
"""

from claimbench.scoring.claims import ClaimScores, score_claims
from claimbench.scoring.scorer import Scorer, scorable_layers, score
from claimbench.scoring.scores import Figure, LayerScores, Scores, ScoringSettings
from claimbench.scoring.significance import Comparison, compare

__all__ = [
    "ClaimScores",
    "Comparison",
    "Figure",
    "LayerScores",
    "Scorer",
    "Scores",
    "ScoringSettings",
    "compare",
    "scorable_layers",
    "score",
    "score_claims",
]
