"""The preview never serves anything outside the rendered site, bounds requests, and survives bad clients."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest
from preview_servers import start_preview

from bgpub.preview.routing import BadTarget, site_key


@pytest.fixture
def secret(tmp_path, monkeypatch):
    """A file outside the site, reachable from the current directory (as a naive file server would)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    cwd = tmp_path / "cwd"
    (cwd / "assets").mkdir(parents=True)
    os.symlink(secret, cwd / "secret.txt")
    os.symlink(outside, cwd / "assets" / "linked")
    monkeypatch.chdir(cwd)
    return secret


TRAVERSALS = [
    "/../secret.txt",
    "/../../../../etc/passwd",
    "/assets/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/assets/%2e%2e/%2e%2e/secret.txt",
    "/%252e%252e%252fsecret.txt",
    "/%252e%252e/secret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "/assets\\..\\..\\secret.txt",
    "/%5c..%5csecret.txt",
    "/index.html%00.png",
    "/secret.txt%00",
    "/./index.html",
    "/%2e/index.html",
    "/%c0%ae%c0%ae/secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_traversal_attempts_are_refused(served, http, secret, target):
    status, _, body = http.get(served, target)
    assert status == 400
    assert b"TOP-SECRET" not in body and b"root:" not in body


@pytest.mark.parametrize(
    "target",
    ["/etc/passwd", "//etc/passwd", "/secret.txt", "/assets/linked/secret.txt", f"/{os.sep}tmp"],
)
def test_absolute_paths_and_symlinks_are_never_read_from_disk(served, http, secret, target):
    status, _, body = http.get(served, target)
    assert status == 404
    assert b"TOP-SECRET" not in body and b"root:" not in body


def test_absolute_uri_target_is_refused(served, http, secret):
    status, _, body = http.get(served, "http://evil.example/../secret.txt")
    assert status == 400 and b"TOP-SECRET" not in body


def test_raw_nul_byte_in_request_line(served, http):
    response = http.raw(
        served, b"GET /index.html\x00 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    status, _, _ = http.parse(response)
    assert status == 400


@pytest.mark.parametrize(
    ("target", "key"),
    [
        ("/", "index.html"),
        ("/about/", "about/index.html"),
        ("/about", "about"),
        ("/a%20b/", "a b/index.html"),
        ("/assets/x.css?v=1#top", "assets/x.css"),
        ("//about//", "about/index.html"),
    ],
)
def test_site_key(target, key):
    assert site_key(target) == key


def test_site_key_refuses_invalid_utf8():
    with pytest.raises(BadTarget):
        site_key("/%ff%fe")


def test_long_target_gets_414_and_server_lives_on(preview, http):
    status, _, _ = http.get(preview, "/" + "a" * 5000)
    assert status == 414
    assert http.get(preview, "/")[0] == 200


def test_huge_request_line_is_cut_off(preview, http):
    try:
        response = http.raw(preview, b"GET /" + b"a" * 200_000 + b" HTTP/1.1\r\n\r\n")
    except OSError:  # the server closed with our bytes unread: the reset may beat its answer
        response = b""
    assert not response or http.parse(response)[0] in (414, 431)
    assert http.get(preview, "/")[0] == 200


def test_oversized_headers_get_431(preview, http):
    headers = b"".join(b"X-Pad-%d: %s\r\n" % (i, b"v" * 1000) for i in range(60))
    response = http.raw(preview, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + b"\r\n")
    assert http.parse(response)[0] == 431
    assert http.get(preview, "/")[0] == 200


def test_too_many_headers_get_431(preview, http):
    headers = b"".join(b"X-%d: v\r\n" % i for i in range(150))
    response = http.raw(preview, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + b"\r\n")
    assert http.parse(response)[0] == 431


def test_request_bodies_are_refused_unread(preview, http):
    response = http.raw(
        preview,
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000000\r\n\r\n" + b"x" * 1000,
    )
    assert http.parse(response)[0] == 413
    response = http.raw(
        preview, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50000000\r\n\r\n"
    )
    assert http.parse(response)[0] == 413
    assert http.get(preview, "/")[0] == 200


def test_other_methods_are_not_allowed(served, http):
    for method in (b"PUT", b"DELETE", b"POST", b"OPTIONS"):
        response = http.raw(
            served, method + b" / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        status, headers, _ = http.parse(response)
        assert status == 405 and headers["allow"] == "GET, HEAD"


def test_garbage_and_half_requests_do_not_hurt(preview, http):
    for junk in (
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        b"HELLO\r\n\r\n",
        b"GET",
        b"\r\n\r\n",
    ):
        try:
            http.raw(preview, junk, timeout=1.0)
        except OSError:
            pass
    assert http.get(preview, "/")[0] == 200


def test_many_event_streams_dropped_abruptly_leave_the_server_serving(preview, http, source):
    """Tabs that open the event stream and vanish (reset, half-read, never read) cost nothing lasting."""

    def abusive_tab(i: int) -> None:
        sock = socket.create_connection((preview.host, preview.port), timeout=5)
        sock.sendall(b"GET /__bgpub__/events?since=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        if i % 3 == 0:
            sock.recv(64)
        if i % 2 == 0:  # reset instead of a clean close
            sock.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
        sock.close()

    threads = [threading.Thread(target=abusive_tab, args=(i,)) for i in range(120)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # a change makes every dead stream write and notice it is gone
    source.files["index.html"] = b"<html><body>v2</body></html>"
    preview.site.rebuild()
    deadline = (
        time.monotonic() + 30
    )  # a cleanly closed stream is noticed at the latest on a heartbeat
    while preview.open_streams and time.monotonic() < deadline:
        time.sleep(0.05)
    assert preview.open_streams == 0
    status, _, body = http.get(preview, "/")
    assert status == 200 and b"v2" in body


def test_event_stream_limit_answers_503_not_a_crash(preview, http, monkeypatch):
    from bgpub.preview import server as server_module

    monkeypatch.setattr(server_module, "MAX_EVENT_CLIENTS", 2)
    socks = []
    try:
        for _ in range(2):
            sock = socket.create_connection((preview.host, preview.port), timeout=5)
            sock.sendall(b"GET /__bgpub__/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert sock.recv(200).startswith(b"HTTP/1.1 200")
            socks.append(sock)
        response = http.raw(preview, b"GET /__bgpub__/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert http.parse(response)[0] == 503
        assert http.get(preview, "/")[0] == 200
    finally:
        for sock in socks:
            sock.close()


def test_connection_flood_is_capped_and_the_server_recovers(source, http, monkeypatch):
    from bgpub.preview import server as server_module

    monkeypatch.setattr(server_module, "MAX_CONNECTIONS", 4)
    server = start_preview(source)
    idle = [socket.create_connection((server.host, server.port), timeout=5) for _ in range(4)]
    try:
        time.sleep(0.3)  # the four idle connections hold every slot
        with socket.create_connection((server.host, server.port), timeout=5) as extra:
            extra.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            try:
                answer = extra.recv(100)
            except ConnectionResetError:
                answer = b""
            assert answer == b""  # dropped, not queued behind the idle ones
    finally:
        for sock in idle:
            sock.close()
    deadline = time.monotonic() + 10
    status = None
    while time.monotonic() < deadline:
        try:
            status = http.get(server, "/")[0]
            break
        except (OSError, IndexError):
            time.sleep(0.1)
    server.stop()
    assert status == 200


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1", 200),
        ("localhost:8000", 200),
        ("LOCALHOST", 200),
        ("attacker.example", 421),
        ("attacker.example:8000", 421),
        ("127.0.0.1.attacker.example", 421),
    ],
)
def test_host_header_guards_against_dns_rebinding(served, http, host, status):
    response = http.raw(
        served, f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
    )
    assert http.parse(response)[0] == status


def test_endless_request_line_is_answered_431_at_the_budget(preview, http):
    with socket.create_connection((preview.host, preview.port), timeout=5) as sock:
        sock.sendall(b"GET /" + b"a" * 40_000)  # never ends its line
        answer = sock.recv(100)
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert http.get(preview, "/")[0] == 200
