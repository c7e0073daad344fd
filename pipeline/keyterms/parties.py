"""The parties and their defined aliases.

The list after the preamble's "by and between" / "among" (a name, its description, its quoted
or bracketed alias, then the next), or "Party A:" labels in translated contracts; when the
preamble names no parties, the entities that sign ("For and on behalf of ABS Telecom plc", a
shouted name above a "By:" line).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.keyterms.context import Context
from pipeline.keyterms.patterns import _is_other, _signature_region
from pipeline.normalize import find_jurisdictions
from pipeline.terms import Party, Term

# Corporate suffixes; "MHC" ends a mutual holding company's name ("Oak Bancorp, MHC"), "N.A."
# a national bank's ("First Harbor Bank, N.A."), "S.A. de C.V." a Mexican company's and the
# lower-case "s.r.o." a Czech or Slovak one's.
SUFFIX = (
    r"(?:Inc|Incorporated|Ltd|Limited|LLC|L\.L\.C|Corp|Corporation|Co|Company|LP|L\.P|LLP|"
    r"L\.L\.P|PLC|plc|P\.L\.C|S\.A\.?\s+de\s+C\.V|N\.A|s\.r\.o|S\.A|SA|N\.V|NV|B\.V|BV|GmbH|AG|S\.p\.A|SpA|Pte|PTE|Pty|AB|A/S|"
    r"Oy|SE|SAS|S\.A\.S|S\.L|KK|K\.K|SRL|S\.r\.l|S\.R\.L|LTD|INC|CORPORATION|CORP|CO|COMPANY|LIMITED|"
    r"G\.I\.E|S/A|LCC|MHC|S\.\s?[àÀ]\.?\s?[rR]\.?[lL])\.?"
)
# A capitalized word of a name; "AND" in a shouted title line joins two names, not one. A
# lower-case web name ("zoomly.com, Inc.") is a name too, and so is a bracketed word inside one
# ("Ultraline (Bermuda) Limited"), but not an alias before a capitalized description ("Acme
# Care (ACME) A Texas Corporation"). A short lower-case word with a number starts a brand-like
# name ("bw-3 Franchise Systems, Inc.", "e2open").
NAME_TOKEN = (
    r"(?:(?!AND\b|BETWEEN\b|AMONG\b)(?:[A-Z0-9\[]|[a-z](?=[A-Z0-9]))[\w&'\u2019.\-/*\]]*|&|/"
    r"|[a-z][a-z0-9\-]*\.(?:com|net|org|io)(?!\w)"
    r"|(?<![\w\-])[a-z]{1,4}-?\d[\w\-]*"
    r"|\[\s*\*+\s*\]"
    r"|\((?:[A-Z][\w.&]*\s?){1,3}\)(?=\s+(?!An?\s)[A-Z]))"
)
NAME_CONNECT = r"(?:of|the|de|del|la|du|von|van|der|for|d/b/a|dba|a/k/a|y|et|in|des|pour|and|AND)"
_NAME_WORDS = rf"{NAME_TOKEN}(?:[ \t]*\n?[ \t]*(?:{NAME_CONNECT}[ \t]+)*{NAME_TOKEN})*"
# A firm named for its partners keeps the commas between them: "Whitlow, Bramley & Co.".
_FIRM = rf"(?:,[ \t]+[A-Z][\w'\u2019\-]*)+,?[ \t]+&[ \t]+{_NAME_WORDS}"
# A trade name after the legal one's suffix belongs to the name: "Roe Enterprises, Inc. d/b/a
# Sunburst Cafe".
NAME_RE = re.compile(
    rf"(?:The\s+|THE\s+)?{_NAME_WORDS}(?:{_FIRM})?(?:,?\s+{SUFFIX}(?![\w]))*"
    rf"(?:,?[ \t]+(?:d/b/a|dba|DBA|D/B/A)[ \t]+{_NAME_WORDS}(?:,?\s+{SUFFIX}(?![\w]))*)?"
)
# What opens a quoted alias: a double quote, or the left single quote of British drafting.
OPEN_QUOTE = r"[\"\u201c\u2018]"
# A defined name in double quotes ("Supplier", \u201cSupplier\u201d, ``Supplier''); a straight
# single quote is too often an apostrophe ("People's Republic") to open one, but it closes one
# that a double quote opened before the next alias or the bracket ("Lessor' or "Acme"). A left
# curly single quote is no apostrophe: British drafting opens aliases with it
# (\u2018Supplier\u2019); nor is a straight one that opens a bracket or follows "referred to as"
# or "called" ('Acme Ltd (hereinafter referred to as 'Acme', which term ...)', "('Distributor')").
QUOTED_RE = re.compile(
    r"(?:[\"\u201c\u201d\u2018]|``|''|(?:(?<=\()|(?<=\(\s)|(?<=\bto\sas\s)|(?<=called\s))')"
    r"\s*([^\"\u201c\u201d\n]{1,60}?)\s*"
    rf"(?:[\"\u201d\u201c]|''|['\u2019](?=\s*(?:or|and)\s+{OPEN_QUOTE}|\s*[,)]))"
)
# "by and between", "among", and "is entered into by X and Y" (but not "by its officers").
PARTY_CUE = re.compile(
    r"\b(?:by\s+and\s+between|by\s+and\s+among|between|among)\b\s*:?"
    r"|\b(?:entered\s+into|made)\b[^.()]{0,60}?\bby\b(?!\s+and\b|\s+(?:its|their|each|both|a|an)\b)",
    re.I,
)
# Aliases that name no party. "Affiliate" is not among them: an affiliate agreement calls the
# station or the office that joins the network so ('Fernway Broadcasting Company ("Affiliate")');
# the plural is a party's group ("its Affiliates").
GENERIC_ALIASES = re.compile(
    r"^(?:the\s+)?(?:part(?:y|ies)|agreement|effective\s+date|this\s+agreement|contract|"
    r"affiliates|each|collectively|execution\s+date|signing\s+date|amendment)$",
    re.I,
)
# Words that start no name: a clause's opening ("If Retainer $[*] ..." after a ";") and an
# address's ("...; Suite 200; ...").
NOT_NAMES = re.compile(
    r"^(?:This|THIS|WHEREAS|NOW|IN|Agreement|AGREEMENT|Section|SECTION|Each|EACH|Dated|DATED|"
    r"Date|Between|BETWEEN|And|AND|Witnesseth|WITNESSETH|Recitals|RECITALS|The\s+[Pp]arties|Parties|"
    r"Exhibit|EXHIBIT|Schedule|SCHEDULE|Know\s+all|KNOW\s+ALL|If|IF|Suite|SUITE)\b"
    r"|^(?:The|THE)$"
)
# What stands between two parties: "and", a list number, "on the other hand", and a word that
# relates the next party to the one before ("... Japan and its subsidiary Beta KK"), and a form's
# field label ("Between Client Name: Acme, Inc. ... And Customer Name: Beta LLC").
SKIP_LEAD = re.compile(
    r"(?:\s|,|;|:|-|[\u2022\u25cf\u25aa\u25a0]|\b(?:and|And|AND)\b|\bthe\b|\(\w{1,3}\)|\d\.\s|\bon\s+the\s+(?:one|other)\s+hand\b"
    r"|\bits\s+(?:wholly[\s-]owned\s+)?(?:subsidiary|affiliate|parent(?:\s+company)?)\b"
    r"|\b[A-Z][a-z]+\s+Name\s*:)+"
)
# An address, page footer or stray word that the name pattern ran on into after the name:
# "DGT Corp. Suite 207", "Clear Capital Page 1 of 10", "Tigrent Learning UK Limited of Boston
# House", "Lark Speakers of 90 High Street".
NAME_TAIL = re.compile(
    r"\s+(?:Suite|Floor|Page|With|P\.?O\.?\s+Box)\b.*$"
    r"|\s+(?:of|at)\s+\S+\s+(?:House|Building|Tower|Centre|Center|Plaza)\b.*$"
    r"|\s+(?:of|at)\s+\d+[A-Za-z]?\s+[A-Z].*$",
    re.S,
)
# A suffix that ends a name followed by an address: "NLS-1 Pharma AG Alter Postplatz 2 6370".
SUFFIX_THEN_ADDRESS = re.compile(rf"\b{SUFFIX}(?=\s+(?:\S+\s+){{0,4}}?\S*\d)")
STOP_PARTY = re.compile(
    r"\b(?:WHEREAS|W\s*I\s*T\s*N\s*E\s*S\s*S\s*E\s*T\s*H|RECITALS|BACKGROUND|NOW,?\s+THEREFORE"
    r"|Whereas|Recitals|Background|IT\s+IS\s+(?:HEREBY\s+)?AGREED|agree\s+as\s+follows)\b"
)
# "... Israel. Hereinafter referred to as "Customer"": the alias still belongs to the party.
# A full stop at the end of a line before a numbered clause ("...("Beta").\n\n1.1") ends one too.
# An alias bracket after an address's full stop ("Lagos, Nigeria. ("Gateway")") ends none either,
# nor a "Hereafter referred to as" line after a registration number, nor the "AND:" that labels
# the next party in a "BETWEEN: ... AND: ..." preamble.
SENTENCE_BREAK = re.compile(
    r"\.\s+(?!Hereinafter\b|HEREINAFTER\b|Hereafter\b|HEREAFTER\b|(?i:and)\s*:)"
    r"(?:[A-Z]|\((?!\s*[\"\u201c]))"
    r"|\.[ \t]*\n\s*\d"
)
# A period after "Inc", "Mt", "U.S.A", a short capitalized word or "a.k.a." ends no sentence.
ABBREVIATION = re.compile(
    rf"(?:\b{SUFFIX}|\b(?:[A-Z]\.)+[A-Z]?|\b[A-Z][a-z]{{0,3}}|\b[A-Z]+"
    r"|\b(?i:a\.k\.a|f\.k\.a|n\.k\.a|d\.b\.a|i\.e|e\.g|viz))$"
)
PARTY_REGION = 2000
MAX_NAME_WORDS = 12
# Titles and addresses that the name pattern would otherwise take for a party.
NOT_IN_NAMES = re.compile(
    r"\b(?:Agreement|AGREEMENT|This|THIS)\b|\d+[A-Za-z]?\s+(?:\w+\s+){0,3}(?:Avenue|Street|Road|Boulevard|"
    r"Blvd|Drive|Lane|Suite|Floor|Str)\b"
)
# The verbs and pronouns of a shouted clause ("THIS AGREEMENT IS THE ENTIRE AGREEMENT BETWEEN
# THE PARTIES RELATING TO ...", "BY SUBMITTING YOUR FORM"). A company's name may hold one ("BE
# AEROSPACE, INC.", "DIRECT TO YOU LLC"), so they reject only a name with no corporate suffix.
SHOUTED_CLAUSE_WORDS = re.compile(
    r"\b(?:TO|YOUR|IS|ARE|WILL|MUST|SHALL|HAS|HAVE|BE|BELOW|ABOVE|HEREIN|HEREBY)\b"
)
MAX_PARTIES = 8


@dataclass(frozen=True)
class _PartyHit:
    name: str
    alias: str
    start: int
    end: int
    # Further aliases defined in the same brackets: ("Buyer" or "PNC").
    more: tuple[str, ...] = ()
    # An alias in quotes, not just in brackets: the surer sign of a list of parties.
    quoted: bool = True


# "Party A:" -- but not "Legal Representative of Party A:", which names a person.
PARTY_LABEL = re.compile(
    r"(?<!\bof\s)\b(?P<label>Party\s+[A-Z])\s*(?:\([^)\n]{1,30}\)\s*)?[:\uff1a]\s*"
)
# A translated contract's role label before a company name: "The Covenanter: Lotus Hotel Inc.",
# "The buyer/End-User: Shenzhen Kelp Trading Co., Ltd.".
ROLE = (
    r"(?:Covenanter|Buyer|Seller|Purchaser|Vendor|Supplier|Licensor|Licensee|Lessor|Lessee|"
    r"Client|Customer|Contractor|Distributor|Manufacturer|Employer|Lender|Borrower|End-User|"
    r"Entrusting\s+Party|Entrusted\s+Party|Transferor|Transferee|Assignor|Assignee)"
)
ROLE_LABEL = re.compile(
    rf"(?:^|(?<=\n)|(?<=\s))(?:[Tt]he\s+)?(?P<label>(?i:{ROLE})(?:\s*/\s*(?i:{ROLE}))*)"
    r"[ \t]*[:\uff1a][ \t]*",
    re.M,
)
DEFINITION_START = re.compile(
    r"^\W*(?:\d[\d.]*\s+)?[\"\u201c][^\"\u201d]{1,60}[\"\u201d]\s+(?:shall\s+)?means?\b"
)
ENTITY_WORDS = re.compile(
    r"corporation|company|limited|partnership|organized|incorporated|individual|trust|"
    r"association|bank|\bLLC\b|\bInc\b|\bLtd\b|residing|address|office",
    re.I,
)


def parties(ctx: Context) -> list[Term]:
    """Parties with their defined aliases, from the preamble ("by and between X and Y").

    Each "between"/"among" in the preamble opens a candidate list (it may run over several
    lines: "BETWEEN:" / "(1) ACME LIMITED ..."); the list with the most aliases, then the most
    parties, wins, so a title line "AGREEMENT BETWEEN X AND Y" yields to the full preamble.
    """
    text = ctx.seg.doc.text
    if not ctx.preamble:
        return []
    best: tuple[tuple[int, ...], list[_PartyHit]] = ((-1,), [])
    starts = [(pos, cued, False) for pos, cued in _party_starts(ctx)]
    starts += [(pos, 1, True) for pos in _presents_starts(ctx)]
    for pos, cued, presents in starts:
        hits = _without_other_list(text, pos, _scan_parties(text, pos, _list_end(text, pos)))
        hits = [_named_by_earlier_alias(text, h) for h in hits]
        if not cued and not _entity_like(text, hits):
            continue
        aliases = sum(bool(h.alias and h.quoted) for h in hits)
        if presents and aliases < 2:
            # The maker alone ("... that Acme LLC ("Grantor") appoints Jane Roe"): no list of
            # parties; the signature page names the maker.
            continue
        # Of two full lists (two aliases each) the earlier is the opening sentence; a later one
        # is a recital or a definition that lists other dealings.
        third = len(hits) if aliases < 2 else -pos
        score = (min(2, aliases), cued, third) if hits else (-1,)
        if score > best[0]:
            best = (score, hits)
    labelled = _labelled_parties(ctx)
    hits = labelled if len(labelled) > len(best[1]) else best[1]
    if not hits or any(BY_SIGNATURE.search(c.text) for c in ctx.preamble):
        behalf = _behalf_signatories(ctx)
        hits = behalf if len(behalf) > len(hits) else hits
    hits = hits or _signatories(ctx)
    for extra in (_form_names(ctx), _addressee(ctx)):
        hits = [_fuller_name(h, extra) for h in hits]
        known = {_fold(h.name) for h in hits}
        hits += [h for h in extra if _fold(h.name) not in known]
    opening_end = _opening_end(ctx)
    recitals = _recital_spans(ctx, opening_end)
    hits = [_alias_given_later(text, h, opening_end, recitals) for h in hits]
    out = []
    spelled: dict[str, str] = {}
    for hit in hits:
        q_start, q_end = ctx.sentence_span(hit.start, hit.end)
        # A party named twice ("EMERSON FOODS, LLC" on the cover, "Emerson Foods, LLC" in the
        # preamble) keeps its first spelling.
        key = re.sub(r"\W", "", hit.name.lower())
        name = spelled.setdefault(key, hit.name) if key else hit.name
        # A party with two aliases is listed once under each.
        for alias in (hit.alias, *hit.more):
            party = Party(name, alias)
            out.append(ctx.term_at("parties", party, hit.start, hit.end, q_start, q_end))
    return out


def _fuller_name(hit: _PartyHit, others: Sequence[_PartyHit]) -> _PartyHit:
    """`hit` under the fuller name another block gives it, where the preamble cut the name at
    a comma: the letter's addressee "Keefe, Bruyette & Woods, Inc." is the party the preamble
    read as "Bruyette & Woods, Inc." ("agreement with Keefe, Bruyette & Woods, Inc.")."""
    for other in others:
        if hit.name and other.name.endswith(", " + hit.name):
            return _PartyHit(other.name, hit.alias, hit.start, hit.end, hit.more, hit.quoted)
    return hit


# An alias given to a name outside the list of parties: "Acme, Inc., hereinafter referred to as
# "Acme", hereby agrees ...", "The undersigned understand that Beta Inc. (the "Corporation")".
ALIAS_AFTER_NAME = re.compile(
    r"\s*,?\s*(?:\(\s*(?:the\s+)?|(?:\(\s*)?hereinafter\s+(?:referred\s+to\s+as|called)\s+(?:the\s+)?)"
    rf"{OPEN_QUOTE}([^\"\u201d\n]{{1,40}}?)[\"\u201d]"
)


def _opening_end(ctx: Context) -> int:
    """Where the opening ends: at the end of the preamble, or at clause 1 where that comes first
    (the preamble may run on into it, and a clause's bracket defines no party: 'products bought
    from Acme Corporation ("Purchase Customers")')."""
    first = (s.start for s in ctx.seg.sections if s.number and re.match(r"\d", s.number))
    return min(ctx.preamble[-1].sentence.end, next(first, len(ctx.seg.doc.text)))


def _recital_spans(ctx: Context, limit: int) -> list[tuple[int, int]]:
    """Where the recitals before `limit` run: from a "WHEREAS" (or a recital's first word, under
    a "Recitals" heading) to the end of its sentence."""
    spans = []
    for clause in ctx.clauses:
        sent = clause.sentence
        if sent.start >= limit:
            continue
        whereas = WHEREAS.search(clause.text)
        if _is_other(clause) or whereas:
            spans.append((sent.start + (whereas.start() if whereas else 0), sent.end))
    return spans


WHEREAS = re.compile(r"\bWHEREAS\b", re.I)


def _alias_given_later(
    text: str, hit: _PartyHit, limit: int, recitals: Sequence[tuple[int, int]] = ()
) -> _PartyHit:
    """`hit` with the alias that the preamble gives its name elsewhere, where the list gave none.

    The name may be written with other commas there ("Acme Widgets, Midwest, Inc." for "Acme
    Widgets Midwest, Inc."). A recital's bracket (`recitals`) names the party in another dealing
    ("WHEREAS, Beta LLC (the "Original Lender") and ... made a loan"), not in this one.
    """
    words = re.findall(r"\w[\w&'\-]*", hit.name)
    if hit.alias or not words:
        return hit
    spelled = r"\b" + r"[\s,.]+".join(re.escape(w) for w in words) + r"\b\.?"
    for m in re.finditer(spelled, text[:limit]):
        if any(lo <= m.start() < hi for lo, hi in recitals):
            continue
        defined = ALIAS_AFTER_NAME.match(text, m.end(), limit)
        alias = defined.group(1).strip(" ,.") if defined else ""
        if alias and not GENERIC_ALIASES.match(alias) and _alias_like(alias):
            return _PartyHit(hit.name, alias, hit.start, hit.end, hit.more, hit.quoted)
    return hit


# A second "between"/"among" before a name opens another agreement's list of parties: "...
# as an amendment to the Supply Agreement dated May 1, 2016 by and among Acme Inc. ("Acme")".
OTHER_LIST = re.compile(
    r"\b(?:[Aa]greement|[Aa]mendment|[Cc]ontract|[Ll]ease|dated)\b[^.;()\"\u201c]{0,80}?"
    r"\b(?:between|among)\s+(?:the\s+)?[A-Z]"
)


def _named_by_earlier_alias(text: str, hit: _PartyHit) -> _PartyHit:
    """`hit` under the full name that an earlier sentence gave its name as an alias.

    'Keel Media, Inc. ("KM"), a Delaware company, hosts the Event. This Agreement is made by
    and between Rook Ltd ("Rook") and KM.': the second party is Keel Media, Inc., called KM.
    """
    short = hit.name.rstrip(".")
    if hit.alias or not short or " " in short:
        return hit
    quote = rf"[\"\u201c]{re.escape(short)}[\"\u201d]"
    for m in re.finditer(rf"\(\s*(?:the\s+)?{quote}", text[: hit.start]):
        full = _name_ending_at(text, m.start())
        if full and full != short and _is_name(full):
            return _PartyHit(full, short, hit.start, hit.end, hit.more, hit.quoted)
    return hit


def _name_ending_at(text: str, pos: int) -> str:
    """The longest name that ends just before `pos` (a comma and spaces between), or ""."""
    lead = text[max(0, pos - EARLIER_NAME_REACH) : pos].rstrip(" ,")
    for word in re.finditer(r"(?<!\S)\S", lead):
        # match, not fullmatch: a failed fullmatch of a shouted name backtracks through every
        # way of splitting its words.
        m = NAME_RE.match(lead, word.start())
        if m is not None and m.end() == len(lead):
            return _trim_name(" ".join(m.group(0).split()))
    return ""


EARLIER_NAME_REACH = 120


def _list_end(text: str, pos: int) -> int:
    """Where the list of parties from `pos` ends: at the recitals or the operative words, or
    PARTY_REGION further on."""
    stop = STOP_PARTY.search(text, pos, pos + PARTY_REGION)
    return stop.start() if stop else min(len(text), pos + PARTY_REGION)


def _without_other_list(text: str, pos: int, hits: list[_PartyHit]) -> list[_PartyHit]:
    """`hits` without those after a second "between"/"among", once two aliased parties precede it.

    With fewer before it the names after it may still be this agreement's: an amendment
    "between Acme Inc. ("Acme") Beta LLC ("Beta") ... amends the Agreement between Acme and
    Beta" may lack its "and".
    """
    other = OTHER_LIST.search(text, pos, hits[-1].start) if hits else None
    if other is None:
        return hits
    before = [h for h in hits if h.start < other.start()]
    return before if sum(bool(h.alias and h.quoted) for h in before) >= 2 else hits


# "between and among the Parties signatory hereto": a preamble that leaves the names to the
# signature pages.
BY_SIGNATURE = re.compile(
    r"\bparties\s+(?:signatory|signatories)\s+(?:hereto|to\s+this)|\bparties\s+whose\s+"
    r"(?:names|signatures)\s+appear",
    re.I,
)
BEHALF = re.compile(r"\bFor\s+and\s+on\s+behalf\s+of\s*:?\s*")
MAX_SIGNATORIES = 80


def _behalf_signatories(ctx: Context) -> list[_PartyHit]:
    """The entities signed for after the witness clause: "For and on behalf of ABS Telecom plc".

    Consortium agreements (cable systems, clearing arrangements) have dozens of parties, named
    only on their signature pages.
    """
    text = ctx.seg.doc.text
    lo, _, witness = _signature_region(text)
    if witness is None:
        return []
    out: list[_PartyHit] = []
    seen: set[str] = set()
    for m in BEHALF.finditer(text, lo):
        name = NAME_RE.match(text, m.end())
        if name is None:
            continue
        raw = _trim_name(re.sub(r"\s+By$", "", " ".join(name.group(0).split())))
        if _is_name(raw) and raw.lower() not in seen and len(out) < MAX_SIGNATORIES:
            seen.add(raw.lower())
            out.append(_PartyHit(raw, "", name.start(), name.end()))
    return out


def _signatories(ctx: Context) -> list[_PartyHit]:
    """The entities that sign, for a document whose preamble names no parties.

    Joint filing agreements and letters name their parties only in the signature block:
    "UNIFORM INVESTCO LP By: Uniform InvestCo GP LLC, its General Partner By: /s/ ...".
    """
    text = ctx.seg.doc.text
    region = _signatory_region(text)
    if region is None:
        return []
    out: list[_PartyHit] = []
    seen: set[str] = set()
    for m in NAME_RE.finditer(text, *region):
        # The name pattern may run on from the line before ("... as of May 4, 2020.\nACME LP")
        # and into the signature line after it ("ACME LP By: ..."), or take in the signer
        # before it ("/s/ Ann Roe Ann Roe Authorized Signatory BETA FUND LP").
        raw = re.sub(r"\s*/$", "", " ".join(m.group(0).split()))
        by = re.search(r"\s+By$", raw)
        trimmed = _trim_name(raw[: by.start()] if by else raw)
        name = _shouted_tail(re.sub(r"^(?:\S*\d\S*\s+)+", "", trimmed))
        after = text[m.end() : m.end() + 60]
        signs = by or re.match(r"\W{0,3}(?:By\b|/s/|s/)|,\s+its\s", after)
        if not signs or not re.search(rf"\b{SUFFIX}$", name) or not _is_name(name):
            continue
        if all(re.fullmatch(rf"{SUFFIX},?", w) for w in name.split()):
            # "L.P." alone: the end of a name that a line break split off.
            continue
        label = re.search(r"(?:Name|Title)\s*:\s*$", text[max(0, m.start() - 10) : m.start()])
        if label and name == trimmed:
            continue
        key = name.lower()
        if key not in seen and len(out) < MAX_PARTIES * 3:
            seen.add(key)
            out.append(_PartyHit(name, "", m.start(), m.end()))
    return out


# Joint filing statements sign under "Dated:" with no witness clause: their signature block
# starts at the first signature mark.
SIGN_START = re.compile(r"/s/|\bBy\s*:")
SIGN_LEAD = 400
SIGNATORY_SPAN = 6000
# A word of a shouted name ("APOLLO", "L.P.", "S.À", "III", "&").
SHOUTED = re.compile(r"^[^a-z]*[A-Z][^a-z]*$|^&$")


def _signatory_region(text: str) -> tuple[int, int] | None:
    """Where signatories are read: past the witness clause, else from the first signature mark.

    The span is wide because joint filings list a dozen or more signing entities.
    """
    lo, _, witness = _signature_region(text)
    if witness is None:
        mark = SIGN_START.search(text)
        if mark is None:
            return None
        lo = max(0, mark.start() - SIGN_LEAD)
    return lo, min(len(text), lo + SIGNATORY_SPAN)


def _shouted_tail(name: str) -> str:
    """The shouted entity at the end of a run of signature words, or `name` as it is.

    "Thomas Roe Chief Financial Officer SCULPTOR FUND LTD" is a signer, a title and the next
    entity; the entity is the capitalized tail when it has two words besides its suffix.
    """
    words = name.split()
    i = len(words)
    while i > 0 and SHOUTED.match(words[i - 1]):
        i -= 1
    tail = words[i:]
    core = [w for w in tail if not re.fullmatch(rf"{SUFFIX},?", w)]
    if i > 0 and len(core) >= 2 and any(c.islower() for c in " ".join(words[:i])):
        return " ".join(tail)
    return name


BETWEEN_LINE = re.compile(r"^[ \t]*(?:BETWEEN|AMONG|Between|Among)[ \t]*:?[ \t]*$", re.M)
# A "PARTIES" heading that opens a numbered list: "PARTIES (1) ACME LTD ...", or a line
# "Parties to this agreement" of its own.
PARTIES_HEAD = re.compile(
    r"^[ \t]*(?:PARTIES|Parties)(?:[ \t]+to[ \t]+this[ \t]+[Aa]greement)?[ \t]*:?[ \t]*$"
    r"|\bPARTIES[ \t]*:?(?=\s*\(1\))",
    re.M,
)


# "by and between", "entered into ... by", "made ... between": the cue of the sentence that
# opens the contract, stronger than a later "between the Representatives of X".
OPENING_CUE = re.compile(
    r"\b(?:agreement|contract|amendment|lease|licen[cs]e)\b[^.]{0,300}?(?:\bby\s+and\b|"
    r"\b(?:made|entered\s+into|executed|dated|effective)\b[^.]{0,300}?\b(?:by|between|among)\b)",
    re.I,
)


# A power of attorney or a bond names its maker, and then whom it appoints, after "Know all men
# by these presents that".
PRESENTS = re.compile(r"\bby\s+these\s+presents\b[^.()]{0,80}?\bthat\b\s*,?", re.I)


def _presents_starts(ctx: Context) -> list[int]:
    """Where a list of parties may begin after "Know all men by these presents that"."""
    return [c.sentence.start + m.end() for c in ctx.preamble for m in PRESENTS.finditer(c.text)]


DATE_THEN_NAME = re.compile(
    r"\(\s*(?:the\s+)?[\"\u201c](?:Effective|Agreement|Execution)\s+Date[\"\u201d]\s*\)"
    r"[ \t]*,?[ \t]*(?=[A-Z][A-Za-z0-9&]*[ \t,])"
)


def _party_starts(ctx: Context) -> list[tuple[int, int]]:
    """(position, cue) where a list of parties may begin: cue 2 after the opening sentence's
    "between"/"among"/"by", 1 after another "between", 0 at a sentence that defines an alias."""
    starts = []
    for clause in ctx.preamble:
        if DEFINITION_START.search(clause.text):
            # '"Master Agreement" means the agreement between X and Y': not this document's parties.
            continue
        for m in PARTY_CUE.finditer(clause.text):
            # A recital's "Supply Agreement dated ... between X and Y" names another contract.
            strong = OPENING_CUE.search(clause.text, 0, m.end()) and not _is_other(clause)
            starts.append((clause.sentence.start + m.end(), 2 if strong else 1))
    for c in ctx.preamble[:8]:
        if _defines_alias(c.text):
            starts.append((c.sentence.start, 0))
            # "SUPPLY AGREEMENT Acme Corp., a Delaware corporation ("Acme"), and ...": a list
            # that opens right after the shouted title, with no "between".
            title = SHOUTED_TITLE.match(c.text)
            if title:
                starts.append((c.sentence.start + title.end(), 0))
    # "... is entered into as of the later of the signature dates (the "Effective Date") ACME
    # CORP. ("Acme"), ... and BETA LLC ("Beta")": the names follow the date with no "between".
    for c in ctx.preamble[:8]:
        starts += [(c.sentence.start + m.end(), 1) for m in DATE_THEN_NAME.finditer(c.text)]
    # A "BETWEEN:" line of its own reads as a heading, so no sentence holds it.
    limit = ctx.preamble[-1].sentence.end
    for line in (BETWEEN_LINE, PARTIES_HEAD, SALUTATION):
        starts += [(m.end(), 2) for m in line.finditer(ctx.seg.doc.text, 0, limit)]
    return starts


# An order form's cover fields: "Company Name: Acme, Inc.", "Customer Name: Beta LLC".
FORM_NAME = re.compile(
    r"\b(?:Company|Client|Customer|Reseller|Supplier|Vendor|Licensee|Licensor|Distributor|"
    r"Contractor|Buyer|Seller)\s+(?:Full\s+Legal\s+)?Name\s*:[ \t]*"
)


def _form_names(ctx: Context) -> list[_PartyHit]:
    """The companies an order form names in its cover fields (a corporate suffix required)."""
    text = ctx.seg.doc.text
    out = []
    for label in FORM_NAME.finditer(text, 0, ctx.preamble[-1].sentence.end):
        m = NAME_RE.match(text, label.end())
        if m is None:
            continue
        # Up to the first suffix: the next field's label may follow on the same line
        # ("Acme, Inc. Company Address: ...").
        first = re.match(rf".*?\b{SUFFIX}(?!\w)", " ".join(m.group(0).split()))
        name = _trim_name(first.group(0)) if first else ""
        if name and _is_name(name):
            out.append(_PartyHit(name, "", m.start(), m.start() + len(name)))
    return out


# A letter agreement opens "Ladies and Gentlemen:" and then names its senders: "Acme Bancorp,
# Inc. (the "Company") ... confirm their agreement with you", or "The undersigned, Acme Ltd.".
SALUTATION = re.compile(
    r"\b(?:Ladies\s+and\s+Gentlemen|Gentlemen|Dear\s+(?:Sirs?(?:\s+(?:and|or)\s+Madams?)?"
    r"|(?:Mr|Ms|Mrs|Dr)\.?\s+[A-Z][\w'\-]+))\s*[:,][ \t]*\n?\s*(?:The\s+undersigned\s*,\s*)?"
)
# The addressee block above the salutation: "Keel Securities, Inc. 10 Pier Street Boston ...".
ADDRESSEE_REACH = 300


def _addressee(ctx: Context) -> list[_PartyHit]:
    """The company a letter agreement is addressed to, named with its street address above the
    salutation ("Attention:" lines and the date left out)."""
    text = ctx.seg.doc.text
    sal = SALUTATION.search(text, 0, ctx.preamble[-1].sentence.end)
    if sal is None:
        return []
    lo = max(0, sal.start() - ADDRESSEE_REACH)
    window_end = sal.start()
    attention = re.search(r"\b(?:Attention|Attn)\b", text[lo:window_end])
    if attention:
        window_end = lo + attention.start()
    found: list[_PartyHit] = []
    for m in NAME_RE.finditer(text, lo, window_end):
        raw = re.sub(r"^(?:\S*\d\S*\s+)+", "", " ".join(m.group(0).split()))
        name = _trim_name(raw)
        # The name pattern may run on into the street ("Acme Inc. 10 Pier Street") or stop
        # before it ("Acme, Inc." then "10 Pier Street").
        street = name != raw or ADDRESS_AFTER.match(text, m.end(), window_end)
        if street and re.search(rf"\b{SUFFIX}$", name) and _is_name(name):
            found = [_PartyHit(name, "", m.start(), m.end())]
    # The block nearest the salutation: a title page may name the issuer above it.
    return found


# A street address right after a name: "10 Pier Street", "Suite 4, 88 Main Road".
ADDRESS_AFTER = re.compile(r"[\s,]+(?:[A-Za-z]+\s+){0,2}\d+[A-Za-z]?\s+[A-Z]")


SHOUTED_TITLE = re.compile(
    r"^(?:[^a-z\n]{0,200}?\s)?(?:[A-Z&\-]+\s+){0,6}(?:AGREEMENT|CONTRACT)\s+(?=[A-Z][a-z])"
)


def _entity_like(text: str, hits: Sequence[_PartyHit]) -> bool:
    """Whether a list found without "between" reads like parties (an alias and an entity).

    The alias may come with the second party only: "Acme Corporation, a Michigan corporation
    (ACME) and Beta, Inc. ("Agency") agree as follows".
    """
    if not hits or not (hits[0].alias or any(h.alias and h.quoted for h in hits[1:2])):
        return False
    first = hits[0]
    return bool(re.search(SUFFIX, first.name) or ENTITY_WORDS.search(text[first.start : first.end]))


def _labelled_parties(ctx: Context) -> list[_PartyHit]:
    """Parties written as "Party A: Beijing ... Co., Ltd." (common in translated contracts)."""
    text = ctx.seg.doc.text
    limit = ctx.preamble[-1].sentence.end
    out = []
    for m in PARTY_LABEL.finditer(text, 0, limit):
        name = NAME_RE.match(text, m.end(), limit)
        if name and not NOT_NAMES.match(name.group(0)):
            out.append(
                _PartyHit(
                    " ".join(name.group(0).split()),
                    " ".join(m.group("label").split()),
                    m.start(),
                    name.end(),
                )
            )
    return out or _numbered_party_letters(text, limit) or _role_labelled(text, limit)


# "1. Lotus Hotel Inc. (hereinafter referred to as Party A), established under ...".
PARTY_LETTER_ALIAS = re.compile(
    r"\(\s*hereinafter\s+(?:referred\s+to\s+as|called)\s+[\"\u201c]?(Party\s+[A-Z])"
    r"[\"\u201d]?\s*\)"
)


def _numbered_party_letters(text: str, limit: int) -> list[_PartyHit]:
    """Companies at the start of a line (or a numbered item) that a hereinafter bracket calls
    "Party A", "Party B"."""
    out = []
    for m in PARTY_LETTER_ALIAS.finditer(text, 0, limit):
        line = text.rfind("\n", 0, m.start()) + 1
        lead = re.match(r"[ \t]*(?:\(?\d{1,2}[.)][ \t]+)?", text[line : m.start()])
        start = line + (lead.end() if lead else 0)
        name = NAME_RE.match(text, start, m.start())
        raw = " ".join(name.group(0).split()) if name else ""
        if name and not text[name.end() : m.start()].strip(" ,") and _is_name(raw):
            out.append(_PartyHit(_trim_name(raw), " ".join(m.group(1).split()), start, m.end()))
    return out


def _role_labelled(text: str, limit: int) -> list[_PartyHit]:
    """Companies after a role label ("The Covenanter: Lotus Hotel Inc."), with the alias that
    follows them ("(hereinafter referred to as Party A)") or else the label's roles.

    A corporate suffix or a hereinafter alias is required: order forms label their fields the
    same way ("Customer: see below").
    """
    out = []
    for m in ROLE_LABEL.finditer(text, 0, limit):
        name = NAME_RE.match(text, m.end(), limit)
        if name is None:
            continue
        raw = " ".join(name.group(0).split())
        first = re.match(rf".*?\b{SUFFIX}(?:,?\s+{SUFFIX})*(?!\w)", raw)
        later = HEREINAFTER_ALIAS.match(text, name.end() + 1, limit)
        if later is None and first is None:
            continue
        cut = _trim_name(raw if later else first.group(0))
        if not _is_name(cut):
            continue
        roles = [" ".join(r.split()) for r in m.group("label").split("/")]
        alias, more = (later.group(1), ()) if later else (roles[0], tuple(roles[1:]))
        out.append(_PartyHit(cut, alias, m.start(), name.end(), more))
    return out


def _defines_alias(text: str) -> bool:
    return bool(re.search(rf"\(\s*(?:the\s+|hereinafter\s+)?{OPEN_QUOTE}[A-Z]", text))


def _scan_parties(text: str, pos: int, end: int) -> list[_PartyHit]:
    """The parties listed from `pos` on: a name, its description, its alias; then the next."""
    out: list[_PartyHit] = []
    quoteless = not re.search(r"[\"\u201c\u201d\u2018]|``", text[pos:end])
    while pos < end and len(out) < MAX_PARTIES:
        lead = SKIP_LEAD.match(text, pos, end)
        if lead:
            pos = lead.end()
        m = NAME_RE.match(text, pos, end)
        name = _trim_name(" ".join(m.group(0).split())) if m else ""
        if m is None or not _is_name(name):
            m = UNNAMED.match(text, pos, end)
            if m is None and out and out[-1].alias:
                m = DESCRIBED_ONLY.match(text, pos, end)
            if m is None:
                break
            # A party left blank, redacted or described: only its alias names it.
            stretch_end = _party_end(text, m.end(), end, first=not out)
            alias, alias_end = _alias(text, m.end(), stretch_end)
            if not alias:
                break
            more = _more_aliases(text, alias_end, stretch_end)
            out.append(_PartyHit("", alias, m.start(), alias_end, more))
            if text.startswith(".", stretch_end):
                break
            pos = stretch_end
            continue
        stretch_end = _party_end(text, m.end(), end, first=not out)
        alias, alias_end = _alias(text, m.end(), stretch_end, name)
        more = _more_aliases(text, alias_end, stretch_end) if alias else ()
        if alias:
            more += _second_bracket_alias(text, alias_end, stretch_end)
            more += _group_aliases(text, alias_end, stretch_end)
            more += _capacity_aliases(text, alias_end, stretch_end)
        quoted = bool(alias)
        if not alias:
            alias, alias_end = _unquoted_alias(text, m.end(), stretch_end, quoteless)
        joined = re.search(rf"^(.*?{SUFFIX})\s+(?:and|AND)\s+(\S.*)$", name)
        # "Acme Juice Company and Acme Foods Corp. (collectively, "Acme")": two parties that
        # share one alias.
        shared = quoted and COLLECTIVE.search(text, m.end(), alias_end) is not None
        if joined and (shared or not alias):
            # "Acme Corp. and Beta LLC": two names that the name pattern ran together.
            left_end = m.start() + len(joined.group(1))
            left_alias = alias if shared else ""
            out.append(_PartyHit(joined.group(1), left_alias, m.start(), left_end, more, quoted))
            name = joined.group(2)
        out.append(_PartyHit(name, alias, m.start(), alias_end or m.end(), more, quoted))
        out += _loaned_out(text, alias_end or m.end(), stretch_end)
        if text.startswith(".", stretch_end):
            # The sentence that lists the parties has ended.
            break
        pos = stretch_end
    return out


COLLECTIVE = re.compile(r"\b(?:collectively|together|jointly)\b", re.I)


# A party the preamble does not name: a blank for the name ("_______, a corporation", "_____ an
# individual"), a redaction ("[ * * * ]"), a form's placeholder ("[\u25cf]") or a description
# ("the persons listed on Schedule A", "each of the investors named on the signature page"), or
# a letter's addressee given an alias ('between Acme Inc. ("Acme") and you ("Executive")').
UNNAMED = re.compile(
    r"_{3,}[_\s]*(?=[,(]|an?\s)|\byou(?=\s*\(\s*(?:the\s+)?[\"\u201c])"
    r"|\[\s*(?:[*\u25cf\u2022]\s*)+\](?=\s*[,(])"
    r"|(?:each\s+of\s+the\s+|The\s+)?(?:[a-z]+\s+){1,4}?(?:listed|named|identified|set\s+forth|"
    r"specified|indicated)\s+(?:as\s+the\s+\w+\s+)?(?:on|in|below|above|at)\b[^()\n\"\u201c]{0,60}?(?=\s*[,(])"
)


# A loan-out company that contracts for a person's services: 'Lark Media, LLC ("Lender"),
# for the services of Dana Price ("Artist")', "f/s/o Dana Price", "agent for Dana Price".
LOAN_OUT = re.compile(
    r"[\s,]*(?:(?:for|furnishing)\s+(?:the\s+)?(?:personal\s+)?services\s+of|f/s/o|agent\s+for)\s+"
)


def _loaned_out(text: str, pos: int, end: int) -> list[_PartyHit]:
    """The person whose services a party furnishes, with the alias the person is given."""
    lead = LOAN_OUT.match(text, pos, end)
    if lead is None:
        return []
    m = NAME_RE.match(text, lead.end(), end)
    if m is None or not _is_name(m.group(0)):
        return []
    alias, alias_end = _alias(text, m.end(), min(end, m.end() + 30), m.group(0))
    return [_PartyHit(" ".join(m.group(0).split()), alias, m.start(), alias_end or m.end())]


def _fold(name: str) -> str:
    """A name reduced for comparison: lower case, letters and digits only, suffixes dropped."""
    words = re.sub(r"[^\w\s]", " ", name.lower()).split()
    core = [w for w in words if not re.fullmatch(rf"(?i:{SUFFIX})", w) and w != "the"]
    return " ".join(core or words)


def _trim_name(name: str) -> str:
    """`name` without the address or footer words the name pattern ran on into."""
    name = NAME_TAIL.sub("", name)
    suffix = SUFFIX_THEN_ADDRESS.search(name)
    return (name[: suffix.end()] if suffix else name).rstrip(",")


def _party_end(text: str, pos: int, end: int, first: bool = True) -> int:
    """Where a party's description stops: the next top-level "and" or ";" before a new name.

    An "and" inside a description ("organized under the laws of Delaware and having its
    office at ...") is followed by no name, so the description runs on to the next one.
    "in favour of" names the next party only after the first (`first`), the maker.
    """
    depth = 0
    i = pos
    while i < end:
        ch = text[i]
        if depth == 0 and NEXT_NUMBER.match(text, i) and _name_follows(text, i, end):
            # "PARTIES (1) Acme Pty Ltd of 7 Elm Road, Sydney (2) Beta LLC of ...": the list's
            # next number starts the next party, with no "and" before it.
            return i
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch == ";" or re.match(r"\s+(?:and|And|AND)\b", text[i : i + 6])):
            representative = ch != ";" and REPRESENTED_BY.search(text, pos, i)
            follows = _name_follows(text, i, end) or _described_party_follows(text, pos, i, end)
            if not _inside_place(text, i) and follows and not representative:
                return i
        elif depth == 0 and ch == "," and _after_alias(text, pos, i):
            # "X ("A"), Y ("B"), and Z ("C")": after an alias a comma can start the next party.
            if _name_follows(text, i, end) and not _inside_place(text, i):
                return i
        elif depth == 0 and _next_party_starts(text, pos, i, end):
            return i
        elif depth == 0 and (verb := ENGAGES.match(text, i, end)) and _engaged(text, verb, end):
            return verb.end()
        elif (
            depth == 0
            and (
                (favor := _in_favor(text, i, end, first))
                or (favor := _with_after_alias(text, pos, i, end))
            )
            and _name_follows(text, favor.end(), end)
        ):
            return favor.end()
        elif (
            depth == 0
            and ch == ","
            and re.search(r",\s+an?\s", text[pos:i])
            and _described_company_follows(text, i, end)
        ):
            # "X LP, a Delaware limited partnership, Y LLC, a Delaware limited liability
            # company, and Z LLC, ...": a list of companies, each with its description.
            return i
        elif (
            depth == 0
            and SENTENCE_BREAK.match(text, i)
            and not ABBREVIATION.search(text, max(0, i - 12), i)
        ):
            return i
        i += 1
    return end


