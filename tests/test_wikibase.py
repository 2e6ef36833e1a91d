"""The read client (toolkit.wiki.wikibase) against the loopback Wikibase, and the socket guard."""

from __future__ import annotations

import math
import socket
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.socket_guard import NonLoopbackConnection, SocketGuard
from tests.wikibase_server import WikibaseServer, generated_items
from toolkit.errors import MaxlagExhausted, UsageError, WikibaseError
from toolkit.wiki.wikibase import WikibaseReader, WikibaseSettings


class Sleeps(list[float]):
    """An injected sleep that records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def reader_for(server: WikibaseServer, sleeps: Sleeps | None = None,
               **settings: Any) -> WikibaseReader:
    return WikibaseReader(WikibaseSettings(api_url=server.api_url, **settings),
                          sleep=sleeps if sleeps is not None else Sleeps())


# -- wbgetentities -------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 50, 51, 120])
def test_get_entities_batches_fifty_ids_per_request(wikibase_server: WikibaseServer,
                                                    count: int) -> None:
    items = generated_items(count)
    wikibase_server.add_entities(items)
    reader = reader_for(wikibase_server)

    got = reader.get_entities(item["id"] for item in items)

    calls = wikibase_server.requests_for("wbgetentities")
    assert len(calls) == math.ceil(count / 50) == reader.stats.requests
    assert all(len(call.params["ids"].split("|")) <= 50 for call in calls)
    assert list(got) == [item["id"] for item in items]
    last = items[-1]["id"]
    assert got[last] is not None
    assert got[last]["labels"]["en"]["value"] == items[-1]["labels"]["en"]["value"]


def test_request_parameters_are_exact(wikibase_server: WikibaseServer) -> None:
    reader_for(wikibase_server).get_entities(["Q100", "q101", "Q100"])
    [call] = wikibase_server.requests_for("wbgetentities")
    assert call.method == "GET"
    assert call.params == {
        "action": "wbgetentities", "ids": "Q100|Q101",
        "props": "labels|descriptions|aliases|claims|sitelinks|info",
        "format": "json", "formatversion": "2", "errorformat": "plaintext", "maxlag": "5"}


def test_entity_json_is_returned_as_the_wiki_serves_it(wikibase_server: WikibaseServer) -> None:
    got = reader_for(wikibase_server).get_entity("Q101")
    assert got == {k: v for k, v in wikibase_server.entity("Q101").items()}
    assert got is not None and got["lastrevid"] == 2002


def test_missing_entity_comes_back_as_missing_json(wikibase_server: WikibaseServer) -> None:
    got = reader_for(wikibase_server).get_entities(["Q100", "Q999999"])
    assert got["Q999999"] == {"id": "Q999999", "missing": ""}
    assert got["Q100"] is not None and "missing" not in got["Q100"]


def test_bad_ids_are_refused_before_any_request(wikibase_server: WikibaseServer) -> None:
    with pytest.raises(UsageError, match="not an entity id"):
        reader_for(wikibase_server).get_entities(["Q100", "Douglas Adams"])
    assert wikibase_server.requests == []


def test_empty_id_list_sends_nothing(wikibase_server: WikibaseServer) -> None:
    assert reader_for(wikibase_server).get_entities([]) == {}
    assert wikibase_server.requests == []


# -- User-Agent ------------------------------------------------------------------------------


def test_default_user_agent_names_tool_version_and_asks_for_contact(
        wikibase_server: WikibaseServer) -> None:
    reader_for(wikibase_server).get_entities(["Q100"])
    agent = wikibase_server.requests[0].headers["User-Agent"]
    assert agent.startswith("wikidata-publishing-toolkit/0.1.0 (")
    assert "contact" in agent
    assert "python-requests/" in agent


def test_contact_and_custom_user_agent_are_sent(wikibase_server: WikibaseServer) -> None:
    reader_for(wikibase_server, contact="fixture-operator@example.org").get_entities(["Q100"])
    reader_for(wikibase_server, user_agent="FixtureBot/2.0 (fixture@example.org)"
               ).get_entities(["Q101"])
    first, second = (r.headers["User-Agent"] for r in wikibase_server.requests)
    assert "(fixture-operator@example.org)" in first
    assert second == "FixtureBot/2.0 (fixture@example.org)"


# -- retries -------------------------------------------------------------------------------


def test_maxlag_is_retried_honouring_retry_after(wikibase_server: WikibaseServer) -> None:
    wikibase_server.inject("maxlag", count=2, retry_after=3, lag=2)
    sleeps = Sleeps()
    reader = reader_for(wikibase_server, sleeps, backoff_base=1)

    got = reader.get_entities(["Q100"])

    assert got["Q100"] is not None
    assert reader.stats.requests == 3 and reader.stats.retries == 2
    assert sleeps == [3, 3]  # Retry-After beats the backoff of 1 s and 2 s
    assert all(r.params["maxlag"] == "5" for r in wikibase_server.requests)


def test_maxlag_lag_is_honoured_when_longer_than_the_backoff(
        wikibase_server: WikibaseServer) -> None:
    wikibase_server.inject("maxlag", count=1, retry_after=1, lag=9)
    sleeps = Sleeps()
    reader_for(wikibase_server, sleeps, backoff_base=0.5).get_entities(["Q100"])
    assert sleeps == [9]


def test_maxlag_gives_up_after_max_retries(wikibase_server: WikibaseServer) -> None:
    wikibase_server.inject("maxlag", count=100, retry_after=1, lag=0.5)
    sleeps = Sleeps()
    reader = reader_for(wikibase_server, sleeps, max_retries=3, backoff_base=1)

    with pytest.raises(MaxlagExhausted, match="gave up after 3 retries") as caught:
        reader.get_entities(["Q100"])

    assert isinstance(caught.value, WikibaseError)
    assert len(wikibase_server.requests) == 4 == reader.stats.requests
    assert sleeps == [1, 2, 4]  # exponential backoff, no pointless wait after the last try


def test_http_429_waits_for_retry_after(wikibase_server: WikibaseServer) -> None:
    wikibase_server.inject("http", count=1, status=429, retry_after=7)
    sleeps = Sleeps()
    reader = reader_for(wikibase_server, sleeps)
    assert reader.get_entities(["Q100"])["Q100"] is not None
    assert sleeps == [7]
    assert reader.stats.retries == 1


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_back_off_exponentially(wikibase_server: WikibaseServer,
                                              status: int) -> None:
    wikibase_server.inject("http", count=3, status=status)
    sleeps = Sleeps()
    reader = reader_for(wikibase_server, sleeps, backoff_base=0.5, max_retries=5)
    assert reader.get_entities(["Q100"])["Q100"] is not None
    assert sleeps == [0.5, 1.0, 2.0]


def test_backoff_is_capped(wikibase_server: WikibaseServer) -> None:
    wikibase_server.inject("http", count=4, status=503, retry_after=3600)
    sleeps = Sleeps()
    reader_for(wikibase_server, sleeps, backoff_max=30, max_retries=4).get_entities(["Q100"])
    assert sleeps == [30, 30, 30, 30]


def test_server_errors_give_up(wikibase_server: WikibaseServer) -> None:
    wikibase_server.inject("http", count=10, status=503)
    with pytest.raises(MaxlagExhausted, match="HTTP 503"):
        reader_for(wikibase_server, max_retries=2).get_entities(["Q100"])
    assert len(wikibase_server.requests) == 3


def test_timeout_is_retried(wikibase_server: WikibaseServer) -> None:
    wikibase_server.inject("timeout", count=1, seconds=10)
    sleeps = Sleeps()
    reader = reader_for(wikibase_server, sleeps, timeout=0.3)
    assert reader.get_entities(["Q100"])["Q100"] is not None
    assert reader.stats.retries == 1 and len(sleeps) == 1


def test_timeouts_give_up(wikibase_server: WikibaseServer) -> None:
    wikibase_server.inject("timeout", count=2, seconds=10)
    with pytest.raises(MaxlagExhausted, match="timed out"):
        reader_for(wikibase_server, timeout=0.2, max_retries=1).get_entities(["Q100"])


def test_other_http_errors_are_not_retried(wikibase_server: WikibaseServer) -> None:
    wikibase_server.inject("http", count=1, status=403)
    reader = reader_for(wikibase_server)
    with pytest.raises(WikibaseError) as caught:
        reader.get_entities(["Q100"])
    assert caught.value.code == "http-403"
    assert not isinstance(caught.value, MaxlagExhausted)
    assert reader.stats.requests == 1


def test_api_errors_carry_their_code(wikibase_server: WikibaseServer) -> None:
    wikibase_server.inject("error", count=1, code="readonly", text="Fixture wiki is read-only")
    with pytest.raises(WikibaseError, match="Fixture wiki is read-only") as caught:
        reader_for(wikibase_server).get_entities(["Q100"])
    assert caught.value.code == "readonly"
    assert len(wikibase_server.requests) == 1


# -- cache and offline ---------------------------------------------------------------------


def test_cache_is_reused_while_lastrevid_matches(wikibase_server: WikibaseServer,
                                                 tmp_path: Path) -> None:
    ids = ["Q100", "Q101", "Q102"]
    cold = reader_for(wikibase_server, cache_dir=tmp_path)
    first = cold.get_entities(ids)
    assert cold.stats.cache_hits == 0 and cold.stats.cache_misses == 3
    assert sorted(p.name for p in tmp_path.rglob("*.json")) == [f"{i}.json" for i in ids]

    wikibase_server.requests.clear()
    warm = reader_for(wikibase_server, cache_dir=tmp_path)
    second = warm.get_entities(ids)
    assert second == first
    assert warm.stats.cache_hits == 3
    [check] = wikibase_server.requests
    assert check.params["props"] == "info"


def test_changed_entity_is_fetched_again(wikibase_server: WikibaseServer,
                                         tmp_path: Path) -> None:
    reader_for(wikibase_server, cache_dir=tmp_path).get_entities(["Q100", "Q101"])
    new_rev = wikibase_server.edit_behind_back(
        "Q101", {"labels": {"fr": {"language": "fr", "value": "Livre fixture"}}})
    wikibase_server.requests.clear()

    reader = reader_for(wikibase_server, cache_dir=tmp_path)
    got = reader.get_entities(["Q100", "Q101"])

    assert got["Q101"] is not None and got["Q101"]["lastrevid"] == new_rev
    assert got["Q101"]["labels"]["fr"]["value"] == "Livre fixture"
    assert reader.stats.cache_hits == 1
    assert [(r.params["props"], r.params["ids"]) for r in wikibase_server.requests] == [
        ("info", "Q100|Q101"), ("labels|descriptions|aliases|claims|sitelinks|info", "Q101")]
    offline = reader_for(wikibase_server, cache_dir=tmp_path, offline=True)
    assert offline.get_entity("Q101") == got["Q101"]  # the cache was updated


def test_offline_reads_only_the_cache(wikibase_server: WikibaseServer, tmp_path: Path) -> None:
    reader_for(wikibase_server, cache_dir=tmp_path).get_entities(["Q100", "Q999999"])
    wikibase_server.requests.clear()

    offline = reader_for(wikibase_server, cache_dir=tmp_path, offline=True)
    got = offline.get_entities(["Q100", "Q101", "Q999999"])

    assert got["Q100"] is not None and got["Q100"]["id"] == "Q100"
    assert got["Q101"] is None  # not checked against the wiki, NOT an empty entity
    assert got["Q999999"] == {"id": "Q999999", "missing": ""}  # checked: known missing
    assert offline.stats.cache_hits == 2 and offline.stats.cache_misses == 1
    assert wikibase_server.requests == []


def test_offline_without_cache_checks_nothing_and_sends_nothing(
        wikibase_server: WikibaseServer) -> None:
    reader = reader_for(wikibase_server, offline=True)
    assert reader.get_entities(["Q100"]) == {"Q100": None}
    assert reader.find_by_statement("P212", "978-0-00-000000-2") is None
    assert reader.search_entities("Fixture", "en") is None
    assert wikibase_server.requests == [] and reader.stats.requests == 0


def test_damaged_cache_file_is_fetched_again(wikibase_server: WikibaseServer,
                                            tmp_path: Path) -> None:
    reader_for(wikibase_server, cache_dir=tmp_path).get_entities(["Q100"])
    [path] = tmp_path.rglob("Q100.json")
    path.write_text("{not json", encoding="utf-8")
    reader = reader_for(wikibase_server, cache_dir=tmp_path)
    assert reader.get_entity("Q100") is not None
    assert reader.stats.cache_hits == 0


# -- search ----------------------------------------------------------------------------------


def test_find_by_statement_uses_haswbstatement(wikibase_server: WikibaseServer) -> None:
    reader = reader_for(wikibase_server)
    assert reader.find_by_statement("P212", "978-0-00-000000-2") == ["Q101"]
    assert reader.find_by_statement("P356", "10.5555/FIXTURE.100") == ["Q100"]
    assert reader.find_by_statement("P212", "978-0-00-000001-9") == []
    searches = wikibase_server.requests_for("query", list="search")
    assert [r.params["srsearch"] for r in searches] == [
        "haswbstatement:P212=978-0-00-000000-2", "haswbstatement:P356=10.5555/FIXTURE.100",
        "haswbstatement:P212=978-0-00-000001-9"]
    assert all(r.params["srnamespace"] == "0" for r in searches)


def test_find_by_statement_follows_continuation(wikibase_server: WikibaseServer) -> None:
    items = generated_items(60)
    for item in items:
        item["claims"]["P236"] = [{"mainsnak": {"snaktype": "value", "property": "P236",
                                                "datavalue": {"type": "string",
                                                              "value": "0000-0019"}}}]
    wikibase_server.add_entities(items)
    found = reader_for(wikibase_server).find_by_statement("P236", "0000-0019")
    assert found is not None
    assert sorted(found) == sorted(["Q102"] + [i["id"] for i in items])
    assert len(wikibase_server.requests_for("query", list="search")) == 2


def test_find_by_statement_quotes_values_with_spaces(wikibase_server: WikibaseServer) -> None:
    reader = reader_for(wikibase_server)
    assert reader.find_by_statement("P478", "12 b") == []
    [call] = wikibase_server.requests_for("query")
    assert call.params["srsearch"] == 'haswbstatement:"P478=12 b"'
    with pytest.raises(UsageError):
        reader.find_by_statement("X212", "1")


def test_search_entities(wikibase_server: WikibaseServer) -> None:
    reader = reader_for(wikibase_server)
    hits = reader.search_entities("Fixture org", "en")
    assert hits is not None
    assert [h["id"] for h in hits] == ["Q103"]
    assert hits[0]["label"] == "Fixture organization"
    arabic = reader.search_entities("منظمة", "ar")
    assert arabic is not None and [h["id"] for h in arabic] == ["Q103"]
    limited = reader.search_entities("Fixture", "en", limit=2)
    assert limited is not None and len(limited) == 2
    call = wikibase_server.requests_for("wbsearchentities")[-1]
    assert call.params["limit"] == "2" and call.params["type"] == "item"


# -- socket guard ----------------------------------------------------------------------------


class Recorder:
    """Stands in for a real socket function: records calls, never touches the network."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(args)
        raise ConnectionRefusedError("recorder: not really connecting")


