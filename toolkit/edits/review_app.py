"""The review app: decide edit by edit in the browser; every decision saved to the file at once.

``toolkit review proposal.json --serve`` runs a small Starlette app on uvicorn, bound to
127.0.0.1 only. Security model (one local reviewer, a hostile web page in another tab):

* token-gated: the printed URL carries a one-time token; the first visit exchanges it for
  an HttpOnly, SameSite=Strict session cookie and is redirected to a URL without it; no
  route answers without that session;
* Host checked (``127.0.0.1:PORT`` or ``localhost:PORT``: DNS rebinding), and every POST
  must carry the app's own ``Origin`` and the session's CSRF token (``X-CSRF-Token``);
* a strict Content-Security-Policy (scripts, styles and requests only from the app itself,
  no frames), labels escaped on the server, nothing loaded from outside the machine;
* decisions go through :func:`toolkit.edits.decision_store.record_decision` (file lock,
  compare-and-swap on the operation hash, the CLI's rules: CRITICAL cannot be approved).

Status codes of ``POST /api/decide``: 200 saved, 403 refused (host, origin, session,
CSRF), 400 bad request, 404 unknown operation, 409 stale hash, 422 not allowed (CRITICAL).
"""

from __future__ import annotations

import json
import secrets
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from toolkit.edits.decision_store import Decision, StaleDecision, UnknownOperation
from toolkit.errors import ReviewError, ToolkitError

HOST = "127.0.0.1"
STATIC = Path(__file__).parent / "review_static"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
MAX_BODY = 64 * 1024
MAX_COMMENT = 2000


@dataclass
class ReviewAppSettings:
    """How ``toolkit review --serve`` runs (always on 127.0.0.1; port 0: a free one)."""

    port: int = 0
    reviewer: str | None = None
    open_browser: bool = True


@dataclass
class ReviewSession:
    """The app's state: the file, who reviews, the one-time token and the live sessions."""

    path: Path
    reviewer: str
    port: int
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    token_used: bool = False
    sessions: dict[str, str] = field(default_factory=dict)  # session id -> CSRF token

    @property
    def origins(self) -> set[str]:
        """The Origin values of the app's own pages."""
        return {f"http://{HOST}:{self.port}", f"http://localhost:{self.port}"}

    @property
    def hosts(self) -> set[str]:
        """The Host header values the app answers."""
        return {f"{HOST}:{self.port}", f"localhost:{self.port}"}

    @property
    def cookie(self) -> str:
        """The session cookie's name (cookies do not tell ports apart: the port is in it)."""
        return f"toolkit_review_{self.port}"

    @property
    def start_url(self) -> str:
        """The URL to open: the one-time token in it."""
        return f"http://{HOST}:{self.port}/?token={self.token}"

    def csrf_for(self, request: Request) -> str | None:
        """The CSRF token of the request's session; None without a valid session."""
        sid = request.cookies.get(self.cookie, "")
        for known, csrf in self.sessions.items():
            if secrets.compare_digest(known, sid):
                return csrf
        return None

    def redeem(self, token: str) -> str | None:
        """Exchange the one-time token for a new session id (None if wrong or used)."""
        if self.token_used or not secrets.compare_digest(token, self.token):
            return None
        self.token_used = True
        sid = secrets.token_urlsafe(32)
        self.sessions[sid] = secrets.token_urlsafe(32)
        return sid


