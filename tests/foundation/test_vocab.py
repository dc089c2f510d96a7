"""talentmatch.vocab: each closed list of values is written once, and every form, importer,
bit table, export and API enumeration takes its values from there."""

import csv

import pytest

from talentmatch import vocab
from talentmatch.api import openapi
from talentmatch.catalog import translator
from talentmatch.geo.names import PREFECTURE_EN
from talentmatch.matching import explain, matcher
from talentmatch.matching.matcher import data, match_index, posting_index
from talentmatch.postings.template import cleaners, fields
from talentmatch.professionals import profile
from talentmatch.professionals.vocabulary import DATA_DIR
from talentmatch.publication import filters, present
from talentmatch.subscriptions import matching as subscriptions
from talentmatch.subsidies import costs

LISTS = {
    "BODY_KINDS": vocab.BODY_KINDS,
    "ROLE_TYPES": vocab.ROLE_TYPES,
    "EMPLOYMENT_TYPES": vocab.EMPLOYMENT_TYPES,
    "JOINT_WISHES": vocab.JOINT_WISHES,
    "REMOTE_OPTIONS": vocab.REMOTE_OPTIONS,
    "COMPENSATION_UNITS": vocab.COMPENSATION_UNITS,
    "FOCUS_AREAS": vocab.FOCUS_AREAS,
    "DX_POLICY_STATUSES": vocab.DX_POLICY_STATUSES,
    "PUBLICATION_CHANNELS": vocab.PUBLICATION_CHANNELS,
    "PROFESSIONAL_KINDS": vocab.PROFESSIONAL_KINDS,
    "REMOTE_PREFERENCES": vocab.REMOTE_PREFERENCES,
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_each_list_has_distinct_values_labels_and_a_japanese_label(name):
    choices = LISTS[name]
    assert len(set(vocab.values(choices))) == len(choices)
    assert len(set(vocab.labels(choices).values())) == len(choices)
    ja = translator("ja")
    for c in choices:
        assert ja(c.label) != c.label, (name, c.value)  # through the catalogue, like any text
        # Japanese exports write the first alias (publication.present).
        assert c.aliases and not c.aliases[0].isascii(), (name, c.value)


def test_the_kinds_and_prefectures_are_those_of_the_master_list():
    with (DATA_DIR / "municipalities.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    prefectures = sorted(r["prefecture_code"] for r in rows if r["kind"] == "prefecture")
    assert prefectures == list(vocab.PREFECTURE_CODES)
    assert len(vocab.PREFECTURE_CODES) == 47
    assert {r["kind"] for r in rows} == set(vocab.KIND_LABELS)
    assert vocab.MUNICIPAL_KINDS == ("designated_city", "city", "special_ward", "town", "village")
    assert tuple(PREFECTURE_EN) == vocab.PREFECTURE_CODES


def test_every_table_and_enumeration_takes_its_values_from_the_vocabulary():
    employment = vocab.values(vocab.EMPLOYMENT_TYPES)
    focus = vocab.values(vocab.FOCUS_AREAS)
    remote = vocab.values(vocab.REMOTE_OPTIONS)
    # The posting template.
    assert fields.CHOICES["employment_type"] == vocab.EMPLOYMENT_TYPES
    assert fields.CHOICES["focus_areas"] == vocab.FOCUS_AREAS
    assert fields.CHOICES["remote"] == vocab.REMOTE_OPTIONS
    assert fields.CHOICES["compensation_unit"] == vocab.COMPENSATION_UNITS
    # The matcher's bit tables, the saved searches' stored bits, the listing's filters.
    assert employment == matcher.EMPLOYMENT_TYPES == tuple(subscriptions.EMPLOYMENT_BITS)
    assert focus == matcher.FOCUS_KEYS == tuple(subscriptions.FOCUS_BITS)
    assert remote == matcher.REMOTE_MODES == subscriptions.REMOTE_VALUES
    assert vocab.values(vocab.REMOTE_PREFERENCES) == matcher.REMOTE_PREFERENCES
    assert vocab.PREFECTURE_CODES == data.PREF_CODES == subscriptions.PREFECTURE_CODES
    assert (employment, focus, remote) == (
        filters.EMPLOYMENT_VALUES, filters.FOCUS_VALUES, filters.REMOTE_VALUES)
    # The API document.
    params = {p["name"]: p["schema"]
              for p in openapi.document()["paths"]["/api/v1/postings"]["get"]["parameters"]}
    assert params["employment_type"]["enum"] == list(employment)
    assert params["focus_area"]["enum"] == list(focus)
    assert params["remote"]["enum"] == list(remote)
    assert params["prefecture"]["enum"] == list(vocab.PREFECTURE_CODES)
    # What each employment type means elsewhere covers every one of them.
    for table in (costs.EMPLOYMENT_CATEGORY, present.SCHEMA_EMPLOYMENT,
                  match_index._NO_EMPLOYMENT, posting_index._YOU_NO_EMPLOYMENT):
        assert set(table) == set(employment)
    assert vocab.values(vocab.COMPENSATION_UNITS) == costs.UNITS


@pytest.mark.parametrize("choice", vocab.FOCUS_AREAS, ids=lambda c: c.value)
def test_both_importers_accept_every_spelling_of_a_focus_area(choice):
    """The posting template and the talent list take the same words, the plan's own Japanese
    wording and the English spellings lists use included."""
    for spelling in (choice.value, choice.label, *choice.aliases):
        assert profile.choice_value("focus_areas", spelling) == choice.value, spelling
        assert cleaners.clean_field("focus_areas", spelling) == ([choice.value], None), spelling


def test_a_focus_area_is_named_in_the_readers_language_from_the_catalogue():
    assert explain.focus_label("bpr", "en") == "Business process reform (BPR)"
    assert explain.focus_label("bpr", "ja") == translator("ja")("Business process reform (BPR)")
    assert explain.focus_label("security", "ja") == "セキュリティ対策の徹底"
    assert explain.focus_label("no_such_area", "ja") == "no_such_area"
