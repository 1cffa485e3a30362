"""brat standoff: import into claimbench's corpus and gold, export gold for brat.

A brat folder holds `NAME.txt` (the text) and `NAME.ann` (the annotations) per document. What
claimbench reads and writes:

- entity and number mentions: text-bound annotations (``T1<TAB>PERSON 0 5<TAB>Flynn``) whose
  type the label map turns into an OntoNotes label (the identity, and CoNLL's PER to PERSON; map
  CoNLL's other types with `--label`, e.g. ``LOC=GPE`` and ``MISC=NORP`` as `import conll` does);
- attributions as in PolNeAR: text-bound ``Source``, ``Cue`` and ``Content`` annotations and an
  event ``E1<TAB>Attribution:T4 Cue:T2 Source:T1 Content:T3`` (``Attribution-no-source`` when
  there is no source); a discontinuous Content (``11 72;80 95``) gives one content span per
  fragment, and so do numbered repeats of a role (``Content:T3 Content2:T4``, brat's way of
  giving a role several arguments);
- the canonical entity of a mention: a normalization ``N1<TAB>Reference T1 claimbench:ID``;
- the quote type of an attribution: an attribute ``A1<TAB>Quote E1 direct``; without one it is
  read from the quotation marks (content wholly inside quotation marks: direct; some quoted
  words: mixed; none: indirect), and the import summary says how many were inferred;
- what brat has no place for (item ids, a number's value, form, unit and TIMEX3, an
  attribution's parent and resolved speaker, and the claims a number carries, each with its
  attribution id, counted class, event and note): a JSON object in an ``AnnotatorNotes`` note.
  Claims come back in the order of their numbers.

The exporter writes exactly this, plus `annotation.conf` (so brat offers the types), the
entity catalogue and the slots, so exporting gold and importing it again gives the same gold.
Relations, equivalences, free-text notes, attributes and modifiers other than an
attribution's Quote, and events other than attributions (with their trigger text-bounds, which
are no entity mentions) have no claimbench layer: they are counted and left out.

A text is read as brat reads it: UTF-8, a byte-order mark counting as character 0. brat opens
it with universal newlines, so offsets made in brat count a CRLF as one character, while tools
that read the file as stored count two: the texts the annotations store decide which, and the
summary counts the documents read brat's way.

The import writes the layers the collection annotates: those with an annotation in any
document, and those whose types its `annotation.conf` declares (how an exported gold with an
empty layer keeps it). The others are not annotated, so they are not scored. Texts and
annotation files may sit in separate folders, and an annotation file's name may carry a suffix
after the text's name (PolNeAR's ``NAME_annotator.ann``): `Pairing`.
"""

import glob
import json
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claimbench.errors import InputError, Problem, UsageError, problems_from_validation_error
from claimbench.fileio import (
    LINE_BREAK,
    JsonSyntaxError,
    decode_json,
    dump_json,
    read_json,
    read_text,
    split_lines,
    write_atomic,
)
from claimbench.interop.labels import LabelMap
from claimbench.interop.writer import (
    LAYERS,
    DraftDocument,
    ImportSummary,
    ImportWriter,
    document_id,
)
from claimbench.models import (
    ENTITY_LABELS,
    NUMBER_LABELS,
    Attribution,
    EntityCatalog,
    GoldDocument,
    QuoteType,
    Span,
)
from claimbench.models.claims import SlotsFile
from claimbench.validation.gold import (
    CATALOG_FILE,
    MANIFEST_FILE,
    SLOTS_FILE,
    GoldSet,
    read_gold_manifest,
)
from claimbench.validation.predictions import annotated_layers

ROLES = ("Source", "Cue", "Content")
WITH_SOURCE, NO_SOURCE = "Attribution", "Attribution-no-source"
NOTE, REFERENCE, QUOTE, NAMESPACE = "AnnotatorNotes", "Reference", "Quote", "claimbench"
_FRAGMENT = re.compile(r"^(\d+) (\d+)$")
_CRLF = re.compile(r"\r\n")
_NUMBERED_ROLE = re.compile(r"^(.*?)\d*$")
CONF_FILE = "annotation.conf"
UTF8_ONLY = "brat reads UTF-8 only: convert the file (iconv -f latin1 -t utf-8 FILE > NEW)"
_OPEN_QUOTES, _CLOSE_QUOTES = "\"“‘'«", "\"”’'»"