# A numbered list's next item: "(2)" after a space, before a capitalized word.
NEXT_NUMBER = re.compile(r"(?<=\s)\([2-9]\)\s+(?=[A-Z])")


# "legally represented by its Chief Executive Officer Ann Roe and its Chief Financial Officer
# Ben Poe", "in the person of General Director Mr. A. Roe and Financial Director Mr. B. Poe":
# an "and" between the signing officers (before any comma) starts no new party.
REPRESENTED_BY = re.compile(
    r"\b(?:represented\s+by|in\s+the\s+person\s+of|acting\s+(?:by|through)|through)\b"
    r"[^,;()\n]*$"
)


# An alias bracket right after a name: 'Beta Ltd ("Beta")', 'Beta Ltd (the "Buyer")'.
ALIAS_OPENS = re.compile(
    rf"\s*,?\s*\(\s*(?:the\s+|hereinafter\s+(?:referred\s+to\s+as|called)\s+)?{OPEN_QUOTE}"
)


def _next_party_starts(text: str, pos: int, i: int, end: int) -> bool:
    """Whether the next party starts at `i` with its name and its alias, with no "and" before.

    "Acme KK ("Acme"), a company incorporated in Japan, with an address at 4 Elm Road, Kobe,
    Japan, Beta Ltd ("Beta"), ...": after an address the comma starts the next party; after an
    alias bracket a space may too ('Acme LLC ("Acme") Beta Corporation ("Beta")').
    """
    if text[i] != "," and not (text[i].isspace() and text[pos:i].rstrip().endswith(")")):
        return False
    if not QUOTED_RE.search(text, pos, i):
        # Before its own alias, a party's address ends in a place: "Zug, CA 94608 ("Buyer")".
        return False
    lead = re.match(r"[\s,]*", text[i:end])
    m = NAME_RE.match(text, i + lead.end(), end)
    if m is None or not ALIAS_OPENS.match(text, m.end(), end):
        return False
    name = _trim_name(" ".join(m.group(0).split()))
    core = [w for w in name.split() if not re.fullmatch(rf"{SUFFIX},?", w)]
    return (
        name == " ".join(m.group(0).split())
        and bool(core)
        and not re.search(r"\d", name)
        and not find_jurisdictions(name)
        and _is_name(name)
    )


