"""One polite GET to a MediaWiki action API, with retries: shared by every wiki reader.

:class:`ApiClient` sends ``format=json``, ``formatversion=2``, ``errorformat=plaintext`` and
``maxlag`` with every request, and the settings' User-Agent (tool/version, contact,
library/version, per the Wikimedia User-Agent policy). Maxlag errors, HTTP 429, HTTP 5xx,
timeouts and dropped connections are retried with exponential backoff
(``backoff_base * 2**attempt``, capped at ``backoff_max``); a ``Retry-After`` header
(seconds or HTTP date) or the reported lag raise the wait, never lower it. When the
retries run out, :class:`~toolkit.errors.MaxlagExhausted`; any other API error is a
:class:`~toolkit.errors.WikibaseError` carrying the API's error code. The sleep function
is injected so tests do not wait.

Readers (:mod:`toolkit.wiki.wikibase`, :mod:`toolkit.wiki.pages`) extend :class:`ApiSettings`
with their own fields.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import requests

from toolkit import product
from toolkit.errors import MaxlagExhausted, UsageError, WikibaseError


@dataclass(frozen=True)
class ApiSettings:
    """Where to read and how politely: one object, passed around, no globals.

    Each reader extends it with its own fields (:class:`~toolkit.wiki.wikibase.WikibaseSettings`,
    :class:`~toolkit.wiki.pages.PageSettings`).
    """

    api_url: str
    contact: str = ""  # e-mail or URL for the wiki's operators, put into the User-Agent
    user_agent: str = ""  # a full User-Agent replaces the generated one
    maxlag: int = 5
    timeout: float = 30.0
    max_retries: int = 5
    backoff_base: float = 1.0
    backoff_max: float = 120.0
    cache_dir: Path | None = None
    offline: bool = False

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise UsageError("max_retries must not be negative")

    @property
    def effective_user_agent(self) -> str:
        """The User-Agent sent: tool/version (contact) library/version, per Wikimedia policy."""
        return user_agent_for(self)


def user_agent_for(settings: ApiSettings) -> str:
    """The User-Agent sent: tool/version (contact) library/version, per Wikimedia policy."""
    if settings.user_agent:
        return settings.user_agent
    contact = settings.contact or "no contact configured"
    return f"{product()} ({contact}) python-requests/{requests.__version__}"


@dataclass
class RequestStats:
    """Counters for benchmarks and tests."""

    requests: int = 0  # HTTP requests sent, retries included
    retries: int = 0


class ApiClient:
    """GETs to one action API with maxlag, User-Agent and retries; never writes."""

    def __init__(self, settings: ApiSettings, stats: RequestStats, *,
                 sleep: Callable[[float], None] = time.sleep,
                 session: requests.Session | None = None) -> None:
        self.settings = settings
        self.stats = stats
        self._sleep = sleep
        self._session = session

    def _http(self) -> requests.Session:
        if self._session is None:
            self._session = requests.Session()
        self._session.headers["User-Agent"] = user_agent_for(self.settings)
        return self._session

    def call(self, params: dict[str, Any]) -> dict[str, Any]:
        """One API call with retries; returns the JSON body or raises a WikibaseError."""
        settings = self.settings
        query = {**params, "format": "json", "formatversion": "2",
                 "errorformat": "plaintext", "maxlag": settings.maxlag}
        last_problem = ""
        for attempt in range(settings.max_retries + 1):
            if attempt:
                self.stats.retries += 1
            self.stats.requests += 1
            try:
                response = self._http().get(settings.api_url, params=query,
                                            timeout=settings.timeout)
            except requests.Timeout:
                last_problem = f"timed out after {settings.timeout:g}s"
                self._wait(attempt, None)
                continue
            except requests.ConnectionError as failure:
                last_problem = f"connection failed: {failure}"
                self._wait(attempt, None)
                continue
            retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            if response.status_code == 429 or response.status_code >= 500:
                last_problem = f"HTTP {response.status_code}"
                self._wait(attempt, retry_after)
                continue
            if response.status_code != 200:
                raise WikibaseError(f"{settings.api_url}: HTTP {response.status_code}",
                                    code=f"http-{response.status_code}")
            try:
                body = response.json()
            except ValueError as bad_json:
                raise WikibaseError(f"{settings.api_url}: answer is not JSON ({bad_json})",
                                    code="invalid-json") from bad_json
            api_error = _api_error(body)
            if api_error is None:
                return body if isinstance(body, dict) else {}
            code, text, data = api_error
            if code == "maxlag":
                lag = data.get("lag") or _float(response.headers.get("X-Database-Lag"))
                last_problem = f"maxlag: {text}"
                self._wait(attempt, max(retry_after or 0.0, lag or 0.0) or None)
                continue
            raise WikibaseError(f"{settings.api_url}: {code}: {text}", code=code)
        raise MaxlagExhausted(
            f"{settings.api_url}: gave up after {settings.max_retries} retries"
            f" ({last_problem})", code="retries-exhausted")

    def _wait(self, attempt: int, at_least: float | None) -> None:
        """Back off before the next attempt (none after the last one)."""
        if attempt >= self.settings.max_retries:
            return
        delay = min(self.settings.backoff_base * (2 ** attempt), self.settings.backoff_max)
        if at_least is not None:
            delay = max(delay, min(at_least, self.settings.backoff_max))
        self._sleep(delay)


def _api_error(body: Any) -> tuple[str, str, dict[str, Any]] | None:
    """(code, text, data) of an API error answer, in either error format, else None."""
    if not isinstance(body, dict):
        return None
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        first = errors[0]
        return (str(first.get("code", "unknown")), str(first.get("text", "")),
                first.get("data") or {})
    error = body.get("error")
    if isinstance(error, dict):
        data = {k: v for k, v in error.items() if k not in ("code", "info", "*")}
        return str(error.get("code", "unknown")), str(error.get("info", "")), data
    return None


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date), else None."""
    if not value:
        return None
    seconds = _float(value)
    if seconds is not None:
        return max(seconds, 0.0)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
