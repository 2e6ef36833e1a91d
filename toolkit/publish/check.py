"""Validate a JSON-LD document (ours or anyone's) against schema.org and the toolkit's profile.

Checks, each problem located by JSON pointer into the document (and, for HTML, the
``<script type="application/ld+json">`` block it came from):

* ``json``        well-formed JSON;
* ``jsonld``      pyld can expand it (offline loader, see :mod:`toolkit.publish.loader`);
* ``relative-iri`` no node id, type, property or IRI value is relative after expansion;
* ``schema-type`` / ``schema-property`` every schema.org type and property exists in the
  vocabulary tables (a typo such as ``pagestart`` survives expansion as a schema.org IRI);
* ``schema-domain`` each schema.org property is used on a node whose type is, or is a
  subclass of, one of the property's ``domainIncludes`` types;
* ``profile``     the toolkit's own output (recognised by its shape and node ids, see
  :func:`is_toolkit_output`; or forced) also meets ``schemas/jsonld-profile.schema.json``.

The vocabulary comes from the published ``schemaorg-current-https-types.csv`` and
``-properties.csv`` of a release directory (``vocab_dir``) or, without one, from schema.org,
downloaded once into the user's cache. http and https schema.org IRIs are treated alike.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from toolkit import product, schema_dir
from toolkit.errors import Problem, ToolkitError, ValidationFailed
from toolkit.files import read_text
from toolkit.publish.loader import DocumentLoader, LoaderSettings, describe_error, user_cache_dir

PROFILE_SCHEMA = schema_dir() / "jsonld-profile.schema.json"
TABLES = ("schemaorg-current-https-types.csv", "schemaorg-current-https-properties.csv")
TABLES_URL = "https://schema.org/version/latest/"
RELEASE_CONTEXT = "schemaorgcontext.jsonld"
SCHEMA_IRI = re.compile(r"^https?://schema\.org/(.+)$")
ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
# Key added to every node object before expansion so that expanded nodes know where they
# came from; an absolute IRI key survives expansion unchanged.
MARKER = "urn:x-toolkit-check-jsonld:pointer"


@dataclass
class Vocabulary:
    """schema.org types with their superclass closure, and property domains."""

    supertypes: dict[str, set[str]]
    domains: dict[str, set[str]]

    def fits(self, prop: str, types: list[str]) -> bool:
        domain = self.domains.get(prop) or set()
        if not domain:
            return True
        return any(self.supertypes.get(t, {t}) & domain for t in types)


def _local(iri: str) -> str | None:
    match = SCHEMA_IRI.match(iri)
    return match.group(1) if match else None


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(",") if x.strip()]


def load_vocabulary(vocab_dir: Path) -> Vocabulary:
    """Read the types and properties tables of a schema.org release directory."""
    types_csv, props_csv = (vocab_dir / name for name in TABLES)
    parents: dict[str, list[str]] = {}
    domains: dict[str, set[str]] = {}
    try:
        with types_csv.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                name = _local(row["id"])
                if name:
                    parents[name] = [p for p in map(_local, _split(row["subTypeOf"])) if p]
        with props_csv.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                name = _local(row["id"])
                if name:
                    domains[name] = {d for d in map(_local, _split(row["domainIncludes"])) if d}
    except (OSError, KeyError, csv.Error) as exc:
        raise ToolkitError(f"cannot read the schema.org tables in {vocab_dir}: {exc}") from exc
    supertypes: dict[str, set[str]] = {}

    def closure(name: str) -> set[str]:
        if name not in supertypes:
            supertypes[name] = {name}  # placed first: guards against cycles
            for parent in parents.get(name, []):
                supertypes[name] |= closure(parent)
        return supertypes[name]

    for name in parents:
        closure(name)
    return Vocabulary(supertypes, domains)


def cached_vocab_dir(cache_dir: Path | None = None) -> Path:
    """The schema.org tables and context, downloaded once into the user's cache.

    The published context comes too: the embedded one covers only the toolkit's own terms,
    and other people's documents use terms it does not coerce to IRIs (``contentUrl``,
    ``thumbnailUrl`` …), whose relative IRIs would go unnoticed.
    """
    import requests

    from toolkit.files import write_atomic
    from toolkit.publish.loader import PUBLISHED_CONTEXT_URL

    folder = (cache_dir or user_cache_dir()) / "schemaorg-vocab"
    urls = {name: TABLES_URL + name for name in TABLES}
    urls[RELEASE_CONTEXT] = PUBLISHED_CONTEXT_URL
    for name, url in urls.items():
        if (folder / name).exists():
            continue
        try:
            resp = requests.get(url, timeout=60,
                                headers={"User-Agent": f"{product()} (schema.org tables)"})
            resp.raise_for_status()
        except requests.RequestException as exc:
            raise ToolkitError(f"cannot download {url}: {exc}; "
                               "pass --vocab DIR with a schema.org release") from exc
        write_atomic(folder / name, resp.content)
    return folder


# -- reading the input -------------------------------------------------------------------

@dataclass
class Block:
    """One JSON-LD document: a whole file, or one script block of an HTML page."""

    label: str           # shown as the "file" of each problem
    text: str
    line: int = 1        # where the text starts in the file


class _ScriptBlocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, str]] = []
        self._start: int | None = None
        self._parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        if tag == "script" and kind == "application/ld+json":
            self._start, self._parts = self.getpos()[0], []

    def handle_data(self, data: str) -> None:
        if self._start is not None:
            self._parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._start is not None:
            self.blocks.append((self._start, "".join(self._parts)))
            self._start = None


def read_blocks(path: Path) -> list[Block]:
    """The JSON-LD documents in a file: the file itself, or an HTML page's ld+json blocks."""
    text = read_text(path, "JSON-LD file")
    is_html = path.suffix.lower() in (".html", ".htm", ".xhtml") or text.lstrip().startswith("<")
    if not is_html:
        return [Block(str(path), text)]
    parser = _ScriptBlocks()
    parser.feed(text)
    parser.close()
    return [Block(f"{path} (ld+json block {i} at line {line})", body, line)
            for i, (line, body) in enumerate(parser.blocks, start=1)]


