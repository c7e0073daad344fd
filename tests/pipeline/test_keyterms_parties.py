"""Parties and their aliases: preamble wordings beyond the plain "by and between X and Y".

Every text here is invented; each case is a wording a lawyer would recognize.
"""

from __future__ import annotations

from keyterms_support import parties_of

from pipeline.terms import Party


def test_a_name_that_runs_on_into_its_street_address() -> None:
    text = (
        "DISTRIBUTION AGREEMENT\n\nThis Agreement is effective 2/1/21 between Quorvane Audio, Inc. "
        '("Quorvane"), and Maribel Corporation 412 Larkspur Parkway Suite 9 Fremont, CA 94538 '
        '("Distributor").\n\n1. Products. Quorvane shall sell Products to Distributor.\n'
    )
    assert parties_of(text) == [
        Party("Quorvane Audio, Inc.", "Quorvane"),
        Party("Maribel Corporation", "Distributor"),
    ]


def test_an_also_known_as_inside_a_description_does_not_end_the_party() -> None:
    text = (
        "HOSTING AGREEMENT\n\nThis Hosting Agreement is made by and between Tollard Networks, "
        'Inc., a Delaware corporation ("Tollard"), and PINEVALE.NET CORPORATION, a Nevada '
        "corporation, a.k.a. Pinevale.com, with its office at 9 Orchard Lane, Reno, Nevada "
        '89501 ("Host").\n\n1. Services. Host shall host the site.\n'
    )
    assert parties_of(text) == [
        Party("Tollard Networks, Inc.", "Tollard"),
        Party("PINEVALE.NET CORPORATION", "Host"),
    ]


def test_a_letter_agreement_names_its_senders_and_its_addressee() -> None:
    text = (
        "PLACEMENT AGREEMENT\n\nMarch 3, 2021\n\nHarwick Capital Markets, Inc. 40 Dock Street "
        "Boston, Massachusetts 02110\n\nAttention: Lena Morrow\n\nLadies and Gentlemen:\n\n"
        'The undersigned, Orrin Bancorp, Inc. (the "Company"), and Orrin Savings Bank, a state '
        'savings bank (the "Bank"), confirm their agreement with you as follows.\n\n'
        "1. Engagement. The Company engages you as its placement agent.\n"
    )
    assert parties_of(text) == [
        Party("Orrin Bancorp, Inc.", "Company"),
        Party("Orrin Savings Bank", "Bank"),
        Party("Harwick Capital Markets, Inc.", ""),
    ]


def test_the_opening_list_wins_over_a_later_list_of_other_dealings() -> None:
    text = (
        "SERVICES AGREEMENT\n\nThis Services Agreement, dated as of May 2, 2019, is made by "
        'Calder Freight, Inc., a Delaware corporation (the "Company"), and Ostrava Logistics LLC, '
        'a Texas limited liability company (the "Provider").\n\nThe Provider may use the depot '
        "under the Depot Licence made between Marlow County, a political subdivision "
        '("Landlord"), Ostrava Logistics LLC ("Tenant"), and Brenner Holdings, Inc. '
        '("Guarantor").\n\n1. Services. The Provider shall haul.\n'
    )
    assert parties_of(text) == [
        Party("Calder Freight, Inc.", "Company"),
        Party("Ostrava Logistics LLC", "Provider"),
    ]


def test_parties_left_blank_redacted_or_described_keep_their_aliases() -> None:
    text = (
        "SUPPLY AGREEMENT\n\nThis Supply Agreement is entered into by and between [ * * * ] "
        '(the "Supplier"), Lindqvist Tools AB, a Swedish company ("Lindqvist"), and '
        '__________________, a ____________ corporation ("Buyer").\n\n'
        "1. Supply. The Supplier shall supply the Goods.\n"
    )
    assert parties_of(text) == [
        Party("", "Supplier"),
        Party("Lindqvist Tools AB", "Lindqvist"),
        Party("", "Buyer"),
    ]