class GuardMiddleware:
    """Refuse other Host headers; put the security headers on every answer."""

    def __init__(self, app: ASGIApp, session: ReviewSession) -> None:
        self.app = app
        self.session = session

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        host = headers.get(b"host", b"").decode("latin-1")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        if host not in self.session.hosts:
            refused = PlainTextResponse(f"refused: unknown Host {host!r}", status_code=403)
            await refused(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def _refused(text: str, status: int = 403) -> JSONResponse:
    return JSONResponse({"error": text}, status_code=status)


def build_app(session: ReviewSession) -> Starlette:
    """The Starlette app for one proposal file and one reviewer."""

    async def page(request: Request) -> Response:
        token = request.query_params.get("token")
        if token is not None:
            if session.csrf_for(request) is not None:
                return RedirectResponse("/", status_code=303)
            sid = session.redeem(token)
            if sid is None:
                return PlainTextResponse("refused: this link was used already or is wrong; "
                                         "start `toolkit review --serve` again",
                                         status_code=403)
            answer = RedirectResponse("/", status_code=303)  # the token leaves the URL
            answer.set_cookie(session.cookie, sid, httponly=True, samesite="strict", path="/")
            return answer
        csrf = session.csrf_for(request)
        if csrf is None:
            return PlainTextResponse("refused: open the link that `toolkit review --serve` "
                                     "printed", status_code=403)
        return await run_in_threadpool(_render, session, csrf)

    def asset(name: str, media_type: str) -> Callable[[Request], Any]:
        async def serve(request: Request) -> Response:
            if session.csrf_for(request) is None:
                return PlainTextResponse("refused: no session", status_code=403)
            return Response((STATIC / name).read_bytes(), media_type=media_type)
        return serve

    async def decide(request: Request) -> Response:
        if request.headers.get("origin") not in session.origins:
            return _refused("refused: the request does not come from this app (Origin)")
        csrf = session.csrf_for(request)
        if csrf is None:
            return _refused("refused: no session")
        if not secrets.compare_digest(request.headers.get("x-csrf-token", ""), csrf):
            return _refused("refused: missing or wrong CSRF token")
        decision = _parse_decision(await request.body(), session.reviewer)
        if isinstance(decision, Response):
            return decision
        return await run_in_threadpool(_record, session.path, decision)

    return Starlette(routes=[
        Route("/", page, methods=["GET"]),
        Route("/app.js", asset("app.js", "text/javascript; charset=utf-8"), methods=["GET"]),
        Route("/app.css", asset("app.css", "text/css; charset=utf-8"), methods=["GET"]),
        Route("/api/decide", decide, methods=["POST"]),
    ])


def _render(session: ReviewSession, csrf: str) -> Response:
    from toolkit.edits.proposal import load_proposal
    from toolkit.edits.review_page import render_review_page

    try:
        proposal = load_proposal(session.path)
    except ToolkitError as exc:
        return PlainTextResponse(f"cannot read the proposal: {exc}", status_code=500)
    return Response(render_review_page(proposal, csrf_token=csrf, reviewer=session.reviewer,
                                       file_name=session.path.name),
                    media_type="text/html; charset=utf-8")


def _parse_decision(raw: bytes, reviewer: str) -> Decision | Response:
    """The decision in a request body, or the 400 answer saying what is wrong with it."""
    if len(raw) > MAX_BODY:
        return _refused("request too large", 400)
    try:
        body = json.loads(raw)
    except ValueError:
        return _refused("the body is not JSON", 400)
    if not isinstance(body, dict):
        return _refused("the body is not a JSON object", 400)
    fields = {k: body.get(k) for k in ("op", "action", "hash")}
    comment = body.get("comment") or ""
    if not all(isinstance(v, str) and v for v in fields.values()) or \
            not isinstance(comment, str):
        return _refused("op, action and hash must be strings (comment optional)", 400)
    if len(comment) > MAX_COMMENT:
        return _refused(f"comment longer than {MAX_COMMENT} characters", 400)
    return Decision(op_id=str(fields["op"]), action=str(fields["action"]),
                    seen_hash=str(fields["hash"]), reviewer=reviewer, comment=comment.strip())


def _record(path: Path, decision: Decision) -> Response:
    from toolkit.edits.decision_store import record_decision
    from toolkit.edits.decisions import op_state

    try:
        done = record_decision(path, decision)
    except UnknownOperation as exc:
        return _refused(str(exc), 404)
    except StaleDecision as exc:
        return _refused(str(exc), 409)
    except ReviewError as exc:
        return _refused(str(exc), 422)
    except ToolkitError as exc:
        return _refused(f"cannot update the proposal: {exc}", 500)
    op, c = done["op"], done["counts"]
    return JSONResponse({"op": op["id"], "state": op_state(op), "review": op.get("review"),
                         "counts": c, "decided": c["approved"] + c["rejected"],
                         "total": sum(c.values())})


def _guarded(session: ReviewSession) -> ASGIApp:
    return GuardMiddleware(build_app(session), session)


def bind_loopback(port: int) -> socket.socket:
    """A listening TCP socket on 127.0.0.1 (``port`` 0: a free one)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        from toolkit.errors import UsageError

        raise UsageError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from exc
    sock.listen(64)
    return sock


def _prepare(path: str | Path, settings: ReviewAppSettings) -> tuple[Any, ReviewSession, Any]:
    """Check the proposal, bind the socket, build the uvicorn server (not started)."""
    import uvicorn

    from toolkit.edits.proposal import load_proposal
    from toolkit.edits.review import default_reviewer

    load_proposal(path)  # a broken file is reported before anything listens
    sock = bind_loopback(settings.port)
    session = ReviewSession(path=Path(path), reviewer=settings.reviewer or default_reviewer(),
                            port=sock.getsockname()[1])
    config = uvicorn.Config(_guarded(session), log_level="warning", access_log=False,
                            lifespan="off", server_header=False)
    return uvicorn.Server(config), session, sock


def serve_review(path: str | Path, settings: ReviewAppSettings,
                 say: Callable[[str], None] = print) -> None:
    """Run the review app until Ctrl-C: print its URL and open it in the browser."""
    server, session, sock = _prepare(path, settings)
    say(f"reviewing {path} as {session.reviewer}: open {session.start_url}")
    say("(the link works once; Ctrl-C stops the app)")
    if settings.open_browser:
        import webbrowser

        webbrowser.open(session.start_url)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


@contextmanager
def running_review_app(path: str | Path,
                       settings: ReviewAppSettings) -> Iterator[ReviewSession]:
    """The review app served from a thread while the block runs (tests, embedding)."""
    server, session, sock = _prepare(path, settings)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(500):
            if server.started or not thread.is_alive():
                break
            threading.Event().wait(0.01)
        if not server.started:
            raise RuntimeError("the review app did not start")
        yield session
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
