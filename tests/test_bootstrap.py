"""toolkit init: a draft mapping that validates, written atomically."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from toolkit.errors import UsageError
from toolkit.extract.bootstrap import InitSettings, init_mapping, slug
from toolkit.mapping.load import load_mapping

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "cybersex-trafficking" / "article.txt"
TITLE = "تجارة الجنس الرقمية عبر الإنترنت"


def test_init_on_the_seed_validates(tmp_path):
    folder = init_mapping(SEED, tmp_path / "mappings" / "seed", InitSettings(title=TITLE))
    mapping = load_mapping(folder)
    assert len(mapping.sources) == 5
    assert sum(len(s.citations) for s in mapping.sources) == 9
    assert all(e.status == "unaligned" for e in mapping.entities)
    assert all(s.status == "unaligned" for s in mapping.sources)
    assert mapping.article.text == SEED.read_text(encoding="utf-8")
    kinds = {e.kind for e in mapping.entities}
    assert {"topic", "organization", "periodical", "book", "publisher"} <= kinds
    for name in ("article", "entities", "sources"):
        head = (folder / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[0]
        prefix = "# yaml-language-server: $schema="
        assert head.startswith(prefix)
        # the editor finds the schema wherever the mapping folder is
        assert (folder / head[len(prefix):]).resolve() == ROOT / "schemas" / f"{name}.schema.json"


def test_surface_forms_are_verbatim_and_ids_slugged(tmp_path):
    folder = init_mapping(SEED, tmp_path / "m" / "seed", InitSettings(title=TITLE))
    text = SEED.read_text(encoding="utf-8")
    mapping = load_mapping(folder)
    for entity in mapping.entities:
        for form in entity.names.get("ar", []):
            assert form in text
        assert slug(entity.id) == entity.id
    ids = [e.id for e in mapping.entities] + [s.id for s in mapping.sources]
    assert len(ids) == len(set(ids))
    chapter = next(s for s in mapping.sources if s.id == "dushi-2019")
    assert mapping.entity(chapter.links["container"]).kind == "book"


def test_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "m" / "seed"
    init_mapping(SEED, target, InitSettings(title=TITLE))
    before = (target / "entities.yaml").read_text(encoding="utf-8")
    (target / "entities.yaml").write_text(before + "# hand edit\n", encoding="utf-8")
    with pytest.raises(UsageError, match="--force"):
        init_mapping(SEED, target, InitSettings(title=TITLE))
    assert (target / "entities.yaml").read_text(encoding="utf-8").endswith("# hand edit\n")
    init_mapping(SEED, target, InitSettings(title=TITLE, force=True))
    assert (target / "entities.yaml").read_text(encoding="utf-8") == before
    assert [p.name for p in target.parent.iterdir()] == ["seed"]  # no staging left behind


def test_title_in_text_becomes_topic_name(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("الاتجار بالبشر جريمة. تحارب وزارة الداخلية المصرية الاتجار بالبشر.\n",
                       encoding="utf-8")
    folder = init_mapping(article, tmp_path / "m" / "x", InitSettings(title="الاتجار بالبشر"))
    entities = yaml.safe_load((folder / "entities.yaml").read_text(encoding="utf-8"))
    topic = entities["entities"][0]
    assert topic["kind"] == "topic" and topic["names"] == {"ar": ["الاتجار بالبشر"]}
    assert any(e["names"].get("ar") == ["وزارة الداخلية المصرية"] for e in entities["entities"])


def test_cli_init_and_validate(tmp_path):
    from toolkit.cli import main

    target = tmp_path / "mappings" / "cli"
    with pytest.raises(SystemExit) as exc:
        main(["init", str(SEED), "-o", str(target), "--title", TITLE])
    assert exc.value.code == 0
    with pytest.raises(SystemExit) as exc:
        main(["validate", str(target)])
    assert exc.value.code == 0
    with pytest.raises(SystemExit) as exc:
        main(["init", str(SEED), "-o", str(target), "--title", TITLE])
    assert exc.value.code == 2


def test_cli_init_without_title_validates_and_flags_the_guess(tmp_path, capsys):
    """`toolkit init FILE -o DIR` (the issue's form) works; the guessed title is flagged."""
    from toolkit.cli import main

    target = tmp_path / "elsewhere" / "my-article"
    with pytest.raises(SystemExit) as exc:
        main(["init", str(SEED), "-o", str(target)])
    assert exc.value.code == 0
    assert "no --title" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["validate", str(target)])
    assert exc.value.code == 0
    article = yaml.safe_load((target / "article.yaml").read_text(encoding="utf-8"))
    assert article["title"] == "my-article" and "TITLE GUESSED" in article["notes"]
