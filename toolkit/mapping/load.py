"""Load a mapping folder (article.yaml, entities.yaml, sources.yaml) into the model.

Loading is validation: YAML syntax, JSON Schema (``schemas/``), then semantic checks
(identifier syntax and check digits, dates, unique ids, cross-references, surface forms
found in the article, evidence for confirmed alignments, one QID per entity). Every
problem is collected with its file, line and column; :func:`load_mapping` raises
:class:`~toolkit.errors.ValidationFailed` with all of them, or returns the model.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit import identifiers, schema_dir
from toolkit.errors import Problem, ValidationFailed
from toolkit.mapping import fast_schema
from toolkit.mapping.checks import check_mapping
from toolkit.mapping.located_yaml import LocatedDoc, Pointer, display_path, parse_yaml
from toolkit.mapping.model import (
    Alignment,
    Article,
    Candidate,
    Citation,
    Entity,
    Evidence,
    Mapping,
    Source,
)

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

FILES = ("article", "entities", "sources")
SCHEMA_DIR = schema_dir()
@cache
def _schema_documents() -> dict[str, dict[str, Any]]:
    """The mapping schemas by file name (how they refer to each other)."""
    return {f"{name}.schema.json": json.loads((SCHEMA_DIR / f"{name}.schema.json")
                                              .read_text(encoding="utf-8"))
            for name in (*FILES, "common")}


@cache
def _validators() -> dict[str, Draft202012Validator]:
    # Imported here: jsonschema costs more to import than a whole valid run takes without
    # it (see schema_problems).
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    schemas = _schema_documents()
    registry: Registry = Registry().with_resources(
        (name, Resource.from_contents(s, default_specification=DRAFT202012))
        for name, s in schemas.items()
    )
    return {
        name: Draft202012Validator({**schemas[f"{name}.schema.json"],
                                    "$id": f"{name}.schema.json"}, registry=registry)
        for name in FILES
    }


def _best(error: ValidationError) -> Iterator[ValidationError]:
    """The most relevant error of an anyOf/oneOf tree (jsonschema's own heuristic)."""
    from jsonschema.exceptions import best_match

    yield best_match([error]) if error.context else error


def schema_problems(name: str, doc: LocatedDoc) -> list[Problem]:
    """JSON Schema problems of one file, located at the offending node."""
    # Valid files (nearly every run) are recognised without importing jsonschema; anything
    # else goes to jsonschema for its errors.
    if fast_schema.is_valid(doc.data, _schema_documents(), f"{name}.schema.json"):
        return []
    out = []
    for error in _validators()[name].iter_errors(doc.data):
        for err in _best(error):
            path = tuple(err.absolute_path)
            out.append(doc.problem(path, _schema_message(err), f"schema:{err.validator}"))
    return sorted(set(out))


def _schema_message(err: ValidationError) -> str:
    where = "/".join(str(p) for p in err.absolute_path) or "document"
    if err.validator == "additionalProperties":
        return f"{where}: {err.message}"
    if err.validator == "pattern":
        return f"{where}: {err.instance!r} does not match {err.validator_value!r}"
    return f"{where}: {err.message}"


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return "sha256:" + h.hexdigest()


def load_mapping(folder: str | Path) -> Mapping:
    """Load, validate and cross-check a mapping folder; raise ValidationFailed on problems."""
    root = Path(folder)
    problems: list[Problem] = []
    if not root.is_dir():
        raise ValidationFailed([Problem(display_path(root), 1, 1,
                                        "not a mapping folder (expected a directory)", "file")])
    docs: dict[str, LocatedDoc] = {}
    for name in FILES:
        path = root / f"{name}.yaml"
        if not path.exists():
            problems.append(Problem(display_path(path), 1, 1, "missing mapping file", "file"))
            continue
        doc = parse_yaml(path, problems)
        if doc is not None:
            found = schema_problems(name, doc)
            problems.extend(found)
            if not found:
                docs[name] = doc
    if problems or len(docs) != len(FILES):
        # Still report identifier and date problems of every file that parsed, so one
        # run shows them all, even when another part fails the schema.
        from toolkit.mapping.checks import raw_problems

        for name in FILES:
            path = root / f"{name}.yaml"
            if name not in docs and path.exists():
                doc = parse_yaml(path, [])
                if doc is not None:
                    problems.extend(raw_problems(doc))
            elif name in docs:
                problems.extend(raw_problems(docs[name]))
        raise ValidationFailed(sorted(set(problems)))
    mapping = _build(root, docs, problems)
    problems.extend(semantic_problems(mapping, docs))
    if problems:
        raise ValidationFailed(problems)
    return mapping


def validate_staged(staging: Path, target: Path) -> Mapping:
    """Load a staged copy of a mapping (a sibling folder about to replace ``target``);
    problems name the files as they will be, not the temporary folder."""
    try:
        return load_mapping(staging)
    except ValidationFailed as exc:
        raise ValidationFailed([replace(p, file=p.file.replace(staging.name, target.name))
                                for p in exc.problems]) from None


def write_validated(target: Path, texts: dict[str, str],
                    others: dict[str, str] | None = None) -> None:
    """Write mapping files (``{"entities": yaml_text, ...}``) into ``target`` only if the
    folder they make is valid; otherwise raise ValidationFailed and leave ``target`` as it was.
    ``others`` are further files by name (``{"article.wikitext": text}``) staged and written
    with them: the article text a mapping keeps in its own folder.

    The folder is staged next to ``target`` (so the article text's relative path resolves
    the same), with ``target``'s other mapping files copied in, and validated there. A new
    ``target`` is then the staged folder renamed; an existing one gets each file replaced
    atomically.
    """
    import shutil
    import tempfile

    from toolkit.files import current_umask, write_atomic

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        staging.chmod(0o777 & ~current_umask())  # mkdtemp makes it private; a mapping is not
        for name in FILES:
            if name in texts:
                (staging / f"{name}.yaml").write_text(texts[name], encoding="utf-8")
            elif (target / f"{name}.yaml").exists():
                shutil.copy2(target / f"{name}.yaml", staging / f"{name}.yaml")
        for file_name, text in (others or {}).items():
            (staging / file_name).write_text(text, encoding="utf-8")
        # The folder's own files besides the mapping (article.wikitext of a mapping drafted
        # from a wiki): the staged copy must read the same article text.
        for path in (target.iterdir() if target.is_dir() else ()):
            if path.is_file() and not path.name.startswith(".") and \
                    path.suffix != ".yaml" and not (staging / path.name).exists():
                shutil.copy2(path, staging / path.name)
        validate_staged(staging, target)
        if not target.exists():
            os.replace(staging, target)
            return
        for file_name, text in (others or {}).items():
            write_atomic(target / file_name, text)
        for name, text in texts.items():
            write_atomic(target / f"{name}.yaml", text)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _alignment(doc: LocatedDoc, path: Pointer, raw: dict[str, Any]) -> Alignment:
    return Alignment(
        status=raw["status"],
        qid=raw.get("qid"),
        evidence=[Evidence(e["source"], e.get("note", "")) for e in raw.get("evidence", [])],
        candidates=[Candidate(c["qid"], float(c["score"]), list(c.get("reasons", [])),
                              c.get("label", "")) for c in raw.get("candidates", [])],
        location=doc.location(path),
    )


def _csl(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str | None]]]:
    """CSL-JSON from the YAML fields: ISO ``issued`` to date-parts, name ``entity`` split off."""
    csl: dict[str, Any] = {}
    links: dict[str, list[str | None]] = {}
    for key, value in raw.items():
        if key in ("author", "editor"):
            csl[key] = [{k: v for k, v in n.items() if k != "entity"} for n in value]
            links[key] = [n.get("entity") for n in value]
        elif key in ("issued", "accessed"):
            parsed = identifiers.parse_iso_date(str(value))
            parts = [p for p in parsed if p is not None] if parsed else None
            csl[key] = {"date-parts": [parts]} if parts else {"raw": str(value)}
        elif isinstance(value, int) and not isinstance(value, bool):
            csl[key] = str(value)
        else:
            csl[key] = value
    return csl, links


