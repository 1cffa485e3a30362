"""The worker side of parallel extraction: one plugin per worker thread, opened from its spec.

A process-pool worker or a Dask worker thread opens the plugin the first time it is given
documents and keeps it for the next ones, so a model loads once per worker, not once per
document. Each thread gets its own plugin (a command plugin is one subprocess, and a Python
plugin need not be thread-safe). `close_plugins` releases them when the run ends.
"""

import threading
from collections.abc import Sequence

from claimbench.extractors.plugin import Plugin
from claimbench.extractors.runner import DocumentOutcome, extract_document
from claimbench.extractors.spec import PluginSpec
from claimbench.models import Document

_PLUGINS: dict[tuple[str, int], Plugin] = {}
_LOCK = threading.Lock()


def worker_plugin(spec: PluginSpec) -> Plugin:
    """This thread's plugin for `spec`, opened on first use.

    Raises
    ------
    PluginError
        When the plugin cannot be loaded (the whole run fails, as in a serial run).
    """
    slot = (spec.key, threading.get_ident())
    with _LOCK:
        plugin = _PLUGINS.get(slot)
    if plugin is None:
        plugin = spec.open()
        with _LOCK:
            _PLUGINS[slot] = plugin
    return plugin


def extract_chunk(spec: PluginSpec, documents: Sequence[Document]) -> list[DocumentOutcome]:
    """Run this worker's plugin on `documents`, one outcome each, in order.

    Parameters
    ----------
    spec : PluginSpec
        How to open the plugin (done once per worker thread).
    documents : Sequence[Document]
        A chunk of consecutive documents.

    Returns
    -------
    list[DocumentOutcome]
        What `extract_document` gives for each document; a failure stays that document's.

    Examples
    --------
    >>> spec = PluginSpec(plugin="tests.plugins_support:NoSuchPlugin")
    >>> extract_chunk(spec, [])
    []
    """
    if not documents:
        return []
    plugin = worker_plugin(spec)
    return [extract_document(plugin, document) for document in documents]


def close_plugins(key: str | None = None) -> int:
    """Close and forget the plugins of spec `key` (every plugin when None) in this process.

    Returns
    -------
    int
        How many plugins were closed.

    Examples
    --------
    >>> close_plugins("no-such-key")
    0
    """
    with _LOCK:
        slots = [slot for slot in _PLUGINS if key is None or slot[0] == key]
        plugins = [_PLUGINS.pop(slot) for slot in slots]
    for plugin in plugins:
        plugin.close()
    return len(plugins)
