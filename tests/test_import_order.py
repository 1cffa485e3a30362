"""Every import of claimbench follows the one-way dependency order README.md states.

The order is read from README.md itself (the paragraph "Dependencies run one way, ..."), so the
statement and the code cannot drift apart; every `import` and `from ... import` of every
module is read from its source (function-level imports included), and each must name a part
that comes before the importing one."""

import ast
import re

from tests.checkout import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "harness" / "claimbench"
README = PROJECT_ROOT / "README.md"


def stated_order() -> list[set[str]]:
    """The tiers of the README's statement, first to last: `a` ← `b`, `c` ← `d` gives
    [{a}, {b, c}, {d}]."""
    text = " ".join(README.read_text().split())
    statement = re.search(r"Dependencies run one way, each part importing only those before "
                          r"it: (.*?)\. ", text)  # fmt: skip
    assert statement, "README.md states the dependency order"
    return [set(re.findall(r"`(\w+)`", tier)) for tier in statement.group(1).split("←")]


def part_of(module: str) -> str | None:
    """The part of claimbench a module belongs to (`claimbench.scoring.bootstrap`: scoring);
    None for the package itself (its version), which every part may use."""
    pieces = module.split(".")
    if pieces[0] != "claimbench" or len(pieces) == 1 or pieces[1].startswith("__version"):
        return None
    return "cli" if pieces[1] == "__main__" else pieces[1]


def imports() -> list[tuple[str, str, int, str]]:
    """(importing part, file, line, imported part) for every import of claimbench."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        part = part_of(module)
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
                if node.module == "claimbench":
                    names = [f"claimbench.{alias.name}" for alias in node.names]
            else:
                continue
            for name in names:
                imported = part_of(name)
                if part is not None and imported is not None and imported != part:
                    found.append((part, str(path.relative_to(PROJECT_ROOT)), node.lineno, imported))
    return found


def test_the_readme_orders_every_part_of_the_package():
    tiers = stated_order()
    named = set().union(*tiers)
    parts = {
        part_of(f"claimbench.{p.stem if p.is_file() else p.name}")
        for p in PACKAGE.iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").exists()) and p.stem != "__init__"
    }
    assert parts - {None} <= named, f"parts the README does not place: {parts - named}"


def test_every_import_names_an_earlier_part():
    tier = {part: index for index, parts in enumerate(stated_order()) for part in parts}
    wrong = [
        f"{file}:{line}: {part} imports {imported}"
        for part, file, line, imported in imports()
        if tier[imported] >= tier[part]
    ]
    assert not wrong, "\n".join(wrong)


def test_models_imports_nothing_and_scoring_only_models_errors_and_claims():
    allowed = {"models": set(), "scoring": {"models", "errors", "claims"}}
    wrong = [
        f"{file}:{line}: {part} imports {imported}"
        for part, file, line, imported in imports()
        if part in allowed and imported not in allowed[part]
    ]
    assert not wrong, "\n".join(wrong)


def test_only_the_command_line_knows_about_terminals():
    wrong = [
        str(path.relative_to(PROJECT_ROOT))
        for path in PACKAGE.rglob("*.py")
        if "cli" not in path.relative_to(PACKAGE).parts
        and re.search(r"^\s*(import click|from click)", path.read_text(), re.MULTILINE)
    ]
    assert not wrong, wrong
