"""News cleaning: every rule on Danish and English snippets, offsets untouched."""

import pytest

from worker.pipeline.clean import (content_sentences, elsewhere_spans, noise_spans, sentence_flags,
                                   without_opening_boilerplate, without_site_name)
from worker.pipeline.sentences import split_sentences
from worker.pipeline.summarize import summarize


def flagged(text, language):
    """(flag, sentence text) pairs, checking offsets on the way."""
    sentences = split_sentences(text, language)
    for s in sentences:
        assert text[s.start : s.end] == s.text
    return list(zip(sentence_flags(text, sentences, language), [s.text for s in sentences]))


def kept(text, language):
    sentences = split_sentences(text, language)
    return [sentences[i].text for i in content_sentences(text, sentences, language)]


@pytest.mark.parametrize(
    ("language", "text", "first"),
    [
        ("en", "LONDON, England (CNN) -- Train drivers walked out on Monday. The strike is the third.",
         "Train drivers walked out on Monday."),
        ("en", "(CNN)Train drivers walked out on Monday over pay. The union said more would follow.",
         "Train drivers walked out on Monday over pay."),
        ("en", "WASHINGTON -- The Senate passed the budget bill late on Thursday. It now goes to the House.",
         "The Senate passed the budget bill late on Thursday."),
        ("da", "Bruxelles (Ritzau/AFP) - EU-landene er enige om nye regler for kunstig intelligens. "
               "Aftalen kom på plads natten til lørdag.",
         "EU-landene er enige om nye regler for kunstig intelligens."),
        ("da", "KØBENHAVN - Politiet har anholdt to mænd efter et røveri i Valby. De sigtes for vold.",
         "Politiet har anholdt to mænd efter et røveri i Valby."),
    ],
)
def test_datelines_are_cut_off_and_skipped(language, text, first):
    assert kept(text, language)[0] == first
    assert flagged(text, language)[0][0] == "noise"


def test_daily_mail_byline_and_published_stamp_are_skipped():
    text = (
        "By . Tom Parker . PUBLISHED: . 09:14 EST, 3 May 2014 . | . UPDATED: . 11:02 EST, 3 May 2014 . "
        "A council has banned ice cream vans from parking near three schools in Leeds. "
        "Parents welcomed the decision."
    )
    assert kept(text, "en") == [
        "A council has banned ice cream vans from parking near three schools in Leeds.",
        "Parents welcomed the decision.",
    ]


def test_a_danish_publication_stamp_is_skipped_with_its_time():
    text = "Tre personer blev kørt på sygehuset.\n\nPubliceret: 11. Januar 2013 05:22"
    assert flagged(text, "da") == [
        (None, "Tre personer blev kørt på sygehuset."),
        ("noise", "Publiceret: 11. Januar 2013 05:22"),
    ]
    assert kept(text, "da") == ["Tre personer blev kørt på sygehuset."]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "By Sarah Collins\nHouse prices rose by 2 per cent in March. Buyers are returning."),
        ("da", "Af Mette Holm og Jens Lund\nHuspriserne steg med 2 procent i marts. Køberne er tilbage."),
        ("da", "Af Martin Henriksen (DF) Integrationsordfører og formand for Udlændingeudvalget\n"
               "Huspriserne steg med 2 procent i marts. Køberne er tilbage."),
        ("da", "Af Peter Brandi, på vegne af Kultur- og Fritidsrådet i Hørsholm:\n"
               "Huspriserne steg med 2 procent i marts. Køberne er tilbage."),
        # An initial's full stop does not end the byline: "Simonsen..." is no sentence of its own.
        ("da", "Af Jacob H. SimonsenDirektør i Dansk Affaldsforening\n\n"
               "Huspriserne steg med 2 procent i marts. Køberne er tilbage."),
        ("en", "By Jane H. Smith\nHouse prices rose by 2 per cent in March. Buyers are returning."),
    ],
)
def test_byline_lines_are_skipped(language, text):
    assert flagged(text, language)[0][0] == "noise"
    assert len(kept(text, language)) == 2


def test_a_danish_sentence_opening_with_af_is_not_a_byline():
    text = "Af de 50 millioner kroner gik 39 til ejerne.\nAf Danmarks 98 kommuner har 40 sagt ja."
    assert [flag for flag, _ in flagged(text, "da")] == [None, None]


def test_a_hard_wrapped_danish_sentence_opening_with_af_and_a_name_is_not_a_byline():
    # The line ends without a full stop only because the text is wrapped; the sentence goes on.
    text = ("Regeringen fremlagde planen i går.\nAf Mette Frederiksens tale fremgik det, at regeringen\n"
            "vil bruge to milliarder på psykiatrien. Det glæder mange.")
    assert flagged(text, "da") == [
        (None, "Regeringen fremlagde planen i går."),
        (None, "Af Mette Frederiksens tale fremgik det, at regeringen\nvil bruge to milliarder på psykiatrien."),
        (None, "Det glæder mange."),
    ]


def test_scroll_down_for_video_is_cut_from_the_caption_and_sentence_it_is_glued_to():
    text = (
        "The coastguard rescued two teenagers from a sandbank near Whitby on Saturday. "
        "Scroll down for video Stranded: The pair waved to a passing boat from the sandbank "
        "The teenagers had walked out at low tide. They were cold but unharmed."
    )
    assert flagged(text, "en") == [
        (None, "The coastguard rescued two teenagers from a sandbank near Whitby on Saturday."),
        ("noise", "Scroll down for video"),
        ("caption", "Stranded: The pair waved to a passing boat from the sandbank"),
        (None, "The teenagers had walked out at low tide."),
        (None, "They were cold but unharmed."),
    ]


