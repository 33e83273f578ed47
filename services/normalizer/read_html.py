"""HTML → lines: the main content of a gov-CMS page, tables kept as ` | ` rows."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from services.normalizer.rows import Extracted, cell_text, render_row

# Content containers of the common gov CMSs (TRS, UCAP, 大汉, 拓尔思), most specific first.
CONTENT_SELECTORS = (
    "#zoom", ".TRS_Editor", ".TRS_UEDITOR", "#UCAP-CONTENT", ".article-content", ".pages_content",
    "#Zoom", ".zoom", "#content", ".content", "#article", "article", ".article", ".main-content",
)  # fmt: skip
_MIN_CONTENT_CHARS = 50
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "object", "select", "button")
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "aside",
        "header",
        "footer",
        "nav",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "form",
        "center",
        "address",
        "figure",
        "figcaption",
        "hr",
        "tr",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "caption",
    ]
)
_LAYOUT_CELL_CHARS = 300  # a data-table cell never holds this much; a layout cell does
_SCORED_TAGS = ("div", "td", "article", "section", "main")
_INLINE_WS = re.compile(r"[ \t\r\n\f]+")
_TITLE_SPLIT = re.compile(r"\s*(?:[_|–—]|-{1,2})\s*")
_REPORT_WORD = re.compile("报告|報告|年报|年報")


class _Lines:
    """Accumulates inline text and closes a line at every block boundary."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._buf: list[str] = []

    def add(self, text: str) -> None:
        self._buf.append(text)

    def close(self) -> None:
        line = "".join(self._buf).strip()
        self._buf.clear()
        if line:
            self.lines.append(line)


def _is_layout_table(table: LexborNode) -> bool:
    """Tables used for page layout are walked as blocks, not flattened into one giant row."""
    # css() also matches `table` itself (and selectors see ancestors outside it): compare identities
    if any(inner.mem_id != table.mem_id for inner in table.css("table")):
        return True
    return any(len(c.text(strip=True)) > _LAYOUT_CELL_CHARS for c in table.css("td, th"))


def _rows(table: LexborNode) -> list[list[LexborNode]]:
    return [[c for c in tr.iter() if c.tag in ("td", "th")] for tr in table.css("tr")]


def _walk(node: LexborNode, out: _Lines) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            out.add(_INLINE_WS.sub(" ", child.text(deep=False)))
        elif tag == "br":
            out.close()
        elif tag == "table" and not _is_layout_table(child):
            out.close()
            for cells in _rows(child):
                texts = [cell_text(c.text(separator=" ")) for c in cells]
                if any(texts):
                    out.lines.append(render_row(texts))
        elif tag in _BLOCK_TAGS or tag in ("td", "th"):
            out.close()
            _walk(child, out)
            out.close()
        elif tag not in ("-comment", "head", "title"):
            _walk(child, out)


def render(node: LexborNode) -> str:
    out = _Lines()
    _walk(node, out)
    out.close()
    return "\n".join(out.lines)


def _own_text_score(node: LexborNode) -> int:
    """Text held by a node's direct children: dense in the article body, sparse in navigation."""
    score = 0
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            score += len(child.text(deep=False).strip())
        elif child.tag in ("p", "span", "font", "strong", "b", "table", "h1", "h2", "h3", "h4", "ul", "ol"):
            score += len(child.text(strip=True))
    return score


def main_content(body: LexborNode) -> LexborNode:
    """The CMS content container, else the densest text block, else the body."""
    for selector in CONTENT_SELECTORS:
        node = body.css_first(selector)
        if node is not None and len(node.text(strip=True)) >= _MIN_CONTENT_CHARS:
            return node
    best = max(body.css(", ".join(_SCORED_TAGS)), key=_own_text_score, default=None)
    if best is not None and _own_text_score(best) >= _MIN_CONTENT_CHARS:
        return best
    return body


def page_title(tree: LexborHTMLParser) -> str | None:
    """Title as the CMS states it: the ArticleTitle meta, the first h1 or a part of <title> (the site
    name stands before or after it), the first of them that names a report; else the first one."""
    candidates: list[str] = []
    meta = tree.css_first('meta[name="ArticleTitle"], meta[name="articletitle"], meta[property="og:title"]')
    if meta is not None and (content := (meta.attributes.get("content") or "").strip()):
        candidates.append(content)
    for selector in ("h1", "title"):
        node = tree.css_first(selector)
        if node is not None and (text := cell_text(node.text())):
            candidates += [text] if selector == "h1" else _TITLE_SPLIT.split(text)
    return next((c for c in candidates if _REPORT_WORD.search(c)), candidates[0] if candidates else None)


def html_to_text(markup: str) -> Extracted:
    """Main content as lines; the whole page goes to `aside` so metadata can read 发布日期 etc."""
    tree = LexborHTMLParser(markup)
    title = page_title(tree)
    tree.strip_tags(list(_DROP_TAGS))
    body = tree.body or tree.root
    if body is None:
        return Extracted(text="", title=title)
    content = main_content(body)
    text = render(content)
    aside = render(body) if content is not body else ""
    return Extracted(text=text, title=title, aside=aside)
