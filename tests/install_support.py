"""claimbench as a researcher installs it: a wheel built from this checkout, installed (not
editable) into a fresh virtual environment, run from a folder outside the checkout.

To stay fast and offline, nothing is downloaded: the new environment reaches the
distributions claimbench depends on (and pip, setuptools and wheel, to install packages) where
the test environment already has them, through a folder of links named in a `.pth` file. Only
claimbench's own requirements are linked, not its extras, so the `spacy` extra is absent there.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import Distribution, PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.checkout import PROJECT_ROOT

# What a wheel is built from: the package, the data it links to, and the project files.
BUILD_INPUTS = ("harness", "corpus", "gold", "seeds", "pyproject.toml", "README.md")
INSTALLERS = ("pip", "setuptools", "wheel")
EXAMPLE_PACKAGE = PROJECT_ROOT / "examples" / "claimbench-example-plugin"


def copy_sources(target: Path, extra: tuple[str, ...] = ()) -> Path:
    """A copy of this checkout's build inputs (and `extra` files) at `target`, links kept as
    links, so that building it resolves `harness/claimbench/dataset/` as a build of the
    checkout does, and nothing is built inside the checkout."""
    target.mkdir()
    for name in (*BUILD_INPUTS, *extra):
        origin = PROJECT_ROOT / name
        if origin.is_dir():
            shutil.copytree(
                origin, target / name, symlinks=True, ignore=shutil.ignore_patterns("*.egg-info")
            )
        else:
            shutil.copy2(origin, target / name)
    return target


def build_wheel(work: Path) -> Path:
    """Build claimbench's wheel from a copy of this checkout; return its path."""
    source = copy_sources(work / "source")
    wheels = work / "wheels"
    pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", wheels, source)
    (wheel,) = wheels.glob("claimbench-*.whl")
    return wheel


def pip(*args: object, python: str = sys.executable) -> None:
    """Run pip quietly with `python`, failing with its output."""
    done = subprocess.run(
        [python, "-m", "pip", "--disable-pip-version-check", "-q", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def requirement_closure(root: str) -> list[Distribution]:
    """`root` and every distribution its (non-extra) requirements need, as installed here."""
    found: dict[str, Distribution] = {}
    pending = [root, *INSTALLERS]
    while pending:
        name = canonicalize_name(pending.pop())
        if name in found:
            continue
        try:
            found[name] = distribution(name)
        except PackageNotFoundError:
            continue  # an optional dependency this environment does not have
        for line in found[name].requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(requirement.name)
    del found[canonicalize_name(root)]
    return list(found.values())


def link_distributions(distributions: Iterable[Distribution], folder: Path) -> Path:
    """A folder of links to the top-level files and folders of `distributions`."""
    folder.mkdir()
    for dist in distributions:
        top_levels = {Path(str(file)).parts[0] for file in dist.files or []}
        for top in top_levels - {".."}:
            target = Path(str(dist.locate_file(top)))
            if target.exists() and not (folder / top).exists():
                (folder / top).symlink_to(target)
    return folder


@dataclass(frozen=True)
class Environment:
    """A virtual environment that sees claimbench's dependencies but not its extras."""

    root: Path

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    @property
    def python(self) -> str:
        return str(self.bin / "python")

    def variables(self, home: Path) -> dict[str, str]:
        """The environment of a process run in it: its bin first on PATH, no CLAIMBENCH_*
        variables, pip offline."""
        kept = {key: value for key, value in os.environ.items() if key in {"LANG", "TMPDIR"}}
        return {
            **kept,
            "PATH": f"{self.bin}{os.pathsep}/usr/bin{os.pathsep}/bin",
            "HOME": str(home),
            "PIP_NO_INDEX": "1",
            "PIP_NO_BUILD_ISOLATION": "0",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "CI": "true",
        }

    def files(self) -> set[Path]:
        """Every file under the environment (to prove nothing was written there)."""
        return {path for path in self.root.rglob("*") if path.is_file()}


def make_environment(work: Path) -> Environment:
    """A fresh virtual environment under `work` (no pip of its own: it reaches the test
    environment's pip, setuptools and wheel, and claimbench's dependencies, through links)."""
    root = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", root], check=True)
    links = link_distributions(requirement_closure("claimbench"), work / "dependencies")
    python = root / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(purelib) / "claimbench-test-dependencies.pth").write_text(f"{links}\n")
    assert sysconfig.get_paths()["purelib"] != purelib
    return Environment(root)


def install(environment: Environment, *targets: Path) -> None:
    """Install `targets` (wheels or project folders) into `environment`, not editable, with
    no dependencies fetched (they are linked)."""
    pip(
        "install",
        "--no-deps",
        "--no-index",
        "--no-build-isolation",
        *targets,
        python=environment.python,
    )