@pytest.mark.parametrize(
    ("text", "caption", "sentence"),
    [
        (
            "Firefighters tackled a blaze in Bristol overnight. Gutted: Crews at the scene of the fire "
            "on Monday morning ‘It spread very quickly,’ a neighbour said. Nobody was hurt.",
            "Gutted: Crews at the scene of the fire on Monday morning",
            "‘It spread very quickly,’ a neighbour said.",
        ),
        (
            "The actress, 41, arrived at the premiere with her husband. Jane Doe (left) and her husband "
            "John Doe (right) at the premiere in London on Monday She wore a red gown by a British designer.",
            "Jane Doe (left) and her husband John Doe (right) at the premiere in London on Monday",
            "She wore a red gown by a British designer.",
        ),
        # Captions without a label, glued to the next sentence without a full stop.
        (
            "Rafael Nadal reached the third round in Barcelona on Wednesday. Nadal celebrates after "
            "beating his compatriot on the clay court The match lasted only 70 minutes. "
            "He meets Kei Nishikori next.",
            "Nadal celebrates after beating his compatriot on the clay court",
            "The match lasted only 70 minutes.",
        ),
        (
            "A nun was found dead at a mission in South Africa. Sister Maria (not pictured) was found in "
            "her bedroom with a towel on her face An 86-year-old nun was attacked at the weekend.",
            "Sister Maria (not pictured) was found in her bedroom with a towel on her face",
            "An 86-year-old nun was attacked at the weekend.",
        ),
        # A caption that ends in "(pictured)" or "(left)" and runs into a sentence opening with a name.
        (
            "The museum reopened on Saturday. The new east wing designed by a local architect (pictured) "
            "Visitors queued for hours to see it. Tickets are free until May.",
            "The new east wing designed by a local architect (pictured)",
            "Visitors queued for hours to see it.",
        ),
        (
            "The singer has a new label. Anna Berg poses with her sister at the launch party (right) "
            "Berg  has signed a three-album deal. It starts in June.",
            "Anna Berg poses with her sister at the launch party (right)",
            "Berg  has signed a three-album deal.",
        ),
        # Openers such as "It’s", "In" and "Not"; a caption ending in an amount.
        (
            "The council approved the plan on Monday. Residents gather outside the town hall before the "
            "vote It’s the third time the scheme has been put forward. Work starts in May.",
            "Residents gather outside the town hall before the vote",
            "It’s the third time the scheme has been put forward.",
        ),
        (
            "The charity held a concert on Friday. Fans queue outside the hall where seats were sold for $20 "
            "In total the charity raised $6,000 for the hospital. It plans another concert.",
            "Fans queue outside the hall where seats were sold for $20",
            "In total the charity raised $6,000 for the hospital.",
        ),
        (
            "The first lady opened the garden in the afternoon. Guests arrive at the annual gala in the city "
            "centre Not content with one event, she also visited a school. She left at nine.",
            "Guests arrive at the annual gala in the city centre",
            "Not content with one event, she also visited a school.",
        ),
        # A caption that runs into a quotation opening the next sentence.
        (
            "The striker scored twice on Saturday. Smith celebrates with the home fans after the win "
            "‘I’d waited a long time for this,’ he said. The club is now third.",
            "Smith celebrates with the home fans after the win",
            "‘I’d waited a long time for this,’ he said.",
        ),
        (
            "Kilmarnock named their new manager this week. The club will confirm him as permanent manager "
            "on Friday ‘It is a great honour for me,’ he said. He starts on Monday.",
            "The club will confirm him as permanent manager on Friday",
            "‘It is a great honour for me,’ he said.",
        ),
        # A quoted title inside a labelled caption belongs to the caption.
        (
            "A sailor crossed the Atlantic alone at 70. Sea legs: Her voyage is to be retold in a "
            "documentary titled ‘The Long Crossing’ The film follows her from Lisbon to Antigua. "
            "It opens in June.",
            "Sea legs: Her voyage is to be retold in a documentary titled ‘The Long Crossing’",
            "The film follows her from Lisbon to Antigua.",
        ),
    ],
)
def test_image_captions_glued_to_a_sentence_are_split_off(text, caption, sentence):
    pairs = flagged(text, "en")
    assert ("caption", caption) in pairs
    assert sentence in kept(text, "en")


# English captions glued to a sentence that opens with a word outside the fixed opener list: what
# tells the cut is in the article itself.
ENGLISH_GLUED_CAPTIONS = [
    # a function word that opens sentences
    (
        "Oxford won the boat race on Sunday. Crowds gather along the river bank to watch the crews "
        "Like last year, the race was decided in the final mile. Cambridge lead the series.",
        "Crowds gather along the river bank to watch the crews",
        "Like last year, the race was decided in the final mile.",
    ),
    # a common word the article writes in lower case elsewhere
    (
        "A fire broke out at a warehouse in Leeds on Monday. Firefighters tackle the flames at the "
        "warehouse near the ring road Video of the blaze was shared thousands of times. The video "
        "shows thick smoke over the city.",
        "Firefighters tackle the flames at the warehouse near the ring road",
        "Video of the blaze was shared thousands of times.",
    ),
    # the subject the caption named, followed by a verb
    (
        "The home side won 3-1 on Saturday. Jones celebrates his second goal with his team-mates in "
        "front of the stand Jones has now scored nine times this season. The club are fourth.",
        "Jones celebrates his second goal with his team-mates in front of the stand",
        "Jones has now scored nine times this season.",
    ),
    # ... also where the caption ends in a name of its own
    (
        "The rowers finished the race in record time. Jones lifts the trophy in front of the crowd at "
        "Hampton Court Jones said it was the best day of his career. He retires in May.",
        "Jones lifts the trophy in front of the crowd at Hampton Court",
        "Jones said it was the best day of his career.",
    ),
    # a caption ending in a quotation without a full stop
    (
        "A pensioner from Leeds has taken up salsa. Julia dances with her friends at a bar in Menorca, "
        "where she says she will ‘keep going’ Julia said the trips keep her young. She is 71.",
        "Julia dances with her friends at a bar in Menorca, where she says she will ‘keep going’",
        "Julia said the trips keep her young.",
    ),
]


