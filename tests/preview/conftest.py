"""Preview fixtures: a server over a plain dict site, and a raw HTTP client that sends bytes as given."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from preview_servers import QUICK_STOP, start_preview

from bgpub.preview.server import SiteServer

SITE = {
    "index.html": b"<!doctype html><html><head><title>Home</title></head><body><h1>Home</h1></body></html>",
    "about/index.html": b"<!doctype html><html><body><p>About us</p></body></html>",
    "404.html": b"<!doctype html><html><body><p>Theme says: lost?</p></body></html>",
    "assets/style.abc123.css": b"body{color:red}",
    "assets/logo.def456.png": b"\x89PNG\r\n\x1a\nfake",
    "assets/font.aa.woff2": b"wOF2",
    "sitemap.xml": b"<?xml version='1.0'?><urlset/>",
    "robots.txt": b"User-agent: *\n",
    "data.json": b"{}",
}


class MutableSource:
    """A site source for tests: a dict the test edits, and an optional error to raise on build."""

    def __init__(self, files: dict[str, bytes]):
        self.files = dict(files)
        self.error: Exception | None = None
        self.builds = 0

    def __call__(self) -> dict[str, bytes]:
        self.builds += 1
        if self.error is not None:
            raise self.error
        return dict(self.files)


@pytest.fixture(autouse=True)
def quick_stop(monkeypatch) -> None:
    """Servers started in this process (a test's `PreviewServer` too) stop within `QUICK_STOP`."""
    from bgpub.preview import server as server_module

    monkeypatch.setattr(server_module, "STOP_POLL_SECONDS", QUICK_STOP)


@pytest.fixture
def source() -> MutableSource:
    return MutableSource(SITE)


@pytest.fixture
def preview(source):
    """A preview of this test's own `source`: for tests that edit the site or strain the server."""
    server = start_preview(source)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def served_source() -> MutableSource:
    """What `served` serves; its tests never edit it."""
    return MutableSource(SITE)


@pytest.fixture(scope="module")
def served(served_source) -> Iterator[SiteServer]:
    """One preview for a module's tests that only send it requests and read the answers: nothing
    they do changes what it serves or how, so each would find a new one the same (and a start
    collects the whole heap: ~0.15 s in a test process)."""
    server = start_preview(served_source)
    yield server
    server.stop()


class RawHttp:
    """Requests sent byte for byte (no client-side normalisation), for the safety tests."""

    raw = staticmethod(lambda server, data, timeout=5.0: raw_request(server, data, timeout=timeout))
    get = staticmethod(lambda server, target: get(server, target))
    parse = staticmethod(lambda response: parse(response))


@pytest.fixture
def http() -> RawHttp:
    return RawHttp()


def raw_request(server: SiteServer, data: bytes, *, timeout: float = 5.0) -> bytes:
    """Sends bytes exactly as given and returns the whole response (the server closes or we time out)."""
    with socket.create_connection((server.host, server.port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                    break
        except (TimeoutError, ConnectionResetError):
            pass
    return b"".join(chunks)


def _complete(response: bytes) -> bool:
    head, _, body = response.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":", 1)[1])
    return False


def get(server: SiteServer, target: str) -> tuple[int, dict[str, str], bytes]:
    """GET with the target sent verbatim (no client-side normalisation)."""
    response = raw_request(
        server,
        f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode("latin-1"),
    )
    return parse(response)


def parse(response: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = response.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body
