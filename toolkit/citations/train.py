"""Train the reference-line labeller: ``python -m toolkit.citations.train [--out FILE]``.

A development command (run from a checkout: it reads ``tests/corpus`` and the arwiki renderer
``tests/arwiki_render.py``). Training data, all from the TRAINING splits only (``TRAIN_SPLITS``
and the templates of those articles; the held-out splits are for measurement):

(a) synthetic renderings: every training template rendered in the six arwiki variants of
    ``arwiki_render.py`` and in English CS1 style (``render_en``), with its own values and with
    values swapped in from other training references (names, titles, journals, publishers,
    numbers, dates, Arabic-Indic or Latin digits), plus hand-typed Arabic book lines
    ("Author، Title، Place، Year، ص N");
(b) the real rendered lines of the labelled corpora ``tests/corpus/references*.yaml``.
Token labels come from aligning each known field value to its span in the line (``align``);
a field that cannot be aligned is left as noise and a line whose title cannot be aligned is
skipped. Deterministic: fixed seeds, inputs in file order, fixed trainer parameters; the model
is written atomically.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from toolkit.citations.features import MONTHS, Token, features, normal, tokenize
from toolkit.files import write_atomic

ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = ROOT / "tests" / "corpus"
MODEL = Path(__file__).resolve().parent / "data" / "labeller.crfsuite"
TRAIN_SPLITS = frozenset(("real", "dev2", "dev3", "dev4", "synthetic", "tmpl-dev"))
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150,
          "feature.possible_transitions": True}
_EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
# Cities Arabic books are commonly published in (place names, general knowledge).
_AR_PLACES = ("القاهرة", "بيروت", "دمشق", "بغداد", "الرياض", "عمان", "تونس", "الرباط",
              "الكويت", "الجزائر", "الإسكندرية", "جدة", "الدوحة", "أبوظبي", "لندن", "باريس")
_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_ID = re.compile(r"(?:doi|DOI|ISBN|ISSN|PMID|PMC|Bibcode|arXiv|JSTOR|S2CID|OCLC|hdl|ردمك|ردمد|"
                 r"دوي)\s*:?\s*[\w./:()-]+[\w)]|https?://\S+")


def _render_module() -> Any:
    sys.path.insert(0, str(ROOT / "tests"))
    import arwiki_render

    return arwiki_render


# --- alignment: known field values -> token labels -----------------------------------------

def _key_text(text: str) -> str:
    """Text compared for alignment: same length as ``text`` (offsets stay valid)."""
    out = normal(text)
    if len(out) != len(text):
        out = text.lower()
    return re.sub(r"[–—−]", "-", out) if len(out) == len(text) else text


def _place(tokens: list[Token], labels: list[str], key: str, value: str, tag: str,
           prefer_after: tuple[str, ...] = ()) -> bool:
    """Label the tokens of the first free occurrence of ``value`` (token-aligned)."""
    needle = re.sub(r"[–—−]", "-", normal(str(value)).strip(" ."))
    if not needle:
        return False
    starts = {t.start: i for i, t in enumerate(tokens)}
    ends = {t.end: i for i, t in enumerate(tokens)}
    found: list[tuple[int, int]] = []
    for m in re.finditer(re.escape(needle), key):
        first, last = starts.get(m.start()), ends.get(m.end())
        if first is not None and last is not None and \
                all(label == "noise" for label in labels[first:last + 1]):
            found.append((first, last))
    if prefer_after:
        cued = [f for f in found if any(normal(tokens[j].text) in prefer_after
                                        for j in range(max(f[0] - 3, 0), f[0]))]
        found = cued or (found if len(found) == 1 else [])
    if not found:
        return False
    first, last = found[0]
    labels[first:last + 1] = [tag] * (last - first + 1)
    return True


def _place_names(tokens: list[Token], labels: list[str], key: str,
                 names: list[dict[str, str]]) -> None:
    """Label the run from the first name's first token to the last name's last token."""
    cover: list[int] = []
    for name in names:
        for part in (name.get("literal"), name.get("family"), name.get("given")):
            if not part:
                continue
            trial = list(labels)
            if _place(tokens, trial, key, part, "author"):
                cover += [i for i, (a, b) in enumerate(zip(labels, trial, strict=True))
                          if a != b]
                labels[:] = trial
    if cover:
        lo, hi = min(cover), max(cover)
        if all(labels[i] in ("noise", "author") for i in range(lo, hi + 1)):
            labels[lo:hi + 1] = ["author"] * (hi - lo + 1)


def _place_date(tokens: list[Token], labels: list[str], iso: str) -> None:
    """Label the issued date: its year token and the month/day tokens around it."""
    year = str(iso)[:4]
    for index, token in enumerate(tokens):
        if normal(token.text) == year and labels[index] == "noise":
            lo = hi = index
            while lo > 0 and labels[lo - 1] == "noise" and (
                    normal(tokens[lo - 1].text) in MONTHS
                    or normal(tokens[lo - 1].text) in ("كانون", "تشرين", "الأول", "الثاني")
                    or (normal(tokens[lo - 1].text).isdigit()
                        and len(tokens[lo - 1].text) <= 2) or tokens[lo - 1].text == ","):
                lo -= 1
            while lo < index and tokens[lo].text == ",":
                lo += 1
            labels[lo:hi + 1] = ["date"] * (hi - lo + 1)
            return


def align(text: str, expected: dict[str, Any]) -> tuple[list[Token], list[str]] | None:
    """Tokens of ``text`` and their labels from the known fields, or None (no title found)."""
    tokens = tokenize(text)
    labels = ["noise"] * len(tokens)
    key = _key_text(text)
    for m in _ID.finditer(text):
        for i, t in enumerate(tokens):
            if t.start >= m.start() and t.end <= m.end():
                labels[i] = "identifier"
    if not expected.get("title") or not _place(tokens, labels, key, expected["title"], "title"):
        return None
    for name, tag in (("container-title", "container"), ("publisher", "publisher"),
                      ("publisher-place", "place")):
        if expected.get(name):
            _place(tokens, labels, key, expected[name], tag)
    if expected.get("author"):
        _place_names(tokens, labels, key, expected["author"])
    if expected.get("issued"):
        _place_date(tokens, labels, str(expected["issued"]))
    cues = {"volume": ("ج", "vol", "volume", "المجلد", "مج"),
            "issue": ("ع", "no", "issue", "العدد", "("),
            "page": ("ص", "pp", "p", ":", "صفحة", "الصفحات", "pages")}
    for name in ("volume", "issue", "page"):
        if expected.get(name):
            _place(tokens, labels, key, str(expected[name]), name, cues[name])
    return tokens, labels


# --- training inputs -------------------------------------------------------------------------

def _load() -> list[dict[str, Any]]:
    refs: list[dict[str, Any]] = []
    for path in sorted(CORPUS_DIR.glob("references*.yaml")):
        refs += yaml.safe_load(path.read_text(encoding="utf-8"))["references"]
    return refs


def _split(ref: dict[str, Any]) -> str:
    return "synthetic" if ref.get("synthetic") else str(ref.get("split") or "real")


def training_refs() -> tuple[list[dict[str, Any]], list[tuple[str, dict[str, Any]]]]:
    """Real lines of the training splits, and the training templates (text, free names)."""
    lines, templates = [], []
    for ref in _load():
        if _split(ref) not in TRAIN_SPLITS:
            continue
        if ref["kind"].startswith("wikitext"):
            if not ref["synthetic"]:
                templates.append((ref["text"], {k: ref["expected"][k] for k in
                                                ("author", "editor") if k in ref["expected"]}))
        else:
            lines.append(ref)
    extra = yaml.safe_load((CORPUS_DIR / "arwiki-templates.yaml").read_text(encoding="utf-8"))
    for tmpl in extra["templates"]:
        if tmpl["split"] in TRAIN_SPLITS:
            templates.append((tmpl["text"], tmpl.get("names") or {}))
    return lines, templates


def _pools(lines: list[dict[str, Any]]) -> dict[str, list[Any]]:
    pools: dict[str, list[Any]] = {"title": [], "container-title": [], "publisher": [],
                                   "publisher-place": [], "name": []}
    for ref in lines:
        exp = ref["expected"]
        for name in ("title", "container-title", "publisher", "publisher-place"):
            if exp.get(name) and len(str(exp[name])) < 150:
                pools[name].append(str(exp[name]))
        pools["name"] += [n for n in exp.get("author", []) if "family" in n and "given" in n]
    return pools


def _vary(wikitext: str, rng: random.Random, pools: dict[str, list[Any]], ar: Any) -> str:
    """The template with its values swapped for others of the same kind."""
    import mwparserfromhell

    code = mwparserfromhell.parse(wikitext)
    templates = code.filter_templates(recursive=False)
    if not templates:
        return wikitext
    template = templates[0]
    for param in template.params:
        raw = str(param.name).strip()
        m = re.fullmatch(r"(.*?)(\d*)", raw)
        kind = ar._NAMES.get((m[1] if m else raw).rstrip("-").lower()) or ar._NAMES.get(raw)
        picks = {"title": "title", "work": "container-title", "publisher": "publisher",
                 "place": "publisher-place"}
        if kind in picks and pools[picks[kind]]:
            param.value = " " + rng.choice(pools[picks[kind]]) + " "
        elif kind in ("last", "first") and pools["name"]:
            param.value = " " + rng.choice(pools["name"])["family" if kind == "last"
                                                          else "given"] + " "
        elif kind in ("volume", "issue"):
            param.value = f" {rng.randint(1, 120)} "
        elif kind in ("pages", "page"):
            first = rng.randint(1, 900)
            param.value = f" {first}–{first + rng.randint(1, 40)} " if rng.random() < 0.6 \
                else f" {first} "
        elif kind in ("date", "year"):
            year, month, day = rng.randint(1950, 2024), rng.randint(1, 12), rng.randint(1, 28)
            param.value = rng.choice([f" {year} ", f" {year}-{month:02d}-{day:02d} ",
                                      f" {day} {_EN_MONTHS[month - 1]} {year} "])
    return str(code)


def render_en(wikitext: str, rng: random.Random, ar: Any) -> tuple[str, dict[str, Any]] | None:
    """A template printed the way English Wikipedia's CS1 prints it, and its fields."""
    import mwparserfromhell

    templates = [t for t in mwparserfromhell.parse(wikitext).filter_templates(recursive=True)
                 if str(t.name).strip().lower().replace("_", " ") in ar._TEMPLATE_KIND]
    if not templates:
        return None
    kind = ar._TEMPLATE_KIND[str(templates[0].name).strip().lower().replace("_", " ")]
    p = ar._params(templates[0])
    get = lambda key: p.get((key, 1))  # noqa: E731
    if not get("title"):
        return None
    exp: dict[str, Any] = {"title": get("title")}
    names = []
    for n in sorted({n for (k, n) in p if k == "last"}):
        family, given = p[("last", n)], p.get(("first", n))
        names.append(f"{family}, {given}" if given else family)
        exp.setdefault("author", []).append({"family": family, **({"given": given}
                                                                   if given else {})})
    date = ar.parse_date(get("date") or get("year") or "") if (get("date") or get("year")) \
        else None

    def show(parts: tuple[int, int | None, int | None]) -> str:
        year, month, day = parts
        if not month:
            return str(year)
        style = rng.randrange(3)
        if style == 0 and day:
            return f"{_EN_MONTHS[month - 1]} {day}, {year}"
        if style == 1:
            return f"{day} {_EN_MONTHS[month - 1]} {year}" if day else \
                f"{_EN_MONTHS[month - 1]} {year}"
        return ar.iso(parts)

    out: list[str] = []
    if names:
        out.append("; ".join(names) + (f" ({show(date)})" if date else ""))
    title = get("title") or ""
    out.append(title if kind == "book" else f'"{title}"')
    if get("work"):
        out.append(get("work"))
        exp["container-title"] = get("work")
    vol, iss, pages = get("volume"), get("issue"), get("pages") or get("page")
    if vol or iss:
        out.append((vol or "") + (f" ({iss})" if iss else "") + (f": {pages}" if pages else ""))
        exp.update({k: v for k, v in (("volume", vol), ("issue", iss), ("page", pages)) if v})
        pages = None
    if get("publisher"):
        out.append(f"{get('place')}: {get('publisher')}" if get("place") else get("publisher"))
        exp["publisher"] = get("publisher")
        if get("place"):
            exp["publisher-place"] = get("place")
    if date and not names:
        out.append(show(date))
    if date:
        exp["issued"] = ar.iso(date)
    if pages:
        out.append(("pp. " if re.search(r"[–-]", pages) else "p. ") + pages)
    if get("isbn"):
        out.append(f"ISBN {get('isbn')}")
    if get("doi"):
        out.append(f"doi:{get('doi')}")
    accessed = ar.parse_date(get("accessed") or "") if get("accessed") else None
    if accessed:
        out.append(f"Retrieved {show(accessed)}")
    return rng.choice(["", "^ ", "^ a b "]) + ". ".join(out) + ".", exp