@pytest.mark.parametrize(("text", "caption", "sentence"), ENGLISH_GLUED_CAPTIONS)
def test_english_captions_are_cut_where_the_article_shows_a_sentence_opens(text, caption, sentence):
    pairs = flagged(text, "en")
    assert ("caption", caption) in pairs
    assert (None, sentence) in pairs
    assert caption not in kept(text, "en")


@pytest.mark.parametrize(("text", "caption", "sentence"), ENGLISH_GLUED_CAPTIONS)
def test_the_english_caption_cues_leave_other_languages_alone(text, caption, sentence):
    assert caption not in [s.text for s in split_sentences(text, "da")]


@pytest.mark.parametrize(
    "text",
    [
        # a name after a preposition, a rank, an acronym, after a verb of saying, part of a longer name
        "Jones was booed by the fans who had sung songs about Jones when he played for them.",
        "She lost the final in straight sets to the world No 2 from Spain on Sunday.",
        "Doctors at the clinic said that the latest WHO report was published in March.",
        "The winger, who beat Jones in the sprint, admitted Jones may be faster over a long race.",
        "Promoted from League One last season, the club want to play in the Premier League again.",
        "The band played a set list chosen by Matthew Hill Now, which is their new album, came last.",
    ],
)
def test_real_english_sentences_are_not_cut_by_the_caption_cues(text):
    assert flagged(text, "en") == [(None, text)]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "But the chamber's chief told The Sydney Morning Herald there is no need for a holiday."),
        ("en", "A spokesman for the Metropolitan Police said the arrests followed a long inquiry."),
        ("en", "The game was played at the Crucible after the Daily Mail revealed his plans."),
        ("en", "She ended the letter to the court with a plea, adding 'I accept what I cannot change.'"),
        ("en", "The former champion told reporters at the club ‘We will be back next season, I promise.’"),
        ("da", "Sangeren har valgt at synge nummeret 'I need a dollar' med stor indlevelse i aften."),
        ("en", "The crowd sang along as the band played a cover of Elton John 'I'm still standing' at the end."),
        ("da", "Holland er blot nummer fire i kvalifikationsgruppe A med syv point for fem kampe."),
    ],
)
def test_capitalised_names_inside_a_sentence_are_not_taken_for_a_glued_caption(language, text):
    assert flagged(text, language) == [(None, text)]


@pytest.mark.parametrize(
    ("language", "text", "promo"),
    [
        ("da", "Forslaget skal vedtages i foråret.\n\nLÆS OGSÅ: Her er de nye regler for pension\n\n"
               "Partierne mødes igen i næste uge.", "LÆS OGSÅ: Her er de nye regler for pension"),
        ("da", "Ulven blev set ved Ringkøbing.\n\nSe video: Ulven krydser vejen\n\nJægerne er bekymrede.",
         "Se video: Ulven krydser vejen"),
        ("da", "Ministeren trak sig tirsdag.\n\nFoto: Mads Nissen/Ritzau Scanpix\n\nHun afløses af en partifælle.",
         "Foto: Mads Nissen/Ritzau Scanpix"),
        ("da", "Haarder afviste at kommentere sagen.\n\nDansk politik - 15. dec. 2016 Bertel bekræfter: Dropper sit "
               "'drømmejob'\n\nHan svarede ikke på spørgsmål.",
         "Dansk politik - 15. dec. 2016 Bertel bekræfter: Dropper sit 'drømmejob'"),
        ("da", "Magnussen kører for Haas.\n\nFormel 1 - 1 time siden Watt om Kevins nye chance: Som far så søn\n\n"
               "Sæsonen starter i marts.", "Formel 1 - 1 time siden Watt om Kevins nye chance: Som far så søn"),
        ("en", "The club confirmed the signing on Friday.\nREAD MORE: Five things we learned from the derby\n"
               "The striker joins on a three-year deal.", "READ MORE: Five things we learned from the derby"),
        # The site's calls to follow, like or share it.
        ("da", "Ulven blev set ved Ringkøbing.\n\nFølg os på Facebook og Twitter: @avisen\n\nJægerne er bekymrede.",
         "Følg os på Facebook og Twitter: @avisen"),
        ("da", "Ulven blev set ved Ringkøbing.\n\nDel artiklen på Facebook\n\nJægerne er bekymrede.",
         "Del artiklen på Facebook"),
        ("en", "The club confirmed the signing on Friday.\nFollow us on Twitter @SportsmailFC\n"
               "The striker joins on a three-year deal.", "Follow us on Twitter @SportsmailFC"),
        ("en", "The club confirmed the signing on Friday.\nSign up for our daily newsletter here\n"
               "The striker joins on a three-year deal.", "Sign up for our daily newsletter here"),
    ],
)
def test_promo_and_credit_lines_are_skipped(language, text, promo):
    assert ("noise", promo) in flagged(text, language)
    assert promo not in kept(text, language)


