"""Shared test plumbing: the socket guard, a private pywikibot base dir, the loopback Wikibase.

* ``socket_guard`` (autouse, tests/socket_guard.py): any connection, DNS lookup or datagram
  to an address outside 127.0.0.0/8 and ::1 raises ``NonLoopbackConnection`` *before*
  anything is sent, and the test fails at teardown even if the code under test swallowed it.
* pywikibot reads its configuration once per process, at import: before any test can import
  it, ``PYWIKIBOT_DIR`` points at a throw-away directory (see tests/pywikibot_env.py), so no
  ``apicache/``, ``throttle.ctrl`` or cookie file lands in the working directory.
* ``wikibase_server``: a fresh :class:`tests.wikibase_server.WikibaseServer` per test, loaded
  with tests/fixtures/wikibase/*.json (test fixtures, not real Wikidata data).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import pywikibot_env
from tests.socket_guard import SocketGuard
from tests.wikibase_server import WikibaseServer

pywikibot_env.use_private_base_dir()


@pytest.fixture(autouse=True)
def socket_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[SocketGuard]:
    """Block non-loopback traffic; fail the test if it was attempted (even if swallowed)."""
    guard = SocketGuard(monkeypatch)
    yield guard
    if guard.blocked:
        pytest.fail("non-loopback network access attempted:\n" + "\n".join(guard.blocked))


@pytest.fixture
def wikibase_server() -> Iterator[WikibaseServer]:
    """A loopback Wikibase API with the fixture entities, fresh for each test."""
    server = WikibaseServer().start()
    try:
        yield server
    finally:
        server.stop()