def hand_typed_ar(rng: random.Random, pools: dict[str, list[Any]]) -> tuple[str, dict[str, Any]]:
    """An Arabic book line as editors type it: "Author، Title، Place، Year، ص N"."""
    arabic = lambda items: [x for x in items if re.search(r"[\u0600-\u06ff]", x)] or items  # noqa: E731
    title = rng.choice(arabic(pools["title"]))
    publisher = rng.choice(arabic(pools["publisher"] or ["دار المعارف"]))
    place = rng.choice(_AR_PLACES)
    year = str(rng.randint(1950, 2024))
    names = [n for n in pools["name"] if re.search(r"[\u0600-\u06ff]", n["family"])] or \
        pools["name"]
    people = [rng.choice(names) for _ in range(1 if rng.random() < 0.6 else 2)]
    authors = [f"{p['given']} {p['family']}" for p in people]
    author = rng.choice([". ", "، ", " و"]).join(authors)  # "Author. Author، Title، …"
    page = str(rng.randint(1, 600))
    sep = rng.choice(["، ", ", ", " - "])
    parts = [author, title, publisher, place, year]
    if rng.random() < 0.5:
        parts.remove(publisher)
    digits = rng.random() < 0.3
    shown = [x.translate(_INDIC) if digits and x == year else x for x in parts]
    head = rng.choice([sep, ". "])  # "Author. Title، …" as often as "Author، Title، …"
    text = shown[0] + head + sep.join(shown[1:]) + sep + rng.choice(["ص ", "ص. ", "صفحة "]) + \
        (page.translate(_INDIC) if digits else page)
    exp = {"title": title, "author": [{"literal": a} for a in authors], "issued": year,
           "publisher-place": place, **({"publisher": publisher} if publisher in parts else {})}
    return text, exp