@pytest.mark.parametrize(("language", "embed"), [
    ("da", "Sikke en dag i dag. Tak for opbakningen! pic.twitter.com/Ab3xYz12 — Lars Hansen (@lhansen) 5. marts 2019"),
    ("en", "What a day. Thanks for all the support! pic.twitter.com/Ab3xYz12 — Lars Hansen (@lhansen) March 5, 2019"),
    ("en", "A photo posted by Andrea Elisabeth Rudolph (@andrearudolph) on Oct 16, 2016 at 11:21pm PDT"),
    ("da", "Et opslag delt af Sahar Tabar (@sahartabar_official) den 5. Nov 2017 kl. 4:42 PST"),
])
def test_an_embedded_social_post_is_skipped_but_its_names_stay(language, embed):
    text = f"Hun fik en datter i går.\n\n{embed}\n\nDet var en stor dag for hele familien."
    assert kept(text, language) == ["Hun fik en datter i går.", "Det var en stor dag for hele familien."]
    assert elsewhere_spans(text) == []
    # A line that quotes someone with a handle is no post.
    text = "- Det er en stor dag, siger Lars Hansen (@lhansen) til avisen.\n\nHun fik en datter i 2019."
    assert kept(text, language) == ["- Det er en stor dag, siger Lars Hansen (@lhansen) til avisen.",
                                    "Hun fik en datter i 2019."]


def test_a_journalists_byline_is_elsewhere_but_an_opinion_pieces_author_is_not():
    journalists, english = "Af Michael Lund og Knud Brix, milu@avisen.dk", "By Jane Smith, Reuters"
    for byline, elsewhere in ((journalists, [journalists]), (english, [english]),
                              ("Af Søren Rømer, Spidskandidat for Liberal Alliance", [])):
        text = f"{byline}\n\nRegeringen vil bygge nye sygehuse. Det koster milliarder."
        assert [text[start:end] for start, end in elsewhere_spans(text)] == elsewhere


def test_the_boilerplate_opening_a_text_reads_as_spaces_and_line_breaks_for_the_tagger():
    stamp, byline = "Publiceret 12. marts 2019 kl. 14.05 | Opdateret 13. marts 2019 kl. 09.12", "By Jane Smith, Reuters"
    body = "Regeringen vil bygge nye sygehuse.\n\nLÆS OGSÅ: Nye sygehuse i Aarhus\n\nDet koster milliarder."
    for opening in (f"{stamp}\n\n", f"{byline}\n{stamp}\n\n", f" Foto: Mads Nissen\n\n"):
        text = opening + body
        read = without_opening_boilerplate(text, elsewhere_spans(text))
        assert read == "".join("\n" if ch == "\n" else " " for ch in opening) + body
    # An opinion piece's author is news, and what follows him is no opening.
    text = "Af Søren Rømer, Spidskandidat for Liberal Alliance\n\nFoto: Mads Nissen\n\n" + body
    assert without_opening_boilerplate(text, elsewhere_spans(text)) == text


@pytest.mark.parametrize(("title", "headline"), [
    ("Se stjernerne topløse | SE og HØR", "Se stjernerne topløse"),
    ("Brøndby vandt | Sport | Avisen.dk", "Brøndby vandt"),
    ("Live | Folketingsvalg 2022 i Aarhus", "Folketingsvalg 2022 i Aarhus"),
    # A dash parts scores and names as often as sites; bars without spaces are no title's parts.
    ("Brøndby vandt 2-1 - Avisen.dk", "Brøndby vandt 2-1 - Avisen.dk"),
    ("Kurs|Pris", "Kurs|Pris"),
])
def test_a_pages_title_is_read_as_its_headline_without_the_sections_and_sites_names(title, headline):
    read = without_site_name(title)
    start = title.index(headline)
    assert read == " " * start + headline + " " * (len(title) - start - len(headline))


def test_an_english_stamp_line_is_noise_but_a_sentence_opening_with_published_is_not():
    stamp = "Published 12 March 2019, 14:05 GMT | Updated 13 March 2019"
    text = f"{stamp}\n\nThe bridge opened on Monday.\n\nPublished in 1998, the book sold well."
    assert kept(text, "en") == ["The bridge opened on Monday.", "Published in 1998, the book sold well."]
    assert without_opening_boilerplate(text, elsewhere_spans(text)) == " " * len(stamp) + text[len(stamp):]


@pytest.mark.parametrize("heading", ["Relaterede artikler", "Læs også:", "Mest læste", "Related stories"])
def test_headlines_under_a_heading_of_links_are_elsewhere_up_to_the_articles_own_text(heading):
    links = f"{heading}\n\nMette Frederiksen vil have ny aftale med Venstre\nLøkke: Jeg er klar til valg i Aarhus"
    text = f"Ulven blev set ved Ringkøbing.\n\n{links}\n\nJægerne i Ringkøbing er bekymrede."
    assert text[slice(*max(elsewhere_spans(text), key=lambda span: span[1] - span[0]))] == links
    assert kept(text, "da") == ["Ulven blev set ved Ringkøbing.", "Jægerne i Ringkøbing er bekymrede."]


@pytest.mark.parametrize("date", ["Tirsdag 12. marts 2019 kl. 14.05", "Tirsdag d. 5. jan. 2019", "12.03.2019",
                                  "Tuesday 12 March 2019 14:05 GMT", "March 12, 2019"])