def test_a_party_described_by_a_schedule_and_its_collective_aliases() -> None:
    text = (
        "STANDSTILL AGREEMENT\n\nThis Standstill Agreement, dated as of June 1, 2020, is made "
        'by and among Norrland Media, Inc., a Delaware corporation (the "Company"), and each of '
        'the persons listed on Schedule A hereto (each, a "Holder" and collectively, the '
        '"Holders").\n\n1. Standstill. No Holder shall acquire shares.\n'
    )
    assert parties_of(text) == [
        Party("Norrland Media, Inc.", "Company"),
        Party("", "Holder"),
        Party("", "Holders"),
    ]


def test_a_group_alias_defined_together_with_the_earlier_parties() -> None:
    text = (
        "COOPERATION AGREEMENT\n\nThis Cooperation Agreement, dated as of May 4, 2021, is by and "
        'among Tarn Capital Ltd., a Cayman Islands company ("Tarn"), Eskdale Fund LP, a '
        'Delaware limited partnership ("Eskdale", and together with Tarn, the "Tarn Group"), '
        'and Corvid Robotics, Inc., a Delaware corporation (the "Company").\n\n'
        "1. Board. The Company shall appoint one director.\n"
    )
    assert parties_of(text) == [
        Party("Tarn Capital Ltd.", "Tarn"),
        Party("Eskdale Fund LP", "Eskdale"),
        Party("Eskdale Fund LP", "Tarn Group"),
        Party("Corvid Robotics, Inc.", "Company"),
    ]


def test_a_group_alias_in_a_bracket_of_its_own() -> None:
    text = (
        "LICENSE AGREEMENT\n\nThis License Agreement is entered into on March 2, 2022 by and "
        'between Hollin Music, LLC ("Hollin") and Grey Fern Media, Inc. ("Grey Fern") '
        '(Hollin and Grey Fern are, together, the "Licensor Parties") and Brackwater Foods '
        'Corp., a Delaware corporation (the "Licensee").\n\n1. License. The Licensor Parties '
        "grant the license.\n"
    )
    assert parties_of(text) == [
        Party("Hollin Music, LLC", "Hollin"),
        Party("Grey Fern Media, Inc.", "Grey Fern"),
        Party("Grey Fern Media, Inc.", "Licensor Parties"),
        Party("Brackwater Foods Corp.", "Licensee"),
    ]


def test_a_later_collective_definition_is_no_party_alias() -> None:
    text = (
        "FRANCHISE AGREEMENT\n\nThis Franchise Agreement is made on April 9, 2020 by and between "
        'Pellam Bakes, Inc. ("we") and Ostler Cafe LLC ("you"). We own recipes, trade names and '
        'logos (collectively, the "Marks").\n\n1. Grant. We grant you a franchise.\n'
    )
    assert [p.alias for p in parties_of(text)] == ["we", "you"]


def test_a_hereinafter_alias_without_quotes_after_the_description() -> None:
    text = (
        "FRANCHISE AGREEMENT\n\nThis agreement is made and entered into by and between Dunmore "
        "Pies, Inc., a Vermont corporation with its principal place of business at 12 Mill Road, "
        "Barre, Vermont (hereinafter referred to as Dunmore) and Kestrel Foods LLC (the "
        '"Franchisee").\n\n1. Grant. Dunmore grants a franchise.\n'
    )
    assert parties_of(text) == [
        Party("Dunmore Pies, Inc.", "Dunmore"),
        Party("Kestrel Foods LLC", "Franchisee"),
    ]


def test_parties_that_open_the_text_with_no_between() -> None:
    text = (
        "Exhibit 10.4\n\nMARKETING SERVICES AGREEMENT Halvard Mutual Insurance Corporation, a "
        "Michigan insurance corporation (HMIC) and Brisk Agency, Inc., an Ohio corporation "
        '("Agency"), agree as follows:\n\n1. Authority. Agency may solicit applications.\n'
    )
    assert parties_of(text) == [
        Party("Halvard Mutual Insurance Corporation", ""),
        Party("Brisk Agency, Inc.", "Agency"),
    ]


