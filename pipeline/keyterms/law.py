"""Where disputes go: the governing law, the venue and arbitration.

The jurisdiction whose law governs (candidates ranked by a governing-law heading, "governed by
... the laws of", "this Agreement"; federal law last), the place of the courts that hear
disputes, and binding arbitration with its institution and seat.
"""

from __future__ import annotations

import re

from pipeline.keyterms.context import Context
from pipeline.normalize import Found, find_jurisdictions
from pipeline.terms import Term

GOVERNING = re.compile(
    r"\b(?:governed|governing|construed|interpreted|enforced|controlled|determined|applies|apply|"
    r"applied|application|applicable)\b[^.;]{0,100}\b(?:laws?|legislation|regulations)\b|\b(?:laws?|legislation|"
    r"regulations)\b[^.;]{0,80}\b(?:shall|will)\s+(?:govern|apply|prevail|control)|"
    r"governing\s+law|choice\s+of\s+law|applicable\s+law",
    re.I,
)
STRONG_GOVERNING = re.compile(
    r"\b(?:governed|construed|interpreted|controlled)\s+(?:\w+\W+){0,8}?(?:by|under|in\s+"
    r"accordance\s+with|pursuant\s+to)\b[^.;]{0,60}\blaws?\b|\bgoverning\s+law\b",
    re.I,
)
LAW_WORD = re.compile(r"\b(?:laws?|legislation|regulations|judicial\s+decisions)\b", re.I)
LAW_OF = re.compile(
    r"\b(?:laws?|legislation|regulations)\s+(?:of|in|in\s+force\s+in|applicable\s+in)\s*"
    r"(?:the\s+)?$",
    re.I,
)
LAW_THEREOF = re.compile(
    r"\blaws?\s+(?:thereof|of\s+(?:that|such|said)\s+(?:state|jurisdiction|country|province))",
    re.I,
)
NOT_GOVERNING = re.compile(
    r"(?:organized|incorporated|existing|formed|registered|chartered|standing)\s+"
    r"(?:and\s+\w+\s+)?(?:under|in)\s+(?:the\s+)?(?:laws?\s+of\s+)?(?:the\s+)?$|"
    r"conflicts?\s+of\s+laws?[^.]{0,60}$|corporation\s*$|\bcourts?\b[^.;]{0,60}$",
    re.I,
)


def governing_law(ctx: Context, hints: dict[str, frozenset[int]]) -> list[Term]:
    """The law that governs: "governed by ... the laws of the State of Delaware" -> Delaware.

    Contracts mention many laws (securities laws of the United States, where a party is
    incorporated); candidates are ranked: a governing-law heading, "governed by / construed in
    accordance with ... laws", "this Agreement" in the sentence; federal law ranks last.
    """
    scored = []
    hinted = hints.get("governing_law", frozenset())
    for clause in ctx.clauses:
        text = clause.text
        if not LAW_WORD.search(text):
            continue
        headed = bool(re.search(r"govern|applicable\s+law|choice\s+of\s+law", clause.headings))
        if not (GOVERNING.search(text) or headed or clause.index in hinted):
            continue
        hit = _law_jurisdiction(text)
        if hit is None:
            continue
        score = (
            3 * headed
            + 2 * bool(STRONG_GOVERNING.search(text))
            + bool(re.search(r"this\s+(?:\w+\s+)?(?:agreement|contract|amendment)", text, re.I))
            + (clause.index in hinted)
            - 3 * (hit.value == "United States")
        )
        term = ctx.term("governing_law", hit.value, clause, hit.start, hit.end)
        scored.append((-score, clause.index, term))
    return [t for _, _, t in sorted(scored, key=lambda s: (s[0], s[1]))]


def _law_jurisdiction(text: str) -> Found | None:
    """The jurisdiction whose law the sentence applies (not where a party is incorporated).

    Preference: a place right after "the laws of", then any place near a word for law, then
    (for "the laws thereof") the place the sentence named before; a state beats "United States"
    ("the laws of the United States and the State of Florida" is Florida law).
    """
    direct, near, named = [], [], []
    for f in find_jurisdictions(text):
        before = text[max(0, f.start - 100) : f.start]
        if NOT_GOVERNING.search(before):
            continue
        named.append(f)
        after = text[f.end : f.end + 30]
        if LAW_OF.search(before) or re.match(
            r"\W{0,3}(?:substantive\s+|internal\s+)?laws?\b", after, re.I
        ):
            direct.append(f)
        elif LAW_WORD.search(before):
            near.append(f)
    if not (direct or near) and LAW_THEREOF.search(text):
        near = named
    ranked = [f for f in direct + near if f.value != "United States"] + direct + near
    return ranked[0] if ranked else None


VENUE = re.compile(r"\bcourts?\b", re.I)
VENUE_CUE = re.compile(r"jurisdiction|venue|submit|forum|brought|litigat|proceeding|sue", re.I)


