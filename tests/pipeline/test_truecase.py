"""Tests for pipeline.truecase: WordPiece spacing undone, source casing restored."""

from __future__ import annotations

import pytest

from lm.weights import minilm_available
from pipeline.truecase import TrueCaser, detokenize

SOURCES = [
    "MASTER SERVICES AGREEMENT\n"
    "This Agreement is made by Halvorsen Logistics Ltd. and Brightwater Analytics, Inc. "
    "Supplier shall deliver each SOW on time. The SOW names the GDPR duties of Supplier.",
    "Brightwater Analytics shall invoice Halvorsen monthly under the SOW. "
    "Payment is due in thirty (30) days. Payment terms follow the Agreement.",
]


class TestDetokenize:
    @pytest.mark.parametrize(
        ("decoded", "expected"),
        [
            ("$ 1, 000. 00", "$1,000.00"),
            ("us $ 1, 000, 000. 00", "us $1,000,000.00"),
            ("thirty ( 30 ) days", "thirty (30) days"),
            ("non - compete", "non-compete"),
            ("2024 - 03 - 01", "2024-03-01"),
            ("section 10. 5", "section 10.5"),
            ("1. 5 % per month", "1.5% per month"),
            ("customer ' s invoices", "customer's invoices"),
            ("pay , then notify ; see below : done .", "pay, then notify; see below: done."),
            ("why ? because !", "why? because!"),
            ("  extra   spaces \n and  lines  ", "extra spaces and lines"),
            ("", ""),
        ],
    )
    def test_fixes_wordpiece_spacing(self, decoded: str, expected: str) -> None:
        assert detokenize(decoded) == expected

    def test_sentence_end_before_a_word_keeps_its_space(self) -> None:
        assert detokenize("it ends. the next starts") == "it ends. the next starts"

    def test_idempotent(self) -> None:
        once = detokenize("$ 1, 000. 00 within thirty ( 30 ) days , non - compete .")
        assert detokenize(once) == once == "$1,000.00 within thirty (30) days, non-compete."

    def test_dotted_abbreviations_are_rejoined(self) -> None:
        assert detokenize("the u. s. dollar, e. g. fees") == "the u.s. dollar, e.g. fees"

    def test_quotes_hug_their_words(self) -> None:
        assert detokenize('the " agreement " means') == 'the "agreement" means'

    @pytest.mark.skipif(not minilm_available(), reason="MiniLM tokenizer not installed")
    def test_round_trip_through_the_real_tokenizer(self) -> None:
        from lm.tokenizer import Tokenizer

        tok = Tokenizer.minilm()
        source = (
            "Customer shall pay US$1,000,000.00 within thirty (30) days; the non-compete in "
            "Section 10.5 applies from 2024-03-01 at 1.5% per month."
        )
        decoded = tok.decode(tok.encode(source).ids)
        assert decoded != source.lower()  # WordPiece really does add the spaces
        assert detokenize(decoded) == source.lower().replace("us$", "us $")


class TestTrueCaser:
    caser = TrueCaser(SOURCES)

    def test_restores_names_and_acronyms(self) -> None:
        out = self.caser.apply(
            "brightwater analytics shall deliver the sow to halvorsen logistics ltd. under gdpr."
        )
        assert out == (
            "Brightwater Analytics shall deliver the SOW to Halvorsen Logistics Ltd. under GDPR."
        )

    def test_capitalizes_the_first_letter(self) -> None:
        assert self.caser.apply("the agreement is made.") == "The Agreement is made."
        assert self.caser.apply("zebra crossing") == "Zebra crossing"

    def test_unknown_words_stay_lower_case(self) -> None:
        assert self.caser.apply("x unheard-of words") == "X unheard-of words"

    def test_capital_after_sentence_end_is_not_a_casing(self) -> None:
        # "Payment" only ever appears capitalized after ". ": it says nothing about the word.
        assert self.caser.apply("a late payment") == "A late payment"

    def test_most_frequent_casing_wins(self) -> None:
        caser = TrueCaser(["the Fee and the fee and the fee", "a Fee and a fee"])
        assert caser.apply("one fee") == "One fee"
        caser = TrueCaser(["the Fee and the Fee and the fee"])
        assert caser.apply("one fee") == "One Fee"

    def test_empty(self) -> None:
        assert TrueCaser([]).apply("") == ""
        assert TrueCaser([]).apply("abc") == "Abc"
