"""pywikibot 11 against the loopback Wikibase: read an item, log in with a BotPassword, edit.

These prove that tests/wikibase_server.py is good enough for the live apply path (issue 5)
and record which requests pywikibot makes; tests/pywikibot_env.py explains the set-up.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests import pywikibot_env
from tests.wikibase_server import WikibaseServer


def test_item_get_reads_the_fixture_item(wikibase_server: WikibaseServer) -> None:
    import pywikibot

    site = pywikibot_env.connect(wikibase_server).site()
    item = pywikibot.ItemPage(site, "Q100")
    item.get()

    assert item.labels["en"] == "Fixture scholarly article"
    assert item.latest_revision_id == 2001
    assert item.claims["P356"][0].getTarget() == "10.5555/FIXTURE.100"
    reads = wikibase_server.requests_for("wbgetentities")
    assert [r.params["ids"] for r in reads] == ["Q100"]
    assert "Pywikibot" in reads[0].headers["User-Agent"]
    assert wikibase_server.write_requests == []


def test_login_with_bot_password_then_edit_entity(wikibase_server: WikibaseServer) -> None:
    import pywikibot

    site = pywikibot_env.connect(wikibase_server).login()
    assert site.user() == pywikibot_env.BOT_USER
    login = wikibase_server.requests_for("login")
    assert [r.params["lgname"] for r in login] == ["User@app"]

    item = pywikibot.ItemPage(site, "Q101")
    item.get()
    claim = pywikibot.Claim(site, "P304", datatype="string")
    claim.setTarget("5-6")
    data = {"labels": {"ar": {"language": "ar", "value": "كتاب تجريبي"}},
            "claims": [claim.toJSON()]}
    item.editEntity(data, summary="fixture batch 1")

    [edit] = wikibase_server.requests_for("wbeditentity")
    assert edit.method == "POST"
    assert edit.params["id"] == "Q101"
    assert edit.params["baserevid"] == "2002"
    assert edit.params["maxlag"] == "5"
    assert edit.params["assert"] == "user"
    assert "bot" in edit.params
    assert edit.params["summary"] == "fixture batch 1"
    assert edit.json_param("data")["labels"] == data["labels"]

    stored = wikibase_server.entity("Q101")
    assert stored["labels"]["ar"]["value"] == "كتاب تجريبي"
    [new_claim] = stored["claims"]["P304"]
    assert new_claim["id"].startswith("Q101$")
    assert new_claim["mainsnak"]["datavalue"]["value"] == "5-6"
    assert stored["lastrevid"] > 2002
    assert item.latest_revision_id == stored["lastrevid"]


def test_new_item_gets_the_next_free_id(wikibase_server: WikibaseServer) -> None:
    import pywikibot

    site = pywikibot_env.connect(wikibase_server).login()
    item = pywikibot.ItemPage(site)
    item.editEntity({"labels": {"en": {"language": "en", "value": "Fixture new item"}}},
                    summary="create")
    [edit] = wikibase_server.requests_for("wbeditentity")
    assert edit.params["new"] == "item"
    assert item.getID() == "Q13442815"  # one past the highest fixture item id
    assert wikibase_server.entity(item.getID())["labels"]["en"]["value"] == "Fixture new item"


def test_stale_baserevid_is_an_edit_conflict(wikibase_server: WikibaseServer) -> None:
    import pywikibot
    from pywikibot.exceptions import Error

    site = pywikibot_env.connect(wikibase_server).login()
    item = pywikibot.ItemPage(site, "Q104")
    item.get()
    wikibase_server.edit_behind_back(
        "Q104", {"labels": {"fr": {"language": "fr", "value": "Agence fixture"}}})

    with pytest.raises(Error) as caught:
        item.editEntity({"labels": {"ar": {"language": "ar", "value": "وكالة تجريبية"}}},
                        summary="stale")
    assert "editconflict" in str(caught.value).lower() or "conflict" in type(
        caught.value).__name__.lower()
    assert "ar" not in wikibase_server.entity("Q104")["labels"]


def test_private_base_dir_in_a_subprocess(wikibase_server: WikibaseServer,
                                          tmp_path: Path) -> None:
    base = tmp_path / "pywikibot"
    base.mkdir()
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    env = pywikibot_env.write_base_dir(base, wikibase_server)
    script = textwrap.dedent("""
        import json, pywikibot
        site = pywikibot.Site()
        item = pywikibot.ItemPage(site, 'Q103')
        item.get()
        print(json.dumps({'family': site.family.name, 'ar': item.labels['ar'],
                          'base_dir': pywikibot.config.base_dir}))
    """)
    done = subprocess.run([sys.executable, "-W", "ignore", "-c", script], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"family": pywikibot_env.family_name(wikibase_server),
                      "ar": "منظمة تجريبية", "base_dir": str(base)}
    assert list(workdir.iterdir()) == []  # nothing dropped in the working directory
    assert (base / "apicache").is_dir()
    assert wikibase_server.requests_for("wbgetentities", ids="Q103")
