"""Finding and loading Python plugins: the `claimbench.extractors` entry points and
`package.module:attr` names.

Entry points are listed from installed metadata without importing anything; a plugin is imported
only when it is loaded. Loading turns every failure (import error, missing attribute, an object
that does not follow the protocol, a factory that raises) into a `PluginError` naming the plugin,
so one broken plugin never hides the others.
"""

import difflib
import importlib
import inspect
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import EntryPoint, PackageNotFoundError, entry_points, version
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

from claimbench.errors import UsageError
from claimbench.extractors.failures import PluginError
from claimbench.extractors.plugin import PythonPlugin, prints_to_stderr
from claimbench.models import Layer

ENTRY_POINT_GROUP = "claimbench.extractors"


@dataclass(frozen=True)
class Listing:
    """One entry of `claimbench plugins list`: a loaded plugin, or why it did not load.

    `unavailable` is set (with `error`) when the plugin needs an optional extra that is not
    installed: that is the user's choice, not a broken plugin.
    """

    name: str
    target: str
    distribution: str | None
    plugin: PythonPlugin | None = None
    error: str | None = None
    unavailable: str | None = None


class ExtraNotInstalledError(PluginError):
    """A plugin failed to load and declares an optional extra that is not installed; `hint`
    (from `missing_extras`) says what to install."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def registered() -> dict[str, EntryPoint]:
    """The entry points of the `claimbench.extractors` group, by name, nothing imported.

    Examples
    --------
    >>> isinstance(registered(), dict)
    True
    """
    return {point.name: point for point in entry_points(group=ENTRY_POINT_GROUP)}


def list_plugins() -> list[Listing]:
    """Load every registered plugin, reporting each broken one instead of raising.

    Returns
    -------
    list[Listing]
        One listing per entry point, sorted by name; `error` is set when loading failed.
    """
    listings = []
    for name, point in sorted(registered().items()):
        distribution = _distribution(point)
        try:
            plugin = _load_entry_point(point, None)
        except PluginError as err:
            hint = err.hint if isinstance(err, ExtraNotInstalledError) else None
            listings.append(
                Listing(name, point.value, distribution, error=str(err), unavailable=hint)
            )
        else:
            listings.append(Listing(name, point.value, distribution, plugin=plugin))
    return listings


def load_plugin(spec: str, timeout: float | None = None) -> PythonPlugin:
    """Load a plugin by entry-point name or as `package.module:attr`.

    Parameters
    ----------
    spec : str
        A name registered in the `claimbench.extractors` group, or `package.module:attr` where
        `attr` is a class (instantiated without arguments), a factory (called without
        arguments) or a ready instance. The current directory is importable, as with
        `python -m`.
    timeout : float or None
        Wall seconds the plugin may take on one document (`--timeout`); None for no limit.

    Returns
    -------
    PythonPlugin
        The plugin, ready to run.

    Raises
    ------
    UsageError
        When the name is not registered, or `package.module:attr` names a module or attribute
        that does not exist (exit code 2: a mistyped name is a usage error).
    PluginError
        When the plugin fails to import or load, needs an extra that is not installed, or does
        not follow the protocol.

    Examples
    --------
    >>> load_plugin("no-such-plugin")
    Traceback (most recent call last):
    ...
    claimbench.errors.UsageError: no plugin named 'no-such-plugin'...
    """
    if ":" in spec:
        return PythonPlugin(_resolve(spec, spec, typed=True), spec, None, timeout)
    points = registered()
    if spec not in points:
        raise UsageError(unknown_plugin_message(spec, sorted(points)))
    return _load_entry_point(points[spec], timeout)


def unknown_plugin_message(spec: str, known: list[str]) -> str:
    """Why `spec` names no plugin, with the closest installed names.

    Examples
    --------
    >>> unknown_plugin_message("gazeteer", ["gazetteer", "rules"])
    "no plugin named 'gazeteer' (did you mean 'gazetteer'?); installed: gazetteer, rules; ..."
    """
    close = difflib.get_close_matches(spec, known, n=3)
    guess = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
    installed = ", ".join(known) or f"none in entry-point group {ENTRY_POINT_GROUP!r}"
    return (
        f"no plugin named {spec!r}{guess}; installed: {installed}; "
        "see `claimbench plugins list`, or use package.module:attr for an unregistered one"
    )


def _load_entry_point(point: EntryPoint, timeout: float | None) -> PythonPlugin:
    try:
        plugin = _resolve(f"{point.module}:{point.attr}", point.name)
    except PluginError as err:
        hint = missing_extras(point)
        if hint is None:
            raise
        raise ExtraNotInstalledError(f"{err}; {hint}", hint) from None
    return PythonPlugin(plugin, point.name, _distribution(point), timeout)


def missing_extras(point: EntryPoint) -> str | None:
    """What to install when `point` declares extras (`module:attr [extra]`) whose requirements
    are not all installed, or None when it declares none or they are all there.

    Examples
    --------
    >>> missing_extras(EntryPoint("x", "m:X", ENTRY_POINT_GROUP)) is None
    True
    """
    if not point.extras or point.dist is None:
        return None
    unmet = [
        requirement
        for requirement in _extra_requirements(point.dist.requires or [], point.extras)
        if not _installed(requirement)
    ]
    if not unmet:
        return None
    extras = ",".join(point.extras)
    absent = ", ".join(f"{requirement.name}{requirement.specifier}" for requirement in unmet)
    return (
        f"needs the optional extra [{extras}] ({absent} not installed): "
        f"pip install '{point.dist.name}[{extras}]'"
    )


def _extra_requirements(requires: list[str], extras: list[str]) -> list[Requirement]:
    found = []
    for line in requires:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        marker = requirement.marker
        # Only what the extras add: a requirement needed without them is not their fault.
        if (
            marker is not None
            and not marker.evaluate({"extra": ""})
            and any(marker.evaluate({"extra": extra}) for extra in extras)
        ):
            found.append(requirement)
    return found


def _installed(requirement: Requirement) -> bool:
    try:
        installed = version(requirement.name)
    except PackageNotFoundError:
        return False
    return requirement.specifier.contains(installed, prereleases=True)


def _distribution(point: EntryPoint) -> str | None:
    dist = point.dist
    return None if dist is None else f"{dist.name} {dist.version}"


def _resolve(value: str, label: str, *, typed: bool = False) -> object:
    """The plugin object `value` (`module:attr`) names; `typed` when the user typed it on the
    command line, so that a name that does not exist is a usage error, not a broken plugin."""
    module_name, _, attr_path = value.partition(":")
    if not module_name or not attr_path:
        raise PluginError(f"plugin {label!r}: {value!r} is not of the form package.module:attr")
    with prints_to_stderr():  # what a plugin prints as it loads is not the command's output
        obj = _import_attr(module_name.strip(), attr_path.strip(), label, typed=typed)
        try:
            plugin = obj() if inspect.isclass(obj) or _is_factory(obj) else obj
        except Exception as err:
            raise PluginError(
                f"plugin {label!r}: calling {value} failed: {type(err).__name__}: {err}"
            ) from None
        check_conformance(plugin, label)
    return plugin


def _import_attr(module_name: str, attr_path: str, label: str, *, typed: bool) -> object:
    cwd = str(Path.cwd())
    if cwd not in sys.path:
        sys.path.append(cwd)
    try:
        obj: object = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if typed and err.name is not None and _names_module(module_name, err.name):
            raise UsageError(
                f"plugin {label!r}: there is no module {err.name!r} (check the spelling, and "
                "that its package is installed or the current directory holds it)"
            ) from None
        raise _load_failure(label, module_name, attr_path, err) from None
    except Exception as err:
        raise _load_failure(label, module_name, attr_path, err) from None
    for part in attr_path.split("."):
        if typed and not hasattr(obj, part):
            raise UsageError(f"plugin {label!r}: {module_name} has no attribute {part!r}")
        try:
            obj = getattr(obj, part)
        except Exception as err:
            raise _load_failure(label, module_name, attr_path, err) from None
    return obj


def _load_failure(label: str, module_name: str, attr_path: str, err: Exception) -> PluginError:
    return PluginError(
        f"plugin {label!r} failed to load ({module_name}:{attr_path}): {type(err).__name__}: {err}"
    )


def _names_module(module_name: str, missing: str) -> bool:
    """Whether the missing module is the one named on the command line or a package of its
    path (a typo), rather than something the plugin imports (the plugin failing)."""
    return module_name == missing or module_name.startswith(f"{missing}.")


def _is_factory(obj: object) -> bool:
    return callable(obj) and not hasattr(obj, "extract")


_MISSING = object()
_DESCRIBING = ("name", "version", "layers", "extract", "config", "leaderboard_metadata")
"""The attributes read to describe a plugin (`PythonPlugin`), each read here first."""


def _attributes(plugin: object) -> tuple[dict[str, object], list[str]]:
    """The describing attributes of `plugin` (`_MISSING` where it has none), and a problem for
    each that raised when read (a property of the plugin's: describing it must not crash)."""
    found, problems = {}, []
    for attr in _DESCRIBING:
        try:
            found[attr] = getattr(plugin, attr, _MISSING)
        except Exception as err:
            problems.append(f"reading `{attr}` raised {type(err).__name__}: {err}")
    return found, problems


def check_conformance(plugin: object, label: str) -> None:
    """Raise `PluginError` unless `plugin` has `name`, `version`, known `layers` and `extract`.

    Examples
    --------
    >>> check_conformance(object(), "x")
    Traceback (most recent call last):
    ...
    claimbench.extractors.failures.PluginError: plugin 'x' does not follow the protocol: ...
    """
    found, problems = _attributes(plugin)
    problems += [
        f"missing `{attr}`" for attr in ("name", "version", "layers") if found.get(attr) is _MISSING
    ]
    if not callable(found.get("extract")):
        problems.append("no callable `extract(document)`")
    layers = found.get("layers")
    layers = () if layers is _MISSING or layers is None else layers
    if isinstance(layers, str):
        problems.append("`layers` must be a list of layers, not a string")
    elif not isinstance(layers, Iterable):
        problems.append(f"`layers` must be a list of layers, not {type(layers).__name__}")
    else:
        known = {layer.value for layer in Layer}
        problems.extend(
            f"unknown layer {layer!r} (known: {', '.join(sorted(known))})"
            for layer in layers
            if str(layer) not in known
        )
    config = found.get("config", _MISSING)
    if config is not _MISSING and config is not None and not isinstance(config, Mapping):
        problems.append(f"`config` must be a mapping, not {type(config).__name__}")
    if problems:
        raise PluginError(f"plugin {label!r} does not follow the protocol: {'; '.join(problems)}")