@dataclass(frozen=True)
class TextBound:
    """A text-bound annotation: type, fragments (source offsets) and the text brat stored."""

    id: str
    type: str
    fragments: list[tuple[int, int]]
    text: str
    line: int


@dataclass(frozen=True)
class Event:
    """An event: its type, trigger and (role, annotation id) arguments."""

    id: str
    type: str
    trigger: str
    arguments: list[tuple[str, str]]
    line: int


@dataclass
class Standoff:
    """The parsed annotations of one `.ann` file, by kind."""

    path: Path
    textbounds: dict[str, TextBound] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)
    ignored: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    """Where each annotation id, and each annotation's note, reference and attribute, was
    first given."""

    def problem(self, line: int, message: str, field_name: str, value: object) -> None:
        """Record a problem at `line`, naming the field and its value."""
        self.problems.append(
            Problem(str(self.path), message, line, field=field_name, value=value, has_value=True)
        )

    def earlier(self, what: str, key: str, line: int) -> int | None:
        """The line that already gave `what` for `key` (a repeat would silently replace it),
        or None, `line` then recorded as the first."""
        first = self.lines.setdefault((what, key), line)
        return None if first == line else first


def parse_ann(path: Path) -> Standoff:
    """Parse a brat `.ann` file; malformed lines are collected as problems, not raised.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.ann"
    >>> _ = p.write_text("T1\\tPERSON 0 5\\tFlynn\\nR1\\tKnows Arg1:T1 Arg2:T1\\n")
    >>> standoff = parse_ann(p)
    >>> standoff.textbounds["T1"].fragments, dict(standoff.ignored)
    ([(0, 5)], {'relations (R)': 1})
    """
    standoff = Standoff(path)
    # No annotations yet: brat creates an empty file, other tools write a lone line break.
    content = read_text(path, allow_empty=True, decode_hint=UTF8_ONLY)
    for number, line in enumerate(split_lines(content), start=1):
        if line.strip():
            _parse_line(standoff, number, line)
    return standoff


def _parse_line(standoff: Standoff, number: int, line: str) -> None:
    ident, _, rest = line.partition("\t")
    kind = ident[:1]
    body, _, tail = rest.partition("\t")
    first = None if kind == "*" else standoff.earlier("id", ident, number)  # equivalences: '*'
    if first is not None:
        message = f"duplicate annotation id (first on line {first})"
        standoff.problem(number, message, "id", ident)
        return
    parsers = {"T": _textbound, "E": _event, "A": _attribute, "M": _attribute, "N": _reference}
    if kind in parsers:
        parsers[kind](standoff, number, ident, body, tail)
    elif kind == "#":
        _note(standoff, number, body, tail)
    elif kind in {"R", "*"}:
        standoff.ignored[{"R": "relations (R)", "*": "equivalences (*)"}[kind]] += 1
    else:
        standoff.problem(number, "not a brat standoff line", "id", ident)


def _textbound(standoff: Standoff, number: int, ident: str, body: str, text: str) -> None:
    kind, _, offsets = body.partition(" ")
    fragments = []
    for fragment in offsets.split(";"):
        found = _FRAGMENT.match(fragment.strip())
        if found is None or int(found[1]) >= int(found[2]):
            standoff.problem(number, "expected START END offsets, START < END", "offsets", offsets)
            return
        fragments.append((int(found[1]), int(found[2])))
    standoff.textbounds[ident] = TextBound(ident, kind, fragments, text, number)


def _event(standoff: Standoff, number: int, ident: str, body: str, _tail: str) -> None:
    parts = body.split()
    kind, _, trigger = parts[0].partition(":") if parts else ("", "", "")
    arguments = [tuple(part.split(":", 1)) for part in parts[1:]]
    if not trigger or any(len(argument) != 2 for argument in arguments):
        standoff.problem(number, "expected TYPE:TRIGGER ROLE:ID ...", "event", body)
        return
    # brat numbers the repeats of a role: Content, Content2, Content3, ...
    pairs = [(_role(role), target) for role, target in arguments]
    standoff.events[ident] = Event(ident, kind, trigger, pairs, number)


