"""News boilerplate detection that never rewrites the text.

Scraped news carries text no summary should quote: datelines ("(CNN)",
"LONDON (Reuters) -"), bylines ("By . Jane Smith ."), publication stamps
("PUBLISHED: 08:21 EST ..."), promos ("Scroll down for video", "LÆS OGSÅ:",
teasers for other articles, paywall and newsletter notices), photo credits and image captions that lost their
full stop and got glued to the next sentence. Instead of deleting any of it (which would break the
character offsets a summary reports), this module answers three questions
about the original string:

* ``cut_points``: extra sentence boundaries, so that noise and glued
  captions become sentences of their own;
* ``noise_spans``: character ranges that are boilerplate (``elsewhere_spans``: those about
  other articles, the site or the pictures);
* ``sentence_flags``: what each sentence is ("noise", "heading", "list",
  "quote" or None for ordinary content).

Every regex is anchored to a line start or a short literal and bounded in
length, so the cost stays linear in the text length.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter
from typing import TYPE_CHECKING, Iterator

from worker.pipeline.calendar_words import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS
from worker.pipeline.markup import LIST_MARKS
from worker.pipeline.punctuation import CJK_CLOSERS, FULL_STOPS

if TYPE_CHECKING:  # sentences.py imports this module for its cut points
    from worker.pipeline.sentences import Sentence

_AGENCY = r"(?:CNN|AP|AFP|Reuters|Ritzau|dpa|NTB|TT|PA|UPI)(?:/[\w.]{1,12}){0,3}"
# Any character of a sentence but a line break or its final mark; a period inside a word ("ing.dk") too.
_IN_SENTENCE = r"(?:[^.!?\n]|\.(?=\w))"
_CREDIT = re.compile(r"\((?:Foto|Arkivfoto|Photo|Picture|Image|Credit)s?:[^)\n]{0,100}\)")
_SCROLL = re.compile(r"(?i)scroll down for (?:the )?(?:videos?|more)\b[.:]?")
# Paywall and newsletter notices, a sentence each: "For at læse denne artikel kræver det ...",
# "Hvis du har et abonnement, så klik på "Log ind"", "Tilmeld dig vores nyhedsbrev".
_PAYWALL = re.compile(
    rf"(?m)(?:^|(?<=[.!?…]\s))[^\S\n]*+{_IN_SENTENCE}{{0,150}}?"
    rf"(?:[Ff]or at læse (?:hele |denne )?artikl|[Dd]enne artikel\b{_IN_SENTENCE}{{0,80}}?\b(?:abonnement|log(?:ge)? ind)"
    r"|klik på \W?Log ind|\bvores (?:nye )?(?:digitale )?abonnement|(?:Opret|Køb|Tegn|[Pp]røv) (?:et )?abonnement"
    rf"|(?:[Tt]ilmeld(?:e|t)?(?: dig)?|[Mm]odtag|[Pp]røv)\b{_IN_SENTENCE}{{0,40}}?\bnyhedsbrev"
    # the newsletter's small print and the comment box under the article: "Du kan naturligvis altid
    # framelde dig igen, ...", "For at kommentere skal du være logget på Facebook.", "Kommenter via..."
    r"|\b[Ff]ramelde dig\b|[Ff]or at kommentere skal du\b|\b[Kk]ommenter via\b|\bgenindlæs siden)"
    # to the end of the sentence: a full stop before a capital (not "49 kr. om"), or of the line
    r"[^\n]{0,200}?(?:[.!?…]+(?=[^\S\n]+[A-ZÆØÅ\"»“])|$)"
)
# The paywall rule looks ahead from every sentence start, which made it the dearest rule by far;
# a text with none of the words it looks for is spared it for the price of one search.
_PAYWALL_WORDS = re.compile(r"artik|Log ind|abonnement|nyhedsbrev|ramelde|ommente|genindlæs")
# A call for tips with an address or number: "Tip os på 1224@eb.dk eller sms/mms til 1224", "..., så
# kontakt gerne redaktionen på tip@version2.dk", with the question to the reader before it in its
# paragraph ("Er du en af demonstranterne? Kontakt os på ..."). "Kontakt politiet på 114" is no call.
_TIP_CALL = re.compile(
    rf"(?m)(?:^|(?<=[.!?…]\s))[^\S\n]*+(?:(?:Er|Har|Kender|Ved|Var|Så|Bor) du\b{_IN_SENTENCE}{{0,200}}?[.?!][^\S\n]+)?"
    rf"{_IN_SENTENCE}{{0,150}}?\b(?:[Tt]ip|[Kk]ontakt|[Ss]kriv til|[Ss]end)(?: gerne)? (?:os|redaktionen)\b"
    r"[^\n]{0,100}?(?:@|\b[Ss][Mm][Ss]\b|\d{4})[^\n]{0,100}?(?:[.!?…]+(?=[^\S\n]+[A-ZÆØÅ\"»“])|$)"
)
# Like the paywall rule, it looks ahead from every sentence start: one search spares most texts it.
_TIP_WORDS = re.compile(r"\b(?:[Tt]ip|[Kk]ontakt|[Ss]kriv til|[Ss]end)(?: gerne)? (?:os|redaktionen)\b")
# Pointers to what the page shows around the text: "Se billeder af familien her:", "Du kan se klip
# fra løbet i facebook-opslaget herunder.", "Herunder kan du se billederne fra udbruddet:", "Watch
# the video here.": a sentence that sends the reader to a video, gallery or link and ends there (or
# opens with "Herunder kan du se" and a colon). Sentences that merely end in "her" do not start so.
_POINTER_END = (
    # a remark in brackets may follow ("her (kræver abonnement)."), and after a colon the title of
    # what is linked, to the end of its line ("her: Prins Charles og Camilla gift")
    r"(?:[^\S\n]+\([^()\n]{0,100}\))?(?::[^\S\n]+[^.!?\n]{1,150}$|[.:!]?)"
)
_POINTER = re.compile(
    rf"(?m)(?:^|(?<=[.!?…]\s))[^\S\n]*+(?:"
    # Danish, and English apart: "her" is a pronoun there ("You can see why they want her.")
    rf"(?:(?:Se|Hør|Læs|Klik|Find|Følg)\b|{_IN_SENTENCE}{{0,120}}?\b(?:[Kk]an du|[Dd]u kan)(?: også| naturligvis)? "
    rf"(?:se|høre|læse|følge|finde)\b){_IN_SENTENCE}{{0,200}}?"
    rf"\b(?:her(?:under|over)?|nedenfor|ovenfor|ovenover|(?:øverst|nederst) på siden){_POINTER_END}"
    rf"|(?:(?:See|Watch|Listen|Read|Click)\b|{_IN_SENTENCE}{{0,120}}?\b[Yy]ou can (?:see|watch|read)\b)"
    rf"{_IN_SENTENCE}{{0,200}}?\b(?:here|below|above){_POINTER_END}"
    rf"|(?:Her|Herunder|Nedenfor|Ovenfor) kan du (?:se|høre|læse|følge){_IN_SENTENCE}{{0,200}}?:"
    # where the sentence ends: at the end of its line or before the next one's capital
    r")(?=[^\S\n]*(?:\n|\Z)|[^\S\n]+[\"»“«A-ZÆØÅ])"
)
# A pointer ends in one of its words before a stop, a bracket or the line end; most texts have none.
_POINTER_WORDS = re.compile(
    r"\b(?:her(?:under|over)?|nedenfor|ovenfor|ovenover|siden|here|below|above|:)[.:!]?[^\S\n]*"
    r"(?:\n|\Z|\(|[A-ZÆØÅ\"»“«])"
)
# A social post embedded in the page, as its text comes out: a line ending in a tweet's
# attribution ("Tak for opbakningen! pic.twitter.com/Ab3 — Lars Hansen (@lhansen) 5. marts 2019"),
# or an Instagram post's ("A photo posted by Andrea Elisabeth Rudolph (@andrearudolph) on Oct 16,
# 2016 at 11:21pm PDT", "Et opslag delt af ... (@sahartabar_official) den 5. Nov 2017 kl. 4:42
# PST"). It quotes the post; the article says what it says in its own words, and its names stay.
_EMBED = re.compile(
    r"(?m)^[^\S\n]*(?:"
    r"(?:A (?:photo|video|post) (?:posted|shared) by|Et (?:opslag|billede|videoklip) delt af)\b"
    r"[^\n]{0,120}?\(@[\w.]{1,30}\)[^\n]{0,80}"
    r"|[^\n]{0,600}?(?:[—–]|--)[^\S\n]*[^\n()—–]{1,60}\(@\w{1,30}\)[^\S\n]+[^\n]{0,30}?\d{4}"
    r")[^\S\n]*$"
)
# What may follow a clock time in a stamp: "14:05 GMT", "10:12 am".
_TIME_ZONE = r"(?:[ap]m|GMT|BST|UTC|CES?T|E[SD]T|P[SD]T)\b"
# "Published 12 March 2019, 14:05 GMT | Updated 13 March 2019": a line of them, or a piece of one
# between bars (not "Published in 1998, the book ...").
_EN_STAMP = re.compile(
    r"(?m)(?:^|(?<=\|))[^\S\n]*(?:Published|Updated)(?: on)?:?[^\S\n]+[^\n|]{0,40}?\d{4}"
    rf"(?:,?[^\S\n]+(?:at[^\S\n]+)?\d{{1,2}}[:.]\d{{2}}(?:[^\S\n]*{_TIME_ZONE})?)?"
    r"[^\S\n]*(?:\||$)"
)
# A journalist's credit: a line that ends in an e-mail address without a full stop ("Skrevet i
# samarbejde med Leny Malacinski, mala@avisen.dk"), with the name on the line before a bare one
# ("Jens Peter Hansen\njph@avisen.dk").
_EMAIL_CREDIT = re.compile(
    r"(?m)^[^\S\n]*(?:[A-ZÆØÅ][\w'’.-]*(?:[^\S\n]+[A-ZÆØÅ][\w'’.-]*){1,3}[^\S\n]*\n[^\S\n]*)?"
    r"[^\n@]{0,100}?[\w.+-]+@[\w-]+(?:\.[\w-]+)+[^\S\n]*$"
)
# The wire's credit and the copyright line, a line each: "/ritzau/", "/ritzau/AFP", "(ritzau)",
# "(Reporting by Jane Smith; Editing by John Doe)", "© Avisen.dk 2019. Alle rettigheder
# forbeholdes.", "Copyright 2019 The Associated Press. All rights reserved. This material ...".
# One pattern, in one case: each "(?m)^" pattern is tried at every character.
_CREDIT_LINE = re.compile(
    r"(?m)^[^\S\n]*(?:/[^\S\n]*(?:[Rr]itzau|RITZAU)(?:[^\S\n]+[Ff]okus)?[^\S\n]*/[^\n]{0,40}$"
    r"|\((?:[Rr]itzau|RITZAU)\)[^\S\n]*$|\(?(?:Reporting|Additional reporting|Writing) by [^\n]{0,200}$"
    r"|(?:©|\([Cc]\)|Copyright\b|COPYRIGHT\b)[^\n]{0,300})"
)
# Like the paywall rule, these look from every line start (or every character): one search for
# what they need spares most texts them.
_GATES = {id(_PAYWALL): _PAYWALL_WORDS, id(_TIP_CALL): _TIP_WORDS, id(_POINTER): _POINTER_WORDS,
          id(_EMBED): re.compile(r"\(@"), id(_EN_STAMP): re.compile(r"Published|Updated"),
          id(_EMAIL_CREDIT): re.compile("@")}
_MONTH_NAMES = "|".join(sorted(MONTHS | MONTH_ABBREVIATIONS, key=len, reverse=True))
# A line's start, and a list item's mark there: "• Læs også: ..." is a teaser as much as
# "Læs også: ..." is.
_LINE_START = rf"^[^\S\n]*(?:[{LIST_MARKS}][^\S\n]+)?"
_NOISE = [
    # "LONDON, England (CNN) -- ", "(CNN)", "Bruxelles (Ritzau/AFP) - "
    ("dateline", re.compile(
        rf"(?m)^[^\S\n]*(?:[A-ZÆØÅ][\w.,'’ -]{{0,50}}?[^\S\n]*)?\({_AGENCY}\)[^\S\n]*(?:-{{1,2}}|[—–:])?[^\S\n]*"
    )),
    # "WASHINGTON -- " / "KØBENHAVN - " opening a paragraph: an all-caps place and a dash.
    ("dateline", re.compile(r"(?m)^[^\S\n]*[A-ZÆØÅ]{3,}(?:[ ,]+[A-ZÆØÅ][\w.]{0,20}){0,3}[^\S\n]+(?:-{1,2}|[—–])[^\S\n]+")),
    # "By . Jane Smith . " (Daily Mail) or a "By Jane Smith" line.
    ("byline", re.compile(
        r"(?m)^[^\S\n]*(?:By|Af)[^\S\n]+(?:\.[^\S\n]+)?"
        # The full stop that ends it follows a word, not an initial ("Af Jacob H. Simonsen").
        r"(?:(?:[A-ZÆØÅ][\w'’.-]{0,30}|and|og|for|in|,)[^\S\n]*){1,10}?(?:(?<![\s.][A-ZÆØÅ])\.(?=\s)|(?=\n)|\Z)"
    )),
    # A Danish opinion piece's byline line: "Af" and a name (initials too), then party, title or
    # affiliation, without a full stop ("Af Martin Henriksen (DF) Integrationsordfører ...").
    # Not a line that hard-wrapped text continues (a lower-case next line, a trailing comma).
    ("byline", re.compile(
        r"(?m)^[^\S\n]*Af[^\S\n]+[A-ZÆØÅ][\w'’-]*(?:[^\S\n]+(?:[A-ZÆØÅ]\.|[A-ZÆØÅ][\w'’-]*)){1,5}(?=[\s,(:])"
        r"[^\n]{0,200}(?<![.!?…\"'”’»«,;])$(?!\n[^\S\n]*[a-zæøå])"
    )),
    # "PUBLISHED: . 08:21 EST, 12 March 2014 . | . UPDATED: . 10:41 EST, 12 March 2014 .";
    # "Publiceret: 11. Januar 2013 05:22", whose time comes after the year.
    ("stamp", re.compile(
        r"(?:PUBLISHED|UPDATED|Last updated(?: at)?|Opdateret|Publiceret)[:.]?(?:[^\S\n]*\.)?[^\S\n]*"
        r"[^\n|]{0,60}?\d{4}(?:[^\S\n]+(?:kl\.[^\S\n]*)?\d{1,2}[:.]\d{2}\b)?"
        r"(?:[^\S\n]*\.)?(?:[^\S\n]*\|(?:[^\S\n]*\.)?)?"
    )),
    ("stamp", _EN_STAMP),
    # A line that is only a date, with its weekday and time ("Tirsdag 12. marts 2019 kl. 14.05",
    # "Tuesday 12 March 2019 14:05 GMT", "March 12, 2019").
    ("stamp", re.compile(
        rf"(?mi)^[^\S\n]*(?:(?:{'|'.join(sorted(WEEKDAYS))}),?[^\S\n]+(?:d\.[^\S\n]*|den[^\S\n]+)?)?"
        rf"(?:\d{{1,2}}\.?[^\S\n]+(?:{_MONTH_NAMES})\.?,?[^\S\n]+\d{{4}}|(?:{_MONTH_NAMES})\.?[^\S\n]+\d{{1,2}},?[^\S\n]+\d{{4}}"
        r"|\d{1,2}[./-]\d{1,2}[./-]\d{4})"
        rf"(?:,?[^\S\n]+(?:kl\.[^\S\n]*|at[^\S\n]+|-[^\S\n]+)?\d{{1,2}}[:.]\d{{2}}(?:[^\S\n]*{_TIME_ZONE})?)?"
        r"[^\S\n]*$"
    )),
    ("promo", _SCROLL),
    # Link and promo lines run to the end of their line, or in text that lost its line breaks to
    # where the article's next sentence is glued to the title ("LÆS OGSÅ: Volbeat-forsanger
    # kollapserDa prisen skulle ...", which had taken the article's next 280 characters with it;
    # not "iPhone", "YouTube", "McLaren": only a word that opens sentences is such a start).
    ("promo", re.compile(
        rf"(?m){_LINE_START}(?:READ MORE|Read more|RELATED|Related|Click here|CLICK HERE|LÆS OGSÅ|Læs også|"
        r"LÆS MERE|Læs mere|SE OGSÅ|Se også|Se video(?:en)?|SE VIDEO(?:EN)?|ANNONCE|Annonce|"
        r"Artiklen fortsætter)\b[^\n]{0,300}?(?:[a-zæøå](?=(?:Det|Der|Den|Han|Hun|Vi|Jeg|Men|Og|Nu|Da|Når|Hvis|Så|Her"
        r"|The|He|She|It|They|We|But)[^\S\n])|$)"
    )),
    # A heading alone on its line over links to other articles ("Relaterede artikler", "Mest
    # læste", "Related stories"), and the headlines under it: each a line of its own without a
    # closing full stop, up to a line that ends in one (the article's own text).
    ("promo", re.compile(
        rf"(?m){_LINE_START}(?:Relaterede (?:artikler|historier|nyheder)|Mest (?:læste|læst|delte)|Læs også|LÆS OGSÅ|"
        r"Læs mere|Se også|Mere om emnet|Flere nyheder|Related (?:articles|stories|content)|Most (?:read|popular)|"
        r"More on this story|You (?:may|might) also like|Read more)[^\S\n]*:?[^\S\n]*"
        r"(?:\n[^\S\n]*)+[^\n]{3,160}(?<![.!?…\"”»'’:;,])(?=\n|\Z)"
        r"(?:(?:\n[^\S\n]*)+[^\n]{3,160}(?<![.!?…\"”»'’:;,])(?=\n|\Z))*"
    )),
    # The site's own calls to follow, like or share it, a line each: "Følg os på Facebook og
    # Twitter: @avisen", "Follow us on Twitter", "Share this article", "Sign up for our newsletter".
    ("promo", re.compile(
        rf"(?m){_LINE_START}(?:(?:Følg (?:os|med)|Like (?:os|us)|Follow us)\b[^\n]{{0,80}}?"
        r"\b(?:Facebook|Twitter|Instagram|LinkedIn|YouTube|TikTok|Snapchat|X)\b"
        r"|Del (?:artiklen|historien)\b|Share (?:this|the) (?:article|story)\b"
        r"|Sign up (?:for|to) (?:our|the)\b[^\n]{0,60}?\bnewsletter)[^\n]{0,200}"
    )),
    # The same promos glued to the full stop before them, in text that lost its line breaks
    # ("... i et år.Læs også: Sangeren frygter en ny skandaleMen nu ..."): the title runs to the
    # end of the line, or to where its last word is glued to the next sentence.
    ("promo", re.compile(
        r"(?m)(?<=[.!?…])[^\S\n]?(?:READ MORE|Read more|LÆS OGSÅ|Læs også|SE OGSÅ|Se også)\b[^\n]{0,150}?"
        r"(?:[a-zæøå](?=[A-ZÆØÅ][a-zæøå]|-\s|\d)|$)"
    )),
    ("promo", _PAYWALL),
    ("embed", _EMBED),
    # A pointer to a clip ("Hør indslaget med ... her") or a call for tips is about this article.
    ("pointer", _POINTER),
    ("tip", _TIP_CALL),
    # Teasers for other articles, a line each: "Dansk politik - 15. dec. 2016 Bertel bekræfter: ...",
    # "Formel 1 - 1 time siden Watt om Kevins nye chance" (section, dash, when, headline).
    ("promo", re.compile(
        r"(?m)^[^\S\n]*+\S[^\n]{1,39}?[^\S\n]{1,3}-[^\S\n]{1,3}(?:\d{1,2}\.[^\S\n]{1,3}[a-zæøå]{3,9}\.?[^\S\n]{1,3}"
        r"\d{4}|\d{1,2}[^\S\n]{1,3}(?:time|timer|minut|minutter|dag|dage)[^\S\n]{1,3}siden)[^\S\n]{1,3}[^\n]{0,200}"
    )),
    # Photo credits: "Foto: Ritzau Scanpix" lines, "(Photo: Getty Images)" anywhere.
    ("credit", re.compile(
        rf"(?m){_LINE_START}(?:Foto|Fotos|Arkivfoto|Billede|Photo|Picture|Image|Credit)s?:[^\n]{{0,200}}"
    )),
    # The wire's and the journalists' credits and the copyright line, a line each.
    ("credit", _CREDIT_LINE),
    ("credit", _EMAIL_CREDIT),
    # Inline, so it only counts towards a sentence's noise share: a verbatim
    # sentence cannot drop the words in its middle.
    ("inline", _CREDIT),
]
# An image caption opens with a short label and colon ("Flying high: ...") or
# names who is "pictured"; it ends, without a full stop, where a word is
# followed by a capitalised sentence opener or an opening quote.
_CAPTION_SIGNAL = re.compile(
    r"(?:[A-Z][\w'’-]*(?: [\w'’-]+){0,3}: |[^\n]{0,200}?\((?:pictured|left|right|centre|center|above|below|"
    r"top|bottom|file photo)[^)\n]{0,40}\))"
)
_CAPTION_END = re.compile(
    r"(?<=[a-z0-9)’'])[^\S\n]+(?=[‘“\"'][A-Z]|(?:The|He|She|It|They|We|I|But|His|Her|Their|This|Police|"
    r"Officials|Mr|Mrs|Ms)\b[^\n.]{0,200}? [a-z])"
)
_CAPTION_SCAN = 400
# A caption without a label that lost its full stop and runs straight into the next sentence
# ("... on the clay court The match lasted ..."): a lowercase word, then a sentence opener ("It’s"
# too) and two lowercase words. "A" is left out ("Serie A til", "Patient A and"). After a caption's
# closing "(pictured)" or "(left)" any capitalised word opens the next sentence ("(pictured)
# Visitors queued"): inside a sentence a verb follows it ("Smith (left) said"). A quotation that
# opens like a sentence ends a caption too ("... after the win ‘I’d waited ...").
_GLUED_CAPTION_END = re.compile(
    # Both kinds start at a space after a word, which rules out most positions at once.
    r"(?=[^\S\n])(?<=[a-z0-9)])(?:[^\S\n]+(?=(?:(?:The|He|She|It|They|We|But|His|Her|Their|This|These|Police|Officials|An"
    r"|In|As|After|Not|And|When|If|One)(?:[’'][a-z]{1,2})?"
    r"|(?P<quote>[‘“\"'])(?:The|He|She|It|They|We|But|His|Her|Their|This|There|That|I|You|My|Our|In|If|What)"
    r"(?:[’'][a-z]{1,2})?)"
    r"[^\S\n]+[a-z0-9]\S*[^\S\n]+[a-z])"
    r"|(?<=\))(?:(?<=\(pictured\))|(?<=\(left\))|(?<=\(right\))|(?<=\(centre\))|(?<=\(center\))|(?<=\(above\)))"
    r"[^\S\n]+(?=[A-Z][\w’'-]*[^\S\n]+[a-z]))"
)
# After these words a capitalised "The ..." names a paper, show or title ("told The Times").
_NAMING_WORDS = frozenset(
    "said says told tells dubbed titled called named read reads wrote of in at and or the for to "
    "by with from on as than like that is was".split()
)
# A quotation after these words is what someone said or wrote ("told reporters at the club ‘We ...").
_SPEECH_WORDS = frozenset(
    "said says say told tells tell asked asks adding added saying wrote writes shouted chanted replied "
    "insisted explained admitted".split()
)
_SPEECH_LOOKBACK = 5
# A quoted title is a few words; a closing quote this close after the opening one may end one.
_TITLE_CHARS = 60
_CLOSING_QUOTES = "’'”\""
# A caption is a phrase of some length, not "He said" before a quoted title.
_GLUED_CAPTION_MIN_WORDS = 6
# Longer than any single noise match, so a sentence only looks this far back.
_LONGEST_NOISE = 400
_HEADING_MAX_WORDS = 12
_SENTENCE_END = tuple(FULL_STOPS + CJK_CLOSERS + ":;,\"'”’»«")
_FULL_STOP = tuple(FULL_STOPS + "」』\"'”’»«")
_STOPS = tuple(FULL_STOPS)
_LIST_MARKER = re.compile(rf"[{LIST_MARKS}]\s|\d{{1,2}}[.)]\s")
_DASH = ("- ", "– ", "— ")
_OPEN_QUOTES = "“\"‘«»„"
_QUOTE_MARK = re.compile("[“‘„”«»\"’]")
# A line of captions: sentences and, after the last full stop, a photo credit ("Peter Warnøe har solgt
# sin millionvilla. Foto: All Over Press."); an article's own paragraphs do not end in one. At most
# 400 characters before the credit, as a text without line breaks is one long line.
_CREDIT_WORD = re.compile(r"\b(?:Foto|Fotos|Arkivfoto|Billede|Photo|Picture)s?:")
_CREDITED_LINE = re.compile(
    r"(?m)^[^\S\n]*+[^\n]{0,400}?[.!?…][\"'”’»]?[^\S\n]+(?:Foto|Fotos|Arkivfoto|Billede|Photo|Picture)s?:[^\n]{0,200}$"
)
# Flags of sentences a summary should never quote.
SKIPPED = frozenset({"noise", "caption", "heading"})


@functools.lru_cache(maxsize=4)  # asked by the splitter (cut_points), then by sentence_flags
def noise_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """Boilerplate ranges ``(start, end, rule)``, sorted, possibly overlapping."""
    spans = []
    for rule, pattern in _NOISE:
        gate = _GATES.get(id(pattern))
        if gate is not None and not gate.search(text):
            continue
        for match in pattern.finditer(text):
            start = match.start() + len(match.group()) - len(match.group().lstrip())
            end = match.start() + len(match.group().rstrip())
            if end > start:
                spans.append((start, end, rule))
    return tuple(sorted(spans))


def elsewhere_spans(text: str) -> list[tuple[int, int]]:
    """The ranges of boilerplate about other articles, the site or the pictures, not this
    article: teasers ("Læs også: ..."), paywall, newsletter and comment-box notices, "Scroll down
    for video", photo credits ("Foto: Mads Nissen/Ritzau Scanpix"). The names in them are no names
    of the article (entities.entities_from_docs). And a journalist's byline: an English one ("By Jane
    Smith, Reuters"), or one with an e-mail address ("Af Michael Lund og Knud Brix, milu@avisen.dk");
    not a Danish opinion piece's author's, who is news ("Af Søren Rømer, Spidskandidat for Liberal
    Alliance")."""
    return sorted({(start, end) for start, end, rule in noise_spans(text) if rule in ("promo", "credit", "inline")
                   or (rule == "byline" and (text.startswith("By", start) or "@" in text[start:end]))})


def without_opening_boilerplate(text: str, elsewhere: list[tuple[int, int]]) -> str:
    """``text`` with the boilerplate that opens it (a journalist's byline, a timestamp, a photo
    credit: the ``elsewhere`` ranges and stamps before its first words of its own) read as spaces,
    its line breaks kept, for the entity tagger. Read as words, such a line made the lead's first
    word a word inside a text, no longer its first: "Detailhandlen", "Puha" were named after
    "Publiceret 12. marts 2019 kl. 14.05", "TOKYO -" typed an organisation after a byline."""
    spans = sorted({*elsewhere, *((start, end) for start, end, rule in noise_spans(text) if rule == "stamp")})
    opening = 0
    for start, end in spans:
        if text[opening:start].strip():
            break
        opening = max(opening, end)
    return _as_spaces(text[:opening]) + text[opening:] if opening else text


# What parts a page's title from its section's and its site's names: "Brøndby vandt | Sport | Avisen.dk".
_TITLE_SEPARATOR = re.compile(r"[^\S\n]+[|¦][^\S\n]+")


def without_site_name(title: str) -> str:
    """``title`` with only its longest piece, the headline, read as words where a vertical bar
    parts it, as a page's title holds the page's section and the site's name ("Brøndby vandt |
    Sport | Avisen.dk", "Live | Folketingsvalg 2022"); the other pieces read as spaces. For the
    entity tagger: with "| Nyheder | Avisen.dk" after each sample article's title, 18 of the 1,250
    had changed their groups (names had run on over the bars: "Brøndby | Nyheder"); read as line
    breaks, the bars had made the site a name in 140."""
    cuts = list(_TITLE_SEPARATOR.finditer(title))
    if not cuts:
        return title
    pieces = zip([0, *(cut.end() for cut in cuts)], [*(cut.start() for cut in cuts), len(title)])
    start, end = max(pieces, key=lambda piece: len(title[piece[0] : piece[1]].split()))
    return _as_spaces(title[:start]) + title[start:end] + _as_spaces(title[end:])


def _as_spaces(text: str) -> str:
    """``text`` read as spaces, its line breaks kept."""
    return re.sub(r"[^\n]", " ", text)


def _caption_end(text: str, start: int, end: int) -> int | None:
    """Where a caption glued to the start of ``text[start:end]`` ends. A quoted title inside it
    ("... in a film dubbed ‘The Long Road’ The story of ...") is part of it: the caption ends
    after the title, not before."""
    window_end = min(end, start + _CAPTION_SCAN)
    if not _CAPTION_SIGNAL.match(text, start, window_end):
        return None
    for match in _CAPTION_END.finditer(text, start + 1, window_end):
        if not (text[match.end()] in _OPEN_QUOTES + "'" and _quotes_a_title(text, match.end() + 1)):
            return match.end()
    return None


def _ends_glued_caption(text: str, start: int, match: re.Match) -> bool:
    """Whether the text from ``start`` reads as a caption ending where
    _GLUED_CAPTION_END matched. Only a bounded window before the match is read."""
    words = text[max(start, match.start() - 120) : match.start()].split()
    if len(words) < _GLUED_CAPTION_MIN_WORDS:
        return False
    last = words[-1]
    if match.group("quote") and (
        _SPEECH_WORDS.intersection(w.rstrip(",:") for w in words[-_SPEECH_LOOKBACK:])
        or _quotes_a_title(text, match.end() + 1)
    ):
        return False
    # "Metropolitan Police said" and "told The Times" are names, not a new sentence; "for $20" ends a caption,
    # and so does a name before a quotation that passed the checks above ("on Friday ‘It is ...").
    ends_phrase = last[0].islower() or last[0].isdigit() or last[0] in "$£€" or last.endswith(")")
    ends_phrase = ends_phrase or (match.group("quote") is not None and last[-1].isalnum())
    return ends_phrase and last not in _NAMING_WORDS


def _quotes_a_title(text: str, start: int) -> bool:
    """Whether the quotation opened just before ``start`` closes within a few words and without
    punctuation, as a song or a book does ("nummeret 'I need a dollar' med"); speech closes
    after its comma or full stop, or runs on."""
    for i in range(start, min(len(text), start + _TITLE_CHARS)):
        if text[i] in _CLOSING_QUOTES and not (i + 1 < len(text) and text[i + 1].isalpha()):
            return text[i - 1] not in ",.!?…"
    return False


# English captions glued to the next sentence, told apart by what the article itself shows rather
# than by a fixed list of openers alone. Between a caption and its sentence a capitalised word follows
# one without a full stop, as it does all through a sentence ("told The Times", "his wife Audrey"), so
# the cut needs more: the words before it end a phrase, and the capitalised word opens a sentence, by
# one of three kinds of evidence:
#   - it is a function word that opens sentences ("... has a taste Like the scene in ...");
#   - it is a common word, which the article writes in lower case elsewhere and never capitalises
#     after a lower-case word ("... her job Video of the scene ...");
#   - it names, followed by a verb, whom or what the caption named already: a caption is about
#     the subject the next sentence goes on with ("Smith celebrates ... at the Grand Prix Smith
#     has won ..."). Within one sentence a repeated subject is a pronoun, or follows a comma or "and".
# Names run on across capitals ("the New York Mets"), so between two capitalised words only the
# repeated name cuts, and only where the two words do not stand together elsewhere in the article
# ("Jamie Smith" is one name; "Grand Prix Smith" is two pieces).
_EN_OPENERS = frozenset(
    "the a an he she it they we you this that these those there his her its their our my your but and yet "
    "so or nor as in on at for from by with without after before during since until while when if although "
    "though because despite like unlike not no none all some many most every each both one two three "
    "earlier later now then today yesterday meanwhile however also even only far of among here police "
    "officials what who why how where which".split()
)
# Words after which a phrase goes on: articles, prepositions, conjunctions, auxiliaries, quantifiers,
# and the verbs that name or quote something ("told", "dubbed", "admitted Smith may ...").
_EN_INSIDE = _NAMING_WORDS | _SPEECH_WORDS | frozenset(
    "a an the of in at on to for by with from into onto over under about as and or but nor than that which "
    "through throughout across around behind beyond within without upon toward towards along beside "
    "who whom whose is was are were be been being am has have had do does did will would can could may might "
    "must shall should say tell asked added his her their its our my your this these those such like unlike "
    "near between among against via per how when where why what whether if because while although though very "
    "more most less many some any every each all no not own include includes including make makes".split()
)
# What follows a name that opens a sentence: a finite verb or an adverb ("Smith has", "Smith celebrates",
# "Smith recently"); checked on its form, with the common irregular ones listed.
_EN_AFTER_SUBJECT = frozenset(
    "is was are were has had have will would can could may might must should shall did does do said says "
    "told also now still never then no just first later once again always often".split()
)
# A relative clause after a capitalised word attaches it to the phrase before: no sentence opens there.
_RELATIVE_PRONOUNS = frozenset("which who whom whose".split())
# The small words inside a name in title case.
_TITLE_SMALL_WORDS = frozenset("of the and for de du la von van".split())
# Courtesy titles, which stand before a repeated name inside a sentence ("Mr Smith").
_EN_TITLES = frozenset("mr mrs ms miss dr prof sir dame lord lady saint st rev".split())
_MONTHS_AND_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
# A space between a word (or a closing bracket or quote) and a capitalised word.
_EN_GLUED_CANDIDATE = re.compile(r"(?<=[\w)’'”\"%])[^\S\n]+(?=[A-Z])")
# The capital after such a space, found faster: a search that opens on a look-behind tries it at every
# character, one that opens on a capital skips to the next capital. A single space is checked in the
# look-behind with the character before it; longer white space, where it starts.
_CAPITAL_AFTER_SPACE = re.compile(r"[A-Z](?:(?<=[\w)’'”\"%][^\S\n][A-Z])|(?<=[^\S\n][^\S\n][A-Z]))")
_LINE_SPACE = re.compile(r"[^\S\n]")
_EN_WORD_EDGES = "‘’“”\"'()"
# The first two words after a space, as split from the 120 characters after it.
_TWO_WORDS = re.compile(r"(\S+)\s+(\S+)")
# A word's own characters, for telling a word from a piece of a longer one.
_IN_WORD = re.compile(r"[\w’'-]")
_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z]+(?![\w’'-])")
_CAPITAL_AFTER_LOWER = re.compile(r"(?<![\w’'-])[a-z][\w’'-]*[^\S\n]+([A-Z][a-z]+)(?![\w’'-])")
# Two capitalised words together. It opens on the capital, so the search skips to capitals, and checks
# after it that no word character stands before it.
_CAPITAL_PAIR = re.compile(r"([A-Z](?<![\w’'-][A-Z])[\w’'-]*)(?=[^\S\n]+([A-Z][\w’'-]*))")
# A name's last word running on into a longer one, and a capitalised word after the name.
_NAME_GOES_ON = re.compile(r"[\w-]")
_CAPITAL_NEXT = re.compile(r"[^\S\n]+[A-Z]")
_SPACE = re.compile(r"\s+")
# How many times a text is searched for single words before all its lower-case words are gathered
# instead: a few searches cost less than that, and the cap keeps a long text linear.
_WORD_SEARCHES = 32


class _WordCases:
    """How an English text writes its words, as the caption cues ask about it: whether it writes a word
    in lower case, how often it capitalises one after a lower-case word, how often two capitalised
    words stand together. Each answer that needs the whole text is read from it when first asked, so a
    text whose candidates all fall at the cheaper cues is never read whole. One is made for each call of
    cut_points or sentence_flags and goes with it: unlike a cache on the text, it keeps no text alive."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._searches = _WORD_SEARCHES

    def writes_in_lower_case(self, word: str) -> bool:
        """Whether the text writes ``word``, made of a-z, as a word of its own somewhere."""
        # Most articles ask about a word or two, which searching for it where it stands answers for
        # less than gathering all the text's words.
        at = -1
        while "lower" not in self.__dict__ and self._searches > 0:
            self._searches -= 1
            at = self.text.find(word, at + 1)
            if at < 0:
                return False
            if not ((at and _IN_WORD.match(self.text, at - 1)) or _IN_WORD.match(self.text, at + len(word))):
                return True
        return word in self.lower

    @functools.cached_property
    def lower(self) -> frozenset[str]:
        """The words the text writes in lower case."""
        return frozenset(_LOWER_WORD.findall(self.text))

    @functools.cached_property
    def after_lower(self) -> Counter:
        """How often the text writes each capitalised word after a lower-case one."""
        return Counter(_CAPITAL_AFTER_LOWER.findall(self.text))

    @functools.cached_property
    def capital_pairs(self) -> Counter:
        """How often each two capitalised words stand together."""
        return Counter(_CAPITAL_PAIR.findall(self.text))


def _verb_like(word: str) -> bool:
    """A finite verb or an adverb by its form: "has", "celebrates", "posted", "wasn't", "recently"."""
    word = word.rstrip(",;:")
    if word in _EN_AFTER_SUBJECT or word.endswith(("n’t", "n't")):
        return True
    return word.isalpha() and len(word) > 3 and (
        word.endswith(("ed", "ly")) or (word.endswith("s") and not word.endswith(("ss", "us", "is")))
    )


def _capitalised(word: str) -> bool:
    """A word with a capital first and lower case in it: "Like", "McCoy"; not an acronym ("WHO")."""
    return word.isalpha() and word[0].isupper() and not word.isupper()


def _title_case_name(words: list[str]) -> bool:
    """Whether a capitalised word and the ones after it read as a name in title case: "Bank of
    England", "President of the United States"; the first word after the small ones is capitalised."""
    for word in words[1:]:
        if word not in _TITLE_SMALL_WORDS:
            return word[:1].isupper()
    return False


def _opens_after_caption(text: str, start: int, space: int, pos: int, cases: _WordCases) -> bool:
    """Whether an English sentence opens at ``pos`` (after the space at ``space``) with a caption
    without a full stop, from ``start``, before it. Reads at most _CAPTION_SCAN characters back, and
    what ``cases`` (of the same text) tells of the whole text."""
    # Every space before a capital is asked, and the word before it and the two after it turn most
    # away, so those three are read first, on their own, and the words around only after.
    lo = max(start, space - 120)
    last = _last_word(text, lo, space)
    bare = last.strip(_EN_WORD_EDGES)
    if not bare or bare[-1] in ".,;:!?…–—-" or bare.lower() in _EN_INSIDE:
        return False
    two = _TWO_WORDS.match(text, pos, pos + 120)
    if two is None:
        return False
    word, following = two[1].rstrip(","), two[2]
    if not (_capitalised(word) or word == "A") or following in _RELATIVE_PRONOUNS:
        return False  # a relative clause attaches the word to a name: "a band called Matthew 24 Now, which ..."
    if not (_common_word_opens(text, pos, last, bare, word, following, cases)
            or _subject_opens(text, start, space, pos, bare, word, cases)):
        return False
    # A caption is a phrase of some length: counted last, as it reads the most.
    return len(text[lo:space].split()) >= _GLUED_CAPTION_MIN_WORDS


def _last_word(text: str, start: int, end: int) -> str:
    """The last word of ``text[start:end]``, split at white space, or "" if there is none; read
    from the last plain space on, not the whole stretch."""
    words = text[max(start, text.rfind(" ", start, end) + 1) : end].split()
    return words[-1] if words else ""


def _words_after(text: str, pos: int) -> list[str]:
    """Up to six words from ``pos``, split at white space in the 120 characters from there."""
    return text[pos : pos + 120].split(None, 6)[:6]


def _common_word_opens(
    text: str, pos: int, last: str, bare: str, word: str, following: str, cases: _WordCases
) -> bool:
    """A common word opening a sentence: the words before end a phrase (a lower-case word, an
    amount, a closing bracket or quote), and a lower-case word follows ("world No 4" is a rank)."""
    ends_phrase = bare[0].islower() or bare[0].isdigit() or bare[0] in "$£€" or last.endswith(")")
    if not (ends_phrase and following[0].islower()):
        return False
    if word.lower() in _EN_OPENERS:
        return True
    # (this place is one where it follows a lower-case word; elsewhere it may not), and not the
    # head of a name in title case ("the next President of the United States"). What reads the
    # whole text is asked last; the lower-case words it knows are made of a-z.
    return (bare[0].islower() and word[1:].islower() and word.lower() not in _MONTHS_AND_DAYS
            and not _title_case_name(_words_after(text, pos)) and word.isascii()
            and cases.writes_in_lower_case(word.lower()) and cases.after_lower[word] <= 1)


def _subject_opens(text: str, start: int, space: int, pos: int, bare: str, word: str, cases: _WordCases) -> bool:
    """A name opening a sentence, followed by a verb, that the caption before it named already."""
    # The caption must have the name: its first word is looked for before anything else, as that turns
    # most candidates away at once, and the words after the candidate are split only after.
    caption_start = max(start, space - _CAPTION_SCAN)
    if text.find(word, caption_start, space) < 0:
        return False
    if word.lower() in _EN_OPENERS or word.lower() in _MONTHS_AND_DAYS or bare[0].isdigit():
        return False
    if bare[0].isupper() and bare.lower() in _EN_TITLES:
        return False
    # The name that opens the sentence: up to four capitalised words, then a verb. Between two
    # capitalised words it is the whole of an earlier name ("League" is not "League One").
    right = _words_after(text, pos)
    name = []
    for piece in right[:4]:
        if _capitalised(piece.rstrip(",").replace("’s", "").replace("'s", "").replace("-", "")):
            name.append(piece)
        else:
            break
    if not name or len(name) == len(right) or not _verb_like(right[len(name)]):
        return False
    # After a capitalised word the name must end there too ("Grand Prix Smith" is not "Smith").
    if not _names_before(text, caption_start, space, name, alone=not bare[0].islower()):
        return False
    # Nor are they two pieces of one name ("Jamie Smith"), which the article writes together again:
    # asked last, as it reads the whole text.
    return not (bare[0].isupper() and cases.capital_pairs[bare, word] > 1)


def _names_before(text: str, start: int, end: int, name: list[str], alone: bool) -> bool:
    """Whether ``text[start:end]`` has the words of ``name`` as written, apart by white space and not
    inside longer words; with ``alone``, with no capitalised word after them either. The words are
    found with str.find and their edges checked where they stand, rather than by a regular expression
    made for each name, which would be compiled anew for most names."""
    at = text.find(name[0], start, end)
    while at >= 0:
        if at == start or not _IN_WORD.match(text, at - 1):
            after = _words_end(text, at + len(name[0]), end, name[1:])
            if after is not None and not _NAME_GOES_ON.match(text, after, end) and not (
                    alone and _CAPITAL_NEXT.match(text, after, end)):
                return True
        at = text.find(name[0], at + 1, end)
    return False


def _words_end(text: str, pos: int, end: int, words: list[str]) -> int | None:
    """Where ``words`` end if they follow ``pos`` in ``text[:end]``, each after white space."""
    for word in words:
        space = _SPACE.match(text, pos, end)
        if space is None or not text.startswith(word, space.end(), end):
            return None
        pos = space.end() + len(word)
    return pos


def _english_glued_caption_cuts(
    text: str, start: int, end: int, cuts: list[int], cases: _WordCases
) -> list[int]:
    """Where English captions glued to the next sentence end in ``text[start:end]``; each caption runs
    from the last cut before it: one of ``cuts`` (sorted) or of those found here."""
    found: list[int] = []
    i = bisect.bisect_right(cuts, start)
    since = start
    for space, pos in _candidates(text, start, end):
        while i < len(cuts) and cuts[i] <= space:
            since = max(since, cuts[i])
            i += 1
        if _opens_after_caption(text, since, space, pos, cases):
            found.append(pos)
            since = pos
    return found


def _candidates(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The spans of _EN_GLUED_CANDIDATE's matches in ``text[start:end]``."""
    # (a capital at ``start`` has its space before the stretch)
    for match in _CAPITAL_AFTER_SPACE.finditer(text, start + 1, end):
        pos = match.start()
        if not _LINE_SPACE.match(text, pos - 2):
            yield pos - 1, pos  # a single space, checked in full by the look-behind
            continue
        space = pos - 1
        while space > start and _LINE_SPACE.match(text, space - 1):
            space -= 1
        candidate = _EN_GLUED_CANDIDATE.match(text, space, end)
        if candidate is not None:
            yield candidate.span()


# Danish headings glued to their paragraph by a space, where the page's heading lost its line break
# ("Sparker til suppedåse På sin blog skriver Mayer:", "Flere timer Vi havde, da jeg ..."). Danish
# capitalises only names and sentence starts, so a capitalised word that opens sentences, between a
# lower-case word and another, starts a new one, and the few words before it, from the start of a
# segment, are a heading. Not "I" (the plural you: "hvis I har"; only "I dag", "I aften" ... open),
# "De" (the formal you), "Hans" or "Man" (in names too: "Hans van Breukelen", "De Halve Man"); not
# after a word that keeps the phrase open ("som Den gamle by gør", "for Det konservative Folkeparti",
# "siger ..."); and after a noun in the definite singular an article or a preposition opens a title
# ("prisen Den gyldne mikrofon").
_DA_OPENERS = frozenset(
    "Det Der Den Han Hun Vi Jeg Men Og Nu Da Når Hvis Så Her Dette Disse Ifølge Efter På Med Om "
    "Også Derfor Dermed Desuden Samtidig Tidligere Siden Mens Blandt En Et".split()
)
_DA_TITLE_OPENERS = frozenset("Det Den En Et Efter På Med Om Blandt".split())
_DA_TIME_AFTER_I = frozenset("dag går aften nat morgen år forvejen øjeblikket stedet weekenden".split())
_DA_INSIDE = frozenset(
    "af at de den der det dem dig du eller en end et for fra før hos hvad hvem hvilke hvilken hvis hvor i "
    "jeg kan med mellem mig mod man når og om op på sig sin sine sit skal som til ud uden under ved vi "
    "vil var er har havde blev bliver kunne skulle ville må måtte bør både samt men så hans hendes deres "
    "min mit mine din dit dine vores jeres efter over gennem blandt ifølge inden siden omkring hedder hed "
    "kaldet kaldes kalder titlen navnet siger sagde skriver skrev fortæller fortalte lyder spørger "
    "svarer tilføjer".split()
)
# A space after a lower-case word (or a number or bracket), before a capitalised and a lower-case word.
_DA_GLUED_CANDIDATE = re.compile(
    r"(?<=[a-zæøå0-9)])[^\S\n]+(?=([A-ZÆØÅ][a-zæøå]*)[^\S\n]+([a-zæøå]))"
)
# How far into a segment a heading may run: its words, and room for them.
_DA_HEADING_CHARS = 120


def _danish_glued_heading(text: str, start: int, end: int) -> int | None:
    """Where a Danish sentence opens after a heading glued to the start of ``text[start:end]``."""
    if start >= end or not (text[start].isupper() or text[start].isdigit()):
        return None
    for match in _DA_GLUED_CANDIDATE.finditer(text, start + 1, min(end, start + _DA_HEADING_CHARS)):
        opener = match.group(1)
        if opener == "I" and text[match.end() + 1 : match.end() + 24].split()[0] not in _DA_TIME_AFTER_I:
            continue
        if opener != "I" and opener not in _DA_OPENERS:
            continue
        words = text[start : match.start()].split()
        if len(words) > _HEADING_MAX_WORDS:
            return None
        last = words[-1].lower()
        if last in _DA_INSIDE or (opener in _DA_TITLE_OPENERS and last.endswith(("en", "et"))):
            continue
        # A line that ends soon after, without a full stop, is a heading as a whole ("Sexperterne Her er
        # vejen til ..."), or a teaser's section and title ("Sport og Spil Det skal klubberne gøre").
        window_end = min(len(text), match.end() + _DA_HEADING_CHARS)
        newline = text.find("\n", match.end(), window_end)
        if newline >= 0 or window_end == len(text):
            rest = text[match.end() : window_end if newline < 0 else newline].rstrip()
            if not rest.endswith(_SENTENCE_END) and len(rest.split()) <= _HEADING_MAX_WORDS:
                return None
        return match.end()
    return None


def _glued_caption_cuts(text: str, start: int, end: int) -> list[int]:
    return [m.end() for m in _GLUED_CAPTION_END.finditer(text, start, end)
            if _ends_glued_caption(text, start, m)]


def _skip_space(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def cut_points(text: str, segments: list[tuple[int, int]], language: str = "und") -> list[int]:
    """Extra boundaries: around noise spans (inline ones only after a full stop), and after a glued caption
    at the start of any of the given ``(start, end)`` segments (in English, anywhere in them)."""
    cuts = set()
    for start, end, rule in noise_spans(text):
        # An inline credit is cut off too where it follows a full stop: it belongs to no sentence.
        if rule != "inline" or text[max(0, start - 3) : start].rstrip().endswith(_STOPS):
            cuts.update((start, end))
    noise_cuts = sorted(cuts)
    cases = _WordCases(text) if language == "en" else None
    for start, end in segments:
        start = _skip_space(text, start, end)
        promo = _SCROLL.match(text, start, end)
        if promo:  # "Scroll down for video Flying high: ..."
            start = _skip_space(text, promo.end(), end)
        caption_end = _caption_end(text, start, end)
        if caption_end is not None:
            cuts.add(caption_end)
        glued = _glued_caption_cuts(text, start, end)
        cuts.update(glued)
        if language == "da":
            heading_end = _danish_glued_heading(text, start, end)
            if heading_end is not None:
                cuts.add(heading_end)
        if language == "en":
            known = noise_cuts if caption_end is None and not glued else sorted(
                {*noise_cuts[bisect.bisect_right(noise_cuts, start) : bisect.bisect_left(noise_cuts, end)],
                 *glued, *([caption_end] if caption_end is not None else [])})
            cuts.update(_english_glued_caption_cuts(text, start, end, known, cases))
    return sorted(cuts)


def _covered(sentence: Sentence, spans: list[tuple[int, int, str]], starts: list[int]) -> bool:
    """Whether noise covers at least half of the sentence's letters."""
    covered = 0
    first = bisect.bisect_left(starts, sentence.start - _LONGEST_NOISE)
    last = bisect.bisect_left(starts, sentence.end)
    for start, end, _rule in spans[first:last]:
        low, high = max(start, sentence.start), min(end, sentence.end)
        if high > low:
            covered += sum(ch.isalnum() for ch in sentence.text[low - sentence.start : high - sentence.start])
    if not covered:  # most sentences: no letters counted
        return not any(ch.isalnum() for ch in sentence.text)
    letters = sum(ch.isalnum() for ch in sentence.text)
    return covered * 2 >= letters


def _line_of(text: str, sentence: Sentence) -> tuple[str, str]:
    """The text before the sentence on its line, and the rest of its line."""
    # Only 200 characters either way are looked at, which keeps this bounded.
    low = max(0, sentence.start - 200)
    newline = text.rfind("\n", low, sentence.start)
    line_start = low if newline < 0 else newline + 1
    high = min(len(text), sentence.end + 200)
    newline = text.find("\n", sentence.end, high)
    line_end = high if newline < 0 else newline
    return text[line_start : sentence.start], text[sentence.end : line_end]


def _is_heading(text: str, sentence: Sentence, text_end: int) -> bool:
    """A short line of its own without closing punctuation, with text after it; or a short
    phrase that the splitter cut off where it ran into a capitalised word or a dialogue dash
    ("Menneskelige fejlDet er ...", "Farlige stik- Vi har ..."): a heading that lost its line
    break."""
    before, after = _line_of(text, sentence)
    glued = sentence.text[-1].islower() and (
        text[sentence.end : sentence.end + 1].isupper() or text.startswith(_DASH, sentence.end)
    )
    return (
        (glued or (not before.strip() and not after.strip()))
        and not sentence.text.endswith(_SENTENCE_END)
        and len(sentence.text.split()) <= _HEADING_MAX_WORDS
        and sentence.end < text_end
    )


def _quote_state(text: str, start: int, end: int, inside: bool) -> bool:
    """Whether a quotation is still open at ``end``, given the state at ``start``.
    A "’" between letters is an apostrophe, not a closing quote."""
    for match in _QUOTE_MARK.finditer(text, start, end):  # the marks only, not every character
        i, ch = match.start(), match.group()
        if ch in "“‘„":
            inside = True
        elif ch == "”":
            inside = False
        elif ch == "«":  # Danish »...«, elsewhere «...»: opens after a space
            inside = i == 0 or text[i - 1].isspace()
        elif ch == "»":  # opens after a space when a word follows; French « ... » closes after one
            inside = (i == 0 or text[i - 1].isspace()) and i + 1 < len(text) and text[i + 1].isalnum()
        elif ch == '"':
            inside = not inside
        elif ch == "’" and not (i + 1 < len(text) and text[i + 1].isalpha()):
            inside = False
    return inside


def sentence_flags(text: str, sentences: list[Sentence], language: str = "und") -> list[str | None]:
    """Per sentence: "noise" (mostly boilerplate), "caption" (an image
    caption without a full stop), "heading", "list" (bullet
    item), "quote" (dialogue or inside a quotation that spans sentences) or
    None. Quote state is carried across sentences and reset at blank lines.
    ``language`` is the one the sentences were split in: English captions
    have cues of their own (see ``cut_points``)."""
    spans = noise_spans(text)
    starts = [start for start, _end, _rule in spans]
    text_end = len(text.rstrip())
    cases = _WordCases(text) if language == "en" else None
    credited = _credited_lines(text)
    flags: list[str | None] = []
    inside = dialogue = False
    previous_end = 0
    for sentence in sentences:
        gap = text[previous_end : sentence.start]
        inside = False if "\n\n" in gap else _quote_state(text, previous_end, sentence.start, inside)
        # A dialogue line runs until the paragraph ends: "- Nej. Vi tog fejl, siger hun."
        dialogue = dialogue and "\n" not in gap
        at_line_start = not _line_of(text, sentence)[0].strip()
        if _covered(sentence, spans, starts):
            flag = "noise"
        elif not sentence.text.endswith(_FULL_STOP) and (
            _CAPTION_SIGNAL.match(sentence.text) or _is_glued_caption(text, sentence) or _ends_in_credit(sentence)
        ) or _ends_in_quoted_title(text, sentence) or (
            cases is not None and _is_english_glued_caption(text, sentence, cases)
        ) or _within(credited, sentence.start):
            flag = "caption"
        elif at_line_start and (_LIST_MARKER.match(sentence.text) or sentence.text.startswith(_DASH)):
            dialogue = sentence.text.startswith(_DASH) and _is_dialogue(sentence.text)
            flag = "quote" if dialogue else "list"
        elif _is_heading(text, sentence, text_end) or (
            language == "da" and _ends_danish_glued_heading(text, sentence)
        ):
            flag = "heading"
        elif dialogue or inside or sentence.text.startswith(tuple(_OPEN_QUOTES)):
            flag = "quote"
        else:
            flag = None
        flags.append(flag)
        inside = _quote_state(text, sentence.start, sentence.end, inside)
        previous_end = sentence.end
    return flags


def _credited_lines(text: str) -> list[tuple[int, int]]:
    """The spans of the lines of captions that end in a photo credit (see _CREDITED_LINE), sorted."""
    if not _CREDIT_WORD.search(text):
        return []
    return [match.span() for match in _CREDITED_LINE.finditer(text)]


def _within(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` falls in one of ``spans`` (sorted, not overlapping)."""
    i = bisect.bisect_right(spans, (position, math.inf)) - 1
    return i >= 0 and spans[i][0] <= position < spans[i][1]


def _ends_in_quoted_title(text: str, sentence: Sentence) -> bool:
    """A labelled caption cut off after the quoted title it ends in ("... dubbed ‘The Long Road’"):
    the closing quote is no full stop."""
    return sentence.text.endswith(tuple(_CLOSING_QUOTES)) and _caption_end(text, sentence.start, len(text)) == _skip_space(
        text, sentence.end, len(text))


def _is_glued_caption(text: str, sentence: Sentence) -> bool:
    """A sentence that ends where a glued caption was cut off from the next one."""
    match = _GLUED_CAPTION_END.match(text, sentence.end)
    return match is not None and _ends_glued_caption(text, sentence.start, match)


def _is_english_glued_caption(text: str, sentence: Sentence, cases: _WordCases) -> bool:
    """An English sentence that ends where a caption glued to the next one was cut off; it may end
    in a quotation without a full stop ("... says ‘we keep going’")."""
    match = _EN_GLUED_CANDIDATE.match(text, sentence.end)
    return match is not None and _opens_after_caption(text, sentence.start, match.start(), match.end(), cases)


def _ends_danish_glued_heading(text: str, sentence: Sentence) -> bool:
    """A Danish heading cut off where it was glued to the sentence after it (see cut_points)."""
    if sentence.text.endswith(_SENTENCE_END):
        return False
    heading_end = _danish_glued_heading(text, sentence.start, min(len(text), sentence.end + _DA_HEADING_CHARS))
    return heading_end is not None and _skip_space(text, sentence.end, heading_end) == heading_end


def _ends_in_credit(sentence: Sentence) -> bool:
    """A photo credit where the full stop would be: "Her ses vinderen (Foto: Privat)"."""
    credit = _CREDIT.search(sentence.text, max(0, len(sentence.text) - 120))
    return credit is not None and credit.end() == len(sentence.text)


def _is_dialogue(sentence: str) -> bool:
    """A dash line is dialogue when it reads as speech: a full sentence that
    starts with a capital letter (bullet items are usually fragments)."""
    body = sentence[2:].lstrip()
    return body[:1].isupper() and len(body.split()) >= 4


def content_sentences(text: str, sentences: list[Sentence], language: str = "und") -> list[int]:
    """Indices of sentences that are not boilerplate, captions or headings."""
    flags = sentence_flags(text, sentences, language)
    return [i for i, flag in enumerate(flags) if flag not in SKIPPED]
