"""claimbench: a structured-claims test corpus and the harness that scores extractors against it."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("claimbench")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
