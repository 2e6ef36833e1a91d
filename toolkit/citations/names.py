"""Personal and corporate names: Arabic and Latin lists, Vancouver initials, "by" lists."""

from __future__ import annotations

import re

from toolkit.citations.text import ARABIC, CAPITALISED_WORD


def parse_names(text: str) -> list[dict[str, str]]:
    """``Last، First؛ Last2، First2`` (or Latin ``,`` ``;`` ``&``) → CSL name dicts."""
    text = re.sub(r"\s*\((?:eds?\.|المحررون|المحرر|محرر|محررون)\)\s*$", "", text.strip())
    # "Cercignani,_Carlo": a copy of a linked name that kept the page title's underscores
    text = text.replace("_", " ")
    text = text.strip().strip(",،;؛: ")
    text = re.sub(r"\s*(?:et al\.?|وآخرون|وغيرهم)\s*$", "", text).strip().strip(",،;؛: ")
    # "د. سامي عادل", "أ.د. منى سالم", "تأليف: …": a person's title or a "by" word, no name
    text = _NAME_PREFIX.sub("", text)
    if not text:
        return []
    if _AGENCY_INITIALS.fullmatch(text):
        return [{"literal": text}]  # "أ ف ب", "د ب أ": a news agency's initials, as printed
    if not re.search(r"[;؛]", text) and (latin := _latin_comma_names(text)) is not None:
        return latin
    if "،" in text and not re.search(r"[;؛]", text):
        # "Kirk PM، Cannon PF، Minter DW": Vancouver names that arwiki joins with its comma
        parts = [p.strip() for p in text.split("،") if p.strip()]
        found = [VANCOUVER_NAME.fullmatch(p) for p in parts]
        if len(parts) >= 2 and all(found):
            return [{"family": m.group("family"), "given": m.group("given")} for m in found if m]
        if len(parts) >= 2 and all(len(p.split()) >= 2 and _NATURAL_NAME.fullmatch(p)
                                   for p in parts):
            # "Jane Roe، John Doe": Latin names given first, joined with the Arabic comma
            return [{"literal": p} for p in parts]
    parts = re.split(r"\s*[;؛]\s*|\s+(?:&|and|و)\s+(?=\S+\s*[,،])", text)
    if len(parts) == 1 and not re.search(r"[,،]", text):
        parts = _split_joined_names(text)
    names: list[dict[str, str]] = []
    for part in parts:
        part = part.strip().strip(",،;؛: ")
        if not part:
            continue
        if len(parts) > 1 and re.fullmatch(r"[A-Za-zÀ-ÿ'’-]+", part):
            names.append({"family": part})  # "Stoer؛ Bulirsch": family names only
        elif (vancouver := VANCOUVER_NAME.fullmatch(part)):
            names.append({"family": vancouver.group("family"), "given": vancouver.group("given")})
        elif re.search(r",\s*" + COMPANY_SUFFIX + r"$", part):
            names.append({"literal": part})  # "FireEye, Inc": a company, not Inc FireEye
        elif re.search(r"[,،]", part):
            family, _, given = re.split(r"\s*([,،])\s*", part, maxsplit=1)
            # keep the period of a final initial ("Matthew M."), drop other end marks
            given = given.strip().rstrip(",،;؛: ")
            if given.endswith(".") and not re.search(r"(?:^|[\s.])\w\.$", given):
                given = given[:-1]
            names.append({"family": family.strip(), "given": given})
        else:
            names.append({"literal": part})
    return names


# A title or a "by" word before a name: only when a name of two words or more follows
_NAME_PREFIX = re.compile(r"^(?:(?:أ|ا)\s?[.،]\s?د|د|م|الدكتورة?|الأستاذة?|الشيخ|Dr|Prof)[.،]?\s+"
                          r"(?=[^\s،,]+\s+[^\s،,]+)|^(?:تأليف|تاليف|بقلم|إعداد|اعداد)\s*:?\s+")