# A letter's sender engages the other party: 'Acme, Inc. (the "Company") is pleased to retain
# Dana Roe ("Consultant")', '... hereby appoints Beta LLC, a Texas company (the "Agent")', '...
# proposes to engage the agent named on the signature page (the "Agent")'.
ENGAGES = re.compile(
    r"\s+(?:engages?|retains?|appoints?|hires?)\s+(?:the\s+services\s+of\s+)?"
    r"(?=[A-Z]|the\s+[a-z])"
)
ENGAGED_REACH = 200
# A guaranty or an undertaking is made by one party in favour of the other: "This Guaranty is
# made by Acme LP (the "Guarantor"), in favor of Beta Bank, as agent (the "Agent")".
IN_FAVOR = re.compile(r",?\s+in\s+favou?r\s+of\s+")
# A role that many hold, named in the plural: "in favour of the Lenders", "the Secured Parties".
PLURAL_ROLE = re.compile(r"the\s+(?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+s\b(?![ \t]+[A-Z])")


def _in_favor(text: str, i: int, end: int, first: bool) -> re.Match[str] | None:
    """The "in favour of" at `i` that names the other party, if any.

    Only after the maker, the first and only party so far: after "Acme Ltd and Beta plc" it
    says for whom they act, and "the Lenders" or "the Holders" are a role, not a party.
    """
    m = IN_FAVOR.match(text, i, end) if first else None
    role = m is not None and PLURAL_ROLE.match(text, m.end(), end)
    if role and not re.match(rf"[\s,]*{SUFFIX}(?!\w)", text[role.end() : role.end() + 20]):
        return None
    return m


