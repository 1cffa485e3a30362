"""The leaderboard: submissions (predictions plus provenance, one file each), rescored against
the current gold at every build, and a self-contained static site.

`add_submission` is the entry point for `claimbench leaderboard add` and `evaluate --record`;
`build_leaderboard` (in `claimbench.leaderboard.build`) writes the site. Both are imported lazily
by the command line, so `claimbench --help` stays fast.
"""

from claimbench.leaderboard.submissions import Badge, Submission, add_submission

__all__ = ["Badge", "Submission", "add_submission"]
