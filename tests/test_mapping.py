"""Mapping files: the seed validates, every invalid case is reported at its line, fuzzing."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.errors import ValidationFailed
from toolkit.mapping import fast_schema
from toolkit.mapping.load import _schema_documents, _validators, load_mapping
from toolkit.mapping.located_yaml import parse_yaml

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "mappings" / "cybersex-trafficking"
CASES = Path(__file__).parent / "cases"
BASE = CASES / "base"
INVALID = yaml.safe_load((CASES / "invalid.yaml").read_text(encoding="utf-8"))["cases"]


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def mutated(tmp_path: Path, case: dict) -> Path:
    folder = tmp_path / "mapping"
    shutil.copytree(BASE, folder)
    target = folder / case["file"]
    text = target.read_text(encoding="utf-8")
    assert text.count(case["find"]) == 1, f"case {case['id']}: 'find' must occur once"
    target.write_text(text.replace(case["find"], case["replace"]), encoding="utf-8")
    return folder


def test_seed_mapping_is_valid() -> None:
    mapping = load_mapping(SEED)
    assert len(mapping.sources) == 5
    assert sum(len(s.citations) for s in mapping.sources) == 9
    assert mapping.topic.kind == "topic"


def test_base_case_is_valid() -> None:
    load_mapping(BASE)


@pytest.mark.parametrize("case", INVALID, ids=[c["id"] for c in INVALID])
def test_invalid_case_reports_located_error(tmp_path: Path, case: dict) -> None:
    folder = mutated(tmp_path, case)
    with pytest.raises(ValidationFailed) as info:
        load_mapping(folder)
    found = {(Path(p.file).name, p.line, p.rule) for p in info.value.problems}
    for exp in case["expect"]:
        assert (exp["file"], exp["line"], exp["rule"]) in found, found


def test_cli_validate_exit_codes_and_format(tmp_path: Path) -> None:
    ok = run_cli("validate", str(SEED))
    assert ok.returncode == 0, ok.stderr
    bad = run_cli("validate", str(mutated(tmp_path, INVALID[0])))
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    first = bad.stderr.splitlines()[0]
    assert first.endswith("[schema:pattern]")
    path, line, col, _ = first.split(":", 3)
    assert path.endswith("entities.yaml") and int(line) == 19 and int(col) >= 1
    usage = run_cli("validate")
    assert usage.returncode == 2


def test_cli_validate_corrupted_seed(tmp_path: Path) -> None:
    """The issue's 'done when': bad QID, bad ISBN and broken YAML each exit 1, located."""
    folder = tmp_path / "seed"
    shutil.copytree(SEED, folder)
    art = folder / "article.yaml"
    art.write_text(art.read_text(encoding="utf-8").replace(
        "text: ../../examples", f"text: {ROOT}/examples"), encoding="utf-8")
    ents = folder / "entities.yaml"
    srcs = folder / "sources.yaml"
    ents.write_text(ents.read_text(encoding="utf-8").replace("qid: Q8475", "qid: Q8475x"),
                    encoding="utf-8")
    srcs.write_text(srcs.read_text(encoding="utf-8").replace(
        "ISBN: 978-1-84392-524-8", "ISBN: 978-1-84392-524-7"), encoding="utf-8")
    result = run_cli("validate", str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "entities.yaml:" in result.stderr and "[schema:pattern]" in result.stderr
    assert "sources.yaml:" in result.stderr and "[isbn]" in result.stderr
    art.write_text(art.read_text(encoding="utf-8") + "broken: [\n", encoding="utf-8")
    result = run_cli("validate", str(folder))
    assert result.returncode == 1 and "[yaml]" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_json_lists_organizations_and_citations() -> None:
    result = run_cli("show", str(SEED), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["format"] == "toolkit-mapping/1"
    orgs = {e["names"]["en"][0] for e in data["entities"] if e["kind"] == "organization"}
    for name in ("Europol", "European Cybercrime Centre", "National Crime Agency", "UNICEF",
                 "Office of Cybercrime", "Philippine National Police",
                 "Women and Children Protection Center",
                 "Philippine Internet Crimes Against Children Center", "Rancho ni Cristo",
                 "Interpol", "Virtual Global Taskforce"):
        assert name in orgs
    assert len(data["sources"]) == 5
    lines = sorted(c["line"] for s in data["sources"] for c in s["citations"])
    assert lines == list(range(16, 25))
    for entity in data["entities"]:
        assert set(entity) >= {"id", "kind", "names", "schema_type", "qid", "status", "evidence"}
    issued = {s["id"]: s["csl"]["issued"] for s in data["sources"]}
    assert issued["dushi-2019"] == {"date-parts": [[2019, 10, 10]]}


@pytest.mark.parametrize("folder", [SEED, BASE], ids=["seed", "base"])
def test_show_json_follows_its_documented_schema(folder: Path) -> None:
    """The format other tools read is written down (schemas/mapping-model.schema.json)."""
    from jsonschema import Draft202012Validator

    schema = json.loads((ROOT / "schemas" / "mapping-model.schema.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    data = load_mapping(folder).to_json()
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in Draft202012Validator(schema).iter_errors(data)]
    assert errors == []
    # clean path, the same however the folder is reached
    assert ".." not in Path(data["article"]["text_path"]).parts
    assert load_mapping(folder / ".." / folder.name).to_json() == data


def test_confirmed_alignments_have_evidence() -> None:
    mapping = load_mapping(SEED)
    for item in [*mapping.entities, *mapping.sources]:
        if item.status == "confirmed":
            assert item.qid and item.alignment.evidence


def _hostile_laughs() -> str:
    text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 7):  # 10**7 nodes once expanded
        text += f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n"
    return text


# Hostile YAML that the fuzzer's small mutations do not reach: each ends in located
# problems (line >= 1) with the expected rule, never a traceback or a hang.
HOSTILE = {
    "huge-integer": ("sources.yaml", "      - line: 2", "      - line: 1" + "0" * 5000,
                     "yaml", 23),
    "deep-nesting": ("article.yaml", "topic:", "x: " + "[" * 3000 + "]" * 3000 + "\ntopic:",
                     "yaml", 11),
    "billion-laughs": ("article.yaml", "topic:", _hostile_laughs() + "topic:", "yaml", 12),
    "not-finite": ("entities.yaml", "ISSN: 0317-8471", "ISSN: .nan", "yaml", 28),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_yaml_is_a_located_problem(tmp_path: Path, name: str) -> None:
    file, find, replace, rule, line = HOSTILE[name]
    folder = mutated(tmp_path, {"id": name, "file": file, "find": find, "replace": replace})
    with pytest.raises(ValidationFailed) as info:
        load_mapping(folder)
    found = {(Path(p.file).name, p.line, p.rule) for p in info.value.problems}
    assert (file, line, rule) in found, found


def test_non_utf8_byte_is_located(tmp_path: Path) -> None:
    folder = tmp_path / "mapping"
    shutil.copytree(BASE, folder)
    target = folder / "entities.yaml"
    lines = target.read_bytes().split(b"\n")
    lines[4] = lines[4] + b" \xff"
    target.write_bytes(b"\n".join(lines))
    with pytest.raises(ValidationFailed) as info:
        load_mapping(folder)
    [problem] = info.value.problems
    assert (problem.line, problem.col, problem.rule) == (5, len(lines[4]), "encoding")


def test_every_problem_printed_as_path_line_col(tmp_path: Path) -> None:
    """Even file-level problems (a missing file) follow PATH:LINE:COL: message [rule]."""
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(BASE / "article.yaml", folder)
    result = run_cli("validate", str(folder))
    assert result.returncode == 1
    lines = result.stderr.splitlines()[:-1]
    assert len(lines) == 2
    for line in lines:
        assert re.match(r"^.+:\d+:\d+: .+ \[[a-z:-]+\]$", line), line


# Fuzzing: whatever the damage, loading ends in a model or in located problems.
_BASE_FILES = {name: (BASE / name).read_text(encoding="utf-8")
               for name in ("article.yaml", "entities.yaml", "sources.yaml")}
_NOISE = st.sampled_from(["", ":", "- ", "[", "]", "{", "}", "\t", "'", '"', "#", "&a", "*a",
                          "!!binary x", "\n", "  ", "Q1", "null", "9" * 30, "é", "\x00", "\ufeff"])


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(sorted(_BASE_FILES)))
    text = _BASE_FILES[name]
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 12))
        text = text[:pos] + draw(_NOISE) + text[pos + cut:]
    return name, text


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutation())
def test_fuzzed_mapping_never_tracebacks(tmp_path: Path, change: tuple[str, str]) -> None:
    folder = tmp_path / "fuzz"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(BASE, folder)
    name, text = change
    (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_mapping(folder)
    except ValidationFailed as exc:
        assert exc.problems
        for problem in exc.problems:
            assert Path(problem.file).name in _BASE_FILES or problem.file.endswith(".txt")
            assert problem.line >= 1, problem
            assert problem.message and problem.rule


# The fast schema check (toolkit/mapping/fast_schema.py) lets valid files skip jsonschema; it must
# agree with jsonschema, above all never call valid what jsonschema rejects.
def _schema_keys() -> list[str]:
    keys: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            keys.update(node.get("properties", {}))
            keys.update(node.get("required", []))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(_schema_documents())
    return sorted(keys)


_SEED_DATA = {name: parse_yaml(SEED / f"{name}.yaml", []).data  # type: ignore[union-attr]
              for name in ("article", "entities", "sources")}
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(-2, 2) | st.text(max_size=4)
    | st.sampled_from(["Q1", "Q01", "P31", "confirmed", "candidate", "unaligned", "create",
                       "organization", "report", "fixture-id", "https://example.org/x", "ar",
                       "2020", "", 1.0, 0, 1]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(_schema_keys()), inner, max_size=3),
    max_leaves=6)