# "entered into by Acme Inc. ("Acme") with Beta LLC ("Beta")": after a party's alias, "with"
# names the other party.
WITH_PARTY = re.compile(r",?\s+with\s+")


def _with_after_alias(text: str, pos: int, i: int, end: int) -> re.Match[str] | None:
    """The "with" at `i` that follows the alias of the party described from `pos`, if any."""
    m = WITH_PARTY.match(text, i, end)
    return m if m is not None and _after_alias(text, pos, i) else None


def _engaged(text: str, verb: re.Match[str], end: int) -> bool:
    """Whether the verb's object is a name (or a party the text leaves unnamed) given its own
    alias before the sentence ends."""
    m = NAME_RE.match(text, verb.end(), end)
    if m is None or not _is_name(_trim_name(" ".join(m.group(0).split()))):
        # A company "retains the rights set forth in ..." too: only a person is engaged,
        # appointed or hired without a name.
        retains = verb.group(0).lstrip().startswith("retain")
        m = None if retains else UNNAMED.match(text, verb.end(), end)
    if m is None:
        return False
    reach = min(end, m.end() + ENGAGED_REACH)
    stop = SENTENCE_BREAK.search(text, m.end(), reach)
    alias, _ = _alias(text, m.end(), stop.start() if stop else reach, m.group(0))
    return bool(alias)