# Arabic single letters with blanks, stops or commas between: an agency's initials
_AGENCY_INITIALS = re.compile(r"[\u0621-\u064a](?:[\s.،]{1,3}[\u0621-\u064a]){1,4}\.?")
_LIST_JOIN = re.compile(r",\s*(?:and\s+|&\s*)?|\s+(?:and|&)\s+")
_NATURAL_NAME = re.compile(r"(?:(?:[A-Z]\.\s?)+|[A-Z][\w'’-]+\s)(?:[A-Z]\.\s?|[A-Z][\w'’-]+\s?|"
                           r"(?:van|von|de|der|da|di|du|la|le)\s){0,4}[A-Z][\w'’-]+")
_GIVEN = re.compile(r"(?:[A-Z]\.\s?-?)+|[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|[A-Z]\.|"
                    r"von|van|de|da|di|du))*\.?")


def first_inverted_names(text: str) -> list[dict[str, str]] | None:
    """"Musser, G. G. and M. D. Carleton", "Gibbs Russell, G. E., W. G. M. Welman & A. Roe".

    Author-year lists (botany, zoology, Chicago) invert only the first name; the others are
    written given name first. None when ``text`` is not such a list.
    """
    family, comma, rest = text.partition(", ")
    if not comma or not re.fullmatch(rf"{CAPITALISED_WORD}(?:[ -]{CAPITALISED_WORD})?", family):
        return None
    parts = [p.strip() for p in _LIST_JOIN.split(rest) if p.strip()]
    if not parts or not _GIVEN.fullmatch(parts[0]) or not all(
            _NATURAL_NAME.fullmatch(p) for p in parts[1:]):
        return None
    return [{"family": family, "given": parts[0]}] + [{"literal": p} for p in parts[1:]]


# "Davies ME", "Sanfey AG": family name, then initials without stops (Vancouver style)
VANCOUVER_NAME = re.compile(
    rf"(?P<family>{CAPITALISED_WORD}(?:[ -]{CAPITALISED_WORD})?)"
    r"\s+(?P<given>[A-Z]{1,3})")
COMPANY_SUFFIX = r"(?:Inc\.?|Ltd\.?|LLC|Corp\.?|Corporation|GmbH|plc|AG|S\.A\.|ZAO|Co\.)"
_INITIALS = re.compile(r"(?:[A-Z]\.\s*-?)+|[A-Z]{1,3}")
_PARTICLE = re.compile(r"^(?:van|von|de|del|della|der|den|da|di|du|la|le|St\.|Van|Von|De|Del|"
                       r"Da|Di|Du|La|Le|Mac|Mc)$")
_GIVEN_WORD = re.compile(rf"{CAPITALISED_WORD}\.?|[A-Z]\.")


def _latin_comma_names(text: str) -> list[dict[str, str]] | None:
    """Comma-only Latin name lists that are not one inverted "Family, Given" name, else None.

    "Makiko Yamazaki, Taiga Uranaka" (natural order), "Zeelenberg M, Pieters R" (Vancouver),
    "Cover, T.M., Thomas, J.A." (family, initials, family, initials), "Kairouz, Peter, Sewoong
    Oh, and Pramod Viswanath" (MLA: the first inverted, the others not).
    """
    if ARABIC.search(text) or "," not in text:
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) < 2:
        return None
    if len(parts) >= 3 and re.match(r"^(?:and|&)\s", parts[-1]) and len(parts[0].split()) == 1:
        rest = [re.sub(r"^(?:and|&)\s+", "", p) for p in parts[2:]]
        if all(2 <= len(p.split()) <= 4 for p in rest):
            return [{"family": parts[0], "given": parts[1]}] + [{"literal": p} for p in rest]
    if all(VANCOUVER_NAME.fullmatch(p) for p in parts):
        return [{"family": m.group("family"), "given": m.group("given")}
                for m in (VANCOUVER_NAME.fullmatch(p) for p in parts) if m]
    # "Muirhead, J., Dawson, L. & Archer, M.": the last pair joined by "&" or "and"
    pairs = [p.strip() for p in re.split(r",\s*(?:and\s+|&\s*)?|\s+(?:and|&)\s+", text)
             if p.strip()]
    if len(pairs) >= 4 and len(pairs) % 2 == 0 and all(
            _INITIALS.fullmatch(pairs[i]) and len(pairs[i - 1].split()) <= 2
            for i in range(1, len(pairs), 2)):
        return [{"family": pairs[i - 1], "given": pairs[i]} for i in range(1, len(pairs), 2)]
    natural = [p.split() for p in parts]
    if all(2 <= len(words) <= 4 and _GIVEN_WORD.fullmatch(words[-1]) and "." not in words[-1]
           and all(_GIVEN_WORD.fullmatch(w) for w in words) for words in natural) \
            and not _PARTICLE.match(natural[0][0]):
        return [{"literal": p} for p in parts]
    return None


