"""Offsets stay exact whatever characters a client sends: the seed articles, rewritten the ways
real input differs (line ends, spaces, invisible and combining characters, emoji, markup), go
through the pipeline and every offset and quoted piece of the result is checked
(tests/result_checks.py)."""

from __future__ import annotations

import re
import unicodedata

import pytest

from tests.conftest import DANISH_SEED, SEEDS, load_seed
from tests.result_checks import check_danish_seed, check_result
from worker.pipeline.analyze import analyze_article

ENGLISH_SEED = next(p for p in SEEDS if p.name == "en-ecb-rates.json")


def every_other_space(text: str, replacement: str) -> str:
    """Each second space of `text` replaced."""
    parts = text.split(" ")
    return "".join(part + (replacement if i % 2 == 0 else " ") for i, part in enumerate(parts[:-1])) + parts[-1]


def inside_names(text: str, mark: str) -> str:
    """`mark` in the middle of every capitalised word of four letters or more."""
    return re.sub(r"\b[A-ZÆØÅ]\w{3,}", lambda m: m[0][: len(m[0]) // 2] + mark + m[0][len(m[0]) // 2 :], text)


# Whitespace a text may have between words besides single spaces.
SPACINGS = {
    "double-spaces": "  ",
    "tabs": "\t",
    "no-break-spaces": "\u00a0",
    "narrow-no-break-spaces": "\u202f",
    "thin-spaces": "\u2009",
    "ideographic-spaces": "\u3000",
    "line-separators-between-words": "\u2028",
}

# name -> how the text is rewritten
TEXT_VARIANTS = {
    **{name: (lambda t, space=space: every_other_space(t, space)) for name, space in SPACINGS.items()},
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "nfd": lambda t: unicodedata.normalize("NFD", "Zoé Müller fra Ærø besøgte Malmö. " + t),
    "combining-in-names": lambda t: inside_names(t, "\u0301"),
    "soft-hyphens-in-names": lambda t: inside_names(t, "\u00ad"),
    "zero-width-joiners-in-names": lambda t: inside_names(t, "\u200d"),
    "emoji-between-words": lambda t: every_other_space(t, " \U0001f600 "),
    "emoji-before-stops": lambda t: re.sub(r"(\w)([.,])", "\\1\U0001f600\\2", t),
    "astral-characters": lambda t: "\U00020b9f\U0001d400 " + t.replace(". ", ". \U00020b9f\U0001d400 \U0001f1e9\U0001f1f0 ", 5),
    "right-to-left": lambda t: t.replace(". ", ". مرحبا بالعالم שלום עולם. ", 4),
    "very-long-word": lambda t: t.replace(". ", ". " + "x" * 30_000 + " ", 1),
    "html": lambda t: "<p>" + t.replace("\n\n", "</p>\n\n<p>").replace(" og ", " &amp; ").replace(" and ", " &amp; ") + "</p>",
    "tags-around-names": lambda t: re.sub(r"\b([A-ZÆØÅ]\w+)", r"<b>\1</b>", t, count=20),
    "line-separators": lambda t: t.replace("\n\n", "\u2029").replace("\n", "\u2028"),
    "form-feeds": lambda t: t.replace("\n\n", "\n\x0c\n"),
    "fullwidth-stops": lambda t: t.replace(".", "\uff0e", 5),
    "whitespace-around": lambda t: "  \n\t " + t + " \n\u00a0\u3000 ",
}

TITLE_VARIANTS = {
    "title-with-line-breaks": lambda t: t + "\nmed Vladimir Putin\r\nog Kim Jong-un",
    "title-with-emoji": lambda t: "\U0001f600 " + t + " \U0001f1e9\U0001f1f0",
    "title-nfd": lambda t: unicodedata.normalize("NFD", "Zoé Müller i Malmö: " + t),
}

SEED_ARTICLES = {"da": load_seed(DANISH_SEED), "en": load_seed(ENGLISH_SEED)}


@pytest.mark.parametrize("seed", sorted(SEED_ARTICLES))
@pytest.mark.parametrize("variant", sorted(TEXT_VARIANTS))
def test_offsets_are_exact_in_rewritten_texts(variant, seed):
    article = SEED_ARTICLES[seed] | {"text": TEXT_VARIANTS[variant](SEED_ARTICLES[seed]["text"])}
    check_result(article, analyze_article(article))


@pytest.mark.parametrize("spacing", sorted(SPACINGS))
def test_spacing_leaves_the_danish_seeds_entities_as_they_are(spacing):
    article = SEED_ARTICLES["da"] | {"text": every_other_space(SEED_ARTICLES["da"]["text"], SPACINGS[spacing])}
    check_danish_seed(analyze_article(article))


@pytest.mark.parametrize("seed", sorted(SEED_ARTICLES))
@pytest.mark.parametrize("variant", sorted(TITLE_VARIANTS))
def test_title_offsets_are_exact_in_rewritten_titles(variant, seed):
    title = SEED_ARTICLES[seed].get("title") or "Putin mødes med Kim Jong-un"
    article = SEED_ARTICLES[seed] | {"title": TITLE_VARIANTS[variant](title)}
    check_result(article, analyze_article(article))


@pytest.mark.parametrize("text", [
    "...!!!???", "— – - * * *", "\U0001f600\U0001f600\U0001f600", "«»„“", "x", "e\u0301", "a" * 50_000,
    "A" + "." * 5_000, "Hr. Putin.", "&nbsp;&amp;", "<p></p>", "Putin" + "\u0301" * 50, "Ærø.\r\rÆrø.\r\nÆrø",
    "\t" * 100 + "Putin", "\U0001f469\u200d\U0001f469\u200d\U0001f467 Putin \U0001f469\u200d\U0001f469\u200d\U0001f467",
])
@pytest.mark.parametrize("language", ["da", "en", "auto"])
def test_offsets_are_exact_in_odd_texts(text, language):
    article = {"text": text, "title": text[:2_000], "language": language}
    check_result(article, analyze_article(article))