def test_a_line_that_is_only_a_date_is_a_stamp_but_a_sentence_with_a_date_is_not(date):
    text = f"{date}\nDen 12. marts 2019 åbnede broen.\nMarch 12, 2019 was a Tuesday."
    assert [(text[start:end], rule) for start, end, rule in noise_spans(text)] == [(date, "stamp")]


@pytest.mark.parametrize(("language", "credit"), [
    ("da", "/ritzau/AFP"), ("da", "Jens Peter Hansen\njph@avisen.dk"),
    ("da", "Skrevet i samarbejde med Leny Malacinski, mala@avisen.dk"),
    ("en", "(Reporting by Jane Smith in London; Editing by John Doe)"),
    ("da", "© Avisen.dk 2019. Alle rettigheder forbeholdes."),
    ("en", "Copyright 2019 The Associated Press. All rights reserved. This material may not be published."),
])
def test_the_wires_and_the_journalists_credits_are_elsewhere(language, credit):
    text = f"Broen åbnede mandag, siger Jens Hansen.\n\n{credit}"
    assert [text[start:end] for start, end in elsewhere_spans(text)] == [credit]
    assert kept(text, language) == ["Broen åbnede mandag, siger Jens Hansen."]
    # A sentence that gives an address is the article's own.
    text = "Jens Hansen kan kontaktes på jh@kommune.dk.\nBroen åbnede mandag."
    assert elsewhere_spans(text) == []


def test_a_teaser_glued_to_the_next_sentence_ends_where_that_sentence_opens_but_not_inside_a_brand():
    text = ("Prisen gik til Volbeat.\n\nLÆS OGSÅ: Volbeat-forsanger kollapserDa prisen skulle overrækkes, "
            "takkede Michael Poulsen.\n\nLÆS OGSÅ: Apple sætter priserne på iPhone 6 op\n\nDet er dyrt.")
    assert [text[start:end] for start, end in elsewhere_spans(text)] == [
        "LÆS OGSÅ: Volbeat-forsanger kollapser", "LÆS OGSÅ: Apple sætter priserne på iPhone 6 op"]


def test_a_call_to_follow_the_site_is_elsewhere_but_a_sentence_about_following_someone_is_not():
    follow = "Følg os på Facebook og Twitter"
    text = f"Ulven blev set ved Ringkøbing.\n\n{follow}\n\nDu kan følge ulven på Instagram. Følg os, siger hun."
    assert [text[start:end] for start, end in elsewhere_spans(text)] == [follow]


def test_elsewhere_spans_are_teasers_notices_and_credits_not_pointers_or_calls_for_tips():
    teaser = "LÆS OGSÅ: Courtney Love havnet i gidselsag i Frankrig"
    notice = "For at kommentere skal du være logget på Facebook."
    pointer = "Hør indslaget med Mette Nielsen fra Aarhus Universitet her."
    tip = "Er du en af demonstranterne i Lufthavnen? Kontakt os på 1224@eb.dk eller SMS 1224."
    credit = "Foto: Mads Nissen/Ritzau Scanpix"
    text = f"Ulven blev set ved Ringkøbing.\n\n{teaser}\n\n{pointer}\n\n{tip}\n\n{notice}\n{credit}\n"
    assert [text[start:end] for start, end in elsewhere_spans(text)] == [teaser, notice, credit]
    # The pointer and the call for tips are boilerplate a summary skips all the same.
    assert {pointer, tip} <= {text[start:end] for start, end, _rule in noise_spans(text)}


@pytest.mark.parametrize("mark", ["•", "*", "▪", "●"])
def test_a_teaser_or_credit_line_opened_by_a_list_mark_is_elsewhere_as_well(mark):
    teaser, credit = f"{mark} Læs også: Courtney Love havnet i gidselsag i Frankrig", f" {mark} Foto: Mads Nissen"
    text = f"Ulven blev set ved Ringkøbing.\n\n{teaser}\n{credit}\n\n{mark} Ulven er fredet."
    assert [text[start:end] for start, end in elsewhere_spans(text)] == [teaser, credit.strip()]


def test_promos_glued_to_the_end_of_a_sentence_are_cut_off_and_skipped():
    # Scraped text that lost its line breaks: the promo follows a full stop and its title runs
    # straight into the next sentence.
    text = (
        "Parret har ikke set hinanden i et år.Læs også: Sangeren frygter en ny skandaleMen nu er de "
        "sammen igen, siger hun. Det glæder fansene.LÆS OGSÅ: Se billederne fra festen\n"
        "Koncerten sluttede ved midnat."
    )
    assert flagged(text, "da") == [
        (None, "Parret har ikke set hinanden i et år."),
        ("noise", "Læs også: Sangeren frygter en ny skandale"),
        (None, "Men nu er de sammen igen, siger hun."),
        (None, "Det glæder fansene."),
        ("noise", "LÆS OGSÅ: Se billederne fra festen"),
        (None, "Koncerten sluttede ved midnat."),
    ]


