"""CI gates: `--fail-under KEY=VALUE` thresholds and `--baseline FILE --max-drop D` regressions.

A gate on a layer the plugin did not attempt (value N/A) fails: a threshold was asked for and
nothing meets it. Each gate becomes one JUnit test case.
"""

from collections.abc import Iterable, Mapping
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from claimbench.errors import UsageError
from claimbench.models import Layer
from claimbench.scoring.claims import HEADLINE_KEYS as CLAIMS_HEADLINE_KEYS

HEADLINE_MEASURES = ("f1", "precision", "recall")


def headline_keys() -> list[str]:
    """The headline of every results file: `overall` and `<layer>.<f1|precision|recall>`.

    Examples
    --------
    >>> headline_keys()[:3]
    ['overall', 'entities.f1', 'entities.precision']
    """
    return ["overall"] + [f"{layer.value}.{m}" for layer in Layer for m in HEADLINE_MEASURES]


def gate_keys() -> list[str]:
    """Every key a gate may name: the headline keys, then the claims keys (`claims.value_f1`,
    `claims.source_f1`, `slots.link_f1`, `slots.contradiction_f1`), which are in the headline
    only when the plugin attempted claims and the gold has them.

    Examples
    --------
    >>> gate_keys()[-2:]
    ['slots.link_f1', 'slots.contradiction_f1']
    """
    return [*headline_keys(), *CLAIMS_HEADLINE_KEYS]


class GateKind(StrEnum):
    """A threshold on a score, or a bound on its drop from a baseline."""

    FAIL_UNDER = "fail_under"
    MAX_DROP = "max_drop"


class GateResult(BaseModel):
    """One gate, its figures and its verdict."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: GateKind
    key: str
    threshold: float
    value: float | None
    baseline: float | None = None
    passed: bool
    message: str

    @property
    def name(self) -> str:
        """A short title, e.g. `overall >= 0.6` or `overall drop <= 0.02`."""
        if self.kind is GateKind.FAIL_UNDER:
            return f"{self.key} >= {self.threshold:g}"
        return f"{self.key} drop <= {self.threshold:g}"


class GateSpec(BaseModel):
    """The gates asked for on the command line."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fail_under: dict[str, float] = {}
    baseline: dict[str, float | None] | None = None
    max_drop: float = 0.0


def parse_fail_under(options: Iterable[str]) -> dict[str, float]:
    """Parse repeated `KEY=VALUE` options; an unknown key or a bad value is a usage error.

    Examples
    --------
    >>> parse_fail_under(["overall=0.6", "numbers.f1=0.7"])
    {'overall': 0.6, 'numbers.f1': 0.7}
    >>> parse_fail_under(["speed=1"])
    Traceback (most recent call last):
    ...
    claimbench.errors.UsageError: --fail-under speed=1: unknown key 'speed'; valid keys: ...
    """
    keys = gate_keys()
    thresholds = {}
    for option in options:
        key, sep, text = option.partition("=")
        key = key.strip()
        if not sep:
            raise UsageError(f"--fail-under {option}: expected KEY=VALUE, e.g. overall=0.6")
        if key not in keys:
            raise UsageError(
                f"--fail-under {option}: unknown key {key!r}; valid keys: {', '.join(keys)}"
            )
        thresholds[key] = _fraction(f"--fail-under {option}", text)
    return thresholds


def parse_max_drop(value: float | None, has_baseline: bool) -> float:
    """`--max-drop` checked: between 0 and 1, and only together with `--baseline`."""
    if value is None:
        return 0.0
    if not has_baseline:
        raise UsageError("--max-drop needs --baseline FILE (the results to compare with)")
    return _fraction("--max-drop", str(value))


def _fraction(label: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{label}: {text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise UsageError(f"{label}: {value:g} is outside [0, 1]")
    return value


def evaluate_gates(headline: Mapping[str, float | None], spec: GateSpec) -> list[GateResult]:
    """Every gate of `spec` judged against the `headline` metrics.

    Examples
    --------
    >>> spec = GateSpec(fail_under={"overall": 0.5})
    >>> [g.passed for g in evaluate_gates({"overall": 0.4}, spec)]
    [False]
    """
    results = [_threshold(key, limit, headline.get(key)) for key, limit in spec.fail_under.items()]
    if spec.baseline is not None:
        results.extend(
            _regression(key, old, headline.get(key), spec.max_drop)
            for key, old in spec.baseline.items()
            if old is not None
        )
    return results


def _threshold(key: str, limit: float, value: float | None) -> GateResult:
    if value is None:
        why = (
            "not scored: not attempted, or no gold claims"
            if key in CLAIMS_HEADLINE_KEYS
            else "layer not attempted, or not annotated in the gold"
        )
        passed, message = False, f"{key} is N/A ({why}), required >= {limit:g}"
    else:
        passed = value >= limit
        verb = "meets" if passed else "is below"
        message = f"{key} = {value:.4f} {verb} the threshold {limit:g}"
    return GateResult(
        kind=GateKind.FAIL_UNDER,
        key=key,
        threshold=limit,
        value=value,
        passed=passed,
        message=message,
    )


def _regression(key: str, old: float, value: float | None, max_drop: float) -> GateResult:
    if value is None:
        passed, message = False, f"{key} is N/A now, was {old:.4f} in the baseline"
    else:
        drop = old - value
        passed = drop <= max_drop + 1e-12
        message = (
            f"{key} = {value:.4f}, baseline {old:.4f}, change {value - old:+.4f} "
            f"({'within' if passed else 'exceeds'} the allowed drop {max_drop:g})"
        )
    return GateResult(
        kind=GateKind.MAX_DROP,
        key=key,
        threshold=max_drop,
        value=value,
        baseline=old,
        passed=passed,
        message=message,
    )
