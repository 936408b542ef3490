"""Language identification on news-like paragraphs."""

import pytest

from worker.pipeline.language import SUPPORTED_LANGUAGE_CODES, detect_language

PARAGRAPHS = [
    (
        "da",
        "Regeringen vil bruge 2,5 milliarder kroner på at forbedre forholdene for "
        "landets sygeplejersker. Det oplyser finansministeren i en pressemeddelelse "
        "mandag. Pengene skal blandt andet gå til højere løn og flere uddannelsespladser.",
    ),
    (
        "nb",
        "Regjeringen vil bruke 2,5 milliarder kroner på å bedre forholdene for "
        "landets sykepleiere. Det opplyser finansministeren i en pressemelding "
        "mandag. Pengene skal blant annet gå til høyere lønn og flere studieplasser.",
    ),
    (
        "sv",
        "Regeringen vill satsa 2,5 miljarder kronor på att förbättra villkoren för "
        "landets sjuksköterskor. Det meddelar finansministern i ett pressmeddelande "
        "på måndagen. Pengarna ska bland annat gå till högre löner och fler utbildningsplatser.",
    ),
    (
        "en",
        "The government will spend 2.5 billion kroner on improving conditions for the "
        "country's nurses, the finance minister said in a statement on Monday.",
    ),
    (
        "de",
        "Die Regierung will 2,5 Milliarden Kronen ausgeben, um die Bedingungen für "
        "die Pflegekräfte des Landes zu verbessern, teilte der Finanzminister am Montag mit.",
    ),
    ("ru", "Правительство потратит 2,5 миллиарда крон на улучшение условий для медсестёр."),
    ("ja", "政府は看護師の労働条件を改善するために25億クローネを支出すると発表した。"),
]


@pytest.mark.parametrize(("expected", "text"), PARAGRAPHS)
def test_detects_language_of_news_paragraph(expected, text):
    code, confidence = detect_language(text)
    assert code == expected
    assert 0.5 < confidence <= 1.0


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        ("da", "Statsministeren har indkaldt partierne til forhandlinger om en ny klimaaftale."),
        ("nb", "Statsministeren har kalt inn partiene til forhandlinger om en ny klimaavtale."),
        ("sv", "Statsministern har kallat partierna till förhandlingar om en ny klimatöverenskommelse."),
    ],
)
def test_separates_scandinavian_languages_in_single_sentence(expected, text):
    assert detect_language(text)[0] == expected


@pytest.mark.parametrize("text", ["", "   ", "12345 67,89", "!!! ??? ...", "ab", "\n\n\n"])
def test_too_little_text_is_undetermined(text):
    assert detect_language(text) == ("und", 0.0)


def test_only_prefix_of_huge_text_decides():
    # A Danish opening followed by megabytes of English: the prefix wins.
    danish = PARAGRAPHS[0][1] * 12
    english = PARAGRAPHS[3][1] * 10_000
    assert len(danish) > 2000
    assert detect_language(danish + " " + english)[0] == "da"


def test_detected_codes_are_supported_iso_codes():
    assert {"da", "en", "nb", "sv", "de", "zh", "ar"} <= SUPPORTED_LANGUAGE_CODES
    assert all(len(code) == 2 and code.islower() for code in SUPPORTED_LANGUAGE_CODES)
    for _, text in PARAGRAPHS:
        assert detect_language(text)[0] in SUPPORTED_LANGUAGE_CODES
