"""claimbench: a structured-claims test corpus and the harness that scores extractors against it."""


def __getattr__(name: str) -> str:
    """`__version__`, looked up when first asked for: importing `importlib.metadata` costs
    more than the rest of `claimbench --help`."""
    if name != "__version__":
        raise AttributeError(f"module 'claimbench' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("claimbench")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+unknown"
