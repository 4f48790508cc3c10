"""HTTP for the preview: the in-memory site, the reload event stream, and nothing else.

Stdlib only (ThreadingHTTPServer, daemon threads). GET and HEAD; request targets, header blocks and
bodies are bounded; each connection has a socket timeout, so a tab that stops reading (busy, closed,
asleep) costs one thread for a while and never the server.
"""

from __future__ import annotations

import errno
import json
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BufferedIOBase
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from bgpub.domain.site_headers import NOSNIFF, SVG_CSP
from bgpub.errors import BgpubError, InvalidInput
from bgpub.preview.errorpage import fallback_not_found, render_error_page
from bgpub.preview.reload import EVENTS_PATH, inject, reload_script
from bgpub.preview.routing import MAX_TARGET, BadTarget, content_type, is_html, site_key
from bgpub.preview.site import PreviewSite, SiteState

MAX_HEADER_BYTES = 32 * 1024  # the request line and headers together
MAX_EVENT_CLIENTS = 64  # open event streams; more get 503 (each holds a thread)
MAX_CONNECTIONS = 256  # open connections of any kind; more are closed at once
HEARTBEAT_SECONDS = 10.0
STOP_POLL_SECONDS = 0.2  # how often a server's thread looks whether `stop()` was called
SOCKET_TIMEOUT = 30.0
STATUS_PATH = "/__bgpub__/status"
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1"}


Request = (
    socket.socket | tuple[bytes, socket.socket]
)  # what socketserver hands a TCP server's handler
Address = Any  # (host, port) for IPv4, (host, port, flow, scope) for IPv6


class _HeaderTooLarge(Exception):
    pass


