"""Marshmallow schemas at the HTTP boundary: what a client may send and what it gets back."""

from __future__ import annotations

import json
import re
from datetime import datetime

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from newsdesk.languages import ISO_639_1

# ISO 8601 at the precisions news metadata has: year, month, day, or a timestamp with zone.
_PUBLISHED_AT = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(?P<zone>Z|[+-]\d{2}:?\d{2})?)?)?)?$"
)


# The same shape for the OpenAPI document (ECMA regex: no named groups).
PUBLISHED_AT_PATTERN = (r"^(?!0000)\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])"
                        r"([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?"
                        r"(Z|[+-]\d{2}:?\d{2})?)?)?)?$")


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
    clock = (match["time"] or "00:00")[:8].split(":")  # HH:MM or HH:MM:SS, a fraction cut off
    hour, minute, second = (clock + ["00"])[:3]
    try:
        # The constructor refuses exactly what strptime("%Y-%m-%d %H:%M:%S") refuses for the
        # two-digit fields the pattern lets through (tests/unit/test_schemas.py), at a tenth of the cost.
        datetime(int(match["y"]), int(match["m"] or 1), int(match["d"] or 1), int(hour), int(minute), int(second))
    except ValueError:
        return False
    return True


class HasText(validate.Regexp):
    r"""`^[\s\S]*\S` (some character other than whitespace), as /openapi.json publishes it, checked
    without the regex: `[\s\S]*` runs to the end of the text and backs off from there, a third of a
    submit's validation for a 2,000-character article. Python's `\s` is what `str.isspace()` calls
    whitespace (tests/unit/test_schemas.py checks every character)."""

    def __call__(self, value: str) -> str:
        if not value or value.isspace():
            raise ValidationError(self._format_error(value))
        return value


def _check_text(value: str) -> None:
    if "\x00" in value:
        raise ValidationError("Must not contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("Must be valid Unicode (no lone surrogate escapes).") from None


# Generous for any real metadata, and far below what json.dumps and json.loads can recurse
# through: a stored job must always encode and decode.
MAX_METADATA_DEPTH = 32


def _nested_deeper_than(value, levels: int) -> bool:
    """Whether `value` nests more than `levels` objects and arrays (stops looking past that)."""
    if not isinstance(value, (dict, list)):
        return False
    if levels == 0:
        return True
    children = value.values() if isinstance(value, dict) else value
    return any(_nested_deeper_than(child, levels - 1) for child in children)


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
        metadata={"description": "Upper bound on the summary's length in characters. Sentences are never "
                                 "cut: when not even one fits, the best sentence comes alone, over the cap."},
    )


_OPTION_DEFAULTS = OptionsSchema().load({})


class ArticleSchema(Schema):
    class Meta:
        unknown = RAISE

    text = fields.String(
        required=True,
        validate=HasText(r"^[\s\S]*\S", error="Must contain text, not only whitespace."),
        metadata={"description": "The article body: plain text, or HTML or markdown, read as its text (offsets "
                                 "count the text as sent)."},
    )
    title = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2_000),
                          metadata={"description": 'Analysed too: its entity mentions carry "field": "title".'})
    language = fields.String(
        load_default="auto",
        validate=validate.OneOf(["auto", *sorted(ISO_639_1)],
                                error='Must be "auto" or a lower-case ISO 639-1 code such as "da".'),
        metadata={"description": '"auto" or an ISO 639-1 code such as "da" or "en".'},
    )
    url = fields.Url(load_default=None, allow_none=True, schemes={"http", "https"}, require_tld=False,
                     metadata={"description": "Echoed back unchanged."})
    callback_url = fields.Url(
        load_default=None, allow_none=True, schemes={"http", "https"}, require_tld=False,
        metadata={"description": "Called with the signed job document when the job ends."},
    )
    published_at = PublishedAt(
        load_default=None, allow_none=True,
        metadata={"pattern": PUBLISHED_AT_PATTERN, "example": "2023-09-11",
                  "description": "ISO 8601 at any precision; echoed back exactly as given."},
    )
    metadata = fields.Dict(keys=fields.String(), load_default=dict,
                           metadata={"description": "Echoed back unchanged with the job; objects and arrays "
                                                    f"nest at most {MAX_METADATA_DEPTH} levels deep."})
    # A fresh copy of the defaults, worked out once: a schema per request costs more than the rest.
    options = fields.Nested(OptionsSchema, load_default=lambda: dict(_OPTION_DEFAULTS))

    @validates("text")
    def _text_is_text(self, value: str, **_) -> None:
        _check_text(value)

    @validates("title")
    def _title_is_text(self, value: str | None, **_) -> None:
        if value is not None:
            _check_text(value)

    @validates("metadata")
    def _metadata_is_storable(self, value: dict, **_) -> None:
        if _nested_deeper_than(value, MAX_METADATA_DEPTH):
            raise ValidationError(f"Must not nest objects and arrays more than {MAX_METADATA_DEPTH} levels deep.")
        try:
            # Every key and string at once (the depth is bounded by now). A lone surrogate is not
            # Unicode text: strict JSON parsers refuse it in the job document and webhook bodies.
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError("Keys and values must be valid Unicode (no lone surrogate escapes).") from None