def _attribute(standoff: Standoff, number: int, _ident: str, body: str, _tail: str) -> None:
    parts = body.split()
    if len(parts) not in (2, 3):
        standoff.problem(number, "expected NAME TARGET [VALUE]", "attribute", body)
        return
    first = standoff.earlier("attribute", f"{parts[1]} {parts[0]}", number)
    if first is not None:
        message = f"{parts[1]} has attribute {parts[0]} already (line {first})"
        standoff.problem(number, message, "attribute", body)
        return
    standoff.attributes[(parts[1], parts[0])] = parts[2] if len(parts) == 3 else "true"


def _reference(standoff: Standoff, number: int, _ident: str, body: str, _tail: str) -> None:
    parts = body.split()
    if len(parts) != 3 or ":" not in parts[2]:
        standoff.problem(number, "expected Reference TARGET DB:ID", "normalization", body)
        return
    database, _, key = parts[2].partition(":")
    if database == NAMESPACE:
        first = standoff.earlier("reference", parts[1], number)
        if first is not None:
            message = f"a second claimbench reference of {parts[1]} (line {first})"
            standoff.problem(number, message, "normalization", body)
            return
        standoff.references[parts[1]] = key
    else:
        standoff.ignored[f"normalizations to {database}"] += 1


def _note(standoff: Standoff, number: int, body: str, text: str) -> None:
    parts = body.split()
    if len(parts) != 2:
        standoff.problem(number, "expected AnnotatorNotes TARGET", "note", body)
        return
    try:
        value = decode_json(text)
    except JsonSyntaxError as err:
        if text.lstrip().startswith("{"):  # meant as JSON: not skipped as free text
            standoff.problem(number, f"malformed JSON note: {err.message}", "note", body)
            return
        value = None
    if isinstance(value, dict):
        first = standoff.earlier("note", parts[1], number)
        if first is not None:
            message = f"a second JSON note on {parts[1]} (line {first})"
            standoff.problem(number, message, "note", body)
            return
        standoff.notes[parts[1]] = value
    else:
        standoff.ignored["free-text notes"] += 1


def _role(role: str) -> str:
    """The role without brat's repeat number (``Content2`` -> ``Content``).

    Examples
    --------
    >>> _role("Content2"), _role("Cue"), _role("Arg1")
    ('Content', 'Cue', 'Arg')
    """
    found = _NUMBERED_ROLE.match(role)
    assert found is not None  # the pattern matches every string
    return found[1] or role


@dataclass(frozen=True)
class Pairing:
    """Where a text's annotation file is: `NAME.txt` pairs with `NAME<suffix>.ann` in
    `ann_dir` (any depth), or beside the text when `ann_dir` is None. `suffix` may hold the
    wildcards ``*`` and ``?`` (``_*`` matches PolNeAR's ``NAME_annotator.ann``); more than one
    match is an error, never a guess.

    Parameters
    ----------
    ann_dir : Path or None
        The folder of the annotation files (searched recursively, listed once).
    suffix : str
        What follows the text's name in an annotation file's name, before ``.ann``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("texts/a.txt", "ann/x/a_ann1.ann", "ann/ab_ann1.ann"):
    ...     (root / name).parent.mkdir(parents=True, exist_ok=True)
    ...     _ = (root / name).write_text("")
    >>> find = Pairing(root / "ann", "_*").finder()
    >>> [path.name for path in find(root / "texts" / "a.txt")]
    ['a_ann1.ann']
    """

    ann_dir: Path | None = None
    suffix: str = ""

    def finder(self) -> Callable[[Path], list[Path]]:
        """A function from a text file to the annotation files that match it (the folder is
        listed once, when `ann_dir` is given, and each look-up searches the sorted names)."""
        if self.ann_dir is None:
            return lambda text: [
                path
                for path in text.parent.glob(f"{glob.escape(text.stem)}{self.suffix}.ann")
                if path.is_file()
            ]
        ann_files = sorted((path.name, path) for path in self.ann_dir.rglob("*.ann"))
        names = [name for name, _ in ann_files]
        suffix = self.suffix

        def find(text: Path) -> list[Path]:
            wanted = f"{glob.escape(text.stem)}{suffix}.ann"
            first = bisect_left(names, text.stem)
            found = []
            for name, path in ann_files[first:]:
                if not name.startswith(text.stem):
                    break
                if fnmatchcase(name, wanted):
                    found.append(path)
            return found

        return find


