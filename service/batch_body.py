"""A batch's body (POST /v1/batches) read an article at a time, twice, from its spool: so that a
batch of 50 MB costs the memory of one article, not of all of them at once (issue #6).

The first reading checks it all, as BatchSchema and the batch's limits did with the whole body
parsed: malformed JSON anywhere is a 400 before anything else is said; then the same errors in
the same shapes (`{"articles": {"<index>": {...}}}`, unknown fields, a missing or empty list, over
1,000 articles) and in the same order of precedence. It keeps only the count of the articles and
the Idempotency-Key fingerprint of the validated batch. The second reading, once the batch is
accepted and its key claimed, gives the articles to be recorded one at a time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import BinaryIO, Iterator

from marshmallow import ValidationError, validate

from newsdesk.settings import Settings

from .articles import callback_errors, malformed_json, not_json
from .idempotency import BatchDigest, Digest
from .json_stream import JsonStream, MalformedJson
from .schemas import BatchSchema

_BATCH = BatchSchema()
_ARTICLES = _BATCH.fields["articles"]
# The field each item of the list is loaded with, as the batch schema loads it.
_ARTICLE = _ARTICLES.inner
_MOST = next(v.max for v in _ARTICLES.validators if isinstance(v, validate.Length))


@dataclass
class _Shape:
    """What the body is around its articles: all that the batch schema has to say of it."""
    is_object: bool = False
    articles: str | None = "required"  # the articles field's error ("null", "invalid"), None for a list
    unknown: dict[str, None] = field(default_factory=dict)  # other keys, in order
    lists: int = 0  # how many times "articles" came: json.loads keeps the last
    findings: _Findings | None = None  # of the last


class BatchBody:
    def __init__(self, file: BinaryIO, settings: Settings, fingerprinted: bool = True):
        """Without `fingerprinted` (no Idempotency-Key) no fingerprint is worked out: hashing a
        batch's JSON takes as long as parsing it."""
        self._file, self._settings, self._fingerprinted = file, settings, fingerprinted
        self.count, self.fingerprint = 0, Digest()
        self._lists = 0

    def check(self) -> None:
        """Read the batch through: 400 when it is not JSON, ValidationError (422) when it is not a
        batch that may be queued; else count it and fingerprint it."""
        try:
            stream = self._stream()
            shape = _walk(stream, self._settings, self._fingerprinted)
            stream.end()
        except MalformedJson as exc:
            raise malformed_json(str(exc)) from None
        findings = shape.findings or _Findings(self._settings, False)
        findings.refuse(shape)
        self.count, self._lists = findings.count, shape.lists
        if findings.digest is not None:
            self.fingerprint = findings.digest.hexdigest()

    def articles(self) -> Iterator[dict]:
        """The articles of a checked batch, loaded one at a time, as check() loaded them."""
        stream = self._stream()
        for seen, _key in enumerate(stream.members(), 1):
            if seen < self._lists:  # an "articles" that a later one replaces
                stream.skip()
                continue
            for _index in stream.items():
                yield _ARTICLE.deserialize(stream.value())

    def _stream(self) -> JsonStream:
        self._file.seek(0)
        return JsonStream(self._file, parse_constant=not_json)


def _walk(stream: JsonStream, settings: Settings, fingerprinted: bool) -> _Shape:
    shape = _Shape()
    if stream.peek() != "{":
        stream.skip()  # checked all the same: malformed JSON is a 400 whatever its shape
        return shape
    shape.is_object = True
    for key in stream.members():
        if key != "articles":
            shape.unknown[key] = None
            stream.skip()
            continue
        shape.lists += 1
        shape.findings = _Findings(settings, fingerprinted)
        shape.articles = _walk_articles(stream, shape.findings)
    return shape


def _walk_articles(stream: JsonStream, findings: _Findings) -> str | None:
    first = stream.peek()
    if first == "n":
        stream.value()  # null, or malformed
        return "null"
    if first != "[":
        stream.skip()
        return "invalid"
    for index in stream.items():
        findings.article(index, stream.value())
    return None


class _Findings:
    """What the first reading found of the articles, an article at a time."""

    def __init__(self, settings: Settings, fingerprinted: bool):
        self.settings = settings
        self.count, self.digest = 0, BatchDigest() if fingerprinted else None
        self.invalid: dict[int, dict] = {}  # the schema's errors by index
        self.refused: dict[int, dict] = {}  # the limits' errors (callback, length) by index
        # Beyond this many the batch is refused whole, its articles' limits unsaid.
        self.most = min(settings.max_queued_per_key, _MOST)

    def article(self, index: int, item) -> None:
        self.count = index + 1
        try:
            article = _ARTICLE.deserialize(item)
        except ValidationError as exc:
            self.invalid[index] = exc.messages
            return
        if self.invalid or index >= self.most:
            return  # refused for the schema's errors, or its length: nothing else is said
        if self.digest is not None:
            self.digest.add(article)
        errors = _limit_errors(article, self.settings)
        if errors:
            self.refused[index] = errors

    def refuse(self, shape: _Shape) -> None:
        """Raise the batch's errors, as the schema and then the limits gave them."""
        if not shape.is_object:
            raise ValidationError({"_schema": [_BATCH.error_messages["type"]]})
        errors = {}
        if shape.articles:
            errors["articles"] = [_ARTICLES.error_messages[shape.articles]]
        elif self.invalid or _length_errors(self.count):
            errors["articles"] = self.invalid or _length_errors(self.count)
        errors |= {key: [_BATCH.error_messages["unknown"]] for key in shape.unknown}
        if errors:
            raise ValidationError(errors)
        most = self.settings.max_queued_per_key
        if self.count > most:
            # Such a batch would meet a full queue (429) on every retry, however long it waited.
            raise ValidationError({"articles": [f"More than {most} articles: a key may have no more "
                                                "jobs queued (NEWSDESK_MAX_QUEUED_PER_KEY)."]})
        if self.refused:
            raise ValidationError({"articles": self.refused})


def _length_errors(count: int) -> list[str]:
    """The list's validators' messages for a list of `count` items (range(count) has its len)."""
    messages = []
    for validator in _ARTICLES.validators:
        try:
            validator(range(count))
        except ValidationError as exc:
            messages += exc.messages
    return messages


def _limit_errors(article: dict, settings: Settings) -> dict:
    limit = settings.max_body_bytes
    errors = callback_errors(article)
    if _utf8_length(article["text"], limit) > limit:
        errors["text"] = [f"Longer than {limit} bytes (UTF-8), the limit for one article."]
    if _rest_length(article) > limit:
        # The fields besides the text (metadata, url, ...) are bounded as in a single article's
        # body: unchecked, one item's metadata could take most of a 50 MB batch, and its job
        # record and answers a worker and an API process then hold whole.
        errors["_schema"] = [f"The fields other than text take more than {limit} bytes as JSON (UTF-8), "
                             "the limit for one article."]
    return errors


def _rest_length(article: dict) -> int:
    """The UTF-8 length of the article's JSON without its text (metadata, url, options, ...)."""
    rest = {name: value for name, value in article.items() if name != "text"}
    return len(json.dumps(rest, ensure_ascii=False).encode("utf-8", "surrogatepass"))


def _utf8_length(text: str, limit: int) -> int:
    """The text's length in UTF-8 bytes, as a single article's body is measured; encoded only
    when its length in characters cannot tell (a character takes 1 to 4 bytes)."""
    return len(text) if len(text) > limit or 4 * len(text) <= limit else len(text.encode("utf-8"))
