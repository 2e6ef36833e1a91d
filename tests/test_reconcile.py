"""toolkit reconcile against the loopback Wikibase (fixture items, not real Wikidata data)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from toolkit.extract.bootstrap import InitSettings, init_mapping
from toolkit.extract.reconcile import ReconcileSettings, reconcile_mapping
from toolkit.mapping.load import load_mapping

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "cybersex-trafficking" / "article.txt"
TITLE = "تجارة الجنس الرقمية عبر الإنترنت"
FIXTURE = "test fixture, not real Wikidata data"


def _item(qid: str, labels: dict[str, str], p31: str | None = None,
          strings: dict[str, str] | None = None) -> dict:
    claims: dict = {}
    if p31:
        claims["P31"] = [{"mainsnak": {"snaktype": "value", "property": "P31", "datavalue": {
            "type": "wikibase-entityid",
            "value": {"entity-type": "item", "numeric-id": int(p31[1:]), "id": p31}}}}]
    for pid, value in (strings or {}).items():
        claims[pid] = [{"mainsnak": {"snaktype": "value", "property": pid,
                                     "datavalue": {"type": "string", "value": value}}}]
    return {"_comment": FIXTURE, "id": qid,
            "labels": {lang: {"language": lang, "value": v} for lang, v in labels.items()},
            "descriptions": {"en": {"language": "en", "value": "Fixture item"}},
            "claims": claims}


@pytest.fixture
def server(wikibase_server):
    wikibase_server.add_entities([
        _item("Q900001", {"en": "Criminal Law Bulletin"}, "Q737498"),
        _item("Q900002", {"en": "Criminal Law Bulletin"}, "Q5"),  # same label, wrong type
        _item("Q900003", {"en": "Fixture report"}, "Q10870555",
              {"P212": "978-1-925304-33-6"}),
        _item("Q900004", {"ar": "منظمة الأمم المتحدة للطفولة", "en": "Fixture UNICEF"},
              "Q245065"),
    ])
    return wikibase_server


@pytest.fixture
def mapping_dir(tmp_path):
    folder = init_mapping(SEED, tmp_path / "mappings" / "seed", InitSettings(title=TITLE))
    entities = folder / "entities.yaml"
    # a hand comment that reconcile must keep
    entities.write_text(entities.read_text(encoding="utf-8").replace(
        "entities:\n", "entities:\n# keep this comment\n", 1), encoding="utf-8")
    return folder


def _settings(server, tmp_path, **kw) -> ReconcileSettings:
    return ReconcileSettings(api_url=server.api_url, cache_dir=tmp_path / "cache", **kw)


def test_candidates_by_identifier_label_and_type(server, mapping_dir, tmp_path):
    calls: list[tuple[int, int, str]] = []
    summary = reconcile_mapping(mapping_dir, _settings(server, tmp_path),
                                progress=lambda *a: calls.append(a))
    assert "now have candidates" in summary
    assert calls and calls[-1][0] == calls[-1][1]  # progress reached the end
    mapping = load_mapping(mapping_dir)
    assert not any(x.status == "confirmed" for x in [*mapping.entities, *mapping.sources])

    brown = mapping.source("brown-napier-smith-2020")
    assert brown.status == "candidate" and brown.qid == "Q900003"
    assert any("P212" in r for r in brown.alignment.candidates[0].reasons)

    journal = mapping.entity("criminal-law-bulletin")
    assert journal.status == "candidate" and journal.qid == "Q900001"
    qids = [c.qid for c in journal.alignment.candidates]
    assert "Q900002" not in qids  # the human with the same label is dropped by the P31 check

    unicef = next(e for e in mapping.entities
                  if "منظمة الأمم المتحدة للطفولة" in e.names.get("ar", []))
    assert unicef.qid == "Q900004"
    assert unicef.alignment.candidates[0].score < 1


def test_comments_and_untouched_entries_are_preserved(server, mapping_dir, tmp_path):
    before = (mapping_dir / "entities.yaml").read_text(encoding="utf-8")
    reconcile_mapping(mapping_dir, _settings(server, tmp_path))
    after = (mapping_dir / "entities.yaml").read_text(encoding="utf-8")
    assert "# keep this comment" in after
    assert after.splitlines()[:3] == before.splitlines()[:3]
    old = yaml.safe_load(before)["entities"]
    new = yaml.safe_load(after)["entities"]
    assert [e["id"] for e in old] == [e["id"] for e in new]
    for o, n in zip(old, new, strict=True):
        assert {k: v for k, v in o.items() if k != "alignment"} == \
               {k: v for k, v in n.items() if k != "alignment"}


def test_offline_replays_from_cache_without_requests(server, mapping_dir, tmp_path):
    reconcile_mapping(mapping_dir, _settings(server, tmp_path))
    first = (mapping_dir / "sources.yaml").read_text(encoding="utf-8")
    fresh = init_mapping(SEED, tmp_path / "mappings" / "again", InitSettings(title=TITLE))
    sent = len(server.requests)
    reconcile_mapping(fresh, _settings(server, tmp_path, offline=True))
    assert len(server.requests) == sent  # nothing sent offline
    assert (fresh / "sources.yaml").read_text(encoding="utf-8") == first


def test_offline_without_cache_changes_nothing(server, mapping_dir, tmp_path):
    before = (mapping_dir / "entities.yaml").read_text(encoding="utf-8")
    summary = reconcile_mapping(mapping_dir, ReconcileSettings(
        api_url=server.api_url, cache_dir=tmp_path / "empty", offline=True))
    assert "0 of" in summary and "not in the cache" in summary
    assert (mapping_dir / "entities.yaml").read_text(encoding="utf-8") == before
    assert server.requests == []


def test_cli_reconcile(server, mapping_dir, tmp_path):
    from toolkit.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["reconcile", str(mapping_dir), "--api-url", server.api_url,
              "--cache", str(tmp_path / "c")])
    assert exc.value.code == 0
    assert load_mapping(mapping_dir).source("brown-napier-smith-2020").status == "candidate"


def test_one_item_is_never_the_qid_of_two_entries(server, mapping_dir, tmp_path):
    """The chapter's ISBN is its book's: the book's item must not become the QID of both
    (the mapping would fail qid-reuse and the whole run with it)."""
    server.add_entities([_item("Q900030", {"en": "Second International Handbook of Internet "
                                                 "Research"}, "Q571",
                               {"P212": "978-94-024-1553-7"})])
    summary = reconcile_mapping(mapping_dir, _settings(server, tmp_path))
    mapping = load_mapping(mapping_dir)
    holders = [x.id for x in [*mapping.entities, *mapping.sources] if x.qid == "Q900030"]
    assert len(holders) == 1
    others = [x for x in [*mapping.entities, *mapping.sources]
              if x.id not in holders and any(c.qid == "Q900030"
                                             for c in x.alignment.candidates)]
    assert others, "the other entry still lists the item as a candidate"
    for other in others:
        reasons = next(c.reasons for c in other.alignment.candidates if c.qid == "Q900030")
        assert f"already the QID of {holders[0]!r}" in reasons
        assert other.status in ("unaligned", "candidate") and other.qid != "Q900030"
    assert "kept their status" in summary


def test_cli_offline_replays_the_default_cache(server, mapping_dir, tmp_path, monkeypatch):
    """Without --cache the answers land in the user's cache, so --offline can replay them."""
    from toolkit.cli import main

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    with pytest.raises(SystemExit) as exc:
        main(["reconcile", str(mapping_dir), "--api-url", server.api_url])
    assert exc.value.code == 0
    first = (mapping_dir / "sources.yaml").read_text(encoding="utf-8")
    fresh = init_mapping(SEED, tmp_path / "mappings" / "again", InitSettings(title=TITLE))
    sent = len(server.requests)
    with pytest.raises(SystemExit) as exc:
        main(["reconcile", str(fresh), "--api-url", server.api_url, "--offline"])
    assert exc.value.code == 0
    assert len(server.requests) == sent
    assert (fresh / "sources.yaml").read_text(encoding="utf-8") == first