def import_brat(
    folder: Path,
    out: Path,
    *,
    name: str,
    labels: LabelMap,
    catalog: EntityCatalog | None = None,
    pairing: Pairing = Pairing(),
    ignored: frozenset[str] = frozenset(),
    partial: bool = False,
) -> ImportSummary:
    """Import every `NAME.txt` of `folder` with its `.ann` file into `out/corpus` and
    `out/gold`. Every document is read before any is written: which layers the gold holds
    depends on them all.

    Parameters
    ----------
    folder : Path
        The texts, searched recursively; a document's id is its path below `folder`
        without `.txt`, `/` made `-` (`doc1`, `train-doc1`), as `document_id` makes ids.
    out : Path
        New output folder.
    name : str
        Corpus name for the manifest.
    labels : LabelMap
        Source type -> claimbench label (None drops the type).
    catalog : EntityCatalog | None
        Known canonical entities; `folder/entities.json` (written by the exporter) is used
        when this is None.
    pairing : Pairing
        Where each text's annotation file is (beside it, by default).
    ignored : frozenset of str
        Annotation types to leave out (text-bound, event and attribute types), counted in
        the summary, without mapping each.
    partial : bool
        Leave out documents with problems (listed with every problem in the summary) and
        import the others; by default one problem anywhere means nothing is written.

    Returns
    -------
    ImportSummary
        What was written, and what was left out and why.

    Raises
    ------
    InputError
        With every problem of every file (every document's, when all are left out); nothing
        is written then.
    """
    texts = sorted(folder.rglob("*.txt"))
    if not texts:
        raise UsageError(f"{folder}: no brat .txt files found")
    if catalog is None and (folder / CATALOG_FILE).exists():
        catalog = read_catalog(folder / CATALOG_FILE)
    slots = read_slots(folder / SLOTS_FILE) if (folder / SLOTS_FILE).exists() else None
    find = pairing.finder()
    drafts = [
        _read_document(_doc_id(folder, text), text, find(text), labels, ignored) for text in texts
    ]
    layers = _annotated(drafts, _declared_layers(folder / CONF_FILE, labels))
    gold_manifest = read_gold_manifest(folder)
    with ImportWriter(
        out, name, catalog, slots, gold_manifest, layers=layers, partial=partial, slots_dir=folder
    ) as writer:
        for draft in drafts:
            if draft.claims is None and slots is not None:
                draft.claims = []
            writer.add(draft)
        return writer.finish()


def _annotated(drafts: list[DraftDocument], declared: set[str]) -> tuple[str, ...]:
    """The layers with an item in any draft (claims imply numbers and attributions), or
    declared by the collection's `annotation.conf`."""
    found = set(declared)
    for draft in drafts:
        found |= {layer for layer in LAYERS if getattr(draft, layer)}
        if draft.claims:
            found |= {"numbers", "attributions"}
    return tuple(layer for layer in LAYERS if layer in found)


def _declared_layers(conf: Path, labels: LabelMap) -> set[str]:
    """The layers of the entity and event types an `annotation.conf` declares (none when
    there is no such file).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> conf = pathlib.Path(tempfile.mkdtemp()) / "annotation.conf"
    >>> _ = conf.write_text("[entities]\\nPERSON\\nFlag\\n[events]\\nAttribution\\tCue:Cue\\n")
    >>> sorted(_declared_layers(conf, {"PERSON": "PERSON"}))
    ['attributions', 'entities']
    """
    if not conf.is_file():
        return set()
    layers: set[str] = set()
    section = ""
    for line in split_lines(read_text(conf, decode_hint=UTF8_ONLY)):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0].startswith("["):
            section = words[0]
            continue
        kind = words[0].lstrip("!")
        if section == "[entities]" and labels.get(kind) is not None:
            layers.add("entities" if labels[kind] in ENTITY_LABELS else "numbers")
        elif section in {"[entities]", "[events]"} and kind in {*ROLES, WITH_SOURCE, NO_SOURCE}:
            layers.add("attributions")
    return layers


