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


# Languages of the press beyond the first twenty: each came back as one of those, most with
# confidence 1.0 (Hungarian as Swedish, Vietnamese and Albanian as Danish), or, in a script of its
# own, as undetermined.
OTHER_PARAGRAPHS = [
    ("hu", "A kormány szerdán bejelentette, hogy jövőre emelik a nyugdíjakat. A pénzügyminiszter szerint "
           "a költségvetés elbírja a kiadást. Az ellenzék szerint az intézkedés nem elég."),
    ("vi", "Chính phủ Việt Nam hôm thứ Hai đã công bố kế hoạch phát triển năng lượng tái tạo. "
           "Bộ trưởng Bộ Công Thương cho biết điện gió sẽ được ưu tiên."),
    ("sq", "Qeveria njoftoi të mërkurën se pensionet do të rriten vitin e ardhshëm. Ministri i financave "
           "tha se buxheti mund ta përballojë shpenzimin. Opozita thotë se masa nuk mjafton."),
    ("cs", "Vláda ve středu schválila nový rozpočet na příští rok. Ministr financí uvedl, že schodek bude "
           "nižší než letos. Opozice plán ostře kritizovala."),
    ("is", "Ríkisstjórnin tilkynnti á miðvikudag að eftirlaun hækki á næsta ári. "
           "Fjármálaráðherra sagði að fjárlögin gætu borið kostnaðinn."),
    ("ca", "El govern català ha aprovat aquest dimarts un nou pla contra la sequera. La consellera ha "
           "explicat que les restriccions d'aigua s'allargaran fins a l'estiu."),
    ("fa", "دولت ایران روز دوشنبه اعلام کرد که قیمت بنزین افزایش نخواهد یافت. وزیر نفت گفت ذخایر سوخت کشور کافی است."),
    ("he", "משרד התחבורה הודיע ביום ראשון על תוספת רכבות בקו בין תל אביב לירושלים. "
           "לפי ההודעה, הרכבות ייצאו כל עשרים דקות בשעות העומס."),
    ("hi", "राजधानी दिल्ली में सोमवार को वायु गुणवत्ता गंभीर श्रेणी में पहुंच गई। सरकार ने निर्माण कार्यों पर रोक लगा दी है।"),
    ("th", "ฝนตกหนักต่อเนื่องทำให้เกิดน้ำท่วมในจังหวัดเชียงใหม่และเชียงราย ประชาชนกว่าหนึ่งหมื่นครัวเรือนได้รับผลกระทบ"),
]


@pytest.mark.parametrize(("expected", "text"), OTHER_PARAGRAPHS, ids=[code for code, _ in OTHER_PARAGRAPHS])
def test_detects_languages_beyond_the_first_twenty(expected, text):
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