def _described_company_follows(text: str, comma: int, end: int) -> bool:
    """Whether a company with a corporate suffix and then its description ("Acme LLC, a
    Delaware limited liability company") follows the comma."""
    m = NAME_RE.match(text, comma + 1 + len(text[comma + 1 :]) - len(text[comma + 1 :].lstrip()))
    if m is None or m.end() > end:
        return False
    name = " ".join(m.group(0).split())
    return (
        re.search(rf"\b{SUFFIX}$", name) is not None
        and not re.match(rf"{SUFFIX}(?!\w)", name)
        # Not the end of an address run on into the next party: "Laurel, NJ 08054 and Beta".
        and not re.search(r"\d{3}|\b(?i:and)\b", name)
        and _is_name(name)
        and re.match(r",?\s+an?\s", text[m.end() : m.end() + 5]) is not None
    )


def _after_alias(text: str, start: int, comma: int) -> bool:
    before = text[start:comma].rstrip()
    return before.endswith(")") and bool(QUOTED_RE.search(before[before.rfind("(") :]))


# A city before its state and ZIP code: "...; Suite 200; Nashville, TN 37205".
STATE_ZIP = re.compile(r",?\s*[A-Z]{2}\.?\s+\d{5}\b")
REGISTER_AFTER = re.compile(r"\s+(?:under\s+(?:the\s+)?)?(?:number|no\.|n°)\s*\d", re.I)


