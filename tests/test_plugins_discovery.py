"""Plugin discovery: entry points and package.module:attr, broken plugins, the example package,
`plugins list` and `plugins check`."""

import sys
import tomllib
from pathlib import Path

import pytest

from claimbench.corpus.store import load_corpus
from claimbench.extractors import discovery
from claimbench.extractors.discovery import list_plugins, load_plugin, missing_extras
from claimbench.extractors.failures import PluginError
from claimbench.models import Document, Layer
from claimbench.paths import DEFAULT_CORPUS
from tests.plugins_support import EXAMPLES, fake_distribution, write_gold, write_plugins_module

EXAMPLE_PACKAGE = EXAMPLES / "claimbench-example-plugin"


@pytest.fixture
def plugins_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The test plugins module, importable."""
    gold = write_gold(tmp_path / "gold")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield write_plugins_module(tmp_path, gold)
    sys.modules.pop("cb_test_plugins", None)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on sys.path where fake distributions are 'installed'."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    return folder


@pytest.fixture
def example_installed(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """examples/claimbench-example-plugin as if pip-installed: its source on sys.path and its
    entry points (read from its pyproject.toml) in installed metadata."""
    project = tomllib.loads((EXAMPLE_PACKAGE / "pyproject.toml").read_text())["project"]
    points = project["entry-points"]["claimbench.extractors"]
    fake_distribution(site, project["name"], points)
    monkeypatch.syspath_prepend(str(EXAMPLE_PACKAGE / "src"))


def test_module_attr_loads_a_class_a_factory_and_an_instance(plugins_module):
    for attr in ("Nothing", "make_nothing", "NOTHING"):
        plugin = load_plugin(f"{plugins_module}:{attr}")
        assert plugin.info.name == "nothing"
        assert plugin.info.layers == [Layer.ENTITIES, Layer.NUMBERS]
        assert plugin.info.target == f"{plugins_module}:{attr}"


def test_python_plugin_config_is_hashed(plugins_module):
    info = load_plugin(f"{plugins_module}:Perfect").info
    assert info.config == {"source": "oracle"}
    assert len(info.config_hash) == 64
    assert info.config_hash != load_plugin(f"{plugins_module}:Nothing").info.config_hash


def test_a_broken_plugin_is_reported_and_never_hides_the_others(site, plugins_module):
    (site / "cb_broken.py").write_text("import no_such_module_anywhere\n")
    fake_distribution(
        site,
        "cb-mixed",
        {
            "cb-good": f"{plugins_module}:Nothing",
            "cb-broken": "cb_broken:Plugin",
            "cb-missing-attr": f"{plugins_module}:NoSuchClass",
            "cb-not-a-plugin": "pathlib:PurePath",
        },
    )
    listings = {listing.name: listing for listing in list_plugins()}
    assert listings["cb-good"].plugin is not None and listings["cb-good"].error is None
    assert "ModuleNotFoundError" in listings["cb-broken"].error
    assert "no_such_module_anywhere" in listings["cb-broken"].error
    assert "NoSuchClass" in listings["cb-missing-attr"].error
    assert "does not follow the protocol" in listings["cb-not-a-plugin"].error
    assert listings["cb-good"].distribution == "cb-mixed 1.0"


def test_plugins_list_command_shows_broken_and_good(run_cli, site, plugins_module):
    (site / "cb_broken.py").write_text("raise RuntimeError('plugin exploded at import')\n")
    fake_distribution(
        site, "cb-two", {"cb-good": f"{plugins_module}:Nothing", "cb-bad": "cb_broken:X"}
    )
    result = run_cli("plugins", "list")
    assert result.exit_code == 3
    assert "ok      cb-good 1.0" in result.output
    assert "BROKEN  cb-bad" in result.output
    assert "plugin exploded at import" in result.output


def test_a_plugin_whose_extra_is_missing_is_unavailable_not_broken(
    run_cli, site, plugins_module, monkeypatch
):
    (site / "cb_fancy.py").write_text("import cb_not_installed_model\n")
    fake_distribution(
        site,
        "cb-extras",
        {
            "cb-fancy": "cb_fancy:Plugin [fancy]",
            "cb-good": f"{plugins_module}:Nothing",
        },
        requires=('cb-not-installed-model>=2; extra == "fancy"', "click"),
    )
    looked_up: list[str] = []

    def counted(point):
        looked_up.append(point.name)
        return missing_extras(point)

    monkeypatch.setattr(discovery, "missing_extras", counted)
    result = run_cli("plugins", "list")
    assert result.exit_code == 0, result.output
    assert looked_up == ["cb-fancy"]  # once per unavailable plugin, not again for the listing
    assert "n/a     cb-fancy  (cb_fancy:Plugin [fancy], cb-extras 1.0)" in result.output
    assert (
        "unavailable: needs the optional extra [fancy] (cb-not-installed-model>=2 not "
        "installed): pip install 'cb-extras[fancy]'"
    ) in result.output
    assert "ok      cb-good 1.0" in result.output
    # Running it says the same, as a plugin failure (exit code 3).
    result = run_cli("evaluate", "cb-fancy")
    assert result.exit_code == 3
    assert "pip install 'cb-extras[fancy]'" in result.output


def test_a_plugin_whose_extra_is_installed_but_fails_is_broken(run_cli, site, plugins_module):
    (site / "cb_fancy.py").write_text("import cb_not_installed_model\n")
    fake_distribution(
        site,
        "cb-extras",
        {"cb-fancy": "cb_fancy:Plugin [fancy]"},
        requires=('click; extra == "fancy"',),
    )
    result = run_cli("plugins", "list")
    assert result.exit_code == 3
    assert "BROKEN  cb-fancy" in result.output


def test_protocol_violations_are_named(tmp_path, monkeypatch):
    (tmp_path / "cb_bad_plugins.py").write_text(
        "class NoExtract:\n    name, version, layers = 'x', '1', ['entities']\n"
        "class BadLayer:\n    name, version, layers = 'x', '1', ['claims']\n"
        "    def extract(self, document): return None\n"
        "def failing_factory():\n    raise ValueError('needs a model file')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(PluginError, match="no callable `extract"):
        load_plugin("cb_bad_plugins:NoExtract")
    with pytest.raises(PluginError, match="unknown layer 'claims'"):
        load_plugin("cb_bad_plugins:BadLayer")
    with pytest.raises(PluginError, match="ValueError: needs a model file"):
        load_plugin("cb_bad_plugins:failing_factory")
    with pytest.raises(PluginError, match="not of the form"):
        load_plugin("cb_bad_plugins:")


def test_unknown_plugin_name_exits_2_and_suggests_installed_names(run_cli):
    result = run_cli("predict", "no-such-plugin")
    assert result.exit_code == 2
    assert "no plugin named 'no-such-plugin'" in result.output
    result = run_cli("evaluate", "rulez")
    assert result.exit_code == 2
    assert "no plugin named 'rulez' (did you mean 'rules'?); installed: " in result.output
    result = run_cli("evaluate", "no_such_package.extractor:Extractor")
    assert result.exit_code == 2
    assert "there is no module 'no_such_package'" in result.output
    result = run_cli("evaluate", "claimbench.extractors.baselines.rules:NoSuchBaseline")
    assert result.exit_code == 2
    assert "has no attribute 'NoSuchBaseline'" in result.output


def test_the_example_package_registers_through_its_entry_point(example_installed, run_cli):
    plugin = load_plugin("gazetteer")
    assert plugin.info.distribution == "claimbench-example-plugin 1.0"
    extraction = plugin.extract(Document(id="d", text="Raid near Mastung, Pakistan."))
    assert [entity.text for entity in extraction.entities] == ["Mastung", "Pakistan"]
    result = run_cli("plugins", "list")
    assert "ok      gazetteer 0.1.0  layers: entities" in result.output


def test_plugins_check_passes_the_example(example_installed, run_cli):
    result = run_cli("plugins", "check", "gazetteer")
    assert result.exit_code == 0, result.output
    for check in ("schema", "offsets", "robustness", "layers", "determinism"):
        assert f"PASS  {check}" in result.output
    assert "time per document: median" in result.output


def test_plugins_check_fails_a_nondeterministic_plugin(plugins_module, run_cli):
    result = run_cli("plugins", "check", f"{plugins_module}:Counter")
    assert result.exit_code == 3
    assert "FAIL  determinism: runs differ on" in result.output


DOCS = load_corpus(DEFAULT_CORPUS).doc_ids


def test_plugins_check_fails_a_plugin_that_raises(plugins_module, run_cli):
    """A newcomer's plugin that raised everywhere got PASS for schema, layers ("answers carry
    []") and determinism ("on 0 documents"), and no traceback: checks that look at answers are
    not judged without one, and each failed document is listed with the first traceback."""
    result = run_cli("plugins", "check", f"{plugins_module}:Raises")
    assert result.exit_code == 3
    assert "FAIL  robustness: 5 of 5 documents failed" in result.output
    for doc_id in DOCS:
        assert f"document '{doc_id}': exception: RuntimeError: cannot read {doc_id}" in (
            result.output
        )
    traceback = " " * 14 + "stderr tail:\n" + " " * 14 + "| Traceback (most recent call last):"
    assert f"exception: RuntimeError: cannot read {DOCS[0]}\n{traceback}" in result.output
    assert 'raise RuntimeError(f"cannot read {document.id}")' in result.output
    assert result.output.count("stderr tail:") == 1  # the first failure's, not every one
    assert "PASS" not in result.output
    for check, why in (
        ("schema", "no document was answered"),
        ("offsets", "no answer followed the schema"),
        ("layers", "no document gave a valid answer"),
        ("determinism", "no document gave a valid answer"),
    ):
        assert f"SKIP  {check}: not judged: {why}" in result.output


def test_plugins_check_the_example_command_plugin(run_cli):
    result = run_cli(
        "plugins", "check", "--command", f"{sys.executable} {EXAMPLES}/command_plugin.py"
    )
    assert result.exit_code == 0, result.output
    assert "plugin digits 0.1.0 (command:" in result.output
    assert "PASS  layers: declared ['numbers']" in result.output


ODD_ATTRIBUTES = """
class Base:
    name, version, layers = "odd", "1", ["numbers"]
    def extract(self, document):
        return {"numbers": []}
class LayersNotAList(Base):
    layers = 5
class ConfigNotAMapping(Base):
    config = 5
class NameRaises(Base):
    @property
    def name(self):
        raise RuntimeError("no name today")
"""


@pytest.mark.parametrize(
    ("attr", "message"),
    [
        ("LayersNotAList", "`layers` must be a list of layers, not int"),
        ("ConfigNotAMapping", "`config` must be a mapping, not int"),
        ("NameRaises", "reading `name` raised RuntimeError: no name today"),
    ],
)
def test_attributes_of_the_wrong_type_or_that_raise_are_protocol_violations(
    run_cli, tmp_path, monkeypatch, attr, message
):
    # Each ended in a traceback (exit 1) while the plugin was described.
    (tmp_path / "cb_odd_attributes.py").write_text(ODD_ATTRIBUTES)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        with pytest.raises(PluginError, match="does not follow the protocol"):
            load_plugin(f"cb_odd_attributes:{attr}")
        result = run_cli("predict", f"cb_odd_attributes:{attr}")
        assert result.exit_code == 3, result.output
        assert message in result.output
    finally:
        sys.modules.pop("cb_odd_attributes", None)
