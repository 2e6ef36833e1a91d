"""``toolkit init --wiki-api`` and ``toolkit refresh`` end to end, on a REAL MediaWiki.

The wiki is Debian's MediaWiki 1.39 with SQLite under ``php -S 127.0.0.1:PORT``, started
once per session (``mediawiki`` in tests/conftest.py, see tests/mediawiki_server.py) with
the FIXTURE pages of tests/fixtures/mediawiki/pages.xml (synthetic wikitext, invented
works). Without php/mediawiki these tests fail with the apt-get line to run.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mwparserfromhell
import pytest
import requests
import yaml

from tests.mediawiki_server import MediaWiki
from toolkit.cli import main
from toolkit.mapping.load import load_mapping

ARTICLE = "مقالة اختبار"
REDIRECT = "عنوان قديم"
CITE = ("استشهاد", "cite ")
SHORT = ("sfn",)


def toolkit(*args: str) -> tuple[int, str, str]:
    """Run the console command in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            pytest.raises(SystemExit) as done:
        main(list(args))
    return int(done.value.code or 0), out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("page-cache")


@pytest.fixture(scope="module")
def drafted(mediawiki: MediaWiki, cache: Path,
            tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, str]:
    folder = tmp_path_factory.mktemp("mappings") / "article"
    code, out, err = toolkit("init", "--wiki-api", mediawiki.api_url, "--title", ARTICLE,
                             "-o", str(folder), "--cache", str(cache))
    return folder, code, out, err


def test_init_yields_a_valid_mapping_at_the_wiki_revision(mediawiki: MediaWiki,
                                                          drafted: tuple[Path, int, str, str]
                                                          ) -> None:
    folder, code, out, err = drafted
    assert code == 0, err
    revision = mediawiki.revision_of(ARTICLE)
    assert revision is not None
    mapping = load_mapping(folder)  # validates: schema, surface forms, citation lines
    assert mapping.article.revision == revision.revid
    assert mapping.article.permalink == f"{mediawiki.index_url}?oldid={revision.revid}"
    article = yaml.safe_load((folder / "article.yaml").read_text(encoding="utf-8"))
    assert article["api"] == mediawiki.api_url and article["text"] == "article.wikitext"
    assert (folder / "article.wikitext").read_text(encoding="utf-8") == revision.content
    plain = (folder / "article.txt").read_text(encoding="utf-8")
    assert "مكتب الأمم المتحدة المعني بالمخدرات والجريمة" in plain and "{{" not in plain
    assert f"8 works from revision {revision.revid}" in out


def _values(entry: dict[str, Any]) -> set[str]:
    """Every string a source entry holds: CSL values, name parts, citation locators."""
    found: set[str] = set()
    for value in entry["csl"].values():
        if isinstance(value, list):
            for name in value:
                parts = [str(name.get(k, "")) for k in ("given", "family", "literal")]
                found.update(p for p in parts if p)
                found.add(" ".join(p for p in parts[:2] if p))
        else:
            found.add(str(value))
    found.update(str(c["locator"]) for c in entry["citations"] if c.get("locator"))
    return found


