"""`claimbench evaluate --record`: an evaluated run added to the leaderboard as a submission."""

from pathlib import Path
from typing import Any

from claimbench.corpus.store import Corpus
from claimbench.evaluation.pipeline import Evaluation
from claimbench.evaluation.sources import Predicted
from claimbench.leaderboard.submissions import (
    AlreadySubmittedError,
    EntryMetadata,
    add_submission,
)
from claimbench.reporting.results import Results


def record_submission(
    predicted: Predicted,
    evaluation: Evaluation,
    corpus: Corpus,
    leaderboard_dir: Path,
    *,
    metadata: EntryMetadata | None = None,
) -> tuple[Path, bool]:
    """Add an evaluated run to the leaderboard.

    Parameters
    ----------
    predicted : Predicted
        The plugin that made the predictions.
    evaluation : Evaluation
        The predictions (kept by `score_predictions(..., keep=True)`) and their results:
        the provenance is kept, plus the ids of failed documents.
    corpus : Corpus
        The corpus they were made on.
    leaderboard_dir : Path
        The leaderboard folder.
    metadata : EntryMetadata, optional
        Authors, description, links and licence (the plugin's own, replaced field by field by
        those given on the command line).

    Returns
    -------
    tuple[Path, bool]
        The new submission file and True, or the existing one and False when the same
        predictions are already submitted: then nothing is written, so that rerunning an
        unchanged plugin with `--record` (as the main job and CI do) changes nothing. Badges
        are never recorded: the build derives them (`claimbench leaderboard verify`).

    Examples
    --------
    >>> import tempfile
    >>> from claimbench.corpus.store import load_corpus
    >>> from claimbench.evaluation.pipeline import gold_extractions, score_predictions
    >>> from claimbench.evaluation.sources import Started
    >>> from claimbench.extractors.plugin import PluginInfo, PluginKind
    >>> from claimbench.models import Extraction
    >>> from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
    >>> from claimbench.scoring import ScoringSettings
    >>> corpus = load_corpus(DEFAULT_CORPUS)
    >>> info = PluginInfo(kind=PluginKind.PREDICTIONS, name="x", version="1", target="x")
    >>> predicted = Predicted(info, {"001-dawn": Extraction(numbers=[])}, Started.now())
    >>> evaluation = score_predictions(predicted, gold_extractions(DEFAULT_GOLD, corpus),
    ...     settings=ScoringSettings(resamples=0), keep=True)
    >>> board = Path(tempfile.mkdtemp())
    >>> path, added = record_submission(predicted, evaluation, corpus, board, metadata=None)
    >>> added, record_submission(predicted, evaluation, corpus, board, metadata=None)[1]
    (True, False)
    """
    provenance = submission_provenance(evaluation.results)
    try:
        path = add_submission(
            evaluation.predictions, provenance, leaderboard_dir, corpus=corpus, metadata=metadata
        )
    except AlreadySubmittedError as err:
        return err.path, False
    return path, True


def submission_provenance(results: Results) -> dict[str, Any]:
    """What a submission keeps of the results that scored its predictions: their provenance,
    and the documents that failed (`leaderboard verify` needs both; `evaluate --record` and
    `leaderboard add --results` record the same).

    Parameters
    ----------
    results : Results
        Results of `claimbench evaluate` (or `score`) on the predictions.

    Returns
    -------
    dict[str, Any]
        The provenance as JSON, with `failed_documents`: the ids of the documents that failed.

    Examples
    --------
    >>> from claimbench.corpus.store import load_corpus
    >>> from claimbench.evaluation.pipeline import gold_extractions, score_predictions
    >>> from claimbench.evaluation.sources import Started
    >>> from claimbench.extractors.plugin import PluginInfo, PluginKind
    >>> from claimbench.models import Extraction
    >>> from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
    >>> from claimbench.scoring import ScoringSettings
    >>> info = PluginInfo(kind=PluginKind.PYTHON, name="x", version="1", target="x:X")
    >>> predicted = Predicted(info, {"001-dawn": Extraction(numbers=[])}, Started.now())
    >>> gold = gold_extractions(DEFAULT_GOLD, load_corpus(DEFAULT_CORPUS))
    >>> results = score_predictions(predicted, gold, settings=ScoringSettings(resamples=0)).results
    >>> provenance = submission_provenance(results)  # it answered one document of five
    >>> provenance["plugin"]["target"], len(provenance["failed_documents"])
    ('x:X', 4)
    """
    provenance = results.provenance.model_dump(mode="json")
    provenance["failed_documents"] = [failure.doc_id for failure in results.failures]
    return provenance
