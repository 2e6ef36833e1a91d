"""Shared test plumbing: the socket guard, a private pywikibot base dir, the loopback Wikibase.

* ``socket_guard`` (autouse): any connection, DNS lookup or datagram to an address outside
  127.0.0.0/8 and ::1 raises :class:`NonLoopbackConnection` *before* anything is sent, and
  the test fails at teardown even if the code under test swallowed the exception.
* pywikibot reads its configuration once per process, at import: before any test can import
  it, ``PYWIKIBOT_DIR`` points at a throw-away directory (see tests/pywikibot_env.py), so no
  ``apicache/``, ``throttle.ctrl`` or cookie file lands in the working directory.
* ``wikibase_server``: a fresh :class:`tests.wikibase_server.WikibaseServer` per test, loaded
  with tests/fixtures/wikibase/*.json (test fixtures, not real Wikidata data).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests import pywikibot_env
from tests.wikibase_server import WikibaseServer

pywikibot_env.use_private_base_dir()


class NonLoopbackConnection(AssertionError):
    """A test tried to reach an address outside the loopback range."""


def _is_loopback_host(host: Any) -> bool:
    if host is None:  # getaddrinfo(None, port): the local wildcard
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").split("%", 1)[0]
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: resolving it would already be traffic


class SocketGuard:
    """Patches socket entry points; collects every blocked attempt in :attr:`blocked`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.blocked: list[str] = []
        self._install(monkeypatch)

    def _check(self, address: Any, what: str) -> None:
        if isinstance(address, tuple) and address:
            host = address[0]
        elif isinstance(address, (str, bytes)):
            return  # AF_UNIX path: local by construction
        else:
            host = address
        if not _is_loopback_host(host):
            message = f"{what} to non-loopback address {address!r} blocked by the socket guard"
            self.blocked.append(message)
            raise NonLoopbackConnection(message)

    def _install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        guard = self
        real_connect = socket.socket.connect
        real_connect_ex = socket.socket.connect_ex
        real_sendto = socket.socket.sendto
        real_create_connection = socket.create_connection
        real_getaddrinfo = socket.getaddrinfo

        def connect(sock: socket.socket, address: Any) -> None:
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                guard._check(address, "connect")
            real_connect(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                guard._check(address, "connect_ex")
            return real_connect_ex(sock, address)

        def sendto(sock: socket.socket, data: Any, *args: Any) -> int:
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                guard._check(args[-1], "sendto")
            return real_sendto(sock, data, *args)  # type: ignore[arg-type]

        def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
            guard._check(address, "create_connection")
            return real_create_connection(address, *args, **kwargs)

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            guard._check(host, "getaddrinfo")
            return real_getaddrinfo(host, *args, **kwargs)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket.socket, "sendto", sendto)
        monkeypatch.setattr(socket, "create_connection", create_connection)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


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