# Arabic given names that begin with و: not the conjunction "and".
WAW_NAMES = frozenset(("وليد", "وائل", "وفاء", "وهبة", "وديع", "وجدي", "وسام", "وصفي",
    "ولاء", "وداد", "وحيد", "وهيب", "وسيم", "ورد", "وصال", "ودود", "وجيه", "وحيدة", "وعد",
    "وفيق", "وفيقة", "وسيلة", "ولي", "وهب", "وضاح", "وئام", "وجدان", "وعود"))


def _split_joined_names(text: str) -> list[str]:
    """"Lev Grossman and Richard Lacayo", "عبد الرزاق الصانع وعبد العزيز العلي" → two names."""
    latin = re.split(r"\s+(?:and|&)\s+", text)
    if len(latin) == 2 and all(len(p.split()) >= 2 for p in latin):
        return latin
    words = text.split()
    # "سامي عادل و منى سالم": the "و" typed apart from the second name
    apart = [i for i, w in enumerate(words) if w == "و" and i >= 2 and len(words) - i >= 3]
    if len(apart) == 1 and re.search(r"[\u0600-\u06ff]", text):
        return [" ".join(words[:apart[0]]), " ".join(words[apart[0] + 1:])]
    joins = [i for i, w in enumerate(words) if i >= 2 and w.startswith("و") and len(w) > 3
             and w not in WAW_NAMES and len(words) - i >= 2]
    if len(joins) == 1 and re.search(r"[\u0600-\u06ff]", text):
        i = joins[0]
        return [" ".join(words[:i]), " ".join([words[i][1:], *words[i + 1:]])]
    return [text]


_BY_NAME = r"(?:[A-Z][\w'’-]*\.?|[A-Z]\.)(?:\s+(?:[A-Z][\w'’-]*\.?|de|van|von|da|di|le|la)){1,3}"
BY_NAMES = re.compile(rf"[Bb]y\s+(?P<names>{_BY_NAME}(?:(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)"
                      rf"{_BY_NAME})*)")


def by_names(text: str) -> list[dict[str, str]]:
    """'John Smith, Jane Doe and Al Roe' (given names first) → literal names."""
    return [{"literal": n} for n in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text) if n]


def is_personal(names: list[dict[str, str]]) -> bool:
    """Whether parsed names read as people, with an initial or an inverting comma somewhere."""
    if not 1 <= len(names) <= 6:
        return False
    text = " ".join(" ".join(n.values()) for n in names)
    words = text.replace(".", ". ").split()
    for name in names:
        literal = name.get("literal", "")
        if literal and len(literal.split()) > 2 and not re.search(r"\b[A-Z]\.", literal):
            return False  # "Mathematical Control Theory" is not a name
    return (any("given" in n for n in names) or bool(re.search(r"\b[A-Z]\.", text))) and all(
        w[0].isupper() or w in ("and", "van", "von", "de", "der", "da", "di", "du", "la", "le")
        for w in words)