def _doc_id(folder: Path, text_path: Path) -> str:
    """A text's document id: its path below `folder` without `.txt` (`doc1`; in a subfolder,
    `train-doc1`, so that `train/doc1.txt` and `dev/doc1.txt` stay apart)."""
    return document_id(text_path.relative_to(folder).with_suffix("").as_posix())


def _read_document(
    doc_id: str,
    text_path: Path,
    ann_paths: list[Path],
    labels: LabelMap,
    ignored: frozenset[str],
) -> DraftDocument:
    draft = DraftDocument(doc_id, "", str(text_path))
    if len(ann_paths) != 1:
        message = "no .ann file for it" if not ann_paths else "several .ann files match it"
        paths = [str(path) for path in ann_paths]
        draft.problems.append(
            Problem(str(text_path), message, None, draft.doc_id, "annotations", paths, True)
        )
        return draft
    try:
        # brat reads a byte-order mark as character 0: offsets count it (the text drops it)
        draft.source = read_text(text_path, allow_bom=True, allow_empty=True, decode_hint=UTF8_ONLY)
        standoff = parse_ann(ann_paths[0])
    except InputError as err:  # the document's problems: a partial import leaves it out
        draft.problems += err.problems
        return draft
    draft.where = str(ann_paths[0])
    if "\r\n" in draft.source:
        _count_crlf_as_brat_does(draft, standoff)
    _fill(draft, standoff, labels, ignored)
    draft.problems += standoff.problems
    for reason, count in standoff.ignored.items():
        draft.skip(reason, count)
    return draft


def _fill(
    draft: DraftDocument, standoff: Standoff, labels: LabelMap, ignored: frozenset[str]
) -> None:
    used = {target for event in standoff.events.values() for _, target in event.arguments}
    used |= {event.trigger for event in standoff.events.values()}
    # The trigger of any other event (a BioNLP Phosphorylation, a Meeting) marks the event's
    # words, not an entity: it is left out with its event, not mapped onto an entity label.
    triggers = {
        event.trigger
        for event in standoff.events.values()
        if event.type not in {WITH_SOURCE, NO_SOURCE}
    }
    for bound in standoff.textbounds.values():
        if bound.type in ignored:
            draft.skip(f"{bound.type} annotations (ignored)")
            continue
        _check_text(draft, standoff, bound)
        if bound.id in triggers:
            draft.skip(f"{bound.type} event triggers")
            continue
        if bound.type in ROLES or bound.type in {WITH_SOURCE, NO_SOURCE}:
            if bound.id not in used:
                draft.skip("attribution parts in no attribution event")
            continue
        _mention(draft, standoff, bound, labels)
    for event in standoff.events.values():
        if event.type in ignored:
            draft.skip(f"{event.type} events (ignored)")
            continue
        _attribution(draft, standoff, event)
    attribution_ids = {
        event.id for event in standoff.events.values() if event.type in {WITH_SOURCE, NO_SOURCE}
    }
    for target, name in standoff.attributes:
        if name != QUOTE or target not in attribution_ids:
            draft.skip(f"{name} attributes")


def _count_crlf_as_brat_does(draft: DraftDocument, standoff: Standoff) -> None:
    """Move offsets that count each CRLF as one character onto the text as stored.

    brat reads the .txt with universal newlines, so offsets made in brat count a CRLF as one
    character; tools that read the file's characters as stored count two. The texts the
    annotations store say which: the reading under which fewer of them differ from the text
    at their offsets (the text as stored when as many do).
    """
    as_brat_reads = draft.source.replace("\r\n", "\n")
    bounds = list(standoff.textbounds.values())
    differ_as_read = sum(not _text_matches(as_brat_reads, bound) for bound in bounds)
    if differ_as_read >= sum(not _text_matches(draft.source, bound) for bound in bounds):
        return
    # Where each dropped CR's LF lands in the text as brat reads it, in order.
    lands = [found.start() - index for index, found in enumerate(_CRLF.finditer(draft.source))]
    for bound in bounds:
        fragments = [
            (start + bisect_left(lands, start), end + bisect_left(lands, end))
            for start, end in bound.fragments
        ]
        standoff.textbounds[bound.id] = replace(bound, fragments=fragments)
    draft.note("documents whose offsets count a CRLF as one character (as brat reads the text)")