def _name_follows(text: str, pos: int, end: int) -> bool:
    lead = SKIP_LEAD.match(text, pos, end)
    start = lead.end() if lead else pos
    m = NAME_RE.match(text, start, end)
    name = _trim_name(" ".join(m.group(0).split())) if m else ""
    if m is not None and _is_name(name):
        # "registered with the Trade and Companies Register of Lyon (under) number 123": a
        # register; "Nashville, TN 37205", a city with no corporate suffix: an address.
        city = STATE_ZIP.match(text, m.end(), end) and not re.search(rf"\b{SUFFIX}(?!\w)", name)
        return not REGISTER_AFTER.match(text, m.end(), end) and not city
    return UNNAMED.match(text, start, end) is not None


# A party that a form leaves to be filled in, known only by its kind and its alias, after a
# party with its own alias: '... ("we" or "us"); and a [corporation] organized in the state of
# ____ ("you" or the "Franchisee")'.
DESCRIBED_ONLY = re.compile(r"an?\s+[^()\"\u201c\u201d.;]{0,200}?(?=\s*\(\s*(?:the\s+)?[\"\u201c])")


def _described_party_follows(text: str, pos: int, i: int, end: int) -> bool:
    """Whether a party described only by its kind follows the "and" or ";" at `i`.

    Only after a party whose alias is already given: before it, 'a Delaware corporation and
    a subsidiary of Acme Inc. ("Beta")' still describes the same party.
    """
    if not QUOTED_RE.search(text, pos, i):
        return False
    lead = SKIP_LEAD.match(text, i, end)
    return DESCRIBED_ONLY.match(text, lead.end() if lead else i, end) is not None


