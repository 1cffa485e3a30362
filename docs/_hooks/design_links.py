"""MkDocs hook: every "DESIGN §N" (or "DESIGN.md §N") in a page, docstrings included, becomes a
link to section N of the design page; a section that does not exist is a warning, which
`mkdocs build --strict` turns into an error.

Docstrings and gold documents keep the plain words, readable in a terminal and on a code host;
the site makes them links. The rewrite works on the rendered HTML, after mkdocstrings has put
the docstrings in, and never inside an existing link or a tag.
"""

import logging
import re
from pathlib import Path

from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

DESIGN_PAGE = "explanation/design.md"
REFERENCE = re.compile(r"\bDESIGN(?:\.md)?(?: §(\d+))?")
ANCHOR = re.compile(r"\{#design-(\d+)\}")
TAG = re.compile(r"(<[^>]+>)")
log = logging.getLogger("mkdocs.hooks.design_links")


def design_sections(docs_dir: Path) -> set[str]:
    """The section numbers the design page gives anchors to (`{#design-N}`).

    Parameters
    ----------
    docs_dir:
        The site's source folder.

    Returns
    -------
    set of str
        "1", "2", ...

    Examples
    --------
    >>> sorted(design_sections(Path(__file__).parents[1]), key=int)[:3]
    ['1', '2', '3']
    """
    return set(ANCHOR.findall((docs_dir / DESIGN_PAGE).read_text(encoding="utf-8")))


def link_references(html: str, page_url: str, design_url: str, sections: set[str]) -> str:
    """`html` with each design reference outside a link or tag made a link to its section.

    Parameters
    ----------
    html:
        A rendered page.
    page_url, design_url:
        The site URLs of the page and of the design page.
    sections:
        The design page's section numbers; a reference to another is logged as a warning.

    Returns
    -------
    str
        The page with its references linked.

    Examples
    --------
    >>> link_references("<p>As DESIGN §7 says.</p>", "reference/api/", "explanation/design/", {"7"})
    '<p>As <a href="../../explanation/design/#design-7">DESIGN §7</a> says.</p>'
    >>> link_references('<a href="x">DESIGN §7</a>', "a/", "explanation/design/", {"7"})
    '<a href="x">DESIGN §7</a>'
    """
    href = get_relative_url(design_url, page_url)
    parts = TAG.split(html)
    inside_link = False
    for index, part in enumerate(parts):
        if part.startswith("<"):
            if re.match(r"<a[\s>]", part):
                inside_link = True
            elif part.startswith("</a"):
                inside_link = False
            continue
        if not inside_link:
            parts[index] = REFERENCE.sub(lambda m: _link(m, href, sections, page_url), part)
    return "".join(parts)


def _link(match: re.Match, href: str, sections: set[str], page_url: str) -> str:
    """The link for one reference; a section the design page lacks stays text, with a warning
    (an error under `--strict`)."""
    section = match.group(1)
    if section is None:
        return f'<a href="{href}">{match.group(0)}</a>'
    if section not in sections:
        log.warning("%s: %r has no section %s on the design page", page_url, match[0], section)
        return match.group(0)
    return f'<a href="{href}#design-{section}">{match.group(0)}</a>'


def on_page_content(html: str, page: Page, config, files) -> str:
    """Link the design references of one rendered page."""
    design = files.get_file_from_path(DESIGN_PAGE)
    if design is None or page.file.src_uri == DESIGN_PAGE:
        return html
    sections = design_sections(Path(config["docs_dir"]))
    return link_references(html, page.url, design.url, sections)
