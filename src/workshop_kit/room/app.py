"""The room server's ASGI application (Starlette): participants' posts, the speaker's reads and
the speaker's page. `create_app` takes everything it depends on (database, token, clock, limits),
so tests build it on a fixed clock and a restart is a new app on the same database."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import PROTOCOL_VERSION, page
from .limits import RateLimiter, retry_after
from .protocol import KIT, MAX_BODY, ProtocolError, parse_result
from .store import Store
from .tokens import bearer_matches

API_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
PAGE_HEADERS = {
    **API_HEADERS,
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
}


def error(status: int, code: str, message: str, headers: dict | None = None, **extra) -> JSONResponse:
    return JSONResponse({"ok": False, "error": code, "message": message, **extra}, status_code=status,
                        headers={**API_HEADERS, **(headers or {})})


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    """The request's body, refused with 413 as soon as it is known to be over `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise ProtocolError(400, "invalid-length", "the Content-Length header is not a number")
        if int(declared) > limit:
            raise ProtocolError(413, "too-large", f"the body is over {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, "too-large", f"the body is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(db_path: Path, token: str, *, origin: str | None = None, stuck_minutes: float = 5,
               clock: Callable[[], float] = time.time, limiter: RateLimiter | None = None,
               poll_seconds: float = 3) -> Starlette:
    """The room server. `clock` gives the time posts are received and progress is computed at
    (seconds since the epoch); `limiter` defaults to 2 posts/s per seat after a burst of 10."""
    store = Store(db_path)
    limiter = limiter or RateLimiter()
    stuck_seconds = stuck_minutes * 60

    async def post_result(request: Request) -> Response:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if media != "application/json":
                # Also what keeps a web page's cross-site form posts out: a JSON post needs CORS.
                raise ProtocolError(415, "unsupported-media-type", "send Content-Type: application/json")
            result = parse_result(await read_body(request))
            wait = limiter.allow(result.seat)
            if wait:
                return error(429, "rate-limited", "too many posts from this seat: wait and send the next check",
                             headers={"Retry-After": retry_after(wait)})
            row = await run_in_threadpool(store.add, result, clock())
        except ProtocolError as refused:
            return JSONResponse(refused.body(), status_code=refused.status, headers=API_HEADERS)
        return JSONResponse({"ok": True, "id": row}, status_code=201, headers=API_HEADERS)

    async def progress(request: Request) -> Response:
        if not bearer_matches(request.headers.get("authorization"), token):
            return error(401, "unauthorized", "send the speaker token: Authorization: Bearer <token>",
                         headers={"WWW-Authenticate": "Bearer"})
        kit = request.query_params.get("kit") or None
        if kit is not None and not KIT.fullmatch(kit):
            return error(400, "invalid-field", "'kit' must be 1 to 64 of a-z, 0-9 and -", field="kit")
        body = await run_in_threadpool(store.progress, clock(), stuck_seconds, kit)
        return JSONResponse(body, headers=API_HEADERS)

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True, "protocol": PROTOCOL_VERSION}, headers=API_HEADERS)

    def static(text: str, media_type: str, headers: dict):
        async def endpoint(request: Request) -> Response:
            return Response(text, media_type=media_type, headers=headers)
        return endpoint

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)  # the one class it is registered for, below
        return error(exc.status_code, "not-found" if exc.status_code == 404 else "http-error", str(exc.detail),
                     headers=getattr(exc, "headers", None) or {})

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        store.close()

    routes = [
        Route("/", static(page.html(poll_seconds), "text/html; charset=utf-8", PAGE_HEADERS), methods=["GET"]),
        Route("/room.js", static(page.SCRIPT, "text/javascript; charset=utf-8", PAGE_HEADERS), methods=["GET"]),
        Route("/room.css", static(page.STYLE, "text/css; charset=utf-8", PAGE_HEADERS), methods=["GET"]),
        Route("/api/v1/health", health, methods=["GET"]),
        Route("/api/v1/results", post_result, methods=["POST"]),
        Route("/api/v1/progress", progress, methods=["GET"]),
    ]
    middleware = [Middleware(CORSMiddleware, allow_origins=[origin] if origin else [],
                             allow_methods=["GET"], allow_headers=["Authorization"], max_age=600)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={HTTPException: http_error})
    app.state.store = store
    app.state.limiter = limiter
    return app
