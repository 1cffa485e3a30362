"""The results of an evaluation: headline metrics, the full scores, failures, gates and
provenance. Versioned, with a JSON Schema committed as `gold/schema/results.schema.json`."""

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from claimbench.errors import InputError
from claimbench.extractors.failures import DocumentFailure
from claimbench.fileio import read_json
from claimbench.reporting.gates import GateResult
from claimbench.reporting.provenance import Provenance
from claimbench.schemas import register_schema
from claimbench.scoring.scores import Scores
from claimbench.validation.pydantic_errors import problems_from_validation_error

RESULTS_SCHEMA_VERSION = 1


class Results(BaseModel):
    """What `claimbench evaluate --output` and `claimbench score --output` write."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = RESULTS_SCHEMA_VERSION
    provenance: Provenance
    headline: dict[str, float | None]
    scores: Scores
    documents: int
    failures: list[DocumentFailure] = []
    gates: list[GateResult] = []

    @property
    def gates_passed(self) -> bool:
        """Whether every gate passed (true when there are none)."""
        return all(gate.passed for gate in self.gates)


register_schema("results", Results)


def load_results(path: Path) -> Results:
    """Read a results file (e.g. a `--baseline`), with located errors when it is not one.

    Raises
    ------
    InputError
        When the file is missing, malformed or not a results file of this schema version.
    """
    try:
        return Results.model_validate(read_json(path))
    except ValidationError as err:
        raise InputError(problems_from_validation_error(err, path)) from None