def test_an_entry_written_in_flow_style_is_edited_in_place(server, mapping_dir, tmp_path):
    entities = mapping_dir / "entities.yaml"
    block = ("- id: criminal-law-bulletin\n  kind: periodical\n  schema_type: Periodical\n"
             "  names:\n    en: [Criminal Law Bulletin]\n  alignment:\n    status: unaligned\n")
    flow = ("- {id: criminal-law-bulletin, kind: periodical, schema_type: Periodical, "
            "names: {en: [Criminal Law Bulletin]}, alignment: {status: unaligned}}  # hand\n")
    text = entities.read_text(encoding="utf-8")
    assert block in text
    entities.write_text(text.replace(block, flow), encoding="utf-8")
    reconcile_mapping(mapping_dir, _settings(server, tmp_path))
    journal = load_mapping(mapping_dir).entity("criminal-law-bulletin")
    assert (journal.status, journal.qid, journal.kind) == ("candidate", "Q900001", "periodical")
    line = next(x for x in entities.read_text(encoding="utf-8").splitlines()
                if "criminal-law-bulletin" in x)
    assert line.startswith("- {id: criminal-law-bulletin") and line.endswith("}  # hand")


def test_cli_reconcile_on_a_broken_mapping_prints_only_its_problems(tmp_path, capsys):
    from toolkit.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["reconcile", str(tmp_path / "nowhere"), "--offline", "--cache", str(tmp_path)])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "not a mapping folder" in err and "reconciling" not in err


def test_another_wikibase_uses_its_own_property_and_class_ids(wikibase_server, mapping_dir,
                                                               tmp_path):
    """A site profile with other ids: the ISBN search and the type check follow it."""
    from dataclasses import replace

    from toolkit.wiki.site import WIKIDATA

    profile = replace(WIKIDATA, properties={**WIKIDATA.properties,
                                            # ids this fixture wiki has, in other roles
                                            "isbn13": ("P957", "external-id"),
                                            "instance_of": ("P179", "wikibase-item")},
                      classes={**WIKIDATA.classes, "report": "Q42"})
    item = _item("Q900010", {"en": "Fixture report elsewhere"}, None,
                 {"P957": "978-1-925304-33-6"})
    item["claims"]["P179"] = [{"mainsnak": {"snaktype": "value", "property": "P179",
                                            "datavalue": {
        "type": "wikibase-entityid", "value": {"entity-type": "item", "numeric-id": 42,
                                               "id": "Q42"}}}}]
    wikibase_server.add_entities([item])
    reconcile_mapping(mapping_dir, _settings(wikibase_server, tmp_path, profile=profile))
    searches = [r.params.get("srsearch", "") for r in wikibase_server.requests
                if r.params.get("list") == "search"]
    assert any(s.startswith("haswbstatement:P957=978-1-925304-33-6") for s in searches)
    assert not any(s.startswith("haswbstatement:P212=") for s in searches)
    brown = load_mapping(mapping_dir).source("brown-napier-smith-2020")
    assert brown.qid == "Q900010" and brown.status == "candidate"
