"""The socket guard: tests may talk to loopback addresses only (used by tests/conftest.py)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest


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
        # The wrappers call these attributes, so a test can swap in recorders and prove that
        # a blocked attempt never reaches the real socket functions.
        self.real_connect = socket.socket.connect
        self.real_connect_ex = socket.socket.connect_ex
        self.real_sendto = socket.socket.sendto
        self.real_create_connection = socket.create_connection
        self.real_getaddrinfo = socket.getaddrinfo
        self._install(monkeypatch)

    def _check(self, address: Any, what: str) -> None:
        """Check a socket address: ``(host, port, ...)`` for AF_INET/AF_INET6."""
        host = address[0] if isinstance(address, tuple) and address else address
        self._check_host(host, address, what)

    def _check_host(self, host: Any, address: Any, what: str) -> None:
        if not _is_loopback_host(host):
            message = f"{what} to non-loopback address {address!r} blocked by the socket guard"
            self.blocked.append(message)
            raise NonLoopbackConnection(message)

    def _install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        guard = self

        def connect(sock: socket.socket, address: Any) -> None:
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                guard._check(address, "connect")
            guard.real_connect(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                guard._check(address, "connect_ex")
            return guard.real_connect_ex(sock, address)

        def sendto(sock: socket.socket, data: Any, *args: Any) -> int:
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                guard._check(args[-1], "sendto")
            return guard.real_sendto(sock, data, *args)  # type: ignore[arg-type]

        def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
            guard._check(address, "create_connection")
            return guard.real_create_connection(address, *args, **kwargs)

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            guard._check_host(host, host, "getaddrinfo")
            return guard.real_getaddrinfo(host, *args, **kwargs)

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
