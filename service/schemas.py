"""Marshmallow schemas at the HTTP boundary: what a client may send and what it gets back."""

from __future__ import annotations

import re
from datetime import datetime

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from newsdesk.languages import ISO_639_1

# ISO 8601 at the precisions news metadata has: year, month, day, or a timestamp with zone.
_PUBLISHED_AT = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(?P<zone>Z|[+-]\d{2}:?\d{2})?)?)?)?$"
)


class PublishedAt(fields.String):
    """Validated as ISO 8601 (any precision) but kept exactly as the client wrote it."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        match = _PUBLISHED_AT.match(text)
        if not match or not _is_real_date(match):
            raise ValidationError(
                "Must be ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD or a timestamp such as "
                "2023-09-11T08:30:00+02:00."
            )
        return text


def _is_real_date(match: re.Match) -> bool:
    year, month, day = match["y"], match["m"] or "01", match["d"] or "01"
    clock = (match["time"] or "00:00")[:8]
    if len(clock) == 5:
        clock += ":00"
    try:
        datetime.strptime(f"{year}-{month}-{day} {clock}", "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return False
    return True


def _check_text(value: str) -> None:
    if "\x00" in value:
        raise ValidationError("Must not contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("Must be valid Unicode (no lone surrogate escapes).") from None


class OptionsSchema(Schema):
    class Meta:
        unknown = RAISE

    summary_sentences = fields.Integer(
        strict=True, load_default=3, validate=validate.Range(min=1, max=10),
        metadata={"description": "How many sentences the summary has at most (1-10)."},
    )
    summary_max_chars = fields.Integer(
        strict=True, load_default=None, allow_none=True,
        validate=validate.Range(min=20, max=100_000),
        metadata={"description": "Upper bound on the summary's length in characters."},
    )


class ArticleSchema(Schema):
    class Meta:
        unknown = RAISE

    text = fields.String(required=True, metadata={"description": "The article body."})
    title = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2_000))
    language = fields.String(
        load_default="auto",
        metadata={"description": '"auto" or an ISO 639-1 code such as "da" or "en".'},
    )
    url = fields.Url(load_default=None, allow_none=True, schemes={"http", "https"})
    callback_url = fields.Url(
        load_default=None, allow_none=True, schemes={"http", "https"}, require_tld=False,
        metadata={"description": "Called with the signed job document when the job ends."},
    )
    published_at = PublishedAt(load_default=None, allow_none=True)
    metadata = fields.Dict(keys=fields.String(), load_default=dict,
                           metadata={"description": "Echoed back unchanged with the job."})
    options = fields.Nested(OptionsSchema, load_default=lambda: OptionsSchema().load({}))

    @validates("text")
    def _text_has_content(self, value: str, **_) -> None:
        if not value.strip():
            raise ValidationError("Must contain text, not only whitespace.")
        _check_text(value)

    @validates("title")
    def _title_is_text(self, value: str | None, **_) -> None:
        if value is not None:
            _check_text(value)

    @validates("language")
    def _known_language(self, value: str, **_) -> None:
        if value != "auto" and value not in ISO_639_1:
            raise ValidationError('Must be "auto" or a lower-case ISO 639-1 code such as "da".')


class JobListQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    status = fields.String(load_default=None,
                           validate=validate.OneOf(["queued", "running", "succeeded", "failed"]))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = fields.Integer(load_default=None, validate=validate.Range(min=0),
                            metadata={"description": "`next_cursor` of the previous page."})
