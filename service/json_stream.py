"""A JSON document read from a file a value at a time: a batch of 50 MB is walked an article at a
time, and never held whole, as text or as the objects parsed from it.

What it accepts and what it makes of it are json.loads's on the whole text: the bytes are decoded
as json.loads decodes them (UTF-8, -16 or -32 after json.detect_encoding, lone surrogates
passed), each value (an article) is parsed by the standard library's own decoder, and only the
brackets, commas and colons around the values walked are read here, by json's grammar. A
malformed document is refused (MalformedJson) with json.loads's message, placed in the whole text
("Expecting ',' delimiter: line 1 column 9 (char 8)"). Where they differ: invalid UTF-8 after a
syntax error is reported as the syntax error (json.loads decodes it all first), and the nesting
at which RecursionError stops a value is counted from that value, not from the document's top.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any, BinaryIO, Callable, Iterator

_WHITESPACE = re.compile(r"[ \t\n\r]*")  # json's own
# Bytes decoded at a time (a value longer than that: as much more again). Their text is up to 4
# bytes a character: 256 KiB keep a batch's reading near 2 MB of memory (tracemalloc), 1 MiB near
# 8, at the same speed (a value cut at the end is parsed again: articles of 50 KB, 1 in 5).
_READ = 256 * 1024
# A value cut short at the end of what was read fails within this many characters of its end
# ("-Infinity", or a \uXXXX escape), or as an unterminated string, or is a number that ends
# there: read on and parse it again.
_NEAR_END = 10


class MalformedJson(ValueError):
    """The document is not JSON: the message says why and where, as json.loads would."""


class JsonStream:
    def __init__(self, file: BinaryIO, parse_constant: Callable[[str], Any] | None = None):
        head = file.read(4)
        file.seek(-len(head), 1)
        self._encoding = json.detect_encoding(head)
        self._decoder = codecs.getincrementaldecoder(self._encoding)("surrogatepass")
        self._decode_value = json.JSONDecoder(parse_constant=parse_constant).raw_decode
        self._file, self._bytes_read, self._eof = file, 0, False
        self._text, self._at = "", 0  # the text read and not yet dropped; where the walk is in it
        self._dropped = 0  # characters dropped before _text
        self._lines, self._line_start = 0, 0  # newlines among them; where the line after the last starts
        while not self._text and self._fill():
            pass  # the first character: a BOM left after decoding is refused, as json.loads refuses it
        if self._text.startswith("\ufeff"):
            raise self._error("Unexpected UTF-8 BOM (decode using utf-8-sig)")

    def peek(self) -> str:
        """The next character after whitespace, not taken ('' at the end)."""
        while True:
            self._at = _WHITESPACE.match(self._text, self._at).end()
            if self._at < len(self._text) or not self._fill():
                return self._text[self._at:self._at + 1]

    def value(self) -> Any:
        """The next value, parsed as json.loads parses it."""
        self.peek()
        while True:
            try:
                value, end = self._decode_value(self._text, self._at)
            except json.JSONDecodeError as exc:
                if self._maybe_cut(exc) and self._fill(more=True):
                    continue
                raise self._error(exc.msg, exc.pos) from None
            except ValueError as exc:  # parse_constant's refusal
                raise MalformedJson(str(exc)) from None
            except RecursionError:  # the parser recurses per level: a value of nested brackets stops it
                raise MalformedJson("The JSON is nested too deeply to parse.") from None
            # A number that ends near the end of the text read may go on ("1" of "1.5e3").
            if end + _NEAR_END < len(self._text) or not self._fill(more=True):
                self._at = end
                return value

    def members(self) -> Iterator[str]:
        """The keys of the object that comes next, each once its colon is taken: the caller
        takes its value (value(), skip(), or a walk of its own) before asking for the next."""
        self._take("{", "Expecting value")
        if self.peek() == "}":
            self._at += 1
            return
        while True:
            if self.peek() != '"':
                raise self._error("Expecting property name enclosed in double quotes")
            key = self.value()
            self._take(":", "Expecting ':' delimiter")
            yield key
            if self._went_on("}"):
                return

    def items(self) -> Iterator[int]:
        """The indexes of the items of the array that comes next; the caller takes each value
        before asking for the next."""
        self._take("[", "Expecting value")
        if self.peek() == "]":
            self._at += 1
            return
        index = 0
        while True:
            yield index
            if self._went_on("]"):
                return
            index += 1

    def skip(self) -> None:
        """Take the next value, checked as json.loads checks it; an array's items or an object's
        members parsed one at a time."""
        if self.peek() == "[":
            for _ in self.items():
                self.value()
        elif self.peek() == "{":
            for _ in self.members():
                self.value()
        else:
            self.value()

    def end(self) -> None:
        """Check that nothing but whitespace follows."""
        if self.peek():
            raise self._error("Extra data")

    def _take(self, char: str, expecting: str) -> None:
        if self.peek() != char:
            raise self._error(expecting)
        self._at += 1

    def _went_on(self, closing: str) -> bool:
        """After a member or item: True at the closing bracket, False after a comma."""
        after = self.peek()
        if after not in (",", closing):
            raise self._error("Expecting ',' delimiter")
        self._at += 1
        return after == closing

    def _maybe_cut(self, exc: json.JSONDecodeError) -> bool:
        return not self._eof and (exc.msg.startswith("Unterminated string") or exc.pos >= len(self._text) - _NEAR_END)

    def _fill(self, more: bool = False) -> bool:
        """Read on (with `more`, at least as much as is left unread in _text, so that a long value
        is parsed again only a few times); False at the end of the file."""
        if self._eof:
            return False
        self._drop_read()
        piece = self._file.read(max(_READ, len(self._text)) if more else _READ)
        self._eof = not piece
        self._text += self._decode(piece)
        self._bytes_read += len(piece)
        return bool(piece) or self._at < len(self._text)

    def _decode(self, piece: bytes) -> str:
        pending = len(self._decoder.getstate()[0])
        try:
            return self._decoder.decode(piece, final=not piece)
        except UnicodeDecodeError as exc:
            # As the whole body's decode says it, at its place in the whole body.
            start = self._bytes_read - pending + exc.start
            where = (f"byte 0x{exc.object[exc.start]:02x} in position {start}" if exc.end == exc.start + 1
                     else f"bytes in position {start}-{start + exc.end - exc.start - 1}")
            raise MalformedJson(f"'{exc.encoding}' codec can't decode {where}: {exc.reason}") from None

    def _drop_read(self) -> None:
        """Drop the text walked past (its lines counted, for the place of an error)."""
        walked = self._text[:self._at]
        newlines = walked.count("\n")
        if newlines:
            self._lines += newlines
            self._line_start = self._dropped + walked.rindex("\n") + 1
        self._dropped += self._at
        self._text, self._at = self._text[self._at:], 0

    def _error(self, message: str, at: int | None = None) -> MalformedJson:
        """`message` as json.JSONDecodeError words it, at `at` in _text (where the walk is)."""
        at = self._at if at is None else at
        char = self._dropped + at
        line = self._lines + self._text.count("\n", 0, at) + 1
        newline = self._text.rfind("\n", 0, at)
        column = at - newline if newline >= 0 else char - self._line_start + 1
        return MalformedJson(f"{message}: line {line} column {column} (char {char})")