def _is_name(candidate: str) -> bool:
    letters = sum(ch.isalpha() for ch in candidate)
    words = candidate.split()
    return (
        letters >= 2
        and len(words) <= MAX_NAME_WORDS
        and not NOT_NAMES.match(candidate)
        and not NOT_IN_NAMES.search(candidate)
        and not (
            SHOUTED_CLAUSE_WORDS.search(candidate)
            and not re.search(rf"\b{SUFFIX}$", candidate.rstrip(","))
        )
    )


def _inside_place(text: str, pos: int) -> bool:
    # "incorporated in England and Wales": that "and" joins a place name, not two parties.
    window = text[max(0, pos - 40) : pos + 40]
    offset = max(0, pos - 40)
    return any(f.start + offset < pos < f.end + offset for f in find_jurisdictions(window))


# '("Buyer" or "PNC")', '("we," "us" or "our")', '("Acme" or by reference "we")', '("Beta", and
# together with Acme, the "Beta Parties")', '("Acme" and, together with its Affiliates, the "Acme
# Group")', '"Licensor" / "NLS"': the aliases after the first in one bracket.
MORE_ALIASES = re.compile(
    r"\s*(?:,|;|or|and|,\s*or|/)?\s*(?:[a-z]+,?\s+"
    r"|(?:together|collectively)\s+with\s+(?:[A-Z]|(?:its|their)\s)[^()\"\u201c\u201d;]{0,60}?,\s+)"
    r"{0,6}?(?:the\s+)?"
    r"[\"\u201c]([^\"\u201d\n]{1,40}?)[,]?[\"\u201d]"
)
# Franchise and engagement letters name a party by pronoun: '(the "Franchisor", "we" or "us")'.
PRONOUN_ALIAS = re.compile(r"^(?:we|us|our|you|your)$", re.I)