@pytest.mark.parametrize(
    ("language", "text", "pointer"),
    [
        ("da", "Over 300 børn løb onsdag.\n\nDu kan se klip fra børnenes løb her eller i facebook-opslaget herunder.",
         "Du kan se klip fra børnenes løb her eller i facebook-opslaget herunder."),
        ("da", "Prisen blev uddelt i nat. Se, hvem der løb med den prestigefulde filmpris her. Showet varede længe.",
         "Se, hvem der løb med den prestigefulde filmpris her."),
        ("da", "Vulkanen gik i udbrud i nat.\nHerunder kan du se de utrolige billeder fra udbruddet:\nByen er tom.",
         "Herunder kan du se de utrolige billeder fra udbruddet:"),
        ("da", "Parret blev gift i 2005.\nSe billederne fra parrets bryllup her: Prins Charles og Camilla gift\n"
               "Parret besøger Danmark.", "Se billederne fra parrets bryllup her: Prins Charles og Camilla gift"),
        ("da", "Ministeren forsvarer planen. Læs mere her (artiklen kræver abonnement). Oppositionen er imod.",
         "Læs mere her (artiklen kræver abonnement)."),
        ("da", "Hun har filmet en del af turen, og den kan du se i playeren øverst på siden\nTuren tog ti dage.",
         "Hun har filmet en del af turen, og den kan du se i playeren øverst på siden"),
        ("en", "The striker scored twice on Saturday. Watch the goals in the video below. The club is now third.",
         "Watch the goals in the video below."),
    ],
)
def test_pointers_to_videos_galleries_and_links_are_skipped(language, text, pointer):
    assert ("noise", pointer) in flagged(text, language)
    assert pointer not in kept(text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("da", "Men det stopper her. Vi kan ikke fortsætte sådan her."),
        ("da", "Se og Hør har talt med hende. Du kan se frem til en travl sommer, siger hun."),
        ("da", "Her kan du tage billeder med højere kvalitet end med nogen mobiltelefon."),
        ("en", "You can see why the club wants to keep her. She has scored 20 goals here."),
    ],
)
def test_sentences_that_only_end_in_her_or_here_are_not_pointers(language, text):
    assert all(flag is None for flag, _ in flagged(text, language))


def test_paywall_and_newsletter_notices_are_skipped():
    text = (
        "Odense: Byens nye letbane kører sin første tur i dag.\n\n"
        "For at læse denne artikel kræver det, at du har et abonnement hos avisen.\n\n"
        "Hvis du har et abonnement, så klik på \"Log ind\".\n\n"
        "Hvis du ikke har et abonnement, kan du prøve vores digitale abonnement for 49 kr. om måneden.\n\n"
        "Interesserer du dig for trafik, så prøv Avisen.dk's nyhedsbrev! Tilmeld dig nyhedsbrevet her.\n\n"
        "Denne artikel hører under PLUS-indholdet på avisen.dk og kræver et abonnement."
    )
    assert kept(text, "da") == ["Odense: Byens nye letbane kører sin første tur i dag."]


def test_the_comment_box_and_the_newsletter_small_print_are_skipped():
    text = (
        "Chefen sælger sin restaurant for at hjælpe en ansat.\n\n"
        "For at kommentere skal du være logget på Facebook.\n\n"
        "Logges på via \"Kommenter via...\", genindlæs siden\n\n"
        "Du kan naturligvis altid framelde dig igen, og vi deler ikke din mail med andre."
    )
    assert kept(text, "da") == ["Chefen sælger sin restaurant for at hjælpe en ansat."]


@pytest.mark.parametrize(
    "call",
    [
        "Er du en af demonstranterne i lufthavnen. Kontakt os på 1224@eb.dk eller SMS 1224 (Alm. takst)",
        "Kender du noget til sagen? Skriv til os på 1224@eb.dk /sms til 1224 (koster alm sms-takst).",
        "Tip os i en mail eller sms/mms til 24251313 (alm. takst).",
        "Har du gode erfaringer, som du vil dele, så kontakt gerne redaktionen på tip@version2.dk",
    ],
)
def test_calls_for_tips_with_an_address_are_skipped(call):
    text = f"{call}\n\nEn gruppe ansatte blokerede et fly i tre timer. Politiet blev tilkaldt."
    assert kept(text, "da") == ["En gruppe ansatte blokerede et fly i tre timer.", "Politiet blev tilkaldt."]


def test_news_about_comments_and_contacts_is_not_a_prompt():
    text = (
        "Ministeren ønsker ikke at kommentere sagen. Har du set noget, så kontakt politiet på 114, siger "
        "vagtchefen. Kontakt os, hvis I ser ham, lyder opfordringen."
    )
    assert [flag for flag, _ in flagged(text, "da")] == [None, None, None]


def test_news_about_subscriptions_and_newsletters_is_not_a_notice():
    text = (
        "Prisen på et abonnement hos Netflix stiger med 10 kroner. "
        "Ifølge hospitalets nyhedsbrev er ventetiden faldet. Denne artikel blev rettet i går."
    )
    assert [flag for flag, _ in flagged(text, "da")] == [None, None, None]


def test_inline_photo_credit_is_a_noise_span_but_the_sentence_stays():
    text = "The bridge reopened on Sunday (Photo: Getty Images) after two years of repairs."
    spans = noise_spans(text)
    assert [text[s:e] for s, e, _ in spans] == ["(Photo: Getty Images)"]
    assert kept(text, "en") == [text]


def test_a_photo_credit_after_a_full_stop_stands_alone():
    text = "Over 70 børn deltog i løbet.(Foto: Jens Hansen) Vejret var godt. (Foto: Scanpix)Arrangørerne var glade."
    assert flagged(text, "da") == [
        (None, "Over 70 børn deltog i løbet."),
        ("noise", "(Foto: Jens Hansen)"),
        (None, "Vejret var godt."),
        ("noise", "(Foto: Scanpix)"),
        (None, "Arrangørerne var glade."),
    ]


def test_a_line_ending_in_a_photo_credit_instead_of_a_full_stop_is_a_caption():
    text = "Løberne samledes ved søen.\n\nHer ses vinderen lige efter målgang (Foto: Privat)\n\nLøbet gentages næste år."
    assert flagged(text, "da") == [
        (None, "Løberne samledes ved søen."),
        ("caption", "Her ses vinderen lige efter målgang (Foto: Privat)"),
        (None, "Løbet gentages næste år."),
    ]