_article_schema = ArticleSchema()


def load_article(data) -> dict:
    """``ArticleSchema().load(data)`` with one schema instance for the process."""
    return _article_schema.load(data)

class JobListQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    status = fields.String(load_default=None,
                           validate=validate.OneOf(["queued", "running", "succeeded", "failed"]))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = fields.Integer(load_default=None, validate=validate.Range(min=0),
                            metadata={"description": "`next_cursor` of the previous page."})


# What clients get back. These schemas document responses in /openapi.json (the job document
# itself is built in newsdesk.job_document, shared with webhook deliveries).

class ProblemSchema(Schema):
    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    code = fields.String(required=True, metadata={"description": "Stable, machine-readable error code."})
    detail = fields.String()
    instance = fields.String()
    errors = fields.Dict(metadata={"description": "For 422: the messages for each failing field."})


class LinksSchema(Schema):
    self_ = fields.String(data_key="self", required=True)
    next = fields.String()


class JobAcceptedSchema(Schema):
    job_id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["queued"]))
    links = fields.Nested(LinksSchema, required=True)


# How offsets count, said on every offset field of /openapi.json (README: GET /v1/jobs/<job_id>).
_CODE_POINTS = ("in Unicode code points of the text as submitted (Python string indices), not UTF-16 "
                "units or bytes: an emoji or other character outside the BMP counts once, a CR of CRLF "
                "and a combining accent count too. In JavaScript, slice `Array.from(text)` or convert.")


def _offset(what: str) -> fields.Integer:
    return fields.Integer(required=True, metadata={"description": f"{what}, {_CODE_POINTS}"})


class MentionSchema(Schema):
    field = fields.String(required=True, validate=validate.OneOf(["title", "text"]),
                          metadata={"description": "The field the offsets index: the submitted `text` or `title`."})
    start = _offset("Where the mention starts in its field")
    end = _offset("Where it ends (exclusive)")
    text = fields.String(required=True, metadata={"description": "Exactly `field[start:end]`."})


class EntityGroupSchema(Schema):
    name = fields.String(required=True)
    label = fields.String(required=True, validate=validate.OneOf(["PER", "LOC", "ORG", "MISC"]))
    count = fields.Integer(required=True)
    salience = fields.Float(
        required=True, metadata={"description": "0-1: how central the entity is to the article (mentions, "
                                                "first position, presence in title and summary); groups are "
                                                "sorted by it."})
    mentions = fields.List(fields.Nested(MentionSchema), required=True)


class SummarySentenceSchema(Schema):
    index = fields.Integer(required=True, metadata={"description": "The sentence's place among the text's sentences."})
    start = _offset("Where the sentence starts in the submitted `text`")
    end = _offset("Where it ends (exclusive)")
    text = fields.String(required=True, metadata={"description": "Exactly `text[start:end]`."})
    score = fields.Float(required=True)
    entities = fields.List(fields.String(), required=True,
                           metadata={"description": "Names of the entity groups mentioned."})


class SummarySchema(Schema):
    text = fields.String(required=True)
    sentences = fields.List(fields.Nested(SummarySentenceSchema), required=True)


class NoticeSchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)


class ResultSchema(Schema):
    language = fields.String(
        required=True,
        metadata={"description": 'The ISO 639-1 code the article was analysed in, or "und" when detection '
                                 "could not tell (too few letters, or a script of none of the languages it knows)."})
    language_source = fields.String(required=True, validate=validate.OneOf(["client", "detected"]))
    summary = fields.Nested(SummarySchema, required=True)
    entities = fields.List(fields.Nested(EntityGroupSchema), required=True)
    warnings = fields.List(fields.Nested(NoticeSchema), required=True)
    models = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True), required=True)


class ArticleEchoSchema(Schema):
    title = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    published_at = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    callback_url = fields.String(allow_none=True)
    chars = fields.Integer(required=True,
                           metadata={"description": "The text's length in Unicode code points, as offsets count."})


class WebhookStateSchema(Schema):
    url = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(["pending", "retrying", "delivered", "failed"]))
    attempts = fields.Integer(required=True)
    last_status = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)
    updated_at = fields.String(required=True)


class JobSchema(Schema):
    job_id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["queued", "running", "succeeded", "failed"]))
    created_at = fields.String(required=True)
    started_at = fields.String(required=True, allow_none=True)
    finished_at = fields.String(required=True, allow_none=True)
    expires_at = fields.String(required=True, metadata={"description": "When the job and its result are deleted; provisional until the job finishes."})
    error = fields.Nested(NoticeSchema, required=True, allow_none=True)
    result = fields.Nested(ResultSchema, allow_none=True, metadata={"description": "Absent in job lists."})
    article = fields.Nested(ArticleEchoSchema, required=True)
    metadata = fields.Dict(required=True)
    links = fields.Nested(LinksSchema, required=True)
    webhook = fields.Nested(WebhookStateSchema, metadata={"description": "Only with a callback_url."})


class JobListSchema(Schema):
    jobs = fields.List(fields.Nested(JobSchema), required=True)
    next_cursor = fields.Integer(required=True, allow_none=True)
    links = fields.Nested(LinksSchema, required=True)


class WebhookSecretSchema(Schema):
    secret = fields.String(required=True)
    algorithm = fields.String(required=True)
    header = fields.String(required=True)
    signed_content = fields.String(required=True)


class JobQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    wait = fields.Float(load_default=0, validate=validate.Range(min=0, max=30),
                        metadata={"description": "Seconds to wait for the job to finish (long polling, max 30). "
                                                 "When the API already holds as many long polls as it will, "
                                                 "the job comes back at once as it is, with `Retry-After: 1`."})


_wait_query = JobQuerySchema()


def wait_seconds(request) -> float:
    """The request's `?wait=` (0 when it has no query, the common case: no schema to run)."""
    return _wait_query.load(request.args.to_dict())["wait"] if request.query_string else 0


class BatchSchema(Schema):
    class Meta:
        unknown = RAISE

    articles = fields.List(fields.Nested(ArticleSchema), required=True,
                           validate=validate.Length(min=1, max=1000),
                           metadata={"description": "1 to 1,000 articles, each as in POST /v1/articles."})


class BatchAcceptedSchema(Schema):
    batch_id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["queued"]))
    job_ids = fields.List(fields.String(), required=True, metadata={"description": "In submission order."})
    links = fields.Nested(LinksSchema, required=True)


class BatchJobSchema(Schema):
    job_id = fields.String(required=True)
    status = fields.String(required=True, allow_none=True,
                           metadata={"description": "null once the job has expired or was deleted."})
    links = fields.Nested(LinksSchema, required=True)


class BatchStatusSchema(Schema):
    batch_id = fields.String(required=True)
    created_at = fields.String(required=True)
    expires_at = fields.String(required=True)
    total = fields.Integer(required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                         metadata={"description": "Jobs per status (queued, running, succeeded, failed, gone)."})
    jobs = fields.List(fields.Nested(BatchJobSchema), required=True)
    links = fields.Nested(LinksSchema, required=True)


class BatchReplaySchema(BatchAcceptedSchema, BatchStatusSchema):
    """A repeated POST /v1/batches (same Idempotency-Key and body): the first answer's fields
    and the batch as it is now."""