def _text_matches(text: str, bound: TextBound) -> bool:
    """Whether `bound` stores the text at its offsets of `text` (line breaks as spaces)."""
    if any(end > len(text) for _, end in bound.fragments):
        return False
    found = " ".join(text[start:end] for start, end in bound.fragments)
    return LINE_BREAK.sub(" ", found) == LINE_BREAK.sub(" ", bound.text)


def _check_text(draft: DraftDocument, standoff: Standoff, bound: TextBound) -> None:
    if any(end > len(draft.source) for _, end in bound.fragments):
        standoff.problem(bound.line, "offset past the end of the text", "offsets", bound.fragments)
    elif not _text_matches(draft.source, bound):
        found = " ".join(draft.source[start:end] for start, end in bound.fragments)
        standoff.problem(
            bound.line, f"the text at these offsets is {found!r}", f"{bound.id}.text", bound.text
        )


def _mention(draft: DraftDocument, standoff: Standoff, bound: TextBound, labels: LabelMap) -> None:
    if bound.type not in labels:
        standoff.problem(
            bound.line,
            "unknown annotation type (map it with --label TYPE=LABEL, leave it out with "
            "--label TYPE= or --ignore-type TYPE)",
            f"{bound.id}.type",
            bound.type,
        )
        return
    label = labels[bound.type]
    if label is None:
        draft.skip(f"{bound.type} annotations (mapped to nothing)")
        return
    if len(bound.fragments) > 1:
        draft.skip("discontinuous entity or number annotations")
        return
    note = standoff.notes.get(bound.id, {})
    start, end = bound.fragments[0]
    item = {"id": note.get("id", bound.id), "start": start, "end": end, "label": label}
    normalised = {key: note[key] for key in ("value", "form", "unit", "timex") if key in note}
    skipped = draft.add_mention(
        item, entity=standoff.references.get(bound.id), normalised=normalised
    )
    if skipped is not None:
        draft.skip(skipped)
    elif "claims" in note:
        claims = [{**claim, "number": item["id"]} for claim in note["claims"]]
        draft.claims = [*(draft.claims or []), *claims]


def _attribution(draft: DraftDocument, standoff: Standoff, event: Event) -> None:
    if event.type not in {WITH_SOURCE, NO_SOURCE}:
        draft.skip(f"{event.type} events")
        return
    roles: dict[str, list[TextBound]] = {role: [] for role in ROLES}
    for role, target in event.arguments:
        bound = standoff.textbounds.get(target)
        if role not in roles or bound is None:
            field_name = f"{event.id}.{role}"
            standoff.problem(event.line, "unknown role or annotation id", field_name, target)
            return
        roles[role].append(bound)
    spans = _roles(standoff, event, roles)
    if spans is None:
        return
    cue, source, content = spans
    note = standoff.notes.get(event.id, {})
    quote = standoff.attributes.get((event.id, QUOTE)) or note.get("quote")
    if quote is None:
        quote = infer_quote([draft.source[s["start"] : s["end"]] for s in content])
        draft.note("attribution quote types inferred from quotation marks")
    draft.attributions.append(
        {
            "id": note.get("id", event.id),
            "cue": cue,
            "source": source,
            "source_entity": note.get("source_entity"),
            "content": content,
            "quote": quote,
            "parent": note.get("parent"),
        }
    )


