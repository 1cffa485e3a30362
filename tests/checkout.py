"""The checkout the tests run in: its root and its leaderboard folder (the package itself
knows only its shipped dataset, `claimbench.paths`)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LEADERBOARD = PROJECT_ROOT / "leaderboard"
