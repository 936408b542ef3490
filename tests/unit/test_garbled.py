"""UTF-8 that was read as Windows-1252 or Latin-1, in the text the analysis reads
(worker.pipeline.garbled, through characters.read_text)."""

from __future__ import annotations

from worker.pipeline.characters import read_text


def test_utf_8_read_as_windows_1252_or_latin_1_is_read_as_what_it_was():
    text = "KÃ¸benhavn, Itâ€™s â€\x9cSultâ€\x9d, VelÃ\xa0squez ogÂ\xa0FaaÂ\xadborg"
    read, offsets = read_text(text)
    assert read == "København, It’s “Sult”, Velàsquez og Faaborg"
    assert [text[offsets.start(i) : offsets.end(i + 1)] for i in (1, 13)] == ["Ã¸", "â€™"]
    # Text that was no UTF-8 never reads so.
    assert read_text("Øst på Ærø: Å, café« NÃO")[0] == "Øst på Ærø: Å, café« NÃO"
