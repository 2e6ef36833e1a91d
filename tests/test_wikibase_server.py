"""The loopback Wikibase itself: write semantics the apply and undo tests rely on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.wikibase_server import WikibaseServer, load_fixture_entities


class Client:
    """A bare API client: enough to log in and post writes."""

    def __init__(self, server: WikibaseServer) -> None:
        self.server = server
        self.http = requests.Session()
        self.token = "+\\"

    def get(self, **params: Any) -> dict[str, Any]:
        answer = self.http.get(self.server.api_url, params={"format": "json", **params},
                               timeout=10)
        return answer.json()

    def post(self, **params: Any) -> dict[str, Any]:
        answer = self.http.post(self.server.api_url, data={"format": "json", **params},
                                timeout=10)
        return answer.json()

    def login(self, password: str = "secret-bot-password") -> dict[str, Any]:
        token = self.get(action="query", meta="tokens", type="login")["query"]["tokens"][
            "logintoken"]
        result = self.post(action="login", lgname="User@app", lgpassword=password,
                           lgtoken=token)
        self.token = self.get(action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
        return result

    def edit(self, data: dict[str, Any], **params: Any) -> dict[str, Any]:
        return self.post(action="wbeditentity", data=json.dumps(data), token=self.token,
                         **params)


@pytest.fixture
def client(wikibase_server: WikibaseServer) -> Client:
    logged_in = Client(wikibase_server)
    assert logged_in.login()["login"]["result"] == "Success"
    return logged_in


def string_claim(pid: str, value: str, **extra: Any) -> dict[str, Any]:
    return {"mainsnak": {"snaktype": "value", "property": pid,
                         "datavalue": {"type": "string", "value": value}},
            "type": "statement", "rank": "normal", **extra}


def test_anonymous_and_wrong_password_cannot_write(wikibase_server: WikibaseServer) -> None:
    anonymous = Client(wikibase_server)
    answer = anonymous.edit({"labels": {"fr": {"language": "fr", "value": "x"}}}, id="Q100")
    assert answer["error"]["code"] == "permissiondenied"
    assert anonymous.login(password="wrong")["login"]["result"] == "Failed"
    assert anonymous.get(action="query", meta="userinfo")["query"]["userinfo"]["anon"] is True


def test_writes_must_be_posted(client: Client) -> None:
    answer = client.get(action="wbeditentity", id="Q100", data="{}", token=client.token)
    assert answer["error"]["code"] == "mustbeposted"


def test_new_item_gets_id_guids_hashes_and_a_revision(client: Client,
                                                      wikibase_server: WikibaseServer) -> None:
    reference = {"snaks": {"P854": [{"snaktype": "value", "property": "P854", "datavalue": {
        "type": "string", "value": "https://example.org/fixture"}}]}}
    answer = client.edit({"labels": {"en": {"language": "en", "value": "Fixture created"}},
                          "claims": [string_claim("P304", "1-4", references=[reference])]},
                         new="item", summary="fixture")
    entity = answer["entity"]
    assert entity["id"] == "Q13442815"
    [claim] = entity["claims"]["P304"]
    assert claim["id"].startswith("Q13442815$")
    assert claim["mainsnak"]["datatype"] == "string"
    assert len(claim["references"][0]["hash"]) == 40
    assert wikibase_server.entity("Q13442815")["lastrevid"] == entity["lastrevid"]


def test_stale_baserevid_is_refused(client: Client, wikibase_server: WikibaseServer) -> None:
    wikibase_server.edit_behind_back("Q100")
    before = wikibase_server.entity("Q100")
    answer = client.edit({"labels": {"fr": {"language": "fr", "value": "x"}}}, id="Q100",
                         baserevid="2001")
    assert answer["error"]["code"] == "editconflict"
    assert wikibase_server.entity("Q100") == before


def test_aliases_add_remove_and_replace(client: Client, wikibase_server: WikibaseServer) -> None:
    client.edit({"aliases": {"en": [{"language": "en", "value": "Second", "add": ""},
                                    {"language": "en", "value": "FixOrg", "remove": ""}]}},
                id="Q103")
    assert [a["value"] for a in wikibase_server.entity("Q103")["aliases"]["en"]] == ["Second"]
    client.edit({"aliases": {"ar": [{"language": "ar", "value": "م ت"}]}}, id="Q103")
    client.edit({"aliases": {"en": [{"language": "en", "value": "Only"}]}}, id="Q103")
    aliases = wikibase_server.entity("Q103")["aliases"]
    assert aliases == {"en": [{"language": "en", "value": "Only"}],
                       "ar": [{"language": "ar", "value": "م ت"}]}


def test_claims_replace_remove_and_no_op(client: Client, wikibase_server: WikibaseServer) -> None:
    guid = wikibase_server.entity("Q100")["claims"]["P478"][0]["id"]
    client.edit({"claims": [string_claim("P478", "13", id=guid)]}, id="Q100")
    assert wikibase_server.entity("Q100")["claims"]["P478"][0]["mainsnak"]["datavalue"][
        "value"] == "13"
    client.edit({"claims": [{"id": guid, "remove": ""}]}, id="Q100")
    assert "P478" not in wikibase_server.entity("Q100")["claims"]

    revision = wikibase_server.entity("Q100")["lastrevid"]
    same = client.edit({"labels": {"en": {"language": "en",
                                          "value": "Fixture scholarly article"}}}, id="Q100")
    assert "nochange" in same["entity"]
    assert wikibase_server.entity("Q100")["lastrevid"] == revision

    unknown = client.edit({"claims": [string_claim("P478", "1", id="Q100$nope")]}, id="Q100")
    assert unknown["error"]["code"] == "no-such-claim"


def test_unknown_property_and_wrong_value_type_are_refused(client: Client) -> None:
    assert client.edit({"claims": [string_claim("P999999", "x")]}, id="Q100")["error"][
        "code"] == "modification-failed"
    answer = client.edit({"claims": [string_claim("P577", "2020")]}, id="Q100")
    assert answer["error"]["code"] == "invalid-snak"


def test_label_description_pair_must_be_unique(client: Client) -> None:
    answer = client.edit({"labels": {"en": {"language": "en", "value": "Fixture book"}},
                          "descriptions": {"en": {"language": "en",
                                                  "value": "test fixture book, not on Wikidata"}}},
                         new="item")
    assert answer["error"]["code"] == "modification-failed"
    assert "wikibase-validator-label-with-description-conflict" in json.dumps(answer)


def test_wbremoveclaims(client: Client, wikibase_server: WikibaseServer) -> None:
    guids = [c["id"] for c in wikibase_server.entity("Q100")["claims"]["P433"]]
    answer = client.post(action="wbremoveclaims", claim="|".join(guids), token=client.token,
                         baserevid="2001")
    assert answer["claims"] == guids
    assert "P433" not in wikibase_server.entity("Q100")["claims"]


def test_requests_are_recorded_with_query_and_form_params(
        client: Client, wikibase_server: WikibaseServer) -> None:
    wikibase_server.requests.clear()
    client.http.post(wikibase_server.api_url + "?action=wbeditentity&maxlag=5",
                     data={"id": "Q104", "data": "{}", "token": client.token, "format": "json"},
                     headers={"User-Agent": "FixtureAgent/1.0"}, timeout=10)
    [seen] = wikibase_server.requests
    assert seen.method == "POST"
    assert seen.params == {"action": "wbeditentity", "maxlag": "5", "id": "Q104",
                           "data": "{}", "token": client.token, "format": "json"}
    assert seen.headers["user-agent"] == "FixtureAgent/1.0"
    assert seen.is_write and seen.json_param("data") == {}


def test_error_formats(client: Client) -> None:
    bc = client.get(action="wbgetentities", ids="Q1-bad")
    assert bc["error"]["code"] == "no-such-entity"
    plain = client.get(action="wbgetentities", ids="Q1-bad", errorformat="plaintext")
    assert plain["errors"][0]["code"] == "no-such-entity"


def test_maxlag_fault_applies_only_to_requests_asking_for_it(
        client: Client, wikibase_server: WikibaseServer) -> None:
    wikibase_server.inject("maxlag", count=1, retry_after=2)
    assert "entities" in client.get(action="wbgetentities", ids="Q100")
    answer = client.http.get(wikibase_server.api_url, timeout=10, params={
        "action": "wbgetentities", "ids": "Q100", "format": "json", "maxlag": "5"})
    assert answer.json()["error"]["code"] == "maxlag"
    assert answer.headers["Retry-After"] == "2"
    assert "entities" in client.get(action="wbgetentities", ids="Q100", maxlag="5")


def test_too_many_ids_are_refused(client: Client) -> None:
    ids = "|".join(f"Q{n}" for n in range(1, 52))
    assert client.get(action="wbgetentities", ids=ids)["error"]["code"] == "toomanyvalues"


def test_fixture_files_must_say_they_are_fixtures(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"_comment": "items", "entities": []}',
                                       encoding="utf-8")
    with pytest.raises(ValueError, match="must say it is a test fixture"):
        load_fixture_entities(tmp_path)
    assert load_fixture_entities()  # the shipped fixtures do