def _paths(node: object, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*path, i))
    return out


@st.composite
def damaged_document(draw: st.DrawFn) -> tuple[str, object]:
    name = draw(st.sampled_from(sorted(_SEED_DATA)))
    data: object = copy.deepcopy(_SEED_DATA[name])
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(_paths(data)))
        if not path:
            data = draw(_JSON)
            continue
        parent = data
        for part in path[:-1]:
            parent = parent[part]  # type: ignore[index]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete":
            del parent[path[-1]]  # type: ignore[attr-defined]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(_schema_keys()))] = draw(_JSON)
        else:
            parent[path[-1]] = draw(_JSON)  # type: ignore[index]
    return name, data


@settings(max_examples=400, deadline=None)
@given(damaged_document())
def test_fast_schema_check_agrees_with_jsonschema(case: tuple[str, object]) -> None:
    name, data = case
    errors = list(_validators()[name].iter_errors(data))
    assert fast_schema.is_valid(data, _schema_documents(), f"{name}.schema.json") == \
        (errors == []), [e.message for e in errors]


# Edge cases random damage rarely reaches: (file, path, new value).
EDGES = [
    ("article", ("title",), ""), ("article", ("revision",), True),
    ("article", ("revision",), 1.0), ("article", ("revision",), 0),
    ("article", ("language",), "Arabic"), ("article", ("unknown",), 1),
    ("entities", ("entities", 1, "alignment", "status"), "Confirmed"),
    ("entities", ("entities", 1, "alignment", "qid"), None),
    ("entities", ("entities", 1, "alignment", "evidence"), []),
    ("entities", ("entities", 1, "alignment", "evidence", 0, "source"), ""),
    ("entities", ("entities", 1, "names", "en"), []),
    ("entities", ("entities", 1, "names", "EN"), ["Europol"]),
    ("entities", ("entities", 1, "kind"), True),
    ("entities", ("entities", 2, "alignment", "qid"), "Q1"),
    ("sources", ("sources", 0, "citations", 0, "line"), False),
    ("sources", ("sources", 0, "citations", 0, "line"), 2.5),
    ("sources", ("sources", 0, "csl", "author", 0), {"given": "Only"}),
    ("sources", ("sources", 0, "csl", "author", 0), {"literal": "Fixture"}),
    ("sources", ("sources", 0, "alignment", "candidates"), [{"qid": "Q5", "score": True}]),
    ("sources", ("sources", 0, "alignment", "candidates"), [{"qid": "Q5", "score": 1}]),
    ("sources", ("sources", 0, "alignment", "candidates"), [{"qid": "Q5", "score": 1.5}]),
]


