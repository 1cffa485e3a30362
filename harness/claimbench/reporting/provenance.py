"""Where a result comes from (DESIGN §7): versions, commit, data hashes, plugin, timing."""

import datetime as dt
import hashlib
import platform
import re
import subprocess
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from claimbench import __version__
from claimbench.corpus.store import Corpus, JsonlCorpus
from claimbench.extractors.plugin import PluginInfo
from claimbench.paths import source_checkout
from claimbench.validation.gold import read_gold_manifest

if TYPE_CHECKING:
    from claimbench.validation.gold import GoldSet

RECORDED_PACKAGES = ("pydantic", "pydantic-core", "click", "numpy", "jsonschema")
_GIT_TIMEOUT_SECONDS = 5
_HEAD = "# branch.oid "
_COMMIT = re.compile(r"[0-9a-f]{40,64}")


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GitState(_Record):
    """The commit of the claimbench checkout the running code comes from, and whether its
    tree had uncommitted changes; both None for an installed (not editable) copy."""

    commit: str | None
    dirty: bool | None


class DataProvenance(_Record):
    """Corpus name and version, the gold's name and version (None for gold without a
    manifest), and SHA-256 digests of the corpus and gold actually used."""

    corpus_name: str
    corpus_version: str
    corpus_sha256: str
    gold_sha256: str | None
    documents: int
    gold_version: str | None = None
    gold_name: str | None = None


class PluginProvenance(_Record):
    """The plugin as run: kind, name, version, target and the hash of its configuration."""

    kind: str
    name: str
    version: str
    target: str
    config_hash: str
    layers: list[str]
    distribution: str | None = None


class Provenance(_Record):
    """Everything needed to tell whether two results are comparable."""

    claimbench_version: str
    git: GitState
    data: DataProvenance
    plugin: PluginProvenance
    python: str
    platform: str
    packages: dict[str, str]
    started_at: dt.datetime
    duration_seconds: float
    label_map: dict[str, str | None] | None = None
    """Predicted label -> gold label applied before scoring (`--label-map`), if any."""


def git_state(root: Path | None) -> GitState:
    """Commit and dirty flag of the checkout at `root`; `None` when there is none (`root` is
    None: claimbench is installed, not run from a checkout) or it is not a git checkout.

    Examples
    --------
    >>> import tempfile
    >>> git_state(Path(tempfile.mkdtemp()))
    GitState(commit=None, dirty=None)
    """
    if root is None:
        return GitState(commit=None, dirty=None)
    # One `git status` gives both (`# branch.oid` is HEAD, each other line a changed file):
    # a git process costs more than the rest of the provenance.
    status = _git(root, "status", "--porcelain=v2", "--branch", "--untracked-files=no")
    if status is None:
        return GitState(commit=None, dirty=None)
    lines = status.splitlines()
    commit = next((line[len(_HEAD) :] for line in lines if line.startswith(_HEAD)), None)
    if commit is None or not _COMMIT.fullmatch(commit):  # `(initial)`: no commit yet
        return GitState(commit=None, dirty=None)
    return GitState(commit=commit, dirty=any(not line.startswith("# ") for line in lines))


def _git(root: Path, *args: str) -> str | None:
    if not (root / ".git").exists():
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip()


def tree_sha256(files: list[tuple[str, Path]]) -> str:
    """One digest over named files: SHA-256 of `name NUL sha256(content) LF` lines, sorted.

    Examples
    --------
    >>> tree_sha256([]) == hashlib.sha256(b"").hexdigest()
    True
    """
    return digest_tree([(name, file_sha256(path)) for name, path in files])