def swap_in_recorders(guard: SocketGuard, monkeypatch: pytest.MonkeyPatch) -> dict[str, Recorder]:
    recorders = {name: Recorder() for name in
                 ("real_connect", "real_connect_ex", "real_sendto", "real_create_connection",
                  "real_getaddrinfo")}
    for name, recorder in recorders.items():
        monkeypatch.setattr(guard, name, recorder)
    return recorders


@pytest.mark.parametrize("address", [("10.0.0.1", 80), ("192.168.1.1", 443),
                                     ("8.8.8.8", 53), ("2001:db8::1", 80, 0, 0),
                                     ("example.org", 80)])
def test_socket_guard_blocks_before_connecting(socket_guard: SocketGuard,
                                               monkeypatch: pytest.MonkeyPatch,
                                               address: tuple[Any, ...]) -> None:
    recorders = swap_in_recorders(socket_guard, monkeypatch)
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock, \
            pytest.raises(NonLoopbackConnection):
        sock.connect(address)
    with pytest.raises(NonLoopbackConnection):
        socket.create_connection(address[:2], timeout=1)
    with pytest.raises(NonLoopbackConnection):
        socket.getaddrinfo(address[0], 80)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, \
            pytest.raises(NonLoopbackConnection):
        udp.sendto(b"x", ("10.0.0.1", 53))
    assert all(not r.calls for r in recorders.values())  # nothing reached the real functions
    assert len(socket_guard.blocked) == 4
    socket_guard.blocked.clear()  # expected here; any other test would now fail


