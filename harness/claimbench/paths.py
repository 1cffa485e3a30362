"""Where the corpus, gold and leaderboard live by default.

In a source checkout (the package installed in editable mode from `harness/`), the defaults are
the checkout's own `corpus/`, `gold/` and `leaderboard/` folders. Every command also takes them
as options, so an installed copy can point anywhere.
"""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SEEDS = PROJECT_ROOT / "seeds"
DEFAULT_CORPUS = PROJECT_ROOT / "corpus"
DEFAULT_GOLD = PROJECT_ROOT / "gold"
DEFAULT_LEADERBOARD = PROJECT_ROOT / "leaderboard"
