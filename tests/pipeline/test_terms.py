"""How normalized key-term values read in reports."""

from __future__ import annotations

from pipeline.terms import Party


def test_party_reads_as_name_and_alias():
    assert str(Party("Acme Corp.", "Supplier")) == 'Acme Corp. ("Supplier")'
    assert str(Party("Acme Corp.")) == "Acme Corp."


def test_party_left_unnamed_reads_by_its_alias():
    assert str(Party("", "Investor")) == '(unnamed) ("Investor")'
