"""`longbrief eval terms`: how CUAD's answers are read and compared."""

from __future__ import annotations

from pipeline.terms import Party
from training.eval_terms import (
    _states_nothing,
    date_matches,
    fold,
    gold_parties,
    party_counts,
    predicted_parties,
    select,
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


def test_a_lettered_party_alias_counts_on_both_sides() -> None:
    answer = 'Hangzhou Minfeng Co. ("Party A"); Ningbo Swift Ltd. ("Party B"); each a "Party"'
    gold = gold_parties(answer)
    assert gold == ["Hangzhou Minfeng Co", "Party A", "Ningbo Swift Ltd", "Party B"]
    pred = predicted_parties(
        [Party("Hangzhou Minfeng Co.", "Party A"), Party("Ningbo Swift Ltd.", "Party B")]
    )
    assert party_counts(gold, pred) == (4, 4, 4)


def test_a_date_left_wholly_blank_states_no_date() -> None:
    assert _states_nothing("agreement_date", "[]/[]/[]")
    assert _states_nothing("effective_date", "[]/[]/19[]")
    assert _states_nothing("expiration_date", "")
    assert not _states_nothing("agreement_date", "[]/[]/2020")
    assert not _states_nothing("renewal_term", "[]/[]/[]")


def test_train_halves_partition_the_train_split() -> None:
    records = [{"id": f"contract-{i}"} for i in range(400)]
    ids = {s: {r["id"] for r in select(records, s, None)} for s in ("train", "train-a", "train-b")}
    assert ids["train-a"] and ids["train-b"]
    assert ids["train-a"] | ids["train-b"] == ids["train"]
    assert not ids["train-a"] & ids["train-b"]
    held = {r["id"] for r in select(records, "heldout", None)}
    assert not held & ids["train"]


def test_party_matching_is_maximal_not_greedy() -> None:
    # Greedy would give "Acme" the first gold name it matches, leaving "Acme Holdings Inc."
    # without the gold name that only it matches.
    gold = ["Acme Holdings", "Acme Trust"]
    pred = ["Acme", "Acme Holdings Inc."]
    assert party_counts(gold, pred) == (2, 2, 2)
    assert party_counts(["Brook"], ["Acme", "Brook LLC"]) == (1, 2, 1)
    assert party_counts([], ["Acme"]) == (0, 1, 0)


def test_a_name_typed_with_one_slip_names_the_same_party() -> None:
    # CUAD typed "Pifzer", "Kriomic", "SLICON" and "AizuFujitsu" where the contract says
    # otherwise; the extracted names are the contract's.
    pairs = [
        ("Pifzer Inc", "Pfizer Inc."),
        ("Kriomic, Inc", "Kiromic, Inc"),
        ("SLICON SMELTERS PTY LTD", "SILICON SMELTERS"),
        ("AizuFujitsu Semiconductor Limited", "Aizu Fujitsu Semiconductor Limited"),
        ("Sponser", "Sponsor"),
        ("PRIMEEVERGY CORPORATION", "PRIMEEVERG"),
    ]
    for gold, pred in pairs:
        assert party_counts([gold], [pred]) == (1, 1, 1), (gold, pred)
    # Two edits apart, or short names one letter apart, are different parties.
    for gold, pred in [
        ("Torevic Inc", "Torvec Inc."),
        ("ABC Corp", "ABD Corp"),
        ("Veoneer AB", "Veoneer US"),
    ]:
        assert party_counts([gold], [pred]) == (0, 1, 1), (gold, pred)


def test_what_is_left_of_a_defining_sentence_is_no_party() -> None:
    answer = (
        'The Babcock & Wilcox Company ("RemainCo"); individually as a   and collectively as the; '
        "Party:, collectively, the; a Party; Loop and Joint Venture Company"
    )
    assert gold_parties(answer) == [
        "The Babcock & Wilcox Company",
        "RemainCo",
        "Loop and Joint Venture Company",
    ]
    # The two parties named together where the answer's sentence defines them jointly.
    answer = 'Stryker ("Stryker"); Conformis, Inc. ("Conformis"); Stryker and Conformis'
    assert gold_parties(answer) == ["Stryker", "Conformis, Inc", "Conformis"]
    assert gold_parties('Papa John\'s and Co ("PJ")') == ["Papa John's and Co", "PJ"]


def test_a_date_answer_with_several_values_accepts_any() -> None:
    assert date_matches("09/05/2019; perpetual", "2019-09-05")
    assert date_matches("09/05/2019; perpetual", "perpetual")
    assert not date_matches("09/05/2019; perpetual", "2019-05-09")
    assert date_matches("[]/[]/2000", "2000-06-01")
    assert not date_matches("perpetual", "2000-06-01")
