"""Parties and their aliases: lists of parties that run over addresses, other agreements and
blanks.

Every text here is invented; each case is a wording a lawyer would recognize.
"""

from __future__ import annotations

from pipeline.ingest import ingest_bytes
from pipeline.keyterms import extract_terms
from pipeline.segment import segment
from pipeline.terms import Party


def parties_of(text: str) -> list[Party]:
    result = ingest_bytes("doc.txt", text.encode("utf-8"))
    assert result.documents, result.errors
    return [t.value for t in extract_terms(segment(result.documents[0])).get("parties")]


def test_the_parties_of_an_amended_agreement_are_not_this_agreements() -> None:
    text = (
        'AMENDMENT NO. 2\n\nThis AMENDMENT NO. 2 (this "Amendment") is made as of June 4, 2021 '
        'by and among Halvard Optics AB, a Swedish company ("Halvard"), and Merrow Lens Co., '
        'Ltd., a Japanese corporation ("Merrow"), as an amendment to that certain Supply '
        'Agreement dated May 1, 2016 by and among Pellam Glass, Inc. ("Pellam"), Pellam '
        'Holding AB ("Pellam Holding") and Merrow Lens Co., Ltd.\n\nRECITALS\n\n'
        "(A) The parties wish to amend the Supply Agreement.\n"
    )
    assert parties_of(text) == [
        Party("Halvard Optics AB", "Halvard"),
        Party("Merrow Lens Co., Ltd.", "Merrow"),
    ]


def test_a_party_after_an_address_with_no_and() -> None:
    text = (
        "JOINT VENTURE AGREEMENT\n\nTHIS JOINT VENTURE AGREEMENT is made as of May 3, 2021 by "
        'and among Kestrel Ceramics Limited ("KCL"), a company incorporated in Japan, with an '
        'address at 4-2 Minato, Kobe, Hyogo, Japan, Osprey Kilns Limited ("OKL"), a company '
        "incorporated in Japan, with an address at 7 Sakura Dori, Nagoya, Japan, as the sole "
        'shareholder of KCL, and Tern Materials, Inc. ("Tern"), a Delaware corporation.\n\n'
        "WHEREAS KCL makes ceramic parts.\n"
    )
    assert parties_of(text) == [
        Party("Kestrel Ceramics Limited", "KCL"),
        Party("Osprey Kilns Limited", "OKL"),
        Party("Tern Materials, Inc.", "Tern"),
    ]


def test_a_party_right_after_the_alias_of_the_one_before() -> None:
    text = (
        'AMENDMENT NO. 1\n\nThis Amendment No. 1 (the "Amendment"), entered into by and '
        'between Dunmore Dairy, LLC ("Dunmore") Ferris Nutrition Corporation ("Ferris") is '
        "effective as of June 1, 2021 and amends that certain Supply Agreement between Dunmore "
        'and Ferris dated May 1, 2019 ("Agreement").\n\nWHEREAS the Parties wish to amend the '
        "Agreement.\n"
    )
    assert parties_of(text) == [
        Party("Dunmore Dairy, LLC", "Dunmore"),
        Party("Ferris Nutrition Corporation", "Ferris"),
    ]


def test_a_party_address_before_its_alias_is_no_party() -> None:
    text = (
        "SUPPLY AGREEMENT\n\nThis Supply Agreement is made by and between Brackley Foods, LLC, "
        "a Delaware limited liability company, 12 Orchard Way, Emeryville, CA 94608 "
        '("Buyer"), and Tolland Dairy Inc., a Delaware corporation, 9 Lake Street, Chicago, '
        'Illinois 60631 ("Supplier").\n\n1. Supply. Supplier shall supply the Products.\n'
    )
    assert parties_of(text) == [
        Party("Brackley Foods, LLC", "Buyer"),
        Party("Tolland Dairy Inc.", "Supplier"),
    ]
