"""The results of an evaluation: headline metrics, the full scores, failures, gates and
provenance. Versioned, with a JSON Schema committed as `gold/schema/results.schema.json`."""

from pathlib import Path
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, ValidationError

from claimbench.errors import InputError, problems_from_validation_error
from claimbench.extractors.failures import DocumentFailure
from claimbench.fileio import read_json
from claimbench.models.base import OMITTED_WHEN_NULL, ContractModel
from claimbench.reporting.gates import GateResult
from claimbench.reporting.provenance import Provenance
from claimbench.schemas import register_schema
from claimbench.scoring.claims import ClaimScores
from claimbench.scoring.scores import Scores

RESULTS_SCHEMA_VERSION = 1


class Results(ContractModel):
    """What `claimbench evaluate --output` and `claimbench score --output` write.

    `claims` holds the claims figures when the plugin attempted claims and the gold has them
    (left out of the file otherwise); their four F1s are then in `headline` too.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = RESULTS_SCHEMA_VERSION
    provenance: Provenance
    headline: dict[str, float | None]
    scores: Scores
    documents: int
    failures: list[DocumentFailure] = Field(default_factory=list)
    gates: list[GateResult] = Field(default_factory=list)
    claims: Annotated[ClaimScores | None, OMITTED_WHEN_NULL] = None

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