def test_an_alias_after_the_full_stop_of_an_address() -> None:
    text = (
        "ALLIANCE AGREEMENT\n\nThis Agreement is made by and between: Orla Systems Inc. With "
        'offices at 5 Quay Road, Cork, Ireland. ("Orla") AND Tamsin Works Ltd., With offices at '
        '20 Bay Street, Accra, Ghana. ("Tamsin") As of the date set forth below.\n\n'
        "1. Alliance. The parties shall cooperate.\n"
    )
    assert parties_of(text) == [
        Party("Orla Systems Inc.", "Orla"),
        Party("Tamsin Works Ltd.", "Tamsin"),
    ]


def test_a_party_named_on_the_cover_and_in_the_preamble_keeps_one_spelling() -> None:
    text = (
        'SERVICES AGREEMENT\n\nBetween\n\nHALDEN LABS, INC. ("Company")\n\nAnd\n\nBRYCE '
        'PACKAGING, LLC ("Contractor")\n\nThis Services Agreement is made as of May 1, 2020, '
        'between Halden Labs, Inc. ("Company"), and Bryce Packaging, LLC, a Utah limited '
        'liability company ("Contractor").\n\n1. Services. Contractor shall pack the Products.\n'
    )
    names = {p.name for p in parties_of(text)}
    assert names == {"HALDEN LABS, INC.", "BRYCE PACKAGING, LLC"}


def test_the_person_a_loan_out_company_furnishes_is_a_party() -> None:
    text = (
        "ENDORSEMENT AGREEMENT\n\nThis Endorsement Agreement is entered into on July 1, 2021 by "
        'and between Larkspur Talent, LLC ("Lender"), for the services of Dana Whitcombe '
        '("Endorser"), and Fennick Sports, Inc., a Delaware corporation ("Fennick").\n\n'
        "1. Endorsement. Endorser shall endorse the Products.\n"
    )
    assert parties_of(text) == [
        Party("Larkspur Talent, LLC", "Lender"),
        Party("Dana Whitcombe", "Endorser"),
        Party("Fennick Sports, Inc.", "Fennick"),
    ]


def test_the_company_named_in_an_order_form_field() -> None:
    text = (
        "SOFTWARE LICENSE AGREEMENT\n\nCompany Name: Penrose Analytics, Inc. Company Address: "
        "77 Ferry Lane, Austin, TX 78701\n\nThis Software License Agreement is entered into by "
        'and between Quillfeather Bank, N.A. ("Quillfeather") and the company named above '
        '("Supplier").\n\n1. License. Supplier grants a license.\n'
    )
    assert Party("Penrose Analytics, Inc.", "") in parties_of(text)


def test_hereafter_lines_after_a_register_number_and_a_mismatched_quote() -> None:
    text = (
        "MAINTENANCE AGREEMENT\n\nThis agreement is entered into on May 4th, 2021.\n\nBETWEEN:\n\n"
        "VESTRANO AVIACAO S/A, a company incorporated under the laws of Brazil, whose registered "
        "office is at Rua Nove 12, Campinas, Brazil, registered under number 12.345.678.\n\n"
        'Hereafter referred to as the "Operator" or "VESTRANO",\n\nOn the one part,\n\nAND:\n\n'
        "CIELMONT SERVICES, S.A., a French company whose office is at 3 rue Lys, Lyon, France, "
        "registered with the Trade and Companies Register of Lyon number 412 345 678,\n\n"
        'Hereafter referred to as the "Repairer\' or "CIELMONT", On the other part.\n\n'
        "RECITALS:\n\nWHEREAS the Operator operates aircraft.\n"
    )
    assert parties_of(text) == [
        Party("VESTRANO AVIACAO S/A", "Operator"),
        Party("VESTRANO AVIACAO S/A", "VESTRANO"),
        Party("CIELMONT SERVICES, S.A.", "Repairer"),
        Party("CIELMONT SERVICES, S.A.", "CIELMONT"),
    ]


