"""The checkout the tests run in: its root and its leaderboard folder (the package itself
knows only its shipped dataset, `claimbench.paths`), and the environment's `claimbench`
command (for tests that run it as a user does, in a process of its own)."""

import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LEADERBOARD = PROJECT_ROOT / "leaderboard"
CLAIMBENCH = str(Path(sys.executable).with_name("claimbench"))
