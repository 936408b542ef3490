"""The names of months and weekdays the pipeline knows, in lower case: the sentence splitter (no
sentence ends at "12. jan."), the entities (a month beside a day's number is a date, not a name)
and the boilerplate rules (a line that is only a date) read them alike."""

from __future__ import annotations

MONTH_ABBREVIATIONS = frozenset(
    "jan feb mar apr jun jul aug sep sept okt oct nov dec".split()
)
MONTHS = frozenset(
    "januar februar marts april maj juni juli august september oktober "
    "november december january february march may june july october "
    "jänner märz mai dezember mars augusti oktober desember".split()
)
WEEKDAYS = frozenset(
    "mandag tirsdag onsdag torsdag fredag lørdag søndag "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
