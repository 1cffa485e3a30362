"""`claimbench info`: which corpus, gold, seeds and leaderboard a command run here would use,
their versions and hashes, and why (the rule of `claimbench.paths`)."""

from pathlib import Path
from typing import Any

import click

from claimbench.cli.options import (
    corpus_option,
    gold_option,
    leaderboard_option,
    located,
    seeds_option,
)
from claimbench.paths import DataKind, Location


def _folder(location: Location) -> dict[str, Any]:
    return {
        "path": None if location.path is None else str(location.path),
        "origin": None if location.origin is None else location.origin.value,
        "reason": location.reason,
    }


def describe(locations: dict[DataKind, Location]) -> dict[str, Any]:
    """What `claimbench info` reports, as data: claimbench's version, where it is installed and
    its git state, then each folder with its origin and (corpus, gold) name, version and
    SHA-256 as the results' provenance records them."""
    from claimbench import __version__
    from claimbench.corpus.store import load_corpus
    from claimbench.leaderboard.submissions import submission_paths
    from claimbench.paths import PACKAGE_DIR, source_checkout
    from claimbench.reporting.provenance import data_provenance, git_state

    corpus_dir = locations[DataKind.CORPUS].path or Path()
    gold_dir = locations[DataKind.GOLD].path
    data = data_provenance(load_corpus(corpus_dir), gold_dir)
    folders = {kind.value: _folder(location) for kind, location in locations.items()}
    folders["corpus"] |= {
        "name": data.corpus_name,
        "version": data.corpus_version,
        "documents": data.documents,
        "sha256": data.corpus_sha256,
    }
    folders["gold"] |= {"name": data.gold_name, "version": data.gold_version}
    folders["gold"]["sha256"] = data.gold_sha256
    leaderboard_dir = locations[DataKind.LEADERBOARD].path
    if leaderboard_dir is not None:
        folders["leaderboard"]["submissions"] = len(submission_paths(leaderboard_dir))
    checkout = source_checkout()
    return {
        "claimbench": {
            "version": __version__,
            "package": str(PACKAGE_DIR),
            "checkout": None if checkout is None else str(checkout),
            "git": git_state(checkout).model_dump(),
        },
        **folders,
    }


def render(info: dict[str, Any]) -> str:
    """`describe`'s report for the terminal, one block per folder."""
    code = info["claimbench"]
    git = code["git"]
    where = "an installed copy, no git checkout"
    if git["commit"] is not None:
        where = f"checkout {code['checkout']}, commit {git['commit']}" + (
            " (uncommitted changes)" if git["dirty"] else ""
        )
    lines = [f"claimbench {code['version']} at {code['package']} ({where})"]
    for kind in DataKind:
        folder = info[kind.value]
        lines.append(f"{kind.value:12} {folder['path'] or '(none)'}")
        lines.append(f"{'':12} why: {folder['reason']}")
        if folder.get("sha256"):
            name = f"{folder['name']} {folder['version']}" if folder.get("name") else "no manifest"
            lines.append(f"{'':12} {name}, sha256 {folder['sha256']}")
        if "submissions" in folder:
            lines.append(f"{'':12} {folder['submissions']} submission(s)")
    return "\n".join(lines) + "\n"


@click.command()
@seeds_option
@corpus_option
@gold_option
@leaderboard_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def info(ctx: click.Context, as_json: bool, **folders: Path | None) -> None:
    """Which seeds, corpus, gold and leaderboard commands run here use, and why: an option,
    else its environment variable (CLAIMBENCH_SEEDS, CLAIMBENCH_CORPUS, CLAIMBENCH_GOLD,
    CLAIMBENCH_LEADERBOARD), else the claimbench checkout containing the current directory,
    else the dataset inside the installed package (read-only; no leaderboard there). With the
    corpus and gold name, version and SHA-256 that results record.

    \b
    Exit codes: 0 ok; 2 the corpus or gold cannot be read.
    """
    from claimbench.fileio import dump_json

    report = describe(located(ctx))
    click.echo(dump_json(report) if as_json else render(report), nl=False)
