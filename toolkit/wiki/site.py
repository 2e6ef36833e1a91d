"""Site profiles: the API, the entity URI and the property/class ids of one Wikibase.

Every later stage names properties and classes symbolically (``profile.p("title")``) so
that another Wikibase with other ids works by loading a profile file. The default is
Wikidata, with the ids verified in DOMAIN-NOTES.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from toolkit.errors import InputError, Problem
from toolkit.files import parse_json, read_text

WIKIDATA_API = "https://www.wikidata.org/w/api.php"

# symbolic name -> (Wikidata id, datatype); the datatype is a property of the concept and
# is what the wire JSON needs in every snak.
WIKIDATA_PROPERTIES: dict[str, tuple[str, str]] = {
    "instance_of": ("P31", "wikibase-item"),
    "title": ("P1476", "monolingualtext"),
    "author": ("P50", "wikibase-item"),
    "author_name_string": ("P2093", "string"),
    "series_ordinal": ("P1545", "string"),
    "publication_date": ("P577", "time"),
    "published_in": ("P1433", "wikibase-item"),
    "volume": ("P478", "string"),
    "issue": ("P433", "string"),
    "pages": ("P304", "string"),
    "isbn13": ("P212", "external-id"),
    "isbn10": ("P957", "external-id"),
    "issn": ("P236", "external-id"),
    "doi": ("P356", "external-id"),
    "publisher": ("P123", "wikibase-item"),
    "editor": ("P98", "wikibase-item"),
    "main_subject": ("P921", "wikibase-item"),
    "language": ("P407", "wikibase-item"),
    "number_of_pages": ("P1104", "quantity"),
    "series": ("P179", "wikibase-item"),
    "stated_in": ("P248", "wikibase-item"),
    "reference_url": ("P854", "url"),
    "retrieved": ("P813", "time"),
    "imported_from": ("P143", "wikibase-item"),
    "import_url": ("P4656", "url"),
    "official_website": ("P856", "url"),
    "short_name": ("P1813", "monolingualtext"),
}

WIKIDATA_CLASSES: dict[str, str] = {
    "scholarly_article": "Q13442814",
    "academic_journal_article": "Q18918145",
    "book": "Q571",
    "chapter": "Q1980247",
    "edited_volume": "Q1711593",
    "report": "Q10870555",
    "academic_journal": "Q737498",
    "written_work": "Q47461344",
    "human": "Q5",
    "publisher": "Q2085381",
    "government_agency": "Q327333",
    "law_enforcement_agency": "Q732717",
    "intergovernmental_organization": "Q245065",
    "international_organization": "Q484652",
    "non_governmental_organization": "Q79913",
    # Not in the project's verified table; used only to score reconciliation candidates.
    "organization": "Q43229",
}

# language code -> item of the language (for P407)
WIKIDATA_LANGUAGES: dict[str, str] = {"en": "Q1860", "ar": "Q13955"}

# Properties that hold one value per item: a different existing value is a conflict.
SINGLE_VALUE = ("publication_date", "title", "doi", "isbn13", "isbn10", "volume", "issue",
                "pages")

# CSL type -> class name; anything else is a "written work" (with a note).
CSL_TYPES: dict[str, str] = {
    "article-journal": "scholarly_article",
    "article": "scholarly_article",
    "paper-conference": "scholarly_article",
    "chapter": "chapter",
    "book": "book",
    "report": "report",
}


@dataclass(frozen=True)
class SiteProfile:
    """One Wikibase: where its API is and which ids its properties and classes have."""

    name: str = "wikidata"
    api_url: str = WIKIDATA_API
    entity_uri: str = "http://www.wikidata.org/entity/"
    properties: dict[str, tuple[str, str]] = field(
        default_factory=lambda: dict(WIKIDATA_PROPERTIES))
    classes: dict[str, str] = field(default_factory=lambda: dict(WIKIDATA_CLASSES))
    languages: dict[str, str] = field(default_factory=lambda: dict(WIKIDATA_LANGUAGES))
    single_value: tuple[str, ...] = SINGLE_VALUE
    calendar_model: str = "http://www.wikidata.org/entity/Q1985727"

    def p(self, name: str) -> str | None:
        """The property id for a symbolic name, None when this site lacks it."""
        entry = self.properties.get(name)
        return entry[0] if entry else None

    def datatype(self, pid: str) -> str:
        """The datatype of a property id known to this profile ("string" if unknown)."""
        for known, datatype in self.properties.values():
            if known == pid:
                return datatype
        return "string"

    def q(self, name: str) -> str | None:
        """The item id for a symbolic class name, None when this site lacks it."""
        return self.classes.get(name)

    def language_item(self, code: str) -> str | None:
        """The item of a language code (for "language of work"), None if unknown."""
        return self.languages.get(code)

    @property
    def single_value_pids(self) -> frozenset[str]:
        """Ids of the properties that hold one value per item."""
        return frozenset(pid for name in self.single_value if (pid := self.p(name)))

    def labels(self) -> dict[str, str]:
        """Readable names of the ids this profile knows (for review pages): P31 → instance of."""
        out = {pid: name.replace("_", " ") for name, (pid, _) in self.properties.items()}
        out.update({qid: name.replace("_", " ") for name, qid in self.classes.items()})
        out.update({qid: f"language: {code}" for code, qid in self.languages.items()})
        return out

    def to_json(self) -> dict[str, str]:
        """The run metadata form used in proposals."""
        return {"name": self.name, "api_url": self.api_url, "entity_uri": self.entity_uri}

    def with_api_url(self, api_url: str | None) -> SiteProfile:
        """The same profile with another API URL (itself when none is given)."""
        if not api_url or api_url == self.api_url:
            return self
        from dataclasses import replace
        return replace(self, api_url=api_url)


WIKIDATA = SiteProfile()


def load_site_profile(path: str | Path) -> SiteProfile:
    """Read a profile from JSON or YAML.

    Keys: ``name``, ``api_url``, ``entity_uri`` (required); ``properties`` as
    ``{symbolic: "P1"}`` or ``{symbolic: {"id": "P1", "datatype": "string"}}``,
    ``classes``, ``languages`` (code -> item), ``single_value`` (symbolic names),
    ``calendar_model``; ``extends: wikidata`` starts from Wikidata's ids (only sensible
    for a mirror that shares them). Without ``extends``, a property the file does not
    list is simply absent and the statements that need it are left out.
    """
    display = str(path)
    text = read_text(path, "site profile")
    if Path(path).suffix == ".json":
        raw = parse_json(text, display)
    else:
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise InputError(Problem(display, mark.line + 1 if mark else 0,
                                     mark.column + 1 if mark else 0, str(exc).splitlines()[0],
                                     "yaml")) from exc
    if not isinstance(raw, dict):
        raise InputError(Problem(display, 1, 1, "a site profile must be a mapping", "profile"))
    return _profile_from(raw, display)


def _profile_from(raw: dict[str, Any], display: str) -> SiteProfile:
    def bad(pointer: str, message: str) -> InputError:
        return InputError(Problem(display, 0, 0, message, "profile", pointer))

    for key in ("name", "api_url", "entity_uri"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise bad(f"/{key}", f"'{key}' is required and must be a string")
    base = WIKIDATA if raw.get("extends") == "wikidata" else None
    props: dict[str, tuple[str, str]] = dict(base.properties) if base else {}
    for name, value in (raw.get("properties") or {}).items():
        default_type = WIKIDATA_PROPERTIES.get(name, ("", "string"))[1]
        if isinstance(value, str):
            props[name] = (value, default_type)
        elif isinstance(value, dict) and isinstance(value.get("id"), str):
            props[name] = (value["id"], str(value.get("datatype", default_type)))
        else:
            raise bad(f"/properties/{name}", "expected a property id or {id, datatype}")
        if not props[name][0].startswith("P"):
            raise bad(f"/properties/{name}", f"{props[name][0]!r} is not a property id")
    classes = dict(base.classes) if base else {}
    classes.update({str(k): str(v) for k, v in (raw.get("classes") or {}).items()})
    languages = dict(base.languages) if base else {}
    languages.update({str(k): str(v) for k, v in (raw.get("languages") or {}).items()})
    single = tuple(raw.get("single_value") or SINGLE_VALUE)
    return SiteProfile(
        name=raw["name"], api_url=raw["api_url"], entity_uri=raw["entity_uri"],
        properties=props, classes=classes, languages=languages, single_value=single,
        calendar_model=str(raw.get("calendar_model") or WIKIDATA.calendar_model),
    )