def _build(root: Path, docs: dict[str, LocatedDoc], problems: list[Problem]) -> Mapping:
    art_doc, ent_doc, src_doc = docs["article"], docs["entities"], docs["sources"]
    raw_art = art_doc.data
    # normpath: "mappings/x/../../examples/a.txt" reads (and prints) as "examples/a.txt"
    text_path = Path(os.path.normpath(root / raw_art["text"]))
    text = ""
    try:
        text = text_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(art_doc.problem(("text",), f"cannot read article text {raw_art['text']!r}:"
                                        f" {getattr(exc, 'strerror', None) or exc}", "file"))
    revision = raw_art.get("revision")
    permalink = raw_art.get("permalink")
    if permalink is None and revision is not None:
        base = raw_art["url"].split("/wiki/")[0]
        permalink = f"{base}/w/index.php?oldid={revision}"
    article = Article(
        title=raw_art["title"], language=raw_art["language"], wiki=raw_art["wiki"],
        url=raw_art["url"], topic=raw_art["topic"], text_path=text_path, text=text,
        wiki_item=raw_art.get("wiki_item"), revision=revision, permalink=permalink,
        license=raw_art.get("license"), retrieved=raw_art.get("retrieved"),
        location=art_doc.location(()),
    )
    entities = []
    for i, raw in enumerate(ent_doc.data["entities"]):
        path: Pointer = ("entities", i)
        entities.append(Entity(
            id=raw["id"], kind=raw["kind"], names=raw["names"], schema_type=raw["schema_type"],
            alignment=_alignment(ent_doc, (*path, "alignment"), raw["alignment"]),
            descriptions=raw.get("descriptions", {}), part_of=raw.get("part_of"),
            identifiers={k: str(v) for k, v in raw.get("identifiers", {}).items()},
            notes=raw.get("notes", ""), location=ent_doc.location(path),
        ))
    sources = []
    for i, raw in enumerate(src_doc.data["sources"]):
        path = ("sources", i)
        csl, name_links = _csl(raw["csl"])
        links: dict[str, Any] = dict(raw.get("links", {}))
        links.update({k: v for k, v in name_links.items() if any(v)})
        citations = [
            Citation(text=c["text"], line=c["line"], locator=c.get("locator"),
                     label=c.get("label"), location=src_doc.location((*path, "citations", j)))
            for j, c in enumerate(raw["citations"])
        ]
        sources.append(Source(
            id=raw["id"], csl=csl, alignment=_alignment(src_doc, (*path, "alignment"),
                                                        raw["alignment"]),
            citations=citations, links=links, notes=raw.get("notes", ""),
            location=src_doc.location(path),
        ))
    paths = [root / f"{name}.yaml" for name in FILES]
    return Mapping(root=root, article=article, entities=entities, sources=sources,
                   digest=_digest(paths), files={n: p for n, p in zip(FILES, paths, strict=True)})


def semantic_problems(mapping: Mapping, docs: dict[str, LocatedDoc]) -> list[Problem]:
    """Checks JSON Schema cannot express; see the module docstring."""

    return check_mapping(mapping, docs)
