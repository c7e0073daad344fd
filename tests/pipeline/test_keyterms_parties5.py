"""Parties in preamble wordings found on the second half of the training contracts.

Every company, person, place and alias is invented.
"""

from __future__ import annotations

import pytest
from keyterms_support import parties_of

from pipeline.terms import Party

W = "\n\nWHEREAS the parties wish to cooperate.\n\nNOW, THEREFORE, the parties agree as follows.\n"


CASES = [
    pytest.param(
        'THIS AGREEMENT (the "Agreement") is made as of May 2, 2019 by and between Larkspur '
        'Radio Network, Inc., a Florida corporation (the "Network"), and Copperfield '
        'Broadcasting Company, a Delaware corporation ("Affiliate").' + W,
        [
            ("Larkspur Radio Network, Inc.", "Network"),
            ("Copperfield Broadcasting Company", "Affiliate"),
        ],
        id="affiliate_is_an_alias",
    ),
    pytest.param(
        "MAINTENANCE AGREEMENT\n\nDate: May 1, 2020\n\nBetween\n\nClient Name: KESTREL DATA "
        "SYSTEMS, INC. 400 Orchard Lane Salem, OR 97301\n\nAnd\n\nCustomer Name: BRINDLE FOODS, "
        "INC. 12 Canal Street Troy, NY 12180 Principal Contact: Ann Lowe\n\nMONTHLY FEE. [*]; If "
        "Retainer $[*] support is billed monthly.\n\nTHE ATTACHED TERMS ARE PART OF THIS "
        "AGREEMENT. THIS AGREEMENT IS THE ENTIRE AGREEMENT BETWEEN THE PARTIES RELATING TO "
        'SERVICES FOR THE ABOVE ITEMS. THE "Customer" HAS READ THIS AGREEMENT AND AGREES TO BE '
        "BOUND BY IT.\n\nTERMS AND CONDITIONS\n\n1. Services. Kestrel provides support.\n",
        [("KESTREL DATA SYSTEMS, INC.", ""), ("BRINDLE FOODS, INC.", "")],
        id="form_labels_and_shouted_clause",
    ),
    pytest.param(
        "SUPPORT AGREEMENT\n\nDate: May 1, 2020\n\nBetween\n\nClient Name: KESTREL DATA "
        "SYSTEMS, INC. 400 Orchard Lane Salem, OR 97301\n\nAnd\n\nCustomer Name: BRINDLE FOODS, "
        "INC. 12 Canal Street Troy, NY 12180\n\nANNUAL FEE. Support is billed at $500 per "
        'month.\n\nKESTREL DATA, SYSTEMS, INC., hereinafter referred to as "Kestrel", hereby '
        'agrees to provide support and BRINDLE FOODS, INC., hereinafter referred to as "Customer", '
        "agrees to accept such support, subject to the following terms:\n\n1. Support. Kestrel "
        "provides support.\n",
        [("KESTREL DATA SYSTEMS, INC.", "Kestrel"), ("BRINDLE FOODS, INC.", "Customer")],
        id="alias_given_after_the_form_fields",
    ),
    pytest.param(
        "PLACEMENT AGREEMENT\n\nMay 4, 2021\n\nHollis Biotech Inc.\n27 Weir Road\nAustin, Texas "
        '78701\n\nDear Sirs:\n\nThe undersigned, Marrow Securities Ltd. (the "Agent"), '
        'understands that Hollis Biotech Inc. (the "Corporation") proposes to issue and sell '
        'common shares (the "Shares").\n\n1. Appointment. The Corporation appoints the Agent.\n',
        [("Marrow Securities Ltd.", "Agent"), ("Hollis Biotech Inc.", "Corporation")],
        id="addressee_alias_given_in_the_letter",
    ),
    pytest.param(
        "PROMOTION AGREEMENT\n\nThis Agreement dated March 1, 2019, by and between Dunmore Call, "
        'Inc. (herein "Dunmore") located at 5 King Street, Guelph, Ontario and Pellbrook '
        "Corporation located at 10 Oak Street, Fresno, CA 93701, sets forth the terms of a "
        "promotion.\n\n1. The Promotion. Pellbrook Corporation shall offer pagers to all "
        'customers who buy airtime from Pellbrook Corporation ("Purchase Customers").\n',
        [("Dunmore Call, Inc.", "Dunmore"), ("Pellbrook Corporation", "")],
        id="no_alias_from_clause_one",
    ),
    pytest.param(
        "THIS AGREEMENT is dated 2 April 2018\n\nParties\n\n(1) Wattle Orthopaedics Pty Ltd "
        "(ACN 123 456 789), 9 Banksia Road, Chatswood, NSW\n\n(2) Redgum Medical Partners, LLC "
        "of 400 Elm Parkway, Suite 10, Plano, TX 75023.\n\nBackground\n\nThe Supplier wishes to "
        "appoint the Distributor.\n\nAgreed terms\n\n1. Definitions\n",
        [("Wattle Orthopaedics Pty Ltd", ""), ("Redgum Medical Partners, LLC", "")],
        id="numbered_parties_without_and",
    ),
    pytest.param(
        "THIS AGREEMENT IS MADE ON 3 MAY 2011 PARTIES (1) KOWLOON STEAM LTD, a company "
        "incorporated in Hong Kong whose registered office is at 8 Nathan Road, Kowloon "
        '("KSL") (2) FERNHILL ENERGY PLC a company incorporated in England whose registered '
        'office is at 1 Mill Lane, Leeds ("Fernhill"), each a "Party". BACKGROUND (A) KSL '
        "makes boilers.\n",
        [("KOWLOON STEAM LTD", "KSL"), ("FERNHILL ENERGY PLC", "Fernhill")],
        id="numbered_party_mid_line",
    ),
    pytest.param(
        "This Joint Venture Agreement is made on this the 4th day of June, 2002 BETWEEN Kestrel "
        "Valves Inc., a company incorporated under the laws of the State of Ohio and having its "
        "office at 12 Elm Road, Akron, Ohio 44301 (hereinafter referred to as 'Kestrel', which "
        "term shall unless repugnant to the context include its successors and permitted "
        "assigns), AND SAROJ AUTO LIMITED, a company incorporated under the Companies Act, 1956 "
        "having its registered office at 4 Ring Road, Pune, India (hereinafter referred to as "
        "'SAL', which term shall include its successors).\n\nWHEREAS Kestrel makes valves.\n",
        [("Kestrel Valves Inc.", "Kestrel"), ("SAROJ AUTO LIMITED", "SAL")],
        id="single_quoted_hereinafter_alias",
    ),
    pytest.param(
        "DISTRIBUTOR AGREEMENT This Distributor Agreement (the 'Agreement') is between Halden "
        "Optics Inc., a New York corporation, having a principal place of business at 20 Lake "
        "Road, Utica NY 13501 and Marlow Scientific Ltd. ('Distributor'). For good and valuable "
        "consideration, the parties agree: 1. Appointment. Halden appoints the Distributor.\n",
        [("Halden Optics Inc.", ""), ("Marlow Scientific Ltd.", "Distributor")],
        id="single_quoted_bracket_alias",
    ),
    pytest.param(
        "This Agreement is made between Brook's Farm Supplies Inc. ('Brook's') and Tamsin Seeds "
        "Ltd ('Tamsin').\n\nWHEREAS the parties wish to cooperate.\n",
        [("Brook's Farm Supplies Inc.", "Brook's"), ("Tamsin Seeds Ltd", "Tamsin")],
        id="single_quoted_alias_with_apostrophe",
    ),
    pytest.param(
        'GUARANTY\n\nTHIS GUARANTY (this "Guaranty") is made and entered into as of the 2nd day of '
        'May 2019 by HOLLOWAY CAPITAL PARTNERS III, L.P. (the "Guarantor"), in favor of FIRST '
        "LARCH BANK, a state banking association in its capacity as agent (in such capacity, the "
        '"Agent").\n\nRECITALS:\n\nA. The Agent has made loans.\n',
        [("HOLLOWAY CAPITAL PARTNERS III, L.P.", "Guarantor"), ("FIRST LARCH BANK", "Agent")],
        id="made_by_in_favor_of",
    ),
    pytest.param(
        'This Deed of Guarantee is made by Ashby Holdings Limited ("Ashby") in favour of Cole '
        'Bank plc (the "Bank").\n\nWHEREAS the Bank has made loans.\n',
        [("Ashby Holdings Limited", "Ashby"), ("Cole Bank plc", "Bank")],
        id="made_by_in_favour_of",
    ),
    pytest.param(
        'THIS DEVELOPMENT AGREEMENT ("Agreement") is made and entered into by and between '
        "ROOSTER GRILL, INC., a Delaware corporation, with its principal place of business at 10 "
        'Harbor Blvd, Irvine, California 92614 ("Franchisor") and __________________an '
        "individual, with his principal place of business at ____________________ "
        '("Developer").\n\nRecitals.\n\nA. Franchisor owns marks.\n',
        [("ROOSTER GRILL, INC.", "Franchisor"), ("", "Developer")],
        id="blank_then_an_individual",
    ),
    pytest.param(
        "THIS FRANCHISE AGREEMENT is made by and between Tallow Lane Franchising LLC, a Texas "
        'limited liability company ("Franchisor"), and _______________ a _______________ '
        'corporation ("Franchisee").\n\nWHEREAS Franchisor licenses marks.\n',
        [("Tallow Lane Franchising LLC", "Franchisor"), ("", "Franchisee")],
        id="blank_then_a_corporation",
    ),
    pytest.param(
        'This License Agreement (hereinafter "Agreement") is entered into by and between The '
        'Rowan Institute (hereinafter "Rowan"), a corporation of the State of Maryland, having a '
        "principal place of business at 3400 N. Elm Street, Baltimore, Maryland 21218 and, "
        'Quillfeather Robotics, Inc. (hereinafter "Company"), a Tennessee corporation having an '
        "address at 5701 Old Mill Pike; Suite 200; Nashville, TN 37205. The parties hereto agree "
        "as follows: 1. BACKGROUND 1.1 Rowan owns an invention.\n",
        [("The Rowan Institute", "Rowan"), ("Quillfeather Robotics, Inc.", "Company")],
        id="address_parts_after_semicolons",
    ),
    pytest.param(
        'This Supply Agreement is entered into by Harrow Pine Systems, Inc. ("Harrow") with '
        'Bellwether Logistics Ltd. ("Bellwether").\n\n1. Supply. Bellwether supplies goods.\n',
        [("Harrow Pine Systems, Inc.", "Harrow"), ("Bellwether Logistics Ltd.", "Bellwether")],
        id="with_after_an_alias",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_invented_preamble(text: str, expected: list[tuple[str, str]]) -> None:
    assert parties_of(text) == [Party(name, alias) for name, alias in expected]
