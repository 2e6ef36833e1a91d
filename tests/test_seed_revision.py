"""The seed's revision: a documented way to set it, and what it gives every reference.

The revision id of the seed's text is unknown offline and is NOT set in the repository;
the number used here (4242) is a placeholder in a temporary copy, for the test only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from toolkit.cli import main
from toolkit.edits.proposal import ProposeSettings, build_proposal
from toolkit.mapping.load import load_mapping
from toolkit.wiki.site import WIKIDATA

REPO = Path(__file__).resolve().parent.parent
PLACEHOLDER = 4242  # not the seed's revision: a test value in a temporary copy


def seed_copy(tmp_path: Path) -> Path:
    """The seed mapping with its text at the same relative place (../../examples/…)."""
    shutil.copytree(REPO / "mappings" / "cybersex-trafficking",
                    tmp_path / "mappings" / "cybersex-trafficking")
    shutil.copytree(REPO / "examples" / "cybersex-trafficking",
                    tmp_path / "examples" / "cybersex-trafficking")
    return tmp_path / "mappings" / "cybersex-trafficking"


def references(folder: Path) -> tuple[list[dict], list[str]]:
    proposal = build_proposal(load_mapping(folder), ProposeSettings(
        profile=WIKIDATA, offline=True, mapping_path="mappings/cybersex-trafficking"))
    claims = [op["data"] for g in proposal["entities"] for op in g["operations"]
              if op["kind"] == "add_claim"]
    assert claims
    return [c["references"][0]["snaks"] for c in claims], proposal["notes"]


def test_the_repository_seed_has_no_invented_revision() -> None:
    text = (REPO / "mappings" / "cybersex-trafficking" / "article.yaml").read_text("utf-8")
    assert load_mapping(REPO / "mappings" / "cybersex-trafficking").article.revision is None
    assert "toolkit refresh mappings/cybersex-trafficking --revision OLDID --write" in text


def test_with_a_revision_every_reference_has_p143_p4656_p813(tmp_path: Path, capsys) -> None:
    folder = seed_copy(tmp_path)
    snaks, notes = references(folder)
    assert not any("P4656" in s for s in snaks)  # before: no permanent link ...
    assert any("permanent link" in n for n in notes)  # ... and the proposal says so
    try:
        main(["refresh", str(folder), "--revision", str(PLACEHOLDER), "--offline", "--write"])
    except SystemExit as done:
        assert done.code == 0
    assert "not checked against the wiki (offline)" in capsys.readouterr().out
    permalink = f"https://ar.wikipedia.org/w/index.php?oldid={PLACEHOLDER}"
    assert load_mapping(folder).article.permalink == permalink
    snaks, notes = references(folder)
    for ref in snaks:
        assert set(ref) >= {"P143", "P4656", "P813"}
        assert ref["P143"][0]["datavalue"]["value"]["id"] == "Q199700"
        assert ref["P4656"][0]["datavalue"]["value"] == permalink
    assert not any("permanent link" in n for n in notes)
