"""The project's own list of places (worker/training/places.tsv), read by the lexicon builder, and
the builder's table of names."""

from __future__ import annotations

import tomllib
from collections import Counter
from fnmatch import fnmatch

import pytest

from tests.conftest import ROOT
from worker.training.lexicon import FEATURES, PLACES_FILE, Lexicon, read_places


def test_each_listed_place_sets_a_place_feature_of_the_lexicon_once():
    places = read_places()
    assert set(places) == {"country", "region"} <= set(FEATURES)
    names = [name for listed in places.values() for name in listed]
    assert [name for name, n in Counter(names).items() if n > 1] == []
    assert all(name == name.strip() and name[:1].isupper() for name in names)
    assert {"Skotland", "Sovjetunionen", "Holland"} <= set(places["country"])
    assert {"Jylland", "Østersøen", "Mellemøsten"} <= set(places["region"])


def test_comments_and_blank_lines_are_skipped_and_a_line_without_a_tab_is_refused(tmp_path):
    path = tmp_path / "places.tsv"
    path.write_text("# a comment\n\nregion\tFyn\ncountry\tWales\n", encoding="utf-8")
    assert read_places(path) == {"region": ["Fyn"], "country": ["Wales"]}
    path.write_text("region Fyn\n", encoding="utf-8")
    with pytest.raises(ValueError):
        read_places(path)


def test_an_installed_package_carries_the_list():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["worker"]
    relative = PLACES_FILE.relative_to(ROOT / "worker").as_posix()
    assert any(fnmatch(relative, pattern) for pattern in patterns)


def test_a_place_of_two_words_or_more_is_kept_whole_beside_its_words_as_place_parts():
    lexicon = Lexicon()
    lexicon.add_names(["São Paulo", "Salt Lake City", "Aarhus"], "city")
    lexicon.add_whole_names(["São Paulo", "Salt  Lake City", "Aarhus"], "city")
    city, part = FEATURES.index("city"), FEATURES.index("place_part")
    assert lexicon.rows["são paulo"][city] == lexicon.rows["salt lake city"][city] == 1.0
    assert lexicon.rows["são"][part] == lexicon.rows["paulo"][part] == 1.0 and lexicon.rows["são"][city] == 0.0
    # A one-word name is set by add_names alone, as before.
    assert lexicon.rows["aarhus"][city] == 1.0 and lexicon.rows["aarhus"][part] == 0.0