@pytest.mark.parametrize("file,path,value", EDGES)
def test_fast_schema_check_agrees_on_edges(file: str, path: tuple, value: object) -> None:
    data = copy.deepcopy(_SEED_DATA[file])
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    errors = list(_validators()[file].iter_errors(data))
    assert fast_schema.is_valid(data, _schema_documents(), f"{file}.schema.json") == \
        (errors == [])


def test_fast_schema_check_is_used_on_valid_files() -> None:
    for name, data in _SEED_DATA.items():
        assert fast_schema.is_valid(data, _schema_documents(), f"{name}.schema.json")


def test_an_installed_toolkit_carries_its_schemas() -> None:
    """`pip install .` (not only -e) must ship schemas/ as toolkit/schemas/, where
    toolkit.schema_dir() looks first; in this source tree it finds schemas/ at the top."""
    import tomllib

    from toolkit import schema_dir

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setup = config["tool"]["setuptools"]
    assert "toolkit.schemas" in setup["packages"]
    assert setup["package-dir"]["toolkit.schemas"] == "schemas"
    assert setup["package-data"]["toolkit.schemas"] == ["*.json"]
    assert all(p.suffix == ".json" for p in (ROOT / "schemas").iterdir())
    assert schema_dir() == ROOT / "schemas"


def test_a_staged_copy_reports_problems_under_the_real_folder(tmp_path: Path) -> None:
    """init and reconcile validate a temporary sibling before replacing the mapping; its
    problems must name files the user can open."""
    from toolkit.mapping.load import validate_staged

    staging = tmp_path / ".mapping.k2j4x9"
    shutil.copytree(BASE, staging)
    entities = staging / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8").replace("qid: Q740308", "qid: Q0"),
                        encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        validate_staged(staging, tmp_path / "mapping")
    files = {p.file for p in info.value.problems}
    assert files == {str(tmp_path / "mapping" / "entities.yaml")}