# Seats and court towns that name no state or country themselves ("arbitration in London",
# "the courts of Geneva"): the jurisdiction each lies in. Matched in their capitalized form only.
CITIES = {
    "London": "England and Wales",
    "Paris": "France",
    "Geneva": "Switzerland",
    "Zurich": "Switzerland",
    "Z\u00fcrich": "Switzerland",
    "Stockholm": "Sweden",
    "Vienna": "Austria",
    "The Hague": "Netherlands",
    "Amsterdam": "Netherlands",
    "Frankfurt": "Germany",
    "Munich": "Germany",
    "Madrid": "Spain",
    "Milan": "Italy",
    "Beijing": "People's Republic of China",
    "Shanghai": "People's Republic of China",
    "Shenzhen": "People's Republic of China",
    "Tokyo": "Japan",
    "Seoul": "Republic of Korea",
    "Taipei": "Taiwan",
    "Mumbai": "India",
    "New Delhi": "India",
    "Tel Aviv": "Israel",
    "Dubai": "United Arab Emirates",
    "Toronto": "Ontario, Canada",
    "Vancouver": "British Columbia, Canada",
    "Montreal": "Quebec, Canada",
    "Sydney": "New South Wales, Australia",
    "Melbourne": "Victoria, Australia",
}
# A city counts where the clause seats the dispute there: "arbitration in London", "seated in
# Geneva", "the courts of Toronto", "the Tokyo District Court"; not a city in an address ("4
# Quay Street, Sydney", "its office in Paris"), a time zone ("5:00 p.m. London time") or an
# institution's name ("the London Court of International Arbitration", "the Stockholm Chamber
# of Commerce", "the Vienna Rules").
CITY = re.compile(
    r"\b(?P<city>" + "|".join(map(re.escape, CITIES)) + r")\b"
    r"(?!\s+(?:Court\s+of\s+International|time|Chamber|Rules|Convention|Stock\s+Exchange)\b)"
)
SEAT_BEFORE = re.compile(
    r"(?:\b(?:in|at)|seated\s+in|seat\s+(?:of\s+(?:the\s+)?arbitration\s+)?(?:shall\s+be|is"
    r"|will\s+be)|courts?\s+(?:of|in|at|located\s+in|sitting\s+in))\s+(?:the\s+city\s+of\s+)?$",
    re.I,
)
COURT_AFTER = re.compile(r"\s+(?:District|High|Superior|Commercial|Civil|Regional)\s+Court\b")
# "its office in Paris", "principal place of business at Sydney": a party's address, not a seat
# (but "the courts located in Paris" is one).
ADDRESS_BEFORE = re.compile(
    r"\b(?:offices?|headquarter\w*|address|residence|branch|business|domiciled|resident"
    r"|(?<!courts\s)(?<!court\s)located)\s+(?:in|at)\s+(?:the\s+city\s+of\s+)?$",
    re.I,
)


def _seat_city(text: str, m: re.Match[str]) -> bool:
    """Whether the city at `m` is where disputes are heard (see CITY)."""
    if COURT_AFTER.match(text, m.end()):
        return True
    before = text[max(0, m.start() - 40) : m.start()]
    return bool(SEAT_BEFORE.search(before)) and not ADDRESS_BEFORE.search(before)


def _places(text: str, after: int) -> list[Found]:
    """The jurisdictions named in `text` after `after`, else the cities that seat a dispute."""
    places = [f for f in find_jurisdictions(text) if f.start > after]
    if places:
        return places
    return [
        Found(CITIES[m.group("city")], m.start(), m.end(), m.group(0))
        for m in CITY.finditer(text, after + 1)
        if _seat_city(text, m)
    ]


def venue(ctx: Context) -> list[Term]:
    """Where disputes are heard: "the state and federal courts located in ... Delaware"."""
    out = []
    for clause in ctx.clauses:
        text = clause.text
        court = VENUE.search(text)
        if court is None or not VENUE_CUE.search(text):
            continue
        # (a place named just before the court word counts: "the Delaware courts")
        places = _places(text, max(-1, court.start() - 60))
        if places:
            hit = places[0]
            out.append(ctx.term("venue", hit.value, clause, min(court.start(), hit.start), hit.end))
    return out


ARBITRATION_BODIES = [
    (r"American\s+Arbitration\s+Association|\bAAA\b", "AAA"),
    (r"International\s+Centre\s+for\s+Dispute\s+Resolution|\bICDR\b", "ICDR"),
    (r"\bJAMS\b", "JAMS"),
    (r"International\s+Chamber\s+of\s+Commerce|\bICC\b", "ICC"),
    (r"London\s+Court\s+of\s+International\s+Arbitration|\bLCIA\b", "LCIA"),
    (r"\bUNCITRAL\b", "UNCITRAL"),
    (r"Singapore\s+International\s+Arbitration\s+Cent(?:re|er)|\bSIAC\b", "SIAC"),
    (r"Hong\s+Kong\s+International\s+Arbitration\s+Cent(?:re|er)|\bHKIAC\b", "HKIAC"),
    (r"China\s+International\s+Economic\s+and\s+Trade\s+Arbitration|\bCIETAC\b", "CIETAC"),
]


def arbitration(ctx: Context) -> list[Term]:
    """Binding arbitration: its institution or rules and its seat when the clause names one."""
    out = []
    for clause in ctx.clauses:
        text = clause.text
        m = re.search(r"\barbitrat\w+", text, re.I)
        if m is None or not re.search(
            r"shall\s+be|settled|resolved|submitted|referred|binding", text, re.I
        ):
            continue
        body = next((name for pat, name in ARBITRATION_BODIES if re.search(pat, text)), "")
        seat = next((f.value for f in _places(text, m.start())), "")
        value = ", ".join(v for v in (body or "arbitration", str(seat)) if v)
        out.append(ctx.term("arbitration", value, clause, m.start(), m.end()))
    return out