def test_danish_dialogue_dashes_mark_the_whole_line_as_quote():
    text = (
        "Regeringen vil hæve pensionsalderen.\n\n"
        "- Det passer ikke, at vi ikke har lyttet. Vi har talt med alle partier, siger ministeren.\n\n"
        "Oppositionen er kritisk over for forslaget."
    )
    assert flagged(text, "da") == [
        (None, "Regeringen vil hæve pensionsalderen."),
        ("quote", "- Det passer ikke, at vi ikke har lyttet."),
        ("quote", "Vi har talt med alle partier, siger ministeren."),
        (None, "Oppositionen er kritisk over for forslaget."),
    ]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Ministers will publish the report on Tuesday. ‘We have nothing to hide. The figures speak "
               "for themselves. People can judge,’ the minister said. The opposition called it shameful."),
        ("da", "Ministeren vil offentliggøre rapporten tirsdag. »Vi har intet at skjule. Tallene taler for "
               "sig selv. Folk kan selv vurdere det,« siger ministeren. Oppositionen kalder det skammeligt."),
        ("en", 'Ministers will publish the report on Tuesday. "We have nothing to hide. The figures speak '
               'for themselves. People can judge," the minister said. The opposition called it shameful.'),
    ],
)
def test_quotes_spanning_sentences_are_flagged_throughout(language, text):
    flags = [flag for flag, _ in flagged(text, language)]
    assert flags == [None, "quote", "quote", "quote", None]


def test_apostrophes_do_not_close_a_quote():
    text = "‘It’s over. We’re done,’ he said. The club’s owner agreed."
    assert [flag for flag, _ in flagged(text, "en")] == ["quote", "quote", None]


@pytest.mark.parametrize(
    ("language", "text", "items"),
    [
        ("da", "Du skal søge inden 1. marts.\n\n• du skal have boet i Danmark\n• du skal være over 18 år\n\n"
               "Ansøgningen sendes digitalt.", ["• du skal have boet i Danmark", "• du skal være over 18 år"]),
        ("en", "The plan has three parts:\n- more buses on rural routes\n- cheaper fares for students\n"
               "- a new ticket app\nCouncillors vote next week.",
         ["- more buses on rural routes", "- cheaper fares for students", "- a new ticket app"]),
    ],
)
def test_bullet_items_are_list_entries_used_only_as_a_last_resort(language, text, items):
    pairs = flagged(text, language)
    assert [t for flag, t in pairs if flag == "list"] == items
    sentences = split_sentences(text, language)
    chosen = summarize(text, sentences, language, max_sentences=2)
    assert not any(item["text"] in items for item in chosen)


@pytest.mark.parametrize(
    ("language", "text", "heading"),
    [
        ("da", "Hvad betyder det for dig?\n\nSådan søger du\n\nDu skal søge inden 1. marts.", "Sådan søger du"),
        ("en", "The storm hit the coast at dawn.\n\nWhat happens next\n\nEngineers will inspect the pier.",
         "What happens next"),
    ],
)
def test_headings_are_skipped(language, text, heading):
    assert ("heading", heading) in flagged(text, language)
    assert heading not in kept(text, language)


def test_a_heading_run_into_the_first_sentence_of_its_paragraph_is_skipped():
    text = (
        "Flyulykker har mange årsager.\n\nMenneskelige fejlDet er oftest piloten, der fejler.\n\n"
        "Ny plan mod religiøs forfølgelse på vejTo millioner kroner skal bruges på planen."
    )
    assert flagged(text, "da") == [
        (None, "Flyulykker har mange årsager."),
        ("heading", "Menneskelige fejl"),
        (None, "Det er oftest piloten, der fejler."),
        ("heading", "Ny plan mod religiøs forfølgelse på vej"),
        (None, "To millioner kroner skal bruges på planen."),
    ]


def test_a_heading_run_into_a_dialogue_dash_is_skipped():
    text = "Politiet fandt ingen spor.\n\nFarlige stik- Vi har ledt med hunde, siger politikommissæren."
    assert flagged(text, "da") == [
        (None, "Politiet fandt ingen spor."),
        ("heading", "Farlige stik"),
        (None, "- Vi har ledt med hunde, siger politikommissæren."),
    ]


def test_a_danish_heading_glued_to_its_paragraph_by_a_space_is_cut_off_and_skipped():
    text = (
        "Kommunen vil spare på skolerne.\n\nFærre timer Vi havde før flere timer i dansk, siger formanden.\n\n"
        "Lokalt skoleråd kritiserer planen I dag mødes rådet for at tale om sagen. "
        "Vælgerne er delte. Tag selv stilling Det kan betale sig at læse forslaget."
    )
    assert flagged(text, "da") == [
        (None, "Kommunen vil spare på skolerne."),
        ("heading", "Færre timer"),
        (None, "Vi havde før flere timer i dansk, siger formanden."),
        ("heading", "Lokalt skoleråd kritiserer planen"),
        (None, "I dag mødes rådet for at tale om sagen."),
        (None, "Vælgerne er delte."),
        ("heading", "Tag selv stilling"),
        (None, "Det kan betale sig at læse forslaget."),
    ]
    chosen = summarize(text, split_sentences(text, "da"), "da", max_sentences=3)
    assert not any(item["text"].startswith(("Færre timer", "Lokalt skoleråd", "Tag selv")) for item in chosen)