def _roles(
    standoff: Standoff, event: Event, roles: dict[str, list[TextBound]]
) -> tuple[dict[str, int], dict[str, int] | None, list[dict[str, int]]] | None:
    cues, sources, contents = roles["Cue"], roles["Source"], roles["Content"]
    ident, line = event.id, event.line
    if len(cues) != 1 or len(cues[0].fragments) != 1:
        ids = [cue.id for cue in cues]
        standoff.problem(line, "an attribution needs one contiguous Cue", f"{ident}.Cue", ids)
        return None
    if len(sources) > 1 or (sources and len(sources[0].fragments) != 1):
        ids = [source.id for source in sources]
        standoff.problem(line, "at most one contiguous Source", f"{ident}.Source", ids)
        return None
    if not contents:
        standoff.problem(line, "an attribution needs Content", f"{ident}.Content", [])
        return None
    cue = _span(cues[0].fragments[0])
    source = _span(sources[0].fragments[0]) if sources else None
    content = [_span(fragment) for bound in contents for fragment in bound.fragments]
    return cue, source, sorted(content, key=lambda span: span["start"])


def _span(fragment: tuple[int, int]) -> dict[str, int]:
    return {"start": fragment[0], "end": fragment[1]}


def infer_quote(content: list[str]) -> str:
    """`direct` when the content is wholly inside quotation marks, `mixed` when some of it is
    quoted, `indirect` otherwise.

    Examples
    --------
    >>> infer_quote(["“He's absolutely right.”"]), infer_quote(["Trump 'absolutely right'"])
    ('direct', 'mixed')
    >>> infer_quote(["he would combat the group"])
    'indirect'
    """
    joined = " ".join(part.strip() for part in content)
    if joined[:1] in _OPEN_QUOTES and joined[-1:] in _CLOSE_QUOTES:
        return QuoteType.DIRECT.value
    if any(mark in joined for mark in _OPEN_QUOTES + _CLOSE_QUOTES if mark != "'"):
        return QuoteType.MIXED.value
    if re.search(r"(^|\s)'\w[^']*'", joined):
        return QuoteType.MIXED.value
    return QuoteType.INDIRECT.value


def export_brat(gold: GoldSet, texts: dict[str, str], out: Path) -> int:
    """Write each gold document as `out/<doc_id>.txt` and `.ann`, with `annotation.conf`, the
    entity catalogue (`entities.json`), the slots (`slots.json`, where the claims are
    annotated) and the gold's name and version (`manifest.json`, where it has one), all read
    back by `import_brat`.

    Parameters
    ----------
    gold : GoldSet
        The validated gold: documents, entity catalogue and slots.
    texts : dict[str, str]
        The canonical texts, by document id.
    out : Path
        The brat collection folder (created; existing files of these documents are replaced).

    Returns
    -------
    int
        The number of documents written.
    """
    for doc_id, document in gold.documents.items():
        write_atomic(out / f"{doc_id}.txt", texts[doc_id])
        write_atomic(
            out / f"{doc_id}.ann", "".join(f"{line}\n" for line in standoff_lines(document))
        )
    layers = [layer.value for layer in annotated_layers(gold.extractions())]
    write_atomic(out / CONF_FILE, annotation_conf(layers))
    write_atomic(out / CATALOG_FILE, dump_json(gold.catalog.model_dump(mode="json")))
    if gold.slots is not None:
        write_atomic(out / SLOTS_FILE, dump_json(gold.slots.model_dump(mode="json")))
    if gold.manifest is not None:
        write_atomic(out / MANIFEST_FILE, dump_json(gold.manifest.model_dump(mode="json")))
    return len(gold.documents)


def standoff_lines(gold: GoldDocument) -> list[str]:
    """The `.ann` lines of one gold document (see the module docstring).

    Examples
    --------
    >>> from claimbench.models import EntityMention
    >>> mention = EntityMention(id="e1", start=0, end=3, text="Ann", label="PERSON", entity="ann")
    >>> doc = GoldDocument(doc_id="d", text_sha256="0" * 64, entities=[mention], numbers=[],
    ...                    attributions=[])
    >>> standoff_lines(doc)[:2]
    ['T1\\tPERSON 0 3\\tAnn', 'N1\\tReference T1 claimbench:ann\\tann']
    """
    lines = _Lines()
    for mention in gold.entities or []:
        ident = lines.textbound(mention.label.value, [mention])
        lines.add("N", f"{REFERENCE} {ident} {NAMESPACE}:{mention.entity}\t{mention.entity}")
        lines.note(ident, {"id": mention.id})
    claims: dict[str, list[dict[str, Any]]] = {number.id: [] for number in gold.numbers or []}
    for claim in gold.claims or []:
        claims[claim.number].append(claim.model_dump(mode="json", exclude={"number"}))
    for number in gold.numbers or []:
        ident = lines.textbound(number.label.value, [number])
        extra = number.model_dump(mode="json", include={"value", "form", "unit", "timex"})
        extra = {key: value for key, value in extra.items() if value is not None}
        lines.note(ident, {"id": number.id, **extra, **_claims_of(claims[number.id])})
    for attribution in gold.attributions or []:
        _attribution_lines(lines, attribution)
    return lines.lines


