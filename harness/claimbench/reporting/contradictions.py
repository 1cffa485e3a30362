"""The contradiction map of a gold folder: the gold loaded and validated, then mapped."""

from pathlib import Path

from claimbench.claims.contradiction_map import ContradictionMap, build_contradiction_map
from claimbench.corpus.store import load_corpus
from claimbench.errors import InputError
from claimbench.validation.gold import SLOTS_FILE, load_gold


def load_contradiction_map(gold_dir: Path, corpus_dir: Path) -> ContradictionMap:
    """The contradiction map of the gold folder `gold_dir` (validated first).

    Parameters
    ----------
    gold_dir, corpus_dir : Path
        The gold folder (with `slots.json`) and the corpus it annotates.

    Returns
    -------
    ContradictionMap
        See `build_contradiction_map`.

    Raises
    ------
    InputError
        When the gold is invalid, or has no claims yet (no `slots.json`).

    Examples
    --------
    `claimbench claims` prints it; the leaderboard page renders the same rows.
    """
    corpus = load_corpus(corpus_dir)
    gold = load_gold(gold_dir, corpus)
    if gold.slots is None:
        annotated = sum(doc.claims is not None for doc in gold.documents.values())
        raise InputError.single(
            gold_dir / SLOTS_FILE,
            f"the gold has no claims yet: no {SLOTS_FILE} ({annotated} of "
            f"{len(gold.documents)} documents have `claims`); the contradiction map needs the "
            "adjudicated claims and slots (gold/GUIDELINES.md §13)",
        )
    outlets = {doc_id: corpus.entry(doc_id).outlet for doc_id in gold.documents}
    return build_contradiction_map(gold.documents, gold.slots, gold.catalog, outlets)
