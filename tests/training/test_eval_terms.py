"""`longbrief eval terms`: how CUAD's answers are read and compared."""

from __future__ import annotations

from pipeline.terms import Party
from training.eval_terms import (
    _states_nothing,
    fold,
    gold_parties,
    party_counts,
    predicted_parties,
)


def test_alias_that_is_only_a_suffix_still_matches() -> None:
    assert fold("Company") == "company"
    assert fold("Acme Holdings, Inc.") == "acme holdings"
    gold = gold_parties('Acme Holdings, Inc. ("Company"); Brook LLC ("Distributor")')
    assert gold == ["Acme Holdings, Inc", "Company", "Brook LLC", "Distributor"]
    pred = predicted_parties(
        [Party("Acme Holdings, Inc.", "Company"), Party("Brook LLC", "Distributor")]
    )
    assert party_counts(gold, pred) == (4, 4, 4)


def test_the_sentence_defining_party_is_no_party() -> None:
    answer = (
        'Acme Inc. ("Acme"); Brook LLC ("Brook"); individually as "Party" and collectively as '
        'the "Parties"'
    )
    assert gold_parties(answer) == ["Acme Inc", "Acme", "Brook LLC", "Brook"]


def test_a_date_left_wholly_blank_states_no_date() -> None:
    assert _states_nothing("agreement_date", "[]/[]/[]")
    assert _states_nothing("effective_date", "[]/[]/19[]")
    assert _states_nothing("expiration_date", "")
    assert not _states_nothing("agreement_date", "[]/[]/2020")
    assert not _states_nothing("renewal_term", "[]/[]/[]")
