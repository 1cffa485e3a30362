"""How to open a plugin, as data: what a worker process or a Dask worker needs to re-create it.

A loaded plugin holds a model or a subprocess and cannot be sent to another process; a
`PluginSpec` can. Every worker opens its own plugin from the spec, once, and keeps it for the
documents it is given.
"""

import hashlib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

from claimbench.errors import UsageError
from claimbench.extractors.isolation import Limits
from claimbench.extractors.plugin import Plugin


class PluginSpec(BaseModel):
    """A Python plugin by name (or `package.module:attr`), or a `--command` with its isolation.

    Examples
    --------
    >>> PluginSpec(command="python3 plugin.py").command
    'python3 plugin.py'
    >>> PluginSpec()
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for PluginSpec
    ...
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    plugin: str | None = None
    command: str | None = None
    limits: Limits = Limits()
    env: dict[str, str] = {}
    forbidden: list[Path] = []

    @model_validator(mode="after")
    def _one_source(self) -> "PluginSpec":
        if (self.plugin is None) == (self.command is None):
            raise ValueError("name exactly one of plugin and command")
        return self

    @classmethod
    def choose(cls, plugin: str | None, command: str | None, **isolation: object) -> "PluginSpec":
        """The spec of PLUGIN or `--command` (exactly one), or a `UsageError` (exit code 2).

        Examples
        --------
        >>> PluginSpec.choose("rules", None).plugin
        'rules'
        """
        from claimbench.extractors.command import command_argv

        if (plugin is None) == (command is None):
            raise UsageError(
                "name one plugin: PLUGIN (entry point or package.module:attr) or --command CMD"
            )
        if command is not None:
            command_argv(command)  # checked at the door: a usage error, not a plugin failure
        return cls.model_validate({"plugin": plugin, "command": command, **isolation})

    @property
    def key(self) -> str:
        """A stable digest of the spec, naming the plugin a worker keeps for it.

        Examples
        --------
        >>> PluginSpec(plugin="rules").key == PluginSpec(plugin="rules").key
        True
        """
        return hashlib.sha256(self.model_dump_json().encode("utf-8")).hexdigest()

    def open(self) -> Plugin:
        """Load the Python plugin, or prepare the command plugin (started on its first document).

        Raises
        ------
        PluginError
            When the Python plugin cannot be loaded.
        """
        from claimbench.extractors.command import CommandPlugin
        from claimbench.extractors.discovery import load_plugin

        if self.plugin is not None:
            return load_plugin(self.plugin, self.limits.timeout)
        return CommandPlugin(self.command or "", self.limits, self.env, self.forbidden)