def build(lines: list[dict[str, Any]], templates: list[tuple[str, dict[str, Any]]],
          copies: int = 4, seed: int = 10) -> list[tuple[list[list[str]], list[str]]]:
    """The labelled training sequences (see the module doc)."""
    ar = _render_module()
    rng = random.Random(seed)
    pools = _pools(lines)
    samples: list[tuple[str, dict[str, Any]]] = [(r["text"], r["expected"]) for r in lines]
    for index, (wikitext, names) in enumerate(templates):
        for copy in range(copies + 1):
            source = wikitext if copy == 0 else _vary(wikitext, rng, pools, ar)
            free = names if copy == 0 else {}
            for v, variant in enumerate(ar.VARIANTS):
                if copy and (v + index + copy) % 2:
                    continue  # half the variants for a varied copy keeps the set small
                rendered = ar.render(source, variant, free)
                if rendered:
                    samples.append(rendered)
            english = render_en(source, rng, ar)
            if english:
                samples.append(english)
    samples += [hand_typed_ar(rng, pools) for _ in range(250)]
    out = []
    for text, expected in samples:
        aligned = align(text, expected)
        if aligned:
            tokens, labels = aligned
            out.append((features(tokens, text), labels))
    return out


def train(data: list[tuple[list[list[str]], list[str]]], out: Path) -> None:
    """Train the CRF on ``data`` and write the model to ``out`` atomically."""
    import tempfile

    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in data:
        trainer.append(xseq, yseq)
    trainer.set_params(PARAMS)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "model.crfsuite"
        trainer.train(str(scratch))
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, scratch.read_bytes())


def main(argv: list[str] | None = None) -> None:
    """Train on the training splits and write the package's model file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL)
    parser.add_argument("--copies", type=int, default=4,
                        help="varied copies of each training template")
    args = parser.parse_args(argv)
    if not (CORPUS_DIR / "arwiki-templates.yaml").exists():
        parser.exit(2, f"error: {CORPUS_DIR}: no training corpus; run this from a checkout of "
                       "the repository (an installed toolkit ships the trained model only)\n")
    started = time.perf_counter()
    lines, templates = training_refs()
    data = build(lines, templates, copies=args.copies)
    tokens = sum(len(y) for _, y in data)
    print(f"{len(lines)} real lines, {len(templates)} templates -> {len(data)} sequences, "
          f"{tokens} tokens")
    train(data, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes) in "
          f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
