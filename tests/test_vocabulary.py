"""Vocabularies are registered explicitly, looked up by name, and passed to check directly."""

import pytest
import sympy as sp

import derive
from derive import check
from derive.claims.vocabulary import DEFAULT, Vocabulary, load_vocabulary, register_vocabulary, registered_vocabularies
from derive.errors import InvalidVocabularyError, UnsupportedError

SIZES = Vocabulary(name="sizes", index_ranges={"j": (sp.Integer(1), sp.Integer(4))})


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test; the session's (q1, q4, q5) comes back afterwards."""
    monkeypatch.setattr("derive.claims.vocabulary._REGISTERED", {})


def test_register_and_look_up(registry):
    register_vocabulary("Sizes", SIZES)
    assert registered_vocabularies() == ("sizes",)
    assert load_vocabulary("sizes") is SIZES and load_vocabulary(" SIZES ") is SIZES
    assert check(r"\sum_j j = 10", question="sizes").status == "proven"
    assert derive.register_vocabulary is register_vocabulary


def test_a_factory_is_built_at_the_first_lookup_and_once(registry):
    calls = []

    def build() -> Vocabulary:
        calls.append(1)
        return SIZES

    register_vocabulary("lazy", build)
    assert calls == [] and registered_vocabularies() == ("lazy",)
    assert load_vocabulary("lazy") is SIZES and load_vocabulary("lazy") is SIZES
    assert calls == [1]


def test_a_later_registration_replaces(registry):
    register_vocabulary("v", SIZES)
    register_vocabulary("v", DEFAULT)
    assert load_vocabulary("v") is DEFAULT


def test_unknown_question_names_the_registered_ones(registry):
    register_vocabulary("q7", SIZES)
    with pytest.raises(UnsupportedError, match=r"'q9' \(registered: q7\)"):
        check("x = x", question="q9")


def test_nothing_registered(registry):
    with pytest.raises(UnsupportedError, match="registered: none"):
        load_vocabulary("q4")


@pytest.mark.parametrize("name", [None, "", "default", "Default"])
def test_default_needs_no_registration(registry, name):
    assert load_vocabulary(name) is DEFAULT


@pytest.mark.parametrize("name, entry, message", [
    ("default", SIZES, "name other than 'default'"),
    ("", SIZES, "name other than ''"),
    ("  ", SIZES, "name other than"),
    ("q4", "q4", "expected a Vocabulary or a function"),
    ("q4", 3, "got int"),
])
def test_bad_registrations(registry, name, entry, message):
    with pytest.raises(InvalidVocabularyError, match=message):
        register_vocabulary(name, entry)
    assert registered_vocabularies() == ()


def test_a_factory_that_returns_something_else(registry):
    register_vocabulary("broken", lambda: "not a vocabulary")
    with pytest.raises(InvalidVocabularyError, match="returned str, not a Vocabulary"):
        load_vocabulary("broken")


def test_check_takes_a_vocabulary_object(registry):
    assert check(r"\sum_j j = 10", vocabulary=SIZES).status == "proven"
    assert check(r"\sum_j j = 10", vocabulary=SIZES, question="unregistered").status == "proven"  # object wins
    assert check(r"\sum_j j = 10").status == "refuted"  # the default range is 1..n
    with pytest.raises(InvalidVocabularyError, match="takes a Vocabulary, not str"):
        check("x = x", vocabulary="q4")


def test_the_session_registers_the_assignment_questions():
    """tests/conftest.py imports proofs.vocabulary, which registers the questions."""
    assert set(registered_vocabularies()) >= {"q1", "q4", "q5"}
    assert load_vocabulary("Q4").name == "q4" and load_vocabulary("q4") is load_vocabulary("q4")