class _BoundedReader:
    """Wraps the connection's reader so the request line plus headers cannot exceed a budget."""

    def __init__(self, raw: BufferedIOBase, budget: int):
        self._raw = raw
        self.budget = budget
        self.left = budget

    def readline(self, limit: int = -1) -> bytes:
        if self.left <= 0:
            raise _HeaderTooLarge
        line = self._raw.readline(min(limit, self.left + 1) if limit >= 0 else self.left + 1)
        self.left -= len(line)
        if self.left < 0:
            raise _HeaderTooLarge
        return line

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class PreviewRequestHandler(BaseHTTPRequestHandler):
    """Serves one connection; the site comes from the server, read once per request as an immutable state."""

    server: SiteHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "bgpub-preview"
    sys_version = ""
    timeout = SOCKET_TIMEOUT

    def version_string(self) -> str:
        return self.server_version

    def setup(self) -> None:
        super().setup()
        self._bounded = _BoundedReader(self.rfile, MAX_HEADER_BYTES)
        self.rfile = cast(BufferedIOBase, self._bounded)  # read like the stream it wraps

    def handle_one_request(self) -> None:
        self._bounded.left = self._bounded.budget
        # defaults for answering a request cut off before http.server parsed its first line
        self.command, self.requestline, self.request_version = "", "", "HTTP/1.1"
        try:
            super().handle_one_request()
        except _HeaderTooLarge:
            self.close_connection = True
            self._plain(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers too large")
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if len(self.path) > MAX_TARGET:
            self.close_connection = True
            self._plain(HTTPStatus.REQUEST_URI_TOO_LONG, "request target too long")
            return False
        if not self.server.host_allowed(self.headers.get("Host")):
            self.close_connection = True
            self._plain(HTTPStatus.MISDIRECTED_REQUEST, "this preview answers only to localhost")
            return False
        return True

    # -- methods -------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _refuse_method(self) -> None:
        self.close_connection = True  # the body, if any, is never read
        if self._declared_length() > 0:
            self._plain(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "the preview accepts no request body")
        else:
            self._plain(
                HTTPStatus.METHOD_NOT_ALLOWED, "the preview is read-only", allow="GET, HEAD"
            )

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method

    # -- serving -------------------------------------------------------------------------------

    def _serve(self, head: bool) -> None:
        if self._declared_length() > 0:
            self.close_connection = True
            self._plain(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "the preview accepts no request body")
            return
        route = self.path.split("?", 1)[0]
        if route == EVENTS_PATH:
            self._events()
            return
        if route == STATUS_PATH:
            self._status(head)
            return
        try:
            key = site_key(self.path)
        except BadTarget as exc:
            self._plain(HTTPStatus.BAD_REQUEST, f"bad request: {exc}")
            return
        state = self.server.site.state
        data = state.files.get(key)
        if data is None:
            folder = key + "/index.html"
            if not key.endswith("index.html") and folder in state.files:
                query = "?" + self.path.split("?", 1)[1] if "?" in self.path else ""
                self._redirect("/" + key + "/" + query)
                return
            self._not_found(state, key, head)
            return
        if state.error is not None and is_html(key):
            self._error_page(state.error, state.generation, key, head)
            return
        if is_html(key):
            data = inject(data, reload_script(state.generation, [key], error=False))
        self._send(
            HTTPStatus.OK, content_type(key), data, head, immutable=key.startswith("assets/")
        )

    def _not_found(self, state: SiteState, key: str, head: bool) -> None:
        if state.error is not None:
            self._error_page(state.error, state.generation, key, head)
            return
        page = state.files.get("404.html") or fallback_not_found(self.path.split("?", 1)[0])
        page = inject(page, reload_script(state.generation, [key, "404.html"], error=False))
        self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", page, head)

    def _error_page(self, error: BgpubError, generation: int, key: str, head: bool) -> None:
        page = render_error_page(error)
        page = inject(page, reload_script(generation, [key], error=True))
        self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", page, head)

    def _status(self, head: bool) -> None:
        state = self.server.site.state
        body = {
            "generation": state.generation,
            "files": len(state.files),
            "error": str(state.error) if state.error else None,
        }
        self._send(HTTPStatus.OK, "application/json", json.dumps(body).encode(), head)

    def _events(self) -> None:
        """Server-Sent Events: one `reload` event per new generation, comments as heartbeats."""
        site = self.server.site
        if not self.server.enter_stream():
            self._plain(HTTPStatus.SERVICE_UNAVAILABLE, "too many open preview tabs", retry="5")
            return
        self.close_connection = True
        try:
            since = _since(self.path, site.state.generation)
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.send_header("X-Accel-Buffering", "no")
            self.send_header("X-Content-Type-Options", NOSNIFF)
            self.end_headers()
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            last = since
            while not site.closed and not self.server.stopping:
                notice = site.wait_for_change(last, timeout=HEARTBEAT_SECONDS)
                if site.closed or self.server.stopping:
                    break
                if notice is None:
                    self.wfile.write(b": ping\n\n")
                else:
                    payload = {
                        "generation": notice.generation,
                        "changed": sorted(notice.changed) if notice.changed is not None else None,
                        "error": notice.error,
                    }
                    line = json.dumps(payload, separators=(",", ":"))
                    self.wfile.write(f"event: reload\ndata: {line}\n\n".encode())
                    last = notice.generation
                self.wfile.flush()
        except (OSError, ValueError):  # the tab went away or stopped reading; only this stream ends
            pass
        finally:
            self.server.leave_stream()

    # -- responses -----------------------------------------------------------------------------

    def _send(
        self, status: HTTPStatus, ctype: str, body: bytes, head: bool, immutable: bool = False
    ) -> None:
        """`immutable`: a content-hashed asset name, so a reloading tab need not fetch it again."""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header(
            "Cache-Control", "max-age=31536000, immutable" if immutable else "no-store"
        )
        self.send_header("X-Content-Type-Options", NOSNIFF)
        if ctype.startswith(
            "image/svg+xml"
        ):  # an SVG is a document: it may draw, never run anything
            self.send_header("Content-Security-Policy", SVG_CSP)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _plain(self, status: HTTPStatus, text: str, **headers: str) -> None:
        body = (text + "\n").encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", NOSNIFF)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-").title(), value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("X-Content-Type-Options", NOSNIFF)
        self.end_headers()

    def _declared_length(self) -> int:
        if self.headers is None:
            return 0
        if self.headers.get("Transfer-Encoding"):
            return 1
        try:
            return int(self.headers.get("Content-Length", "0"))
        except ValueError:
            return 1

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own errors (bad request line, too many headers) as short plain text."""
        self.close_connection = True
        self._plain(HTTPStatus(code), message or HTTPStatus(code).phrase)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            sys.stderr.write(f"preview: {self.address_string()} {format % args}\n")


def _since(target: str, default: int) -> int:
    values = parse_qs(urlsplit(target).query).get("since")
    try:
        return max(0, int(values[0])) if values else default
    except ValueError:
        return default


class SiteHTTPServer(ThreadingHTTPServer):
    """A threading server whose handlers read `site`; counts event streams to bound their threads."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], site: PreviewSite, *, verbose: bool = False):
        self.site = site
        self.verbose = verbose
        self.stopping = False
        self._streams = 0
        self._streams_lock = threading.Lock()
        self._connections = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, PreviewRequestHandler)

    def process_request(self, request: Request, client_address: Address) -> None:
        """One thread per connection, but never more than MAX_CONNECTIONS: extra ones are dropped."""
        if not self._connections.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._connections.release()
            raise

    def process_request_thread(self, request: Request, client_address: Address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._connections.release()

    def host_allowed(self, host_header: str | None) -> bool:
        """On a loopback address, only loopback Host names: a web page that rebinds its own DNS
        name to 127.0.0.1 cannot read the drafts. With --host, any name is accepted."""
        if self.server_address[0] not in LOOPBACK_NAMES or not host_header:
            return True
        name = host_header.strip().lower()
        name = name[1:].split("]", 1)[0] if name.startswith("[") else name.rsplit(":", 1)[0]
        return name in LOOPBACK_NAMES

    def enter_stream(self) -> bool:
        with self._streams_lock:
            if self._streams >= MAX_EVENT_CLIENTS:
                return False
            self._streams += 1
            return True

    def leave_stream(self) -> None:
        with self._streams_lock:
            self._streams -= 1

    @property
    def open_streams(self) -> int:
        return self._streams

    def handle_error(self, request: Request, client_address: Address) -> None:
        """A failing connection is logged (when verbose) and dropped; serving goes on."""
        if self.verbose:
            super().handle_error(request, client_address)


class PortInUse(InvalidInput):
    """The port is taken: the one failure where trying the next port makes sense."""


class SiteServer:
    """Serves a PreviewSite on host:port from a background thread: `start()`, `url`, `stop()`.

    `poll_interval` is how often the serving thread looks for
    `stop()` (socketserver's loop), so `stop()` waits up to that long; tests that start and stop a
    server per test use a shorter one.
    """

    def __init__(
        self,
        site: PreviewSite,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        verbose: bool = False,
        poll_interval: float = STOP_POLL_SECONDS,
    ):
        self.site = site
        self.host = host
        self.port = port
        self.verbose = verbose
        self.poll_interval = poll_interval
        self._httpd: SiteHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> SiteServer:
        try:
            self._httpd = SiteHTTPServer((self.host, self.port), self.site, verbose=self.verbose)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(
                    f"cannot listen: {exc.strerror or exc}", where=f"{self.host}:{self.port}"
                ) from exc
            raise InvalidInput(
                f"cannot listen on host {self.host}: {exc.strerror or exc}",
                where=f"--host {self.host}",
            ) from exc
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": self.poll_interval},
            name="bgpub-preview-http",
            daemon=True,
        )
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        host = self.host if ":" not in self.host else f"[{self.host}]"
        if host in ("0.0.0.0", "[::]", ""):
            host = "127.0.0.1"
        return f"http://{host}:{self.port}/"

    @property
    def open_streams(self) -> int:
        return self._httpd.open_streams if self._httpd else 0

    def stop(self) -> None:
        """Stops accepting, wakes the event streams so they end, and closes the socket."""
        if self._httpd is None:
            return
        self._httpd.stopping = True
        self.site.close()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
