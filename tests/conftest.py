"""Shared test plumbing: the socket guard, a private pywikibot base dir, the loopback Wikibase.

* ``socket_guard`` (autouse, tests/socket_guard.py): any connection, DNS lookup or datagram
  to an address outside 127.0.0.0/8 and ::1 raises ``NonLoopbackConnection`` *before*
  anything is sent, and the test fails at teardown even if the code under test swallowed it.
* pywikibot reads its configuration once per process, at import: before any test can import
  it, ``PYWIKIBOT_DIR`` points at a throw-away directory (see tests/pywikibot_env.py), so no
  ``apicache/``, ``throttle.ctrl`` or cookie file lands in the working directory.
* ``mediawiki``: a real MediaWiki 1.39 (Debian's package, SQLite, ``php -S``) on 127.0.0.1,
  one per session, with the pages of tests/fixtures/mediawiki/pages.xml (see
  tests/mediawiki_server.py); without php/mediawiki the tests using it fail with the apt hint.
* ``wikibase_server``: a fresh :class:`tests.wikibase_server.WikibaseServer` per test, loaded
  with tests/fixtures/wikibase/*.json (test fixtures, not real Wikidata data).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import pywikibot_env
from tests.mediawiki_server import mediawiki_fixture
from tests.socket_guard import socket_guard
from tests.wikibase_server import WikibaseServer

pywikibot_env.use_private_base_dir()

pytest_plugins = ("pytester",)  # tests/test_wikibase.py runs an inner session to check the guard

mediawiki = mediawiki_fixture()

# socket_guard: autouse, see tests/socket_guard.py
__all__ = ["mediawiki", "socket_guard", "wikibase_server"]


@pytest.fixture
def wikibase_server() -> Iterator[WikibaseServer]:
    """A loopback Wikibase API with the fixture entities, fresh for each test."""
    server = WikibaseServer().start()
    try:
        yield server
    finally:
        server.stop()
