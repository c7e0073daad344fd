"""Parties and their aliases across the preamble styles of US, UK and international contracts.

A battery of invented preambles (every company, person, place and alias is made up), one per
drafting style: "by and between", numbered UK "PARTIES" lists, "BETWEEN:" / "AND:" blocks,
"hereinafter" aliases, curly and TeX quotes, foreign corporate suffixes, individuals, letters,
amendments and cover pages. Each lists the parties a lawyer would.
"""

from __future__ import annotations

import pytest
from keyterms_support import parties_of

from pipeline.terms import Party

W = "\n\nWHEREAS the parties wish to cooperate.\n\nNOW, THEREFORE, the parties agree as follows.\n"


CASES = [
    pytest.param(
        'SUPPLY AGREEMENT\n\nThis Supply Agreement (this "Agreement") is made and entered into '
        'as of June 4, 2022 (the "Effective Date") by and between Harlow Ridge Foods, Inc., a '
        'Delaware corporation with offices at 210 Mill Street, Dayton, Ohio 45402 ("Harlow"), '
        "and Quenby Packaging LLC, a Georgia limited liability company with offices at 8 Peach "
        'Court, Macon, Georgia 31201 ("Quenby").' + W,
        [("Harlow Ridge Foods, Inc.", "Harlow"), ("Quenby Packaging LLC", "Quenby")],
        id="us_by_and_between_offices",
    ),
    pytest.param(
        "THIS AGREEMENT is dated 3 March 2021\n\nPARTIES\n\n(1) THORNBURY SYSTEMS LIMITED "
        "incorporated and registered in England and Wales with company number 04512345 whose "
        'registered office is at 12 Kings Road, Reading RG1 3AA ("Supplier"); and\n\n(2) '
        "MERRIFIELD RETAIL PLC incorporated and registered in England and Wales with company "
        "number 01987654 whose registered office is at 5 Market Square, Leeds LS1 6DT "
        '("Customer").\n\nBACKGROUND\n\n(A) The Supplier provides software.\n',
        [("THORNBURY SYSTEMS LIMITED", "Supplier"), ("MERRIFIELD RETAIL PLC", "Customer")],
        id="uk_parties_numbered",
    ),
    pytest.param(
        "DISTRIBUTION AGREEMENT\n\nTHIS AGREEMENT is made on 1 July 2020\n\nBETWEEN:\n\n"
        "CALDER INSTRUMENTS LIMITED, a company incorporated in Scotland (company number "
        "SC123456) whose registered office is at 9 Forth Street, Edinburgh EH1 2AB (the "
        '"Principal");\n\nAND:\n\nNORDVIK HANDEL AS, a company incorporated in Norway whose '
        'principal office is at Storgata 4, 0155 Oslo, Norway (the "Distributor").\n\n'
        "WHEREAS the Principal makes instruments.\n",
        [("CALDER INSTRUMENTS LIMITED", "Principal"), ("NORDVIK HANDEL AS", "Distributor")],
        id="between_and_blocks",
    ),
    pytest.param(
        "This Joint Venture Agreement is entered into as of May 1, 2019 by and among Pellam "
        'Energy Partners, L.P., a Texas limited partnership ("Pellam"), Sorrel Gas Holdings, '
        'LLC, an Oklahoma limited liability company ("Sorrel"), and Tamarack Midstream Corp., '
        'a Delaware corporation ("Tamarack").' + W,
        [
            ("Pellam Energy Partners, L.P.", "Pellam"),
            ("Sorrel Gas Holdings, LLC", "Sorrel"),
            ("Tamarack Midstream Corp.", "Tamarack"),
        ],
        id="three_parties_among",
    ),
    pytest.param(
        "CONSULTING AGREEMENT\n\nThis Consulting Agreement is made as of January 15, 2021 by "
        'and between Verdant Path Therapeutics, Inc., a Delaware corporation (the "Company"), '
        "and John Q. Doakes, an individual residing at 44 Elm Street, Newton, Massachusetts "
        '02458 ("Consultant").' + W,
        [("Verdant Path Therapeutics, Inc.", "Company"), ("John Q. Doakes", "Consultant")],
        id="individual_residing",
    ),
    pytest.param(
        "LICENSE AGREEMENT\n\nThis License Agreement is entered into by and between Brisco "
        "Software Corporation, a California corporation, hereinafter referred to as "
        '"Licensor", and Dunmore Analytics, Inc., a Colorado corporation, hereinafter '
        'referred to as "Licensee".' + W,
        [("Brisco Software Corporation", "Licensor"), ("Dunmore Analytics, Inc.", "Licensee")],
        id="hereinafter_referred_to_as_quoted",
    ),
    pytest.param(
        "AGENCY AGREEMENT\n\nThis Agency Agreement is made between Fennick Travel Limited, a "
        'company registered in Ireland (hereinafter called the "Principal") and Olabode '
        'Tours Ltd, a company registered in Nigeria (hereinafter called the "Agent").' + W,
        [("Fennick Travel Limited", "Principal"), ("Olabode Tours Ltd", "Agent")],
        id="hereinafter_called_bracket",
    ),
    pytest.param(
        "SERVICES AGREEMENT\n\nThis Services Agreement is made by and between Lyle & Barrow "
        'Engineering, Inc., a New York corporation (hereinafter, the "Company"), and '
        "Westcote Controls LLC, a New Jersey limited liability company (hereinafter, the "
        '"Contractor").' + W,
        [("Lyle & Barrow Engineering, Inc.", "Company"), ("Westcote Controls LLC", "Contractor")],
        id="hereinafter_comma_the",
    ),
    pytest.param(
        "MARKETING AGREEMENT\n\nThis Marketing Agreement is made by and between Ambrose "
        'Beverage Co., an Oregon corporation (referred to herein as "Ambrose"), and Kettle '
        'Hill Media, Inc., a Washington corporation (referred to herein as "Kettle Hill").' + W,
        [("Ambrose Beverage Co.", "Ambrose"), ("Kettle Hill Media, Inc.", "Kettle Hill")],
        id="referred_to_herein_as",
    ),
    pytest.param(
        "RESELLER AGREEMENT\n\nThis Reseller Agreement is made by and between Solent Data "
        "Systems Ltd, a company registered in England (\u2018Solent\u2019), and Harrowgate IT "
        "Services Ltd, a company registered in Wales (\u2018Reseller\u2019)." + W,
        [("Solent Data Systems Ltd", "Solent"), ("Harrowgate IT Services Ltd", "Reseller")],
        id="curly_single_quotes",
    ),
    pytest.param(
        "COLLABORATION AGREEMENT\n\nThis Collaboration Agreement is made by and between "
        "Ostrander Biologics, Inc., a Delaware corporation (``Ostrander''), and Kilbride "
        "Research Institute, a Massachusetts non-profit corporation (``Kilbride'')." + W,
        [("Ostrander Biologics, Inc.", "Ostrander"), ("Kilbride Research Institute", "Kilbride")],
        id="backtick_quotes",
    ),
    pytest.param(
        "MASTER SERVICES AGREEMENT\n\nThis Master Services Agreement is entered into as of "
        "March 1, 2022 by and between Copperline Health, Inc., a Delaware corporation "
        '("Client"), and Ridgeway Staffing LLC, an Illinois limited liability company '
        '("Provider") (each a "Party" and together the "Parties").' + W,
        [("Copperline Health, Inc.", "Client"), ("Ridgeway Staffing LLC", "Provider")],
        id="each_a_party",
    ),
    pytest.param(
        "PURCHASE AGREEMENT\n\nThis Purchase Agreement is made by and between Halberd "
        "Outdoor Corp., a Delaware corporation, on behalf of itself and its Affiliates "
        '("Buyer"), and Yarrow Textiles Inc., a North Carolina corporation ("Seller").' + W,
        [("Halberd Outdoor Corp.", "Buyer"), ("Yarrow Textiles Inc.", "Seller")],
        id="behalf_of_affiliates",
    ),
    pytest.param(
        "SUPPLY AGREEMENT\n\nThis Supply Agreement is made by and between Granite Peak "
        "Industries, Inc., a Minnesota corporation, acting through its Precision Castings "
        'division ("Granite"), and Moravia Alloys s.r.o., a company organized under the laws '
        'of the Czech Republic ("Moravia").' + W,
        [("Granite Peak Industries, Inc.", "Granite"), ("Moravia Alloys s.r.o.", "Moravia")],
        id="acting_through_division",
    ),
    pytest.param(
        "This Distribution Agreement is made by and between Feldmann Medizintechnik GmbH, a "
        "company organized under the laws of Germany, with its registered seat in Munich "
        '("Feldmann"), and Distribuciones Albor S.A., a company organized under the laws of '
        'Spain ("Albor").' + W,
        [("Feldmann Medizintechnik GmbH", "Feldmann"), ("Distribuciones Albor S.A.", "Albor")],
        id="gmbh_and_sa",
    ),
    pytest.param(
        "LICENSE AGREEMENT\n\nThis License Agreement is entered into by and between Officine "
        "Brenta S.p.A., an Italian company with its registered office in Padua, Italy "
        '("Brenta"), and Van Lier Holding B.V., a Dutch private company with limited '
        'liability ("Van Lier").' + W,
        [("Officine Brenta S.p.A.", "Brenta"), ("Van Lier Holding B.V.", "Van Lier")],
        id="spa_bv",
    ),
    pytest.param(
        "DISTRIBUTION AGREEMENT\n\nThis Distribution Agreement is made by and between Hoshino "
        'Seimitsu K.K., a Japanese corporation ("Hoshino"), and Wattle Creek Pty Ltd (ACN '
        '123 456 789), a company registered in New South Wales, Australia ("Distributor").' + W,
        [("Hoshino Seimitsu K.K.", "Hoshino"), ("Wattle Creek Pty Ltd", "Distributor")],
        id="kk_pty",
    ),
    pytest.param(
        "This Agreement is made by and between Brouwer Chemie N.V., a public company "
        'incorporated in the Netherlands ("Brouwer"), and Ashcombe Holdings plc, a public '
        'limited company incorporated in England and Wales ("Ashcombe").' + W,
        [("Brouwer Chemie N.V.", "Brouwer"), ("Ashcombe Holdings plc", "Ashcombe")],
        id="nv_plc",
    ),
    pytest.param(
        "CO-BRANDING AGREEMENT\n\nThis Co-Branding Agreement is made by and between O'Malley's "
        "Kitchen Brands, Inc., a Rhode Island corporation (\"O'Malley's\"), and 3Point Digital "
        'Media, LLC, a Nevada limited liability company ("3Point").' + W,
        [
            ("O'Malley's Kitchen Brands, Inc.", "O'Malley's"),
            ("3Point Digital Media, LLC", "3Point"),
        ],
        id="apostrophe_digits",
    ),
    pytest.param(
        "Crestmoor Holdings Inc.\n100 Bay Street\nToronto, Ontario\n\nApril 2, 2021\n\nDear Mr. "
        'Whitcombe:\n\nThis letter agreement (this "Agreement") sets out the terms of your '
        'engagement between Crestmoor Holdings Inc. ("Crestmoor") and you ("Executive").\n\n'
        "1. Position. You will serve as Chief Operating Officer.\n",
        [("Crestmoor Holdings Inc.", "Crestmoor"), ("", "Executive")],
        id="letter_agreement_you",
    ),
    pytest.param(
        "FIRST AMENDMENT TO LICENSE AGREEMENT\n\nThis First Amendment to License Agreement (this "
        '"Amendment") is entered into as of August 1, 2021 by and between Pembrook Labs, Inc. '
        '("Pembrook") and Sallow Creek Pharma LLC ("Sallow"). Pembrook and Sallow are parties '
        "to that certain License Agreement dated March 3, 2018 by and between Pembrook Labs, Inc. "
        'and Sallow Creek Pharma LLC (the "License Agreement").\n\nNOW, THEREFORE, the parties '
        "agree as follows.\n",
        [("Pembrook Labs, Inc.", "Pembrook"), ("Sallow Creek Pharma LLC", "Sallow")],
        id="first_amendment",
    ),
    pytest.param(
        "EXCLUSIVE DISTRIBUTION AGREEMENT\n\nbetween\n\nHALVERSON MARINE, INC.\n\nand\n\n"
        "BLUEFIN NAUTICA S.R.L.\n\nDated as of September 9, 2020\n\n\n\nEXCLUSIVE DISTRIBUTION "
        "AGREEMENT\n\nThis Exclusive Distribution Agreement is made as of September 9, 2020 by "
        'and between Halverson Marine, Inc., a Florida corporation ("Halverson"), and Bluefin '
        'Nautica S.r.l., an Italian company ("Distributor").' + W,
        [("Halverson Marine, Inc.", "Halverson"), ("Bluefin Nautica S.r.l.", "Distributor")],
        id="cover_page_title_block",
    ),
    pytest.param(
        "This Contribution Agreement is made as of October 1, 2020 by and among Ashgrove "
        'Capital Partners, LP, a Delaware limited partnership ("Ashgrove"), Ashgrove GP, LLC, '
        'a Delaware limited liability company (the "General Partner"), Beacon Hill Fund II, '
        'L.P., a Cayman Islands exempted limited partnership ("Beacon"), and Dorrance Family '
        'Trust (the "Trust").' + W,
        [
            ("Ashgrove Capital Partners, LP", "Ashgrove"),
            ("Ashgrove GP, LLC", "General Partner"),
            ("Beacon Hill Fund II, L.P.", "Beacon"),
            ("Dorrance Family Trust", "Trust"),
        ],
        id="llc_lp_four_parties",
    ),
    pytest.param(
        "This Agreement is made this 5th day of February, 2019, between Tidewater Logistics "
        'Corp., a Virginia corporation ("Tidewater"), and Ellery Freight, Inc., a Maryland '
        'corporation ("Ellery").' + W,
        [("Tidewater Logistics Corp.", "Tidewater"), ("Ellery Freight, Inc.", "Ellery")],
        id="made_between_no_by",
    ),
    pytest.param(
        "THIS AGREEMENT is made on 12 May 2022 BETWEEN: (1) HOLLINS BREWERY LIMITED, a company "
        "incorporated in England and Wales with registered number 07123456 whose registered "
        'office is at The Maltings, Bury St Edmunds IP33 1AA ("Hollins"); and (2) CASK & KEG '
        "DISTRIBUTION LTD, a company incorporated in England and Wales with registered number "
        "08234567 whose registered office is at 4 Quay Street, Bristol BS1 4DB "
        '("Distributor").' + "\n\nRECITALS\n\n(A) Hollins brews beer.\n",
        [("HOLLINS BREWERY LIMITED", "Hollins"), ("CASK & KEG DISTRIBUTION LTD", "Distributor")],
        id="uk_between_1_2_inline",
    ),
    pytest.param(
        "EMPLOYMENT AGREEMENT\n\nThis Employment Agreement is entered into effective as of "
        "April 1, 2020 by and between Stonebridge Bancorp, Inc., a Pennsylvania corporation "
        '(the "Employer"), and Maria T. Lindqvist (the "Executive").' + W,
        [("Stonebridge Bancorp, Inc.", "Employer"), ("Maria T. Lindqvist", "Executive")],
        id="entered_into_by_individual_two",
    ),
    pytest.param(
        "This Sponsorship Agreement is made by and between Whitlow, Bramley & Co., a New York "
        'general partnership ("Whitlow"), and The Harbourfront Arts Festival, Inc., a '
        'Connecticut non-stock corporation (the "Festival").' + W,
        [
            ("Whitlow, Bramley & Co.", "Whitlow"),
            ("The Harbourfront Arts Festival, Inc.", "Festival"),
        ],
        id="comma_in_name_and_co",
    ),
    pytest.param(
        "CONTRAT DE LICENCE / LICENSE AGREEMENT\n\nThis License Agreement is made between "
        "Editions Lumiere S.A.S., a French societe par actions simplifiee with a share capital "
        "of EUR 50,000, registered with the Trade and Companies Register of Lyon under number "
        "512 345 678, having its registered office at 3 rue de la Paix, 69002 Lyon, France "
        '("Licensor"), and Gable Street Publishing, Inc., a New York corporation '
        '("Licensee").' + W,
        [("Editions Lumiere S.A.S.", "Licensor"), ("Gable Street Publishing, Inc.", "Licensee")],
        id="sa_french_style",
    ),
    pytest.param(
        "This Settlement Agreement is entered into by and between Ferncliff Orchards, LLC "
        '("Ferncliff"), on the one hand, and Aubrey Juice Company and Aubrey Foods Corp. '
        '(collectively, "Aubrey"), on the other hand.' + W,
        [
            ("Ferncliff Orchards, LLC", "Ferncliff"),
            ("Aubrey Juice Company", "Aubrey"),
            ("Aubrey Foods Corp.", "Aubrey"),
        ],
        id="parties_collectively_defined",
    ),
    pytest.param(
        "AGREEMENT\n\nThis Agreement is made by and between Kessler Pharma AG, a stock "
        "corporation organized under the laws of Switzerland, with its principal place of "
        'business at Bahnhofstrasse 10, 4051 Basel, Switzerland ("Kessler") and Larchmont '
        'Biosciences, Inc., a Delaware corporation ("Larchmont").' + W,
        [("Kessler Pharma AG", "Kessler"), ("Larchmont Biosciences, Inc.", "Larchmont")],
        id="ag_with_swiss",
    ),
    pytest.param(
        "THIS DEED OF SUPPLY is made on 2 June 2021\n\nBETWEEN\n\n(1) ARGYLE FOODS LIMITED "
        '(registered number 00234567) of 1 Harbour Walk, Glasgow G1 1AA (the "Seller"); and\n'
        "(2) PENNINE WHOLESALE LIMITED (registered number 00345678) of 8 Mill Lane, Halifax "
        'HX1 2BB (the "Buyer").\n\nIT IS AGREED as follows.\n',
        [("ARGYLE FOODS LIMITED", "Seller"), ("PENNINE WHOLESALE LIMITED", "Buyer")],
        id="party_labels_uk_schedule",
    ),
    pytest.param(
        "This Franchise Agreement is made by and between Sunburst Cafes Franchising, LLC, a "
        'Florida limited liability company ("Franchisor"), and Ravi Patel Enterprises, Inc. '
        'd/b/a Sunburst Cafe of Orlando, a Florida corporation ("Franchisee").' + W,
        [
            ("Sunburst Cafes Franchising, LLC", "Franchisor"),
            ("Ravi Patel Enterprises, Inc. d/b/a Sunburst Cafe of Orlando", "Franchisee"),
        ],
        id="dba_name",
    ),
    pytest.param(
        "This Research Agreement is entered into by and among the Regents of Westmarch "
        'University, a public institution of higher education ("University"), Halcyon Gene '
        'Systems, Inc., a Delaware corporation ("Sponsor"), and Dr. Eleanor Vance, an '
        'individual ("Investigator").' + W,
        [
            ("Regents of Westmarch University", "University"),
            ("Halcyon Gene Systems, Inc.", "Sponsor"),
            ("Dr. Eleanor Vance", "Investigator"),
        ],
        id="university_and_individual_three",
    ),
    pytest.param(
        "AGREEMENT dated as of July 7, 2017 between Moorland Power Cooperative, Inc., a "
        'Kentucky electric cooperative corporation ("Moorland"), and Ridley Coal Sales '
        'Company, a West Virginia corporation ("Ridley").' + W,
        [("Moorland Power Cooperative, Inc.", "Moorland"), ("Ridley Coal Sales Company", "Ridley")],
        id="dated_as_of_between_unquoted_role",
    ),
    pytest.param(
        "This Agreement is entered into by and between Orchid Bay Resorts Ltd., a Bahamas "
        'company (hereinafter referred to as the "Owner"), and Calloway Hospitality Group, '
        "L.L.C., a Nevada limited liability company (hereinafter referred to as the "
        '"Manager").' + W,
        [("Orchid Bay Resorts Ltd.", "Owner"), ("Calloway Hospitality Group, L.L.C.", "Manager")],
        id="hereinafter_referred_in_parens_no_quotes_title",
    ),
    pytest.param(
        "SHAREHOLDERS' AGREEMENT\n\nDATE: 14 February 2023\n\nBETWEEN\n\nKOWHAI VENTURES "
        'LIMITED, a company incorporated in New Zealand ("Kowhai")\n\nAND\n\nTASMAN ROCK '
        'INVESTMENTS PTY LTD, a company incorporated in Victoria, Australia ("Tasman")\n\nAND'
        '\n\nMERIDIAN CO-INVEST FUND LP, a Guernsey limited partnership ("Meridian")\n\n'
        "BACKGROUND\n\nA. The parties hold shares.\n",
        [
            ("KOWHAI VENTURES LIMITED", "Kowhai"),
            ("TASMAN ROCK INVESTMENTS PTY LTD", "Tasman"),
            ("MERIDIAN CO-INVEST FUND LP", "Meridian"),
        ],
        id="between_lines_and_on_own_line",
    ),
    pytest.param(
        "This Custody Agreement is made as of May 2, 2018 by and between Lakeshore Growth "
        'Fund, a Massachusetts business trust (the "Fund"), and First Harbor Bank, N.A., a '
        'national banking association (the "Custodian").' + W,
        [("Lakeshore Growth Fund", "Fund"), ("First Harbor Bank, N.A.", "Custodian")],
        id="na_bank",
    ),
    pytest.param(
        "This Supply Agreement is made by and between Reinholt Antriebstechnik GmbH & Co. KG, "
        'a limited partnership organized under the laws of Germany ("Reinholt"), and Corvallis '
        'Motion Systems, Inc., an Oregon corporation ("Corvallis").' + W,
        [
            ("Reinholt Antriebstechnik GmbH & Co. KG", "Reinholt"),
            ("Corvallis Motion Systems, Inc.", "Corvallis"),
        ],
        id="gmbh_co_kg",
    ),
    pytest.param(
        "This Manufacturing Agreement is made by and between Maquiladora del Norte, S.A. de "
        'C.V., a Mexican corporation ("Maquiladora"), and Textil Serrano Ltda., a Brazilian '
        'limited liability company ("Serrano").' + W,
        [
            ("Maquiladora del Norte, S.A. de C.V.", "Maquiladora"),
            ("Textil Serrano Ltda.", "Serrano"),
        ],
        id="sa_de_cv_ltda",
    ),
    pytest.param(
        "This Outsourcing Agreement is made by and between Shenzhen Jinlong Electronics Co., "
        "Ltd., a company organized under the laws of the People's Republic of China "
        '("Jinlong"), and Nilgiri Software Services Pvt. Ltd., a company incorporated under '
        'the laws of India ("Nilgiri").' + W,
        [
            ("Shenzhen Jinlong Electronics Co., Ltd.", "Jinlong"),
            ("Nilgiri Software Services Pvt. Ltd.", "Nilgiri"),
        ],
        id="co_ltd_pvt_ltd",
    ),
    pytest.param(
        "This Agreement is made by and between Tessaly Networks, Inc., a Delaware corporation "
        '("Tessaly" or the "Company"), and Brannock Partners LLC, a New York limited '
        'liability company ("Brannock" or the "Advisor").' + W,
        [
            ("Tessaly Networks, Inc.", "Tessaly"),
            ("Tessaly Networks, Inc.", "Company"),
            ("Brannock Partners LLC", "Brannock"),
            ("Brannock Partners LLC", "Advisor"),
        ],
        id="or_alias",
    ),
    pytest.param(
        "THIS LICENCE is made on 4 April 2019 between Pemberton Design Studio Limited of 22 "
        'Canal Street, Manchester M1 3HE (the "Licensor") and Rowan Home Furnishings Limited '
        'of Unit 5, Riverside Park, Derby DE1 3QT (the "Licensee").' + W,
        [
            ("Pemberton Design Studio Limited", "Licensor"),
            ("Rowan Home Furnishings Limited", "Licensee"),
        ],
        id="uk_of_address",
    ),
    pytest.param(
        "THIS AGREEMENT made the 1st day of March, 2016, by and between GREYSTONE BUILDERS, "
        'INC., hereinafter called "Owner", and ALDER MECHANICAL CONTRACTORS, INC., '
        'hereinafter called "Contractor".' + W,
        [
            ("GREYSTONE BUILDERS, INC.", "Owner"),
            ("ALDER MECHANICAL CONTRACTORS, INC.", "Contractor"),
        ],
        id="made_the_day_hereinafter_called_no_brackets",
    ),
    pytest.param(
        "This Agreement is made by and between J.R. Hollister & Sons, Inc., a Vermont "
        'corporation ("Hollister"), and St. Clair Maple Products Ltd., an Ontario corporation '
        '("St. Clair").' + W,
        [
            ("J.R. Hollister & Sons, Inc.", "Hollister"),
            ("St. Clair Maple Products Ltd.", "St. Clair"),
        ],
        id="initials_in_name",
    ),
    pytest.param(
        "This Agreement, dated as of November 3, 2020, is between Vantor Aerospace, Inc., a "
        'Washington corporation ("Vantor"), and Kestrel Avionics Oy, a Finnish limited '
        'company ("Kestrel").' + W,
        [("Vantor Aerospace, Inc.", "Vantor"), ("Kestrel Avionics Oy", "Kestrel")],
        id="is_between",
    ),
    pytest.param(
        "This Agency Agreement is made by and between Atelier Mirabeau SARL, a French company "
        '("Mirabeau"), and Permata Trading Sdn. Bhd., a company incorporated in Malaysia '
        '("Agent").' + W,
        [("Atelier Mirabeau SARL", "Mirabeau"), ("Permata Trading Sdn. Bhd.", "Agent")],
        id="sarl_sdn_bhd",
    ),
    pytest.param(
        "SEPARATION AGREEMENT\n\nThis Separation Agreement is entered into by and between "
        'Bellhaven Software, Inc. (the "Company") and Mr. Thomas A. Greer ("Employee").' + W,
        [("Bellhaven Software, Inc.", "Company"), ("Mr. Thomas A. Greer", "Employee")],
        id="individual_mr_prefix_and_company",
    ),
    pytest.param(
        "This Amended and Restated Agreement is made by and between Norcastle Holdings, Inc. "
        '(formerly known as Norcastle Mining Corp.), a Nevada corporation ("Norcastle"), and '
        'Wexford Minerals LLC, a Utah limited liability company ("Wexford").' + W,
        [("Norcastle Holdings, Inc.", "Norcastle"), ("Wexford Minerals LLC", "Wexford")],
        id="formerly_known_as",
    ),
    pytest.param(
        "This Indenture is made as of June 1, 2021 between Ironwood Utilities Corp., a "
        'Delaware corporation (the "Issuer"), and Granite State Trust Company, as trustee '
        '(the "Trustee").' + W,
        [("Ironwood Utilities Corp.", "Issuer"), ("Granite State Trust Company", "Trustee")],
        id="as_trustee",
    ),
    pytest.param(
        "This Distribution Agreement is made by and between Lindqvist Verktyg AB, a Swedish "
        'company with corporate identity number 556123-4567 ("Supplier"), and Nordhavn '
        'Marine ApS, a Danish private limited company ("Distributor").' + W,
        [("Lindqvist Verktyg AB", "Supplier"), ("Nordhavn Marine ApS", "Distributor")],
        id="ab_as_aps",
    ),
    pytest.param(
        'This Agreement is made by and between Corvid Media Inc. ("Corvid" and, together with '
        'its Affiliates, the "Corvid Group") and Bellweather Studios LLC ("Bellweather").' + W,
        [
            ("Corvid Media Inc.", "Corvid"),
            ("Corvid Media Inc.", "Corvid Group"),
            ("Bellweather Studios LLC", "Bellweather"),
        ],
        id="together_with_affiliates_group",
    ),
    pytest.param(
        "AGENCY AGREEMENT\n\nJune 2, 2022\n\nLarkin, Moss & Pryor, Inc. 77 Quarry Street Denver, "
        "Colorado 80202\n\nLadies and Gentlemen:\n\nElmstead Bancorp, Inc., a Colorado "
        'corporation (the "Company"), hereby confirms its agreement with Larkin, Moss & Pryor, '
        'Inc. (the "Agent") as follows:\n\nSection 1. The Offering. The Company offers shares.\n',
        [("Elmstead Bancorp, Inc.", "Company"), ("Larkin, Moss & Pryor, Inc.", "Agent")],
        id="letter_firm_addressee_with_commas",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_invented_preamble(text: str, expected: list[tuple[str, str]]) -> None:
    assert parties_of(text) == [Party(name, alias) for name, alias in expected]