def test_socket_guard_blocks_requests(socket_guard: SocketGuard,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    recorders = swap_in_recorders(socket_guard, monkeypatch)
    with pytest.raises(NonLoopbackConnection):
        requests.get("http://10.0.0.1:8080/w/api.php", timeout=1)
    assert all(not r.calls for r in recorders.values())
    socket_guard.blocked.clear()


def test_socket_guard_lets_loopback_through(socket_guard: SocketGuard,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    recorders = swap_in_recorders(socket_guard, monkeypatch)
    for address in [("127.0.0.1", 9), ("127.8.0.1", 9), ("localhost", 9)]:
        with socket.socket() as sock, pytest.raises(ConnectionRefusedError):
            sock.connect(address)
    with socket.socket(socket.AF_INET6) as sock, pytest.raises(ConnectionRefusedError):
        sock.connect(("::1", 9, 0, 0))
    assert len(recorders["real_connect"].calls) == 4
    assert socket_guard.blocked == []


def test_swallowed_attempt_still_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("from tests.socket_guard import socket_guard  # the real fixture")
    pytester.makepyfile("""
        import socket

        def test_swallows():
            try:
                socket.create_connection(("10.0.0.1", 80), timeout=1)
            except Exception:
                pass  # code under test that hides the failure
    """)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)  # the test body passes; its teardown fails
    result.stdout.fnmatch_lines(["*non-loopback network access attempted*"])


@pytest.mark.parametrize(("header", "expected"), [
    ("7", 7.0), ("0", 0.0), ("-3", 0.0), (None, None), ("soon", None),
    ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # a date in the past: no wait
])
def test_retry_after_header_forms(header: str | None, expected: float | None) -> None:
    from toolkit.wiki.wikibase import _retry_after

    assert _retry_after(header) == expected


def test_retry_after_http_date_in_the_future() -> None:
    from email.utils import formatdate

    from toolkit.wiki.wikibase import _retry_after

    wait = _retry_after(formatdate(time.time() + 120, usegmt=True))
    assert wait is not None and 100 < wait <= 120