# -- checks ------------------------------------------------------------------------------

def _pointer(parts: list[str | int]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _is_node_object(value: dict[str, Any]) -> bool:
    return not ({"@value", "@list", "@set", "@graph"} & value.keys())


def _annotate(value: Any, path: list[str | int], nodes: dict[str, dict[str, Any]]) -> Any:
    """A copy of the document with each node object carrying its JSON pointer."""
    if isinstance(value, list):
        return [_annotate(v, [*path, i], nodes) for i, v in enumerate(value)]
    if not isinstance(value, dict):
        return value
    out = {k: (v if k == "@context" else _annotate(v, [*path, k], nodes))
           for k, v in value.items()}
    if _is_node_object(value):
        pointer = _pointer(path)
        nodes[pointer] = value
        out[MARKER] = pointer
    return out


@dataclass
class _Checker:
    block: Block
    vocab: Vocabulary
    originals: dict[str, dict[str, Any]]
    problems: list[Problem] = field(default_factory=list)

    def add(self, pointer: str, message: str, rule: str) -> None:
        self.problems.append(Problem(self.block.label, 0, 0, message, rule, pointer or "/"))

    def key_pointer(self, node_ptr: str, iri: str) -> str:
        """The pointer of the original key that expanded to ``iri`` (best effort)."""
        original = self.originals.get(node_ptr, {})
        local = _local(iri) or iri
        for key in original:
            if key in (iri, local) or re.split(r"[:/#]", key)[-1] == local:
                return node_ptr + _pointer([key])
        return node_ptr

    def iri(self, pointer: str, value: str, what: str) -> None:
        if not value.startswith("_:") and not ABSOLUTE_IRI.match(value):
            self.add(pointer, f"relative IRI {value!r} as {what} (give an absolute IRI)",
                     "relative-iri")

    def walk(self, value: Any, pointer: str) -> None:
        if isinstance(value, list):
            for item in value:
                self.walk(item, pointer)
            return
        if not isinstance(value, dict):
            return
        if "@value" in value:
            if isinstance(value.get("@type"), str):
                self.iri(pointer, value["@type"], "datatype")
            return
        for key in ("@list", "@set", "@graph", "@included"):
            if key in value:
                self.walk(value[key], pointer)
        if "@list" in value or "@set" in value:
            return
        self.node(value, pointer)

    def node(self, node: dict[str, Any], pointer: str) -> None:
        mark = node.get(MARKER)
        if mark:
            pointer = mark[0]["@value"]
        if isinstance(node.get("@id"), str):
            if mark:
                self.iri(pointer + "/@id", node["@id"], "node @id")
            else:  # an IRI value such as "url": "..." (coerced to @id by the context)
                self.iri(pointer, node["@id"], "IRI value")
        types: list[str] = []
        for t in node.get("@type", []):
            self.iri(pointer, t, "@type")
            local = _local(t)
            if local is None:
                continue
            if local not in self.vocab.supertypes:
                self.add(pointer, f"@type {local!r} is not a schema.org type", "schema-type")
            else:
                types.append(local)
        for key, values in node.items():
            if key.startswith("@") or key == MARKER:
                if key == "@reverse" and isinstance(values, dict):
                    for rvalues in values.values():
                        self.walk(rvalues, pointer)
                continue
            where = self.key_pointer(pointer, key)
            self.iri(where, key, "property")
            local = _local(key)
            if local is not None:
                if local not in self.vocab.domains:
                    self.add(where, f"{local!r} is not a schema.org property (misspelt? "
                             "schema.org terms are case-sensitive)", "schema-property")
                elif types and not self.vocab.fits(local, types):
                    domain = ", ".join(sorted(self.vocab.domains[local]))
                    self.add(where, f"{local!r} is not a property of {'/'.join(types)} "
                             f"(its domain: {domain})", "schema-domain")
            self.walk(values, where)


@cache
def _profile_validator() -> Any:
    """The profile schema's validator, read once however many blocks a page has."""
    from jsonschema import Draft202012Validator

    try:
        schema = json.loads(PROFILE_SCHEMA.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ToolkitError(f"cannot read the profile schema {PROFILE_SCHEMA}: {exc}") from exc
    return Draft202012Validator(schema)


def _profile_problems(block: Block, doc: Any) -> list[Problem]:
    validator = _profile_validator()
    return [Problem(block.label, 0, 0, f"profile: {err.message}", "profile",
                    _pointer(list(err.absolute_path)) or "/")
            for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))]


