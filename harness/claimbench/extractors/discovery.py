"""Finding and loading Python plugins: the `claimbench.extractors` entry points and
`package.module:attr` names.

Entry points are listed from installed metadata without importing anything; a plugin is imported
only when it is loaded. Loading turns every failure (import error, missing attribute, an object
that does not follow the protocol, a factory that raises) into a `PluginError` naming the plugin,
so one broken plugin never hides the others.
"""

import importlib
import inspect
import sys
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

from claimbench.extractors.failures import PluginError
from claimbench.extractors.plugin import PythonPlugin
from claimbench.models import Layer

ENTRY_POINT_GROUP = "claimbench.extractors"


@dataclass(frozen=True)
class Listing:
    """One entry of `claimbench plugins list`: a loaded plugin, or why it is broken."""

    name: str
    target: str
    distribution: str | None
    plugin: PythonPlugin | None = None
    error: str | None = None


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
            plugin = _load_entry_point(point)
        except PluginError as err:
            listings.append(Listing(name, point.value, distribution, error=str(err)))
        else:
            listings.append(Listing(name, point.value, distribution, plugin=plugin))
    return listings


def load_plugin(spec: str) -> PythonPlugin:
    """Load a plugin by entry-point name or as `package.module:attr`.

    Parameters
    ----------
    spec : str
        A name registered in the `claimbench.extractors` group, or `package.module:attr` where
        `attr` is a class (instantiated without arguments), a factory (called without
        arguments) or a ready instance. The current directory is importable, as with
        `python -m`.

    Returns
    -------
    PythonPlugin
        The plugin, ready to run.

    Raises
    ------
    PluginError
        When the name is unknown, the import fails, or the object does not follow the protocol.

    Examples
    --------
    >>> load_plugin("no-such-plugin")
    Traceback (most recent call last):
    ...
    claimbench.extractors.failures.PluginError: no plugin named 'no-such-plugin' ...
    """
    if ":" in spec:
        return PythonPlugin(_resolve(spec, spec), spec, None)
    points = registered()
    if spec not in points:
        known = ", ".join(sorted(points)) or "none installed"
        raise PluginError(
            f"no plugin named {spec!r} in entry-point group {ENTRY_POINT_GROUP!r} "
            f"(registered: {known}); use package.module:attr for an unregistered one"
        )
    return _load_entry_point(points[spec])


def _load_entry_point(point: EntryPoint) -> PythonPlugin:
    return PythonPlugin(_resolve(point.value, point.name), point.name, _distribution(point))


def _distribution(point: EntryPoint) -> str | None:
    dist = point.dist
    return None if dist is None else f"{dist.name} {dist.version}"


def _resolve(value: str, label: str) -> object:
    module_name, _, attr_path = value.partition(":")
    if not module_name or not attr_path:
        raise PluginError(f"plugin {label!r}: {value!r} is not of the form package.module:attr")
    obj = _import_attr(module_name.strip(), attr_path.strip(), label)
    try:
        plugin = obj() if inspect.isclass(obj) or _is_factory(obj) else obj
    except Exception as err:
        raise PluginError(
            f"plugin {label!r}: calling {value} failed: {type(err).__name__}: {err}"
        ) from None
    check_conformance(plugin, label)
    return plugin


def _import_attr(module_name: str, attr_path: str, label: str) -> object:
    cwd = str(Path.cwd())
    if cwd not in sys.path:
        sys.path.append(cwd)
    try:
        obj: object = importlib.import_module(module_name)
        for part in attr_path.split("."):
            obj = getattr(obj, part)
    except Exception as err:
        raise PluginError(
            f"plugin {label!r} failed to load ({module_name}:{attr_path}): "
            f"{type(err).__name__}: {err}"
        ) from None
    return obj


def _is_factory(obj: object) -> bool:
    return callable(obj) and not hasattr(obj, "extract")


def check_conformance(plugin: object, label: str) -> None:
    """Raise `PluginError` unless `plugin` has `name`, `version`, known `layers` and `extract`.

    Examples
    --------
    >>> check_conformance(object(), "x")
    Traceback (most recent call last):
    ...
    claimbench.extractors.failures.PluginError: plugin 'x' does not follow the protocol: ...
    """
    problems = [
        f"missing `{attr}`" for attr in ("name", "version", "layers") if not hasattr(plugin, attr)
    ]
    if not callable(getattr(plugin, "extract", None)):
        problems.append("no callable `extract(document)`")
    layers = getattr(plugin, "layers", ())
    if isinstance(layers, str):
        problems.append("`layers` must be a list of layers, not a string")
    else:
        known = {layer.value for layer in Layer}
        problems.extend(
            f"unknown layer {layer!r} (known: {', '.join(sorted(known))})"
            for layer in layers or ()
            if str(layer) not in known
        )
    if problems:
        raise PluginError(f"plugin {label!r} does not follow the protocol: {'; '.join(problems)}")
