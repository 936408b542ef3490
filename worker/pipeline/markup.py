"""HTML's and markdown's marks, read as what they stand for in the text the analysis reads
(`characters.as_read`): a tag or a link's address as spaces, or as a line end where it begins a
block, or as nothing inside a word. Clients send articles as the HTML or markdown their CMS holds;
read as text, the marks stuck to names ("Kuwait Airways.</p", "**Mette Frederiksen**"). And a
list item's mark, which the entities read as a space (`without_list_marks`).
Every function here keeps the text's length: each mark is read as as many characters.
"""

from __future__ import annotations

import re

# What a mark inside a word is read as, for `characters.read_text` to leave out: a character of
# the Private Use Area, which means nothing to the analysis (a soft hyphen after "é" read as a
# byte of UTF-8 read as Latin-1: "Dauphiné**," had been read as "Dauphin魭,").
NOTHING = "\ue000"


# Markdown that can only be markdown: a link ("[Novo Nordisk](https://...)": its brackets and
# address), strong emphasis hugging its words ("**Lars Løkke Rasmussen**"; not "__", which
# names hold: "x__y"), and a heading's marks at a line's start ("## Baggrund").
_MARKDOWN = re.compile(r"\[(?=[^\[\]\n]+\]\((?:https?://|/)[^()\s]*\))|\]\((?:https?://|/)[^()\s]*\)"
                       r"|\*\*(?=[^\s*])|(?<=[^\s*])\*\*|^#{1,6} ", re.MULTILINE)


def without_markdown(text: str) -> str:
    """Markdown's marks (`_MARKDOWN`) read as spaces, or inside a word as nothing (see
    `_inside_word`): sent as markdown, with its names in links or in bold, 1,227 and 926 of 1,250
    sample articles had changed their entity groups."""
    if not ("](" in text or "**" in text or "#" in text):
        return text
    return _MARKDOWN.sub(lambda mark: _inside_word(text, mark), text)


def _inside_word(text: str, mark: re.Match) -> str:
    """A mark read as `NOTHING`, which `read_text` leaves out, where it has no space on either
    side ("[Novo Nordisk](/novo)s", "**Sult**."), else as spaces."""
    inside = 0 < mark.start() and mark.end() < len(text) and not (text[mark.start() - 1].isspace()
                                                                    or text[mark.end()].isspace())
    return (NOTHING if inside else " ") * len(mark.group())


# A list item's mark: a bullet, or markdown's "*", at a line's start and before a space. Not a
# dash, which opens a line of dialogue in Danish news, and the model knows it there.
LIST_MARKS = "•◦▪▫‣●○■□►▶➢✓✔·∙*"
_LIST_MARK = re.compile(rf"^([^\S\n]*)[{LIST_MARKS}](?=[^\S\n])", re.MULTILINE)


def without_list_marks(text: str) -> str:
    """Each list item's mark (`_LIST_MARK`) read as a space. For the entities only: the summary
    reads an item as one (sentences.py, clean.py) and quotes items only when nothing else is left.
    Before a mark the rules did not see a sentence start: with a bullet before each paragraph,
    326 of the 1,250 sample articles had changed their groups ("• Ifølge Berlingske" named
    "Ifølge Berlingske", "• Politiet" named "Politiet")."""
    if not _LIST_MARK.search(text):
        return text
    return _LIST_MARK.sub(lambda mark: mark.group(1) + " ", text)


# HTML elements by name, so that "<Ritzau>" or "a <b" in plain text is no tag; those that begin
# a block of their own begin a line.
_INLINE_ELEMENTS = "a abbr b big cite code em font i img ins kbd mark q s small span strike strong sub sup time u"
_BLOCK_ELEMENTS = ("address article aside blockquote br caption center dd div dl dt figcaption figure footer form h1 "
                   "h2 h3 h4 h5 h6 header hr iframe li main nav ol p picture pre section source table tbody td tfoot "
                   "th thead tr ul video")
# A tag ends at the first ">" and holds no "<", so no match looks further than the next tag.
_TAG = re.compile(rf"</?(?:({'|'.join(_BLOCK_ELEMENTS.split())})|{'|'.join(_INLINE_ELEMENTS.split())})"
                  r"(?:\s[^<>]*)?/?>", re.IGNORECASE)
# A comment, and a script or style with its code, which is no text: what opens each, and what ends it.
_HIDDEN = re.compile(r"<!--|<(script|style)\b", re.IGNORECASE)


def without_markup(text: str) -> str:
    """HTML tags and comments read as spaces, a block element's tags as a line end and spaces:
    sent as HTML, an article had named groups "Kuwait Airways.</p" and "Agnete Schlichtkrull</p".
    An inline element's tag inside a word ("<a>Novo Nordisk</a>s", "<b>Jong</b>-un") is read as
    nothing (`_inside_word`): the word is read whole."""
    if "<" not in text:
        return text

    text = _TAG.sub(lambda tag: "\n".ljust(len(tag.group())) if tag.group(1) else _inside_word(text, tag), text)
    pieces, last = [], 0
    for start, end, block in _hidden(text):
        pieces += [text[last:start], ("\n" if block else " ").ljust(end - start)]
        last = end
    return "".join(pieces) + text[last:]


def _hidden(text: str) -> list[tuple[int, int, bool]]:
    """Where each comment and each script or style element (a block) starts and ends. One pass:
    an opening nothing closes is left as it is, and the search for its end stops at the last
    closing."""
    lower = text.lower()
    last = {None: lower.rfind("-->"), "script": lower.rfind("</script"), "style": lower.rfind("</style")}
    spans, at = [], 0
    while (opening := _HIDDEN.search(lower, at)) is not None:
        kind = opening.group(1)
        closing = "-->" if kind is None else f"</{kind}"
        end = lower.find(closing, opening.end(), last[kind] + len(closing)) if last[kind] >= opening.end() else -1
        if end < 0:
            at = opening.end()
            continue
        end = lower.find(">", end) + 1 if kind else end + len(closing)
        spans.append((opening.start(), end, kind is not None))
        at = end
    return spans