def _more_aliases(text: str, pos: int, end: int) -> tuple[str, ...]:
    """The aliases that follow the first one inside its brackets, up to the closing one."""
    out = []
    while pos < end:
        m = MORE_ALIASES.match(text, pos, end)
        if m is None:
            break
        alias = m.group(1).strip(" ,.")
        if alias and not GENERIC_ALIASES.match(alias) and _alias_like(alias):
            out.append(alias)
        pos = m.end()
    return tuple(out)


# A second alias bracket right after the first: '("Keel") (the "Placement Agent," which
# expression includes ...)'.
SECOND_BRACKET = re.compile(r"\s*\(\s*(?:the\s+)?[\"\u201c]([^\"\u201d\n]{1,40}?)[,]?[\"\u201d]")


def _second_bracket_alias(text: str, pos: int, end: int) -> tuple[str, ...]:
    """The alias in a bracket that follows the alias bracket ending at `pos`."""
    if not text[:pos].endswith(")"):
        return ()
    m = SECOND_BRACKET.match(text, pos, end)
    alias = m.group(1).strip(" ,.") if m else ""
    if alias and not GENERIC_ALIASES.match(alias) and _alias_like(alias):
        return (alias,)
    return ()


# A bracket after the parties that names them as a group: '(collectively, Lender and Fitness
# are referred to as the "Licensor Parties")', '(PJMF and PJI are, together, "Brand")'.
GROUP_BRACKET = re.compile(r"\(([^()]*\b(?:collectively|together|jointly)\b[^()]*)\)")
GROUP_REACH = 150


def _group_aliases(text: str, pos: int, end: int) -> tuple[str, ...]:
    """The group aliases defined in a bracket of their own after a party's alias."""
    out = []
    for m in GROUP_BRACKET.finditer(text, pos, end):
        if m.start() - pos > GROUP_REACH or SENTENCE_BREAK.search(text, pos, m.start()):
            # A bracket further on defines something else: "(collectively, the "Marks")".
            break
        for q in QUOTED_RE.finditer(m.group(1)):
            alias = q.group(1).strip(" ,.")
            if alias and not GENERIC_ALIASES.match(alias) and _alias_like(alias):
                out.append(alias)
    return tuple(out)


# The roles a party takes on after its alias: '("Cellco"), as servicer (in such capacity, the
# "Servicer") and as custodian (in such capacity, the "Custodian")'.
CAPACITY_ALIAS = re.compile(
    r"[\s,]*(?:and\s+)?as\s+(?:the\s+)?[\w\-]+(?:\s+[\w\-]+){0,4}?\s*\(\s*"
    r"(?:in\s+(?:such|its|that|this)\s+capacit(?:y|ies)[^()\"\u201c]{0,80}?,\s*)?(?:the\s+)?"
    r"[\"\u201c]([^\"\u201d\n]{1,40}?)[,]?[\"\u201d]\s*\)"
)


def _capacity_aliases(text: str, pos: int, end: int) -> tuple[str, ...]:
    """The aliases of the capacities a party is named in after its first alias."""
    out = []
    while (m := CAPACITY_ALIAS.match(text, pos, end)) is not None:
        alias = m.group(1).strip(" ,.")
        if alias and not GENERIC_ALIASES.match(alias) and _alias_like(alias):
            out.append(alias)
        pos = m.end()
    return tuple(out)


def _alias_like(alias: str) -> bool:
    """Aliases are capitalized, camel-cased like "eVolve", or a pronoun ("we", "you")."""
    return alias[:1].isupper() or alias[1:2].isupper() or bool(PRONOUN_ALIAS.match(alias))


def _alias(text: str, start: int, end: int, name: str = "") -> tuple[str, int]:
    """The first defined alias in text[start:end] and where it ends ("", 0 when none).

    An alias in lower case is taken when the name holds it ("zoomly.com, Inc." ("zoomly")).
    """
    for m in QUOTED_RE.finditer(text, start, end):
        alias = re.sub(r"^(?:the|The)\s+", "", m.group(1).strip(" ,."))
        named = len(alias) > 2 and alias.lower() in name.lower()
        if alias and not GENERIC_ALIASES.match(alias) and (_alias_like(alias) or named):
            close = text.find(")", m.end(), end)
            return alias, (close + 1 if 0 <= close - m.end() < 3 else m.end())
    return "", 0


# An alias in brackets without quotes, right after the name: "Northwind Gas LP (Carrier)",
# "Lotus Hotel Inc. (hereinafter referred to as Party A)".
UNQUOTED_ALIAS = re.compile(
    r"\s*,?\s*\(\s*(?:hereinafter\s+(?:referred\s+to\s+as|called)\s+)?(?:the\s+)?"
    r"([A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*){0,2})\s*\)",
    re.I,
)

# "hereinafter referred to as" marks an alias wherever it stands in the description: "Acme
# Inc., a Delaware corporation with its office at 4 Elm Road (hereinafter referred to as Acme)".
HEREINAFTER_ALIAS = re.compile(
    r"\(\s*hereinafter\s+(?:referred\s+to\s+as|called)\s+(?:the\s+)?"
    r"([A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*){0,2})\s*\)"
)

# A bracket that closes the party's description, just before the "and" or the full stop: "Acme
# AG, having its place of business at 4 Elm Road, Zug (Acme) and ..." (taken only where the
# preamble has no quote marks: with them, such a bracket names no alias).
TRAILING_ALIAS = re.compile(
    r"\(\s*(?:the\s+)?([A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*){0,2})\s*\)[\s,.;]*$"
)


def _only_places(alias: str) -> bool:
    """Whether `alias` is places and corporate suffixes only ("Bermuda", "Texas Corp"), not a
    short name that starts with one ("USA MCO")."""
    rest = alias
    for place in sorted(find_jurisdictions(alias), key=lambda f: -f.start):
        rest = rest[: place.start] + " " + rest[place.end :]
    return rest != alias and all(re.fullmatch(rf"{SUFFIX},?", w) for w in rest.split())


def _unquoted_alias(text: str, start: int, end: int, quoteless: bool = False) -> tuple[str, int]:
    """An unquoted alias in brackets just after a name, and where it ends ("", 0 when none).

    In a preamble that lost its quote marks in conversion ("(the Effective Date)") the bracket
    that closes a party's description is its alias too.

    Places ("Halle (Saale)"), corporate suffixes ("(Pty)") and generic words are no aliases.
    """
    m = (
        UNQUOTED_ALIAS.match(text, start, end)
        or HEREINAFTER_ALIAS.search(text, start, end)
        or (TRAILING_ALIAS.search(text[:end], start) if quoteless else None)
    )
    if m is None or not m.group(1)[:1].isupper():
        return "", 0
    alias = m.group(1)
    if (
        GENERIC_ALIASES.match(alias)
        or re.fullmatch(SUFFIX, alias)
        or _only_places(alias)
        or not _is_name(alias)
    ):
        return "", 0
    return alias, m.end()
