"""The documentation site: `mkdocs build --strict` passes, every page is in the navigation, the
command-line reference says what `--help` says, every "DESIGN §N" has a target and is a link,
the docs' Python sessions run, and the README is short and points into the docs."""

import doctest
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from claimbench.cli import main
from tests.checkout import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs"
README = PROJECT_ROOT / "README.md"
DESIGN_REFERENCE = re.compile(r"\bDESIGN(?:\.md)? §(\d+)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built strictly (any warning fails the build) into a temporary folder."""
    target = tmp_path_factory.mktemp("site")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr
    return target


def test_the_site_builds_strictly(site):
    assert (site / "index.html").exists()
    assert (site / "reference" / "api" / "grounding" / "index.html").exists()


def _nav_pages(nav: list) -> Iterator[str]:
    for entry in nav:
        if isinstance(entry, str):
            yield entry
        else:
            for value in entry.values():
                yield from _nav_pages(value) if isinstance(value, list) else [value]


def test_every_page_is_reachable_from_the_navigation():
    config = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text())
    in_nav = set(_nav_pages(config["nav"]))
    pages = {
        str(path.relative_to(DOCS)) for path in DOCS.rglob("*.md") if "_hooks" not in path.parts
    }
    assert pages == in_nav


def _commands(group: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(group, click.Group):
        for name, command in group.commands.items():
            yield from _commands(command, (*path, name))


def test_the_cli_reference_has_every_command_and_option_of_help(site):
    page = (site / "reference" / "cli" / "index.html").read_text()
    for path in _commands(main):
        anchor = "-".join(("claimbench", *path))
        section = page[page.index(f'id="{anchor}"') :]
        following = re.search(r'<h[2-4] id="claimbench-', section[10:])
        section = section[: following.start() + 10] if following else section
        help_text = CliRunner().invoke(main, [*path, "--help"], prog_name="claimbench").output
        options = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])\b", help_text))
        usage = help_text.splitlines()[0].removeprefix("Usage: ")
        assert usage.split(" [")[0] in section, path
        missing = {option for option in options if option not in section}
        assert not missing, f"{' '.join(path)}: {sorted(missing)} in --help, not in the reference"


def _design_sections() -> set[str]:
    return set(re.findall(r"\{#design-(\d+)\}", (DOCS / "explanation" / "design.md").read_text()))


def test_every_design_reference_has_a_section():
    sources = [
        *PROJECT_ROOT.joinpath("harness").rglob("*.py"),
        *PROJECT_ROOT.joinpath("gold").glob("*.md"),
        *DOCS.rglob("*.md"),
        *PROJECT_ROOT.joinpath("tests").glob("*.py"),
        *PROJECT_ROOT.joinpath("benchmarks").glob("*"),
        README,
    ]
    sections = _design_sections()
    assert sections == {str(n) for n in range(1, 11)}
    dangling = [
        f"{path.relative_to(PROJECT_ROOT)}: {match[0]}"
        for path in sources
        if path.is_file()
        for match in DESIGN_REFERENCE.finditer(path.read_text(errors="replace"))
        if match[1] not in sections
    ]
    assert not dangling


def test_every_design_reference_on_the_site_is_a_link(site):
    found = 0
    for page in site.rglob("*.html"):
        if page.parent.name == "design" or "search" in page.parts:
            continue
        html = page.read_text()
        for match in DESIGN_REFERENCE.finditer(html):
            before = html[: match.start()]
            assert before.rfind("<a ") > before.rfind("</a>"), f"{page}: {match[0]} is no link"
            assert f'#design-{match[1]}">{match[0]}</a>' in html[match.start() - 60 :]
            found += 1
    assert found >= 17  # the docstrings' and the gold documents' references


def _sessions(page: Path) -> list[str]:
    return re.findall(r"```pycon\n(.*?)```", page.read_text(), re.DOTALL)


@pytest.mark.parametrize(
    "page",
    [p for p in sorted(DOCS.rglob("*.md")) if _sessions(p)],
    ids=lambda p: str(p.relative_to(DOCS)),
)
def test_the_python_sessions_of_the_docs_run(page):
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    names: dict = {}  # one reader's session: later blocks use what earlier ones imported
    for number, session in enumerate(_sessions(page)):
        test = parser.get_doctest(session, names, f"{page.name}[{number}]", str(page), 0)
        runner.run(test, clear_globs=False)
        names.update(test.globs)  # DocTest copies the names it is given
    assert runner.summarize(verbose=False).failed == 0


def test_the_readme_is_short_opens_with_the_two_commands_and_links_into_the_docs():
    text = README.read_text()
    assert len(text.encode()) < 8 * 1024
    assert text.startswith("# claimbench\n\n```\nmake run\nmake test\n```\n")
    links = re.findall(r"\]\((docs/[^)#]+)", text)
    assert len(links) >= 8
    for link in links:
        assert (PROJECT_ROOT / link).is_file(), link
    for words in ("Mastung", "contradict", "plugins check", "--fail-under", "--record"):
        assert words in text, words


def test_the_readme_quickstart_is_the_tutorials():
    """The README's plugin and commands are the tutorial's, which the docs' tests run."""
    readme = README.read_text()
    tutorial = (DOCS / "tutorial" / "first-plugin.md").read_text()
    plugin = re.search(r"```python\n# my_plugin.py\n(.*?)```", readme, re.DOTALL)
    assert plugin is not None and plugin[1] in tutorial
    shown = re.search(r"\*\*Evaluate\.\*\*\n\n```\n(.*?)```", readme, re.DOTALL)
    assert shown is not None
    for line in shown[1].splitlines():
        assert f"$ {line.split('  #')[0].strip()}\n" in tutorial, line


def test_every_module_of_the_package_is_in_the_api_reference():
    """A module added to the package (by any branch) fails here until a reference page shows
    it; the command line (`cli`, `python -m claimbench`) has its own reference."""
    package = PROJECT_ROOT / "harness" / "claimbench"
    modules = {
        ".".join(("claimbench", *path.relative_to(package).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
        for path in package.rglob("*.py")
    }
    shown = set(re.findall(r"^::: (claimbench[\w.]*)$", _api_pages(), re.MULTILINE))
    command_line = {"claimbench", "claimbench.__main__"}  # the package and `python -m`
    missing = {m for m in modules - shown - command_line if not m.startswith("claimbench.cli")}
    assert not missing, sorted(missing)


def _api_pages() -> str:
    return "\n".join(page.read_text() for page in (DOCS / "reference" / "api").glob("*.md"))