def test_every_template_field_of_the_fixture_is_in_sources(
        mediawiki: MediaWiki, drafted: tuple[Path, int, str, str]) -> None:
    folder = drafted[0]
    sources = yaml.safe_load((folder / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    revision = mediawiki.revision_of(ARTICLE)
    assert revision is not None
    templates = [t for t in mwparserfromhell.parse(revision.content).filter_templates()
                 if str(t.name).strip().lower().startswith(CITE)]
    assert len(templates) == 8
    for template in templates:
        first_line = str(template).splitlines()[0].strip()
        (entry,) = [s for s in sources if any(c["text"] == first_line for c in s["citations"])]
        have = _values(entry)
        for param in template.params:
            value = str(param.value).strip()
            language = {"ar": "ar", "en": "en"}.get(value)
            assert value in have or language in have, (entry["id"], str(param.name), value)


def test_named_refs_reflist_refs_and_sfn_are_joined(drafted: tuple[Path, int, str, str]) -> None:
    sources = {s["id"]: s for s in yaml.safe_load(
        (drafted[0] / "sources.yaml").read_text(encoding="utf-8"))["sources"]}
    by_title = {s["csl"]["title"]: s for s in sources.values()}
    unicef = by_title["Guidelines for online child protection"]  # defined in {{reflist|refs=}}
    assert unicef["citations"][0]["text"] == '<ref name="unicef2022" />'
    assert len(unicef["citations"]) == 2
    unodc = by_title["التقرير العالمي عن الاتجار بالأشخاص 2020"]
    assert [c["text"] for c in unodc["citations"]][1] == '<ref name="unodc2020" />'
    book = by_title["تاريخ الجريمة المنظمة: كتاب اختبار"]  # الحداد 2010, not الحداد 2019
    assert [c.get("locator") for c in book["citations"]] == ["5", "12", "5", None]
    assert len(by_title["الاستغلال عبر الإنترنت: دراسة اختبارية"]["citations"]) == 1


def test_a_redirect_is_followed_and_reported(mediawiki: MediaWiki, cache: Path,
                                             tmp_path: Path) -> None:
    code, _, err = toolkit("init", "--wiki-api", mediawiki.api_url, "--title", REDIRECT,
                           "-o", str(tmp_path / "m"), "--cache", str(cache))
    assert code == 0, err
    assert f"note: followed the redirect '{REDIRECT}' → '{ARTICLE}'" in err
    assert load_mapping(tmp_path / "m").article.title == ARTICLE


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(("title", "api", "expected"), [
    ("صفحة غير موجودة", None, "no page 'صفحة غير موجودة' at "),
    ("اختبار (توضيح)", None, "is a disambiguation page (page property 'disambiguation')"),
    ("Test article", None, "is not written in 'ar'"),
    ("[[bad]]", None, "is not a valid title at "),
    (ARTICLE, "closed", "the API does not answer (cannot connect)"),
])
def test_bad_input_is_one_line_exit_1_nothing_written(mediawiki: MediaWiki, tmp_path: Path,
                                                      title: str, api: str | None,
                                                      expected: str) -> None:
    url = mediawiki.api_url if api is None else f"http://127.0.0.1:{_closed_port()}/api.php"
    folder = tmp_path / "out"
    code, out, err = toolkit("init", "--wiki-api", url, "--title", title, "-o", str(folder),
                             "--retries", "0", "--cache", str(tmp_path / "cache"))
    assert code == 1 and out == ""
    assert err.startswith("toolkit: error: ") and err.count("\n") == 1, err
    assert expected in err and url in err
    assert not folder.exists()


def test_offline_replays_the_cached_page(drafted: tuple[Path, int, str, str], cache: Path,
                                         tmp_path: Path) -> None:
    code, _, err = toolkit("init", "--wiki-api", "http://127.0.0.1:9/api.php", "--title",
                           ARTICLE, "-o", str(tmp_path / "again"), "--offline", "--cache",
                           str(cache))
    assert code == 1 and "offline, and no earlier answer is cached" in err  # other wiki
    api = yaml.safe_load((drafted[0] / "article.yaml").read_text(encoding="utf-8"))["api"]
    code, _, err = toolkit("init", "--wiki-api", api, "--title", ARTICLE, "-o",
                           str(tmp_path / "again"), "--offline", "--cache", str(cache))
    assert code == 0, err
    assert (tmp_path / "again" / "sources.yaml").read_text(encoding="utf-8") == \
        (drafted[0] / "sources.yaml").read_text(encoding="utf-8")


# -- refresh, after an edit through the API ------------------------------------------------

@pytest.fixture
def editor(mediawiki: MediaWiki) -> Iterator[Any]:
    """Edit pages as the fixture admin (login, csrf token, action=edit); yields edit()."""
    http = requests.Session()
    http.trust_env = False  # loopback only, never a proxy from the environment
    api = mediawiki.api_url
    token = http.get(api, params={"action": "query", "meta": "tokens", "type": "login",
                                  "format": "json"}, timeout=30).json()
    login = http.post(api, data={"action": "login", "lgname": mediawiki.admin_user,
                                 "lgpassword": mediawiki.admin_password, "format": "json",
                                 "lgtoken": token["query"]["tokens"]["logintoken"]},
                      timeout=30).json()
    assert login["login"]["result"] == "Success", login
    csrf = http.get(api, params={"action": "query", "meta": "tokens", "format": "json"},
                    timeout=30).json()["query"]["tokens"]["csrftoken"]

    def edit(title: str, text: str) -> int:
        answer = http.post(api, data={"action": "edit", "title": title, "text": text,
                                      "token": csrf, "summary": "test edit", "format": "json"},
                           timeout=60).json()
        assert answer["edit"]["result"] == "Success", answer
        return int(answer["edit"]["newrevid"])

    def move(title: str, to: str) -> None:
        answer = http.post(api, data={"action": "move", "from": title, "to": to,
                                      "token": csrf, "reason": "test move", "format": "json"},
                           timeout=60).json()
        assert "move" in answer, answer

    edit.move = move  # type: ignore[attr-defined]
    yield edit
    http.close()


def test_refresh_shows_the_change_and_write_keeps_comments(mediawiki: MediaWiki, editor: Any,
                                                           tmp_path: Path) -> None:
    # A page of its own, so the fixture article stays as the other tests expect it.
    title = "مقالة اختبار للتحديث"
    original = mediawiki.revision_of(ARTICLE)
    assert original is not None
    first = editor(title, original.content)
    folder = tmp_path / "m"
    cache = str(tmp_path / "cache")
    code, _, err = toolkit("init", "--wiki-api", mediawiki.api_url, "--title", title,
                           "-o", str(folder), "--cache", cache)
    assert code == 0, err
    sources = folder / "sources.yaml"
    drafted_text = sources.read_text(encoding="utf-8")
    # A maintainer's comment and alignment work (fixture evidence), which refresh must keep.
    commented = drafted_text.replace(
        "- id: doe-roe-2018\n", "# checked by hand against the journal (a comment to keep)\n"
        "- id: doe-roe-2018\n").replace(
        "  alignment:\n    status: unaligned\n  citations:\n  - line: 5\n"
        "    text: '{{cite journal |last=Doe",
        "  alignment:\n    status: unaligned\n    evidence:\n"
        "    - {source: 'test fixture: searched by DOI', note: no item found}\n"
        "  citations:\n  - line: 5\n    text: '{{cite journal |last=Doe", 1)
    assert commented.count("test fixture: searched by DOI") == 1
    sources.write_text(commented, encoding="utf-8")
    second = editor(title, original.content.replace("|volume=54", "|volume=55"))
    assert second > first

    code, out, err = toolkit("refresh", str(folder), "--cache", cache)
    assert code == 0, err
    assert f"revision {first} → {second}" in out
    assert "~ changed doe-roe-2018: Online exploitation: a fixture study\n    volume: 54 → 55" \
        in out
    assert "0 new, 0 removed, 1 changed; nothing written" in out
    assert sources.read_text(encoding="utf-8") == commented  # nothing written

    code, out, err = toolkit("refresh", str(folder), "--cache", cache, "--write")
    assert code == 0, err
    after = sources.read_text(encoding="utf-8")
    assert "# checked by hand against the journal (a comment to keep)\n- id: doe-roe-2018" in after
    assert after.replace("volume: '55'", "volume: '54'").replace("|volume=55", "|volume=54") \
        == commented  # only the changed field and its citation line differ
    mapping = load_mapping(folder)
    assert mapping.article.revision == second
    assert mapping.article.permalink == f"{mediawiki.index_url}?oldid={second}"
    code, out, _ = toolkit("refresh", str(folder), "--cache", cache)
    assert "no citation changed" in out

    # A citation added, one removed: appended and taken out, the rest untouched.
    smith = original.content[original.content.index("<ref>{{cite book |last=Smith"):]
    smith = smith[:smith.index("</ref>") + len("</ref>")]
    added = ("<ref>{{cite journal |last=New |first=Ann |year=2023 |title=A new fixture study "
             "|journal=Journal of Fixture Studies |volume=60}}</ref>")
    editor(title, original.content.replace("|volume=54", "|volume=55").replace(smith, added))
    code, out, err = toolkit("refresh", str(folder), "--cache", cache, "--write")
    assert code == 0, err
    assert "+ new new-2023: A new fixture study" in out
    assert "- removed smith-2015: Investigating online crime" in out
    assert "1 new, 1 removed, 0 changed; written" in out
    final = load_mapping(folder)
    by_id = {src.id: src for src in final.sources}
    assert "smith-2015" not in by_id and by_id["new-2023"].csl["volume"] == "60"
    assert by_id["new-2023"].links["container"] == "journal-of-fixture-studies"  # existing
    assert "test fixture: searched by DOI" in sources.read_text(encoding="utf-8")
    assert "(a comment to keep)" in sources.read_text(encoding="utf-8")


def test_record_revision_is_checked_online(mediawiki: MediaWiki,
                                           drafted: tuple[Path, int, str, str],
                                           tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(drafted[0], folder)
    other = mediawiki.revision_of("Test article")
    assert other is not None
    code, _, err = toolkit("refresh", str(folder), "--revision", str(other.revid), "--write")
    assert code == 1 and f"revision {other.revid} belongs to 'Test article'" in err
    mine = mediawiki.revision_of(ARTICLE)
    assert mine is not None
    code, out, err = toolkit("refresh", str(folder), "--revision", str(mine.revid), "--write")
    assert code == 0, err
    assert f"checked: a revision of '{ARTICLE}'" in out
    assert load_mapping(folder).article.revision == mine.revid


def test_refresh_after_a_page_move_follows_the_redirect(mediawiki: MediaWiki, editor: Any,
                                                        tmp_path: Path) -> None:
    original = mediawiki.revision_of(ARTICLE)
    assert original is not None
    old, new = "مقالة قبل النقل", "مقالة بعد النقل"
    editor(old, original.content)
    folder, cache = tmp_path / "m", str(tmp_path / "cache")
    code, _, err = toolkit("init", "--wiki-api", mediawiki.api_url, "--title", old,
                           "-o", str(folder), "--cache", cache)
    assert code == 0, err
    editor.move(old, new)
    code, out, err = toolkit("refresh", str(folder), "--cache", cache, "--write")
    assert code == 0, err
    assert f"note: followed the redirect '{old}' → '{new}'" in out
    assert f"the page moved: title '{old}' → '{new}'" in out and "no citation changed" in out
    article = load_mapping(folder).article
    assert article.title == new and article.url.endswith("%D9%84")  # …النقل, percent-encoded