def digest_tree(digests: list[tuple[str, str]]) -> str:
    """`tree_sha256` of files whose SHA-256 digests are known, by name.

    Examples
    --------
    >>> digest_tree([("a", "0" * 64)]) == digest_tree([("a", "0" * 64)])
    True
    """
    lines = sorted(f"{name}\0{digest}\n" for name, digest in digests)
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's content, read in blocks (a large corpus file is never held whole).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes(b"")
    >>> file_sha256(p) == hashlib.sha256(b"").hexdigest()
    True
    """
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def data_provenance(
    corpus: Corpus | JsonlCorpus, gold_dir: Path | None, gold_set: "GoldSet | None" = None
) -> DataProvenance:
    """Digests of the corpus (a folder's manifest and canonical texts, or the JSON Lines file)
    and of the gold (its JSON files, or the one predictions-format file scored as gold), if
    scored. A JSON Lines corpus is named after its file, with version "unknown".

    A folder's texts are hashed where they are read and checked (`Corpus.text_sha256`: the
    same digest as the file's), a JSON Lines corpus where it was checked (`JsonlCorpus.sha256`),
    and a loaded gold folder's manifest is taken from `gold_set`. The gold's files are read
    again here to be hashed (a gold file is streamed as it is scored, so its digest would
    otherwise have to be carried through every pass over it).

    Examples
    --------
    >>> from claimbench.corpus.store import load_corpus
    >>> from claimbench.paths import DEFAULT_CORPUS
    >>> data_provenance(load_corpus(DEFAULT_CORPUS), None).documents
    5
    """
    gold_sha = None
    if gold_set is not None:
        gold_manifest = gold_set.manifest
    else:
        gold_manifest = read_gold_manifest(gold_dir) if gold_dir is not None else None
    gold_version = gold_manifest.version if gold_manifest is not None else None
    gold_name = gold_manifest.name if gold_manifest is not None else None
    if gold_dir is not None and gold_dir.is_file():
        gold_sha = tree_sha256([(gold_dir.name, gold_dir)])
    elif gold_dir is not None:
        gold_sha = tree_sha256([(path.name, path) for path in sorted(gold_dir.glob("*.json"))])
    if isinstance(corpus, JsonlCorpus):
        return DataProvenance(
            corpus_name=corpus.path.name,
            corpus_version="unknown",
            corpus_sha256=digest_tree([(corpus.path.name, corpus.sha256)]),
            gold_sha256=gold_sha,
            documents=len(corpus),
            gold_version=gold_version,
            gold_name=gold_name,
        )
    manifest = corpus.manifest
    corpus_digests = [("manifest.json", file_sha256(corpus.root / "manifest.json"))] + [
        (entry.text_path, corpus.text_sha256(entry.id)) for entry in manifest.documents
    ]
    return DataProvenance(
        corpus_name=manifest.name,
        corpus_version=manifest.version,
        corpus_sha256=digest_tree(corpus_digests),
        gold_sha256=gold_sha,
        documents=len(manifest.documents),
        gold_version=gold_version,
        gold_name=gold_name,
    )


def plugin_provenance(info: PluginInfo, layers: list[str]) -> PluginProvenance:
    """The provenance record of a plugin that attempted `layers`."""
    return PluginProvenance(
        kind=info.kind.value,
        name=info.name,
        version=info.version,
        target=info.target,
        config_hash=info.config_hash,
        layers=layers,
        distribution=info.distribution,
    )


def package_versions(names: tuple[str, ...] = RECORDED_PACKAGES) -> dict[str, str]:
    """Installed versions of `names` (missing ones are left out)."""
    versions = {}
    for name in names:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            continue
    return versions


def build_provenance(
    *,
    data: DataProvenance,
    plugin: PluginProvenance,
    started_at: dt.datetime,
    duration: float,
    label_map: Mapping[str, str | None] | None = None,
) -> Provenance:
    """The provenance of a run that started at `started_at` and took `duration` seconds, its
    predictions' labels mapped by `label_map` before scoring (if given)."""
    return Provenance(
        claimbench_version=__version__,
        git=git_state(source_checkout()),
        data=data,
        plugin=plugin,
        python=platform.python_version(),
        platform=platform.platform(),
        packages=package_versions(),
        started_at=started_at,
        duration_seconds=round(duration, 6),
        label_map=None if label_map is None else dict(label_map),
    )
