"""Where the seeds, corpus, gold and leaderboard are: one rule for every command.

For each folder, the first of these that applies wins:

1. the command's option (`--seeds`, `--corpus`, `--gold`, `--leaderboard`);
2. the environment variable (`CLAIMBENCH_SEEDS`, `CLAIMBENCH_CORPUS`, `CLAIMBENCH_GOLD`,
   `CLAIMBENCH_LEADERBOARD`);
3. the claimbench checkout that contains the current directory (found by walking up to a
   `pyproject.toml` of the `claimbench` project): its `seeds/`, `corpus/`, `gold/` and
   `leaderboard/`;
4. the dataset inside the installed package (`claimbench/dataset/`: seeds, corpus, gold with
   its schemas), read-only. There is no leaderboard there.

The package's dataset is the checkout's own folders: a wheel copies them in when it is built,
and in the checkout `harness/claimbench/dataset/` holds links to them, so there is one copy to
edit. Commands that write (`corpus build`, `schemas`, `evaluate --record`, `leaderboard add`,
`leaderboard build`) never write inside the installed package (`writable_folder`).
"""

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib.resources import files
from pathlib import Path

from claimbench.errors import UsageError

PACKAGE_DIR = Path(str(files("claimbench")))
PACKAGE_DATASET = PACKAGE_DIR / "dataset"
# The dataset that ships with claimbench: what library code (and its examples) reads when it
# is given no folder. The command line finds its folders with `locate` instead.
DEFAULT_SEEDS = PACKAGE_DATASET / "seeds"
DEFAULT_CORPUS = PACKAGE_DATASET / "corpus"
DEFAULT_GOLD = PACKAGE_DATASET / "gold"

PROJECT_NAME = "claimbench"


class DataKind(StrEnum):
    """A folder the commands read or write."""

    SEEDS = "seeds"
    CORPUS = "corpus"
    GOLD = "gold"
    LEADERBOARD = "leaderboard"

    @property
    def option(self) -> str:
        """The command-line option naming this folder, e.g. `--corpus`."""
        return f"--{self.value}"

    @property
    def variable(self) -> str:
        """The environment variable naming this folder, e.g. `CLAIMBENCH_CORPUS`."""
        return f"CLAIMBENCH_{self.value.upper()}"


class Origin(StrEnum):
    """Which step of the rule found a folder."""

    OPTION = "option"
    ENVIRONMENT = "environment"
    CHECKOUT = "checkout"
    PACKAGE = "package"


@dataclass(frozen=True)
class Location:
    """Where one folder is, and which step of the rule put it there (`path` is None for a
    leaderboard outside any checkout, with no option or variable)."""

    kind: DataKind
    path: Path | None
    origin: Origin | None

    @property
    def reason(self) -> str:
        """Why this folder, in words.

        Examples
        --------
        >>> Location(DataKind.GOLD, Path("g"), Origin.OPTION).reason
        'the --gold option'
        """
        if self.origin is Origin.OPTION:
            return f"the {self.kind.option} option"
        if self.origin is Origin.ENVIRONMENT:
            return f"the {self.kind.variable} environment variable"
        if self.origin is Origin.CHECKOUT:
            return "the claimbench checkout that contains the current directory"
        if self.origin is Origin.PACKAGE:
            return "the dataset inside the installed claimbench package (read-only)"
        return (
            f"not inside a claimbench checkout, and neither {self.kind.option} nor "
            f"{self.kind.variable} given"
        )


def is_checkout(folder: Path) -> bool:
    """Whether `folder` is a claimbench checkout: its `pyproject.toml` names the project.

    Examples
    --------
    >>> import tempfile
    >>> is_checkout(Path(tempfile.mkdtemp()))
    False
    """
    try:
        with (folder / "pyproject.toml").open("rb") as handle:
            project = tomllib.load(handle).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return isinstance(project, dict) and project.get("name") == PROJECT_NAME


def find_checkout(start: Path) -> Path | None:
    """The claimbench checkout containing `start` (walking up), or None.

    Examples
    --------
    >>> find_checkout(Path("/")) is None
    True
    """
    start = start.absolute()
    return next((folder for folder in (start, *start.parents) if is_checkout(folder)), None)


def source_checkout() -> Path | None:
    """The checkout this claimbench package is imported from (an editable install), or None
    for an installed copy: where the git commit of the running code can be read.

    Examples
    --------
    >>> source_checkout() is None or is_checkout(source_checkout())
    True
    """
    root = PACKAGE_DIR.parents[1]
    return root if is_checkout(root) else None


def locate(
    kind: DataKind,
    given: Path | None = None,
    *,
    origin: Origin = Origin.OPTION,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Location:
    """Where the `kind` folder is, by the rule of this module.

    Parameters
    ----------
    kind : DataKind
        Which folder.
    given : Path or None
        The folder the command line named, if any.
    origin : Origin
        How it named it: `Origin.OPTION`, or `Origin.ENVIRONMENT` when click read the
        option from its environment variable.
    environ : Mapping[str, str] or None
        The environment (default `os.environ`).
    cwd : Path or None
        Where to start looking for a checkout (default: the current directory).

    Returns
    -------
    Location
        The folder and why; a leaderboard with no option, no variable and no checkout has
        no path.

    Examples
    --------
    >>> locate(DataKind.CORPUS, cwd=Path("/"), environ={}).origin
    <Origin.PACKAGE: 'package'>
    >>> locate(DataKind.GOLD, environ={"CLAIMBENCH_GOLD": "/data/gold"}).path
    PosixPath('/data/gold')
    >>> locate(DataKind.LEADERBOARD, cwd=Path("/"), environ={}).path is None
    True
    """
    if given is not None:
        return Location(kind, given, origin)
    variable = (os.environ if environ is None else environ).get(kind.variable)
    if variable:
        return Location(kind, Path(variable), Origin.ENVIRONMENT)
    checkout = find_checkout(Path.cwd() if cwd is None else cwd)
    if checkout is not None:
        return Location(kind, checkout / kind.value, Origin.CHECKOUT)
    if kind is DataKind.LEADERBOARD:
        return Location(kind, None, None)
    return Location(kind, PACKAGE_DATASET / kind.value, Origin.PACKAGE)


def inside_package(path: Path) -> bool:
    """Whether `path` lies inside the installed claimbench package (its dataset included),
    as written or with its links followed.

    Examples
    --------
    >>> inside_package(DEFAULT_CORPUS / "manifest.json"), inside_package(Path("/tmp/x"))
    (True, False)
    """
    written = path.absolute()
    resolved = path.resolve()
    return written.is_relative_to(PACKAGE_DIR.absolute()) or resolved.is_relative_to(
        PACKAGE_DIR.resolve()
    )


def writable_folder(kind: DataKind, path: Path | None) -> Path:
    """`path`, a folder a command is about to write into, checked: never inside the installed
    package, and given at all.

    Raises
    ------
    UsageError
        (exit code 2) naming the option and the environment variable that choose the folder.

    Examples
    --------
    >>> writable_folder(DataKind.LEADERBOARD, None)
    Traceback (most recent call last):
    ...
    claimbench.errors.UsageError: no leaderboard folder: outside a claimbench checkout give ...
    """
    choose = f"give {kind.option} DIR (or set {kind.variable})"
    if path is None:
        raise UsageError(f"no {kind.value} folder: outside a claimbench checkout {choose}")
    if inside_package(path):
        raise UsageError(
            f"{kind.option} {path}: that is inside the installed claimbench package, which is "
            f"never written to; outside a claimbench checkout {choose}"
        )
    return path