def _claims_of(claims: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    return {"claims": claims} if claims else {}


def _attribution_lines(lines: "_Lines", attribution: Attribution) -> None:
    cue = lines.textbound("Cue", [attribution.cue])
    arguments = [f"Cue:{cue}"]
    if attribution.source is not None:
        arguments.append(f"Source:{lines.textbound('Source', [attribution.source])}")
    arguments.append(f"Content:{lines.textbound('Content', attribution.content)}")
    kind = WITH_SOURCE if attribution.source is not None else NO_SOURCE
    trigger = lines.textbound(kind, [attribution.cue])
    event = lines.add("E", f"{kind}:{trigger} {' '.join(arguments)}")
    lines.add("A", f"{QUOTE} {event} {attribution.quote.value}")
    extra = {"id": attribution.id, "parent": attribution.parent}
    extra["source_entity"] = attribution.source_entity
    lines.note(event, {key: value for key, value in extra.items() if value is not None})


class _Lines:
    """Numbered standoff lines of one document, per annotation kind."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.counts: Counter[str] = Counter()

    def add(self, kind: str, body: str) -> str:
        self.counts[kind] += 1
        ident = f"{kind}{self.counts[kind]}"
        self.lines.append(f"{ident}\t{body}")
        return ident

    def textbound(self, kind: str, spans: list[Span]) -> str:
        offsets = ";".join(f"{span.start} {span.end}" for span in spans)
        text = " ".join((span.text or "").replace("\n", " ") for span in spans)
        return self.add("T", f"{kind} {offsets}\t{text}")

    def note(self, target: str, value: dict[str, Any]) -> None:
        self.add("#", f"{NOTE} {target}\t{json.dumps(value, ensure_ascii=False)}")


def annotation_conf(layers: Collection[str] = LAYERS) -> str:
    """brat's `annotation.conf` for claimbench gold annotating `layers`: the OntoNotes types of
    its entity and number layers, and the attribution types, events and Quote attribute when
    it annotates attributions (the importer reads back which layers are annotated from it).

    Examples
    --------
    >>> "Attribution\\tSource?:Source, Cue:Cue, Content:Content" in annotation_conf()
    True
    >>> "Cue" in annotation_conf(["entities"]), "DATE" in annotation_conf(["entities"])
    (False, False)
    """
    kinds = {"entities": ENTITY_LABELS, "numbers": NUMBER_LABELS}
    types = sorted(label for layer in layers for label in kinds.get(layer, ()))
    events = attributes = ""
    if "attributions" in layers:
        types += ["Source", "Cue", "Content"]
        events = (
            f"{WITH_SOURCE}\tSource?:Source, Cue:Cue, Content:Content\n"
            f"{NO_SOURCE}\tCue:Cue, Content:Content\n"
        )
        quotes = "|".join(quote.value for quote in QuoteType)
        attributes = f"{QUOTE}\tArg:<EVENT>, Value:{quotes}\n"
    entities = "".join(f"{kind}\n" for kind in types)
    return f"[entities]\n{entities}\n[relations]\n\n[events]\n{events}\n[attributes]\n{attributes}"


def read_slots(path: Path) -> SlotsFile:
    """The slots file at `path`, or `InputError` naming what is wrong."""
    try:
        return SlotsFile.model_validate(read_json(path))
    except ValidationError as err:
        raise InputError(problems_from_validation_error(err, path)) from None


def read_catalog(path: Path) -> EntityCatalog:
    """The entity catalogue at `path`, or `InputError` naming what is wrong."""
    try:
        return EntityCatalog.model_validate(read_json(path))
    except ValidationError as err:
        raise InputError(problems_from_validation_error(err, path)) from None