def is_toolkit_shape(doc: Any) -> bool:
    """True for ``{"@context": "https://schema.org", "@graph": [...]}`` (what we publish)."""
    return (isinstance(doc, dict) and set(doc) == {"@context", "@graph"}
            and doc["@context"] == "https://schema.org" and isinstance(doc["@graph"], list))


_OUR_FRAGMENT = re.compile(r"^(?:webpage|article|entity-[a-z0-9-]+|work-[a-z0-9-]+)$")


def is_toolkit_output(doc: Any) -> bool:
    """True when ``doc`` looks like what ``toolkit jsonld`` publishes.

    The bare shape is not enough: many sites publish ``{"@context": "https://schema.org",
    "@graph": [...]}`` (SEO plugins do), and the toolkit's profile is no rule for them. Ours
    also has a ``BASE#webpage`` and ``BASE#article`` node, and every other ``@id`` is
    ``BASE#entity-…`` or ``BASE#work-…``.
    """
    if not is_toolkit_shape(doc):
        return False
    ids = [n["@id"] for n in doc["@graph"] if isinstance(n, dict) and isinstance(n.get("@id"),
                                                                                   str)]
    base = next((i[: -len("#webpage")] for i in ids if i.endswith("#webpage")), None)
    if base is None or f"{base}#article" not in ids:
        return False
    return all(i.startswith(base + "#") and _OUR_FRAGMENT.match(i[len(base) + 1:])
               for i in ids)


@dataclass
class CheckReport:
    """What was checked: documents found, how many follow the toolkit profile, problems."""

    documents: int
    profiled: int
    problems: list[Problem]


def check_block(block: Block, vocab: Vocabulary, loader: DocumentLoader,
                profile: bool | None = None) -> tuple[bool, list[Problem]]:
    """Problems in one JSON-LD document; the flag says whether the profile applied.

    ``profile``: True checks the toolkit's profile, False never, None when the document
    looks like the toolkit's output (:func:`is_toolkit_output`).
    """
    from pyld import jsonld as pyld

    try:
        doc = json.loads(block.text)
    except json.JSONDecodeError as exc:
        line = exc.lineno + block.line - 1
        label = block.label.split(" (")[0]
        return False, [Problem(label, line, exc.colno, f"not valid JSON: {exc.msg}", "json")]
    originals: dict[str, dict[str, Any]] = {}
    annotated = _annotate(doc, [], originals)
    checker = _Checker(block, vocab, originals)
    try:
        expanded = pyld.expand(annotated, loader.options(base=None))
    except pyld.JsonLdError as exc:
        checker.add("", f"JSON-LD expansion failed: {describe_error(exc)}", "jsonld")
        return False, checker.problems
    checker.walk(expanded, "")
    profiled = is_toolkit_output(doc) if profile is None else profile
    if profiled:
        checker.problems.extend(_profile_problems(block, doc))
    return profiled, checker.problems


def check_file(path: str | Path, vocab_dir: str | Path | None = None,
               profile: bool | None = None) -> CheckReport:
    """Check every JSON-LD document in ``path``; raise ValidationFailed if any problem.

    ``profile`` as in :func:`check_block`.
    """
    path = Path(path)
    blocks = read_blocks(path)  # first: a wrong path is reported before any download
    if not blocks:
        raise ValidationFailed([Problem(str(path), 0, 0, "no <script type=\"application/ld+json\">"
                                        " block found", "html")])
    folder = Path(vocab_dir) if vocab_dir is not None else cached_vocab_dir()
    vocab = load_vocabulary(folder)
    # Expand with the release's own context when the directory has it (faithful for any
    # document); otherwise with the embedded one, which covers the toolkit's terms.
    release_context = folder / RELEASE_CONTEXT
    loader = DocumentLoader(LoaderSettings(
        context_file=release_context if release_context.exists() else None))
    problems: list[Problem] = []
    profiled = 0
    for block in blocks:
        applied, found = check_block(block, vocab, loader, profile)
        profiled += applied
        problems.extend(found)
    if problems:
        raise ValidationFailed(problems)
    return CheckReport(len(blocks), profiled, problems)