def test_a_preamble_that_lost_its_quote_marks_keeps_its_bracketed_aliases() -> None:
    text = (
        "LICENSE AGREEMENT\n\nThis LICENSE AGREEMENT (this Agreement) is entered into effective as "
        "of March 2, 2021 (the Effective Date) by and between Tarnwell Bio AG, having its place of "
        "business at Bahnhofstrasse 4, Zug (Tarnwell) and Odessa Therapeutics, Inc., having its "
        "principal place of business at 80 Pine Street, Austin, TX 78701, USA (Licensee).\n\n"
        "RECITALS\n\nWHEREAS Tarnwell owns certain patents.\n"
    )
    assert parties_of(text) == [
        Party("Tarnwell Bio AG", "Tarnwell"),
        Party("Odessa Therapeutics, Inc.", "Licensee"),
    ]


def test_with_quote_marks_a_bare_bracket_after_a_description_is_no_alias() -> None:
    text = (
        "AGENCY AGREEMENT\n\nBrindle Mutual Insurance Company, a Michigan insurance corporation "
        '(BMIC) and Selden & Roe, Inc., a Nevada corporation ("Agency") agree as follows:\n\n'
        "A. AUTHORITY. The Agency may bind coverage.\n"
    )
    assert parties_of(text) == [
        Party("Brindle Mutual Insurance Company", ""),
        Party("Selden & Roe, Inc.", "Agency"),
    ]


def test_role_labels_of_a_translated_contract() -> None:
    text = (
        "Design Contract for the Lakeside Spa\n\nThe Covenanter: Lotus Bay Leisure Inc. "
        "(hereinafter referred to as Party A) and the Covenanter: Wen Hao Design Studio Co., "
        "Ltd. (hereinafter referred to as Party B) hereby agree to the following terms.\n\n"
        "Article 1. Party B shall design the spa.\n"
    )
    assert parties_of(text) == [
        Party("Lotus Bay Leisure Inc.", "Party A"),
        Party("Wen Hao Design Studio Co., Ltd.", "Party B"),
    ]


def test_a_role_label_with_two_roles_and_no_other_alias() -> None:
    text = (
        "PURCHASE CONTRACT\n\nContract No: Date:\n\nThe buyer/End-User: Kelp Harbour Trading "
        "Co., Ltd. ADD: Tel No.: Fax No.:\n\nThe Contract is concluded and signed by the Buyer "
        "and the Seller on the terms below.\n\n1. Goods. The Seller shall deliver the goods.\n"
    )
    assert parties_of(text) == [
        Party("Kelp Harbour Trading Co., Ltd.", "buyer"),
        Party("Kelp Harbour Trading Co., Ltd.", "End-User"),
    ]


def test_numbered_companies_called_party_a_and_party_b() -> None:
    text = (
        "JOINT VENTURE CONTRACT\n\nArticle 1 Parties to this Contract\n\n1. Harbin Mingda "
        "Machinery Limited Liability Company (hereinafter referred to as Party A), established "
        'under the laws of the People\'s Republic of China ("PRC").\n\nLegal Representative of '
        "Party A:\n\nName: Li Wei\n\n2. Corvant Systems, Inc., (hereinafter referred to as Party "
        "B), established under the laws of the State of Delaware.\n\nLegal Representative of "
        "Party B:\n\nName: Ann Roe\n\nArticle 2 The parties shall form a joint venture.\n"
    )
    assert parties_of(text) == [
        Party("Harbin Mingda Machinery Limited Liability Company", "Party A"),
        Party("Corvant Systems, Inc.", "Party B"),
    ]


