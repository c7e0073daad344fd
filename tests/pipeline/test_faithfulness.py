"""Tests for pipeline.faithfulness: the facts a summary sentence must share with its sources."""

from __future__ import annotations

import pytest

from pipeline.faithfulness import (
    Check,
    SourceFacts,
    check,
    months,
    names,
    normalize_number,
    number_faithfulness,
    numbers,
)

SOURCE = (
    "This Master Services Agreement is entered into as of March 1, 2024 by and between "
    'Halvorsen Logistics Ltd. ("Customer") and Brightwater Analytics, Inc. ("Supplier").\n'
    "Customer shall pay each undisputed invoice within thirty (30) days after receipt.\n"
    "The aggregate liability of Supplier shall not exceed One Million U.S. Dollars "
    "(US$1,000,000.00). Late amounts bear interest at 1.5% per month."
)


class TestNumbers:
    @pytest.mark.parametrize(
        ("token", "expected"),
        [
            ("1,000,000.00", "1000000"),
            ("1000000", "1000000"),
            ("1,000,000", "1000000"),
            ("30", "30"),
            ("2.50", "2.5"),
            ("1.5", "1.5"),
            ("100.0", "100"),
            ("007", "7"),
            ("0", "0"),
            ("0.00", "0"),
        ],
    )
    def test_normalize_number(self, token: str, expected: str) -> None:
        assert normalize_number(token) == expected

    def test_grouped_and_plain_amounts_are_equal(self) -> None:
        assert normalize_number("1,000,000.00") == normalize_number("1000000")
        assert numbers("US$1,000,000.00") == numbers("USD 1000000") == ["1000000"]

    def test_words_with_digits_in_parentheses(self) -> None:
        assert numbers("within thirty (30) days") == ["30"]
        assert numbers("forty-five (45) days, or 60,") == ["45", "60"]

    def test_numbers_in_order_with_punctuation(self) -> None:
        text = "Section 10.5 caps it at $500,000. Interest: 1.5% per month; March 1, 2024."
        assert numbers(text) == ["10.5", "500000", "1.5", "1", "2024"]

    def test_sentence_final_period_is_not_a_decimal(self) -> None:
        assert numbers("The fee is 2024.") == ["2024"]
        assert numbers("It costs 1,000.") == ["1000"]

    def test_no_numbers(self) -> None:
        assert numbers("The parties agree as follows.") == []


class TestMonthsAndNames:
    def test_months_full_and_abbreviated(self) -> None:
        assert months("March 1, 2024, Sept. 30 and 5 Dec 2025; JANUARY") == [
            "mar",
            "sep",
            "dec",
            "jan",
        ]

    def test_month_words_inside_other_words_do_not_count(self) -> None:
        assert months("the decimal marker and the marching band") == []

    def test_party_names(self) -> None:
        assert names("by Brightwater Analytics, Inc. to the customer") == ["brightwater analytics"]
        # The corporate suffix stays part of the name (its period does not).
        assert names("Halvorsen Logistics Ltd. shall pay") == ["halvorsen logistics ltd"]
        assert names("Acme Corp. agrees") == ["acme corp"]
        assert names("Globex GmbH and Initech LLC") == ["globex gmbh", "initech llc"]

    def test_single_capitalized_words_and_stop_words_are_not_names(self) -> None:
        assert names("The Supplier shall pay the Customer.") == []
        assert names("Customer shall notify Supplier.") == []


class TestCheck:
    facts = SourceFacts.of(SOURCE)

    def test_source_facts(self) -> None:
        assert {"1000000", "30", "1.5", "2024", "1"} <= self.facts.numbers
        assert self.facts.months == frozenset({"mar"})
        # Whitespace is folded so that names broken over lines still match.
        assert "\n" not in self.facts.text_lower
        assert "brightwater analytics" in self.facts.text_lower

    @pytest.mark.parametrize(
        "sentence",
        [
            "Supplier's liability is capped at $1,000,000.",
            "The cap is US$1000000.00.",
            "Invoices are payable within 30 days.",
            "Interest accrues at 1.5% per month.",
            "The agreement dates from March 1, 2024.",
            "Halvorsen Logistics Ltd. and Brightwater Analytics signed it.",
            "The parties agree on terms.",
        ],
    )
    def test_supported_sentences_pass(self, sentence: str) -> None:
        result = check(sentence, self.facts)
        assert result.ok, result
        assert result.unsupported == ()

    @pytest.mark.parametrize(
        ("sentence", "missing"),
        [
            ("Supplier's liability is capped at $9,999,999.", ("9999999",)),
            ("Invoices are payable within 45 days.", ("45",)),
            ("The agreement dates from October 1, 2024.", ("oct",)),
            ("The agreement dates from March 1, 2031.", ("2031",)),
            ("Acme Widgets Corp. guarantees payment.", ("acme widgets corp",)),
            ("Northwind Traders owes $5 in June.", ("5", "jun", "northwind traders")),
        ],
    )
    def test_invented_facts_are_flagged(self, sentence: str, missing: tuple[str, ...]) -> None:
        result = check(sentence, self.facts)
        assert not result.ok
        assert result.unsupported == missing

    def test_fact_count(self) -> None:
        sentence = "Halvorsen Logistics Ltd. pays $1,000,000 in 30 days from March 2024."
        result = check(sentence, self.facts)
        # numbers 1000000, 30, 2024; month mar; name halvorsen logistics ltd
        assert result == Check(facts=5, unsupported=())
        assert check("Nothing to check here.", self.facts) == Check(0, ())

    def test_name_fragment_is_not_support(self) -> None:
        # "water analytics" occurs inside "brightwater analytics": an invented party passes.
        assert not check("Water Analytics shall pay the fee.", self.facts).ok


class TestNumberFaithfulness:
    def test_counts(self) -> None:
        summary = "Pay $1,000,000 within 30 days, or $2,000 within 45 days."
        assert number_faithfulness(summary, SOURCE) == (2, 4)

    def test_all_found(self) -> None:
        assert number_faithfulness("A cap of 1000000 and 30 days.", SOURCE) == (2, 2)

    def test_repeated_numbers_count_each_time(self) -> None:
        assert number_faithfulness("30 days, 30 days, 31 days.", SOURCE) == (2, 3)

    def test_no_numbers(self) -> None:
        assert number_faithfulness("No amounts at all.", SOURCE) == (0, 0)
        assert number_faithfulness("7 days.", "") == (0, 1)
