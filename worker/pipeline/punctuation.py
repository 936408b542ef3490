"""The marks that end a sentence, in one place: the splitter cuts at them, and the boilerplate
rules take a short line that does not end in one for a heading. And the quotation marks that
the entity rules read around a name."""

# Before whitespace: the Latin marks, the danda of Devanagari and Bengali (। ॥), the Arabic
# question mark (؟) and the Urdu full stop (۔).
SPACED_FULL_STOPS = ".!?…।॥؟۔"
# Chinese and Japanese full stops, which need no whitespace after them, and the closing quotes
# and brackets that may follow one.
CJK_FULL_STOPS = "。！？"
CJK_CLOSERS = "」』”’）)"
FULL_STOPS = SPACED_FULL_STOPS + CJK_FULL_STOPS
# Quotation marks, opening or closing, of Danish and English text.
QUOTES = "\"'“”„«»‘’"