def test_the_capacities_a_party_takes_on_after_its_alias() -> None:
    text = (
        'SERVICING AGREEMENT, dated as of May 1, 2021 (this "Agreement"), among ORCHID AUTO '
        'TRUST 2021-1, a Delaware statutory trust, as issuer (the "Issuer"), and Harlow Motors '
        'LLC, a Delaware limited liability company ("Harlow"), as servicer (in such capacity, '
        'the "Servicer") and as custodian (in such capacity, the "Custodian").\n\n'
        "BACKGROUND\n\nHarlow originates retail installment contracts.\n"
    )
    assert parties_of(text) == [
        Party("ORCHID AUTO TRUST 2021-1", "Issuer"),
        Party("Harlow Motors LLC", "Harlow"),
        Party("Harlow Motors LLC", "Servicer"),
        Party("Harlow Motors LLC", "Custodian"),
    ]


def test_a_name_followed_by_of_and_a_street_number() -> None:
    text = (
        "APPEARANCE AGREEMENT is made as of this 2nd day of May 2021 by and between Corran "
        'Seminars UK Limited of 4 Mill Lane, Reading, RG1 2AB ("Company") and Lark Speakers of '
        '90 High Street, Marlow, SL7 1AA ("Lark") agent for Dana Price ("Talent").\n\n'
        "WITNESSETH: WHEREAS Company runs seminars.\n"
    )
    assert parties_of(text) == [
        Party("Corran Seminars UK Limited", "Company"),
        Party("Lark Speakers", "Lark"),
        Party("Dana Price", "Talent"),
    ]


def test_a_list_of_companies_each_with_its_description() -> None:
    text = (
        "SETTLEMENT AGREEMENT\n\nThis Agreement is entered into as of May 3, 2021, by and between "
        'Quillon Corp., a Delaware corporation (the "Company"), and Red Fen Partners LP, a '
        "Delaware limited partnership, Red Fen GP LLC, a Delaware limited liability company, and "
        'Red Fen Advisors LLC, a Delaware limited liability company (collectively, the "Red Fen '
        'Parties").\n\nWHEREAS the Red Fen Parties own shares of the Company.\n'
    )
    assert parties_of(text) == [
        Party("Quillon Corp.", "Company"),
        Party("Red Fen Partners LP", ""),
        Party("Red Fen GP LLC", ""),
        Party("Red Fen Advisors LLC", "Red Fen Parties"),
    ]


def test_names_that_follow_the_effective_date_with_no_between() -> None:
    text = (
        "HOSTING AGREEMENT\n\nORVALE SYSTEMS, INC. PELLUCID CORPORATION\n\nThis Hosting "
        'Agreement (the "Agreement") is entered into and effective as of the later of the two '
        'signature dates below (the "Effective Date") ORVALE SYSTEMS, INC. ("Orvale"), a '
        "California corporation, 12 Bay Road, San Mateo, California 94403, and PELLUCID "
        'CORPORATION ("Pellucid"), a Washington corporation, with reference to the following '
        "facts.\n\n1. Hosting. Orvale shall host the service.\n"
    )
    assert parties_of(text) == [
        Party("ORVALE SYSTEMS, INC.", "Orvale"),
        Party("PELLUCID CORPORATION", "Pellucid"),
    ]


def test_an_and_between_the_signing_officers_starts_no_party() -> None:
    text = (
        "CARRIAGE CONTRACT\n\nPREAMBLE\n\nJSC Tobol Oil (the "
        '"Company"), in the person of General Director Mr. A. Sarin and Financial Director Mr. '
        "B. Lutz, acting on the basis of the Charter, on the one side and JSC Irtysh Pipeline "
        '(the "Carrier"), legally represented by its Chief Executive '
        "Officer Dana Orr and its Chief Operations Officer Ben Vey, on the other side, have "
        "entered into this Contract and agree as follows:\n\n1. SUBJECT. The Carrier shall carry "
        "oil.\n"
    )
    assert parties_of(text) == [
        Party("JSC Tobol Oil", "Company"),
        Party("JSC Irtysh Pipeline", "Carrier"),
    ]