@pytest.mark.parametrize(
    "text",
    [
        # "I" is the plural you, "De" the formal you; "Hans" is a name as well.
        "Hvis I har tid, kan I komme forbi i morgen.",
        "Men De kender vel selv den historie?",
        "Han scorede mod keeperen Hans van Bommel i finalen.",
        # a word that keeps the phrase open, and a title after a noun in the definite singular
        "Museet skal pilles ned på samme måde, som Den gamle by gør det.",
        "De to er blandt de ti finalister til prisen Den gyldne mikrofon i år.",
        # a name that runs on, and a line that is a heading as a whole
        "Bryggeriet De Halve Man i Brügge er gammelt.",
        "Sexperterne Her er vejen til et godt forhold\n\nMange par skændes.",
    ],
)
def test_capitalised_words_inside_a_danish_sentence_do_not_cut_it(text):
    assert split_sentences(text, "da") == split_sentences(text, "da", clean=False)


def test_danish_glued_headings_are_only_cut_in_danish():
    text = "Tag selv stilling Det kan betale sig at læse forslaget."
    for language in ("en", "nb", "und"):
        assert [s.text for s in split_sentences(text, language)] == [text]


def test_a_danish_quotation_on_a_line_of_its_own_is_not_a_heading():
    text = "Ministeren var klar i mælet.\n\n»Kriegers Flak er et udstillingsvindue for Danmark.«\n\nHan gik."
    assert [flag for flag, _ in flagged(text, "da")] == [None, "quote", None]


@pytest.mark.parametrize(
    ("language", "paragraphs"),
    [
        ("zh", ["第十届国际科技博览会周一在北京开幕。", "展会的主题是人工智能与绿色能源！", "博览会将持续五天吗？",
                "北京市副市长张伟在开幕式上致辞。"]),
        ("ja", ["東京都心で今季初めての積雪が観測された。", "羽田空港では百便以上が欠航した。", "雪は朝までに止む見込みだ。"]),
        ("hi", ["दिल्ली में वायु गुणवत्ता गंभीर श्रेणी में पहुंच गई।", "सरकार ने निर्माण कार्यों पर रोक लगा दी है।",
                "राहत की उम्मीद नहीं है।"]),
        ("ar", ["افتتح وزير الثقافة معرض القاهرة للكتاب.", "هل ستنجح الدورة في جذب الشباب؟", "ويستمر المعرض حتى الشهر المقبل."]),
    ],
    ids=["chinese", "japanese", "hindi", "arabic"],
)
def test_a_paragraph_of_one_sentence_in_another_script_is_not_a_heading(language, paragraphs):
    # News in these scripts often gives every sentence a paragraph of its own: taken for headings
    # they would all be skipped, and the summary would be the last paragraph alone.
    text = "\n\n".join(paragraphs)
    assert flagged(text, language) == [(None, paragraph) for paragraph in paragraphs]
    chosen = summarize(text, split_sentences(text, language), language, max_sentences=2)
    assert len(chosen) == 2 and chosen[0]["text"] == paragraphs[0]


@pytest.mark.parametrize(
    "text",
    [
        "Le ministre a dit : « Nous ne céderons pas. » Il est parti. Il était tard.",
        "« Nous ne céderons pas », a dit le ministre. Il est parti. Il était tard.",
        "Il a dit «\u00a0non\u00a0». Il est parti. Il était tard.",
    ],
)
def test_a_french_closing_guillemet_after_a_space_closes_the_quotation(text):
    # Taken for an opening one, it made every later sentence of the paragraph a quotation.
    assert [flag for flag, _ in flagged(text, "fr")][1:] == [None, None]


def test_plain_sentences_get_no_flag():
    text = "Kim Jong-un er på vej til Rusland. Det melder YTN mandag. Kreml har ikke kommenteret."
    assert [flag for flag, _ in flagged(text, "da")] == [None, None, None]


def test_uncleaned_split_keeps_the_dateline_in_the_first_sentence():
    text = "(CNN)Train drivers walked out on Monday. The union said more strikes would follow."
    assert split_sentences(text, "en", clean=False)[0].text == "(CNN)Train drivers walked out on Monday."


def test_cleaning_is_linear_on_pathological_input():
    text = ("By . " * 50_000) + ("(CNN) -- " * 20_000) + ("- Nej. " * 30_000) + ("‘" * 100_000)
    sentences = split_sentences(text, "en")
    assert len(sentence_flags(text, sentences)) == len(sentences)


def test_a_line_of_captions_that_ends_in_a_photo_credit_is_skipped():
    text = ("Borgmesteren åbnede i går den nye bro over havnen.\n"
            "Broen er 200 meter lang. Den kostede 90 millioner kroner. Foto: Jens Hansen/Ritzau Scanpix\n"
            "Trafikken over broen begynder allerede i dag, siger borgmesteren.")
    assert flagged(text, "da") == [
        (None, "Borgmesteren åbnede i går den nye bro over havnen."),
        ("caption", "Broen er 200 meter lang."),
        ("caption", "Den kostede 90 millioner kroner."),
        ("caption", "Foto: Jens Hansen/Ritzau Scanpix"),
        (None, "Trafikken over broen begynder allerede i dag, siger borgmesteren."),
    ]


def test_a_credit_ends_a_line_of_captions_only_within_a_few_hundred_characters():
    # A text without line breaks is one line: a credit at its end makes no caption of it all.
    body = " ".join(["The council met on Monday to discuss the plans for the new bridge."] * 8)
    text = body + " It opens in May. Photo: Getty Images"
    assert [flag for flag, _sentence in flagged(text, "en")][:8] == [None] * 8
