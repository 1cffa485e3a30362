"""Rendering results: a readable table, JSON, Markdown (CI step summaries) and JUnit XML."""

import re
from collections.abc import Callable
from enum import StrEnum

from claimbench.models import Layer
from claimbench.reporting.gates import HEADLINE_MEASURES
from claimbench.reporting.results import Results
from claimbench.scoring.scores import Figure

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


class OutputFormat(StrEnum):
    """The formats of `--format` and `--report FORMAT=FILE`."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    JUNIT = "junit"


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def _interval(figure: Figure | None) -> str:
    if figure is None or figure.low is None or figure.high is None:
        return ""
    return f"[{figure.low:.4f}, {figure.high:.4f}]"


NOT_ANNOTATED = "not annotated"
"""What a report shows for a layer the gold does not annotate (not in the overall score)."""


def _rows(results: Results) -> list[tuple[str, ...]]:
    headline, layers = results.headline, results.scores.layers
    rows = [
        (layer.value, NOT_ANNOTATED, "", "", "")
        if layer in layers and not layers[layer].annotated
        else (
            layer.value,
            *(_figure(headline.get(f"{layer.value}.{m}")) for m in HEADLINE_MEASURES),
            _interval(layers[layer].f1 if layer in layers else None),
        )
        for layer in Layer
    ]
    overall = ("overall", _figure(headline.get("overall")), "", "")
    return [*rows, (*overall, _interval(results.scores.overall)), *_claim_rows(results)]


def _claim_rows(results: Results) -> list[tuple[str, ...]]:
    """The claims figures, when they were scored (after `overall`, which they are not part of)."""
    if results.claims is None:
        return []
    claims = results.claims
    named = (
        ("claims (value)", claims.value),
        ("claims (value+source)", claims.source),
        ("slots (links)", claims.links),
        ("slots (contradictions)", claims.contradictions),
    )
    return [
        (name, _figure(f.f1.value), _figure(f.precision), _figure(f.recall), _interval(f.f1))
        for name, f in named
    ]


def _title(results: Results) -> str:
    plugin, data = results.provenance.plugin, results.provenance.data
    return (
        f"{plugin.name} {plugin.version} ({plugin.kind}) on {data.corpus_name} "
        f"{data.corpus_version}, {results.documents} documents"
    )


def render_table(results: Results) -> str:
    """A plain-text report for the terminal.

    Examples
    --------
    `claimbench evaluate PLUGIN` prints it; `--report table=FILE` writes it.
    """
    header = ("layer", "F1", "precision", "recall", "F1 95% interval")
    rows = [header, *_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [f"claimbench results: {_title(results)}", ""]
    for row in rows:
        cells = [row[0].ljust(widths[0]), *(row[i].rjust(widths[i]) for i in range(1, 5))]
        lines.append("  ".join(cells).rstrip())
    if results.failures:
        lines += ["", f"failed documents: {len(results.failures)} of {results.documents}"]
        lines += [f"  {failure}" for failure in results.failures]
    if results.gates:
        lines += ["", "gates:"]
        lines += [
            f"  {'PASS' if gate.passed else 'FAIL'}  {gate.name}: {gate.message}"
            for gate in results.gates
        ]
    return "\n".join(lines) + "\n"


def render_json(results: Results) -> str:
    """The results as JSON (the schema `gold/schema/results.schema.json`).

    pydantic's serializer writes the bytes `dump_json(results.model_dump(mode="json"))` would
    (two-space indent, non-ASCII kept), without building the dictionaries in Python first: on
    the megabytes of a large corpus's per-document figures it is several times faster.
    """
    return results.model_dump_json(indent=2) + "\n"


def escape_markdown(text: str) -> str:
    """`text` safe inside Markdown, table cells included: specials escaped, one line.

    Examples
    --------
    >>> print(escape_markdown("a | b\\n  *c*"))
    a \\| b \\*c\\*
    """
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def render_markdown(results: Results) -> str:
    """A Markdown summary for `$GITHUB_STEP_SUMMARY`: scores, gates, failures, provenance.

    Examples
    --------
    `claimbench evaluate PLUGIN --format markdown >> "$GITHUB_STEP_SUMMARY"`
    """
    lines = [f"## claimbench: {escape_markdown(_title(results))}", ""]
    lines += ["| layer | F1 | precision | recall | F1 95% interval |"]
    lines += ["| --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {' | '.join(row)} |" for row in _rows(results)]
    if results.gates:
        verdict = "all passed" if results.gates_passed else "**failed**"
        lines += ["", f"### Gates: {verdict}", "", "| | gate | detail |", "| --- | --- | --- |"]
        lines += [
            f"| {'✅' if g.passed else '❌'} | {escape_markdown(g.name)} | "
            f"{escape_markdown(g.message)} |"
            for g in results.gates
        ]
    if results.failures:
        lines += ["", f"### Failed documents: {len(results.failures)} of {results.documents}"]
        lines += ["", "| document | cause | message |", "| --- | --- | --- |"]
        lines += [
            f"| {escape_markdown(f.doc_id)} | {f.cause.value} | {escape_markdown(f.message)} |"
            for f in results.failures
        ]
    lines += ["", "<details><summary>Provenance</summary>", "", *_provenance_lines(results)]
    lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def _provenance_lines(results: Results) -> list[str]:
    p = results.provenance
    commit = p.git.commit or "not a git checkout"
    dirty = " (uncommitted changes)" if p.git.dirty else ""
    packages = ", ".join(f"{name} {version}" for name, version in p.packages.items())
    return [
        f"- claimbench {escape_markdown(p.claimbench_version)}, commit `{commit}`{dirty}",
        f"- corpus {escape_markdown(p.data.corpus_name)} "
        f"{escape_markdown(p.data.corpus_version)}: `{p.data.corpus_sha256}`",
        f"- gold{_gold_name(p.data.gold_name, p.data.gold_version)}: "
        f"`{p.data.gold_sha256 or 'not used'}`",
        f"- plugin {escape_markdown(p.plugin.name)} {escape_markdown(p.plugin.version)} "
        f"({p.plugin.kind}), config `{p.plugin.config_hash[:16]}`",
        f"- Python {p.python} on {escape_markdown(p.platform)}; {escape_markdown(packages)}",
        f"- started {p.started_at.isoformat()}, took {p.duration_seconds:.2f} s",
    ]


def render_junit(results: Results) -> str:
    """JUnit XML with one test case per gate (an empty suite when no gate was asked for).

    Examples
    --------
    `claimbench evaluate PLUGIN --fail-under overall=0.6 --report junit=gates.xml`
    """
    # Imported here: the XML package costs more to import than the other formats take to
    # render, and only a JUnit report needs it.
    import xml.etree.ElementTree as ET

    failed = sum(not gate.passed for gate in results.gates)
    suite = ET.Element(
        "testsuite",
        name="claimbench",
        tests=str(len(results.gates)),
        failures=str(failed),
        errors="0",
        time=f"{results.provenance.duration_seconds:.3f}",
        timestamp=results.provenance.started_at.isoformat(),
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in _junit_properties(results).items():
        ET.SubElement(properties, "property", name=name, value=_xml_text(value))
    for gate in results.gates:
        case = ET.SubElement(suite, "testcase", classname="claimbench.gates", name=gate.name)
        if not gate.passed:
            failure = ET.SubElement(
                case, "failure", message=_xml_text(gate.message), type=gate.kind.value
            )
            failure.text = _xml_text(gate.message)
    ET.SubElement(suite, "system-out").text = _xml_text(render_table(results))
    root = ET.Element("testsuites", name="claimbench")
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _gold_name(name: str | None, version: str | None) -> str:
    """` NAME VERSION` of a gold with a manifest, escaped; empty without one."""
    if name is None:
        return ""
    return f" {escape_markdown(name)} {escape_markdown(version or '')}".rstrip()


def _junit_properties(results: Results) -> dict[str, str]:
    p = results.provenance
    return {
        "claimbench.version": p.claimbench_version,
        "git.commit": p.git.commit or "",
        "corpus.sha256": p.data.corpus_sha256,
        "gold.sha256": p.data.gold_sha256 or "",
        "gold.version": p.data.gold_version or "",
        "plugin": f"{p.plugin.name} {p.plugin.version}",
        "plugin.config_hash": p.plugin.config_hash,
        "failed_documents": str(len(results.failures)),
    }


def _xml_text(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


RENDERERS: dict[OutputFormat, Callable[[Results], str]] = {
    OutputFormat.TABLE: render_table,
    OutputFormat.JSON: render_json,
    OutputFormat.MARKDOWN: render_markdown,
    OutputFormat.JUNIT: render_junit,
}


def render(results: Results, output_format: OutputFormat | str) -> str:
    """`results` in `output_format` (table, json, markdown or junit).

    Examples
    --------
    `render(results, "markdown")` is what `--format markdown` prints.
    """
    return RENDERERS[OutputFormat(output_format)](results)
