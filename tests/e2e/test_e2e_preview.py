"""Issue 7 end to end: `bgpub preview` serves the draft on a free port, refuses traversal, tells an
open tab to reload after an edit from another terminal, and stops cleanly on Ctrl+C (SIGINT) with exit status 0."""

from __future__ import annotations

import http.client
import re
import select
import signal
import subprocess

import pytest

TRAVERSALS = (
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2f..%2fetc/passwd",
    "/%252e%252e/%252e%252e/etc/passwd",
    "/..\\..\\..\\etc\\passwd",
    "/about/%00",
    "/assets/../../../../etc/passwd",
    "//etc/passwd",
)


def get(port: int, path: str) -> tuple[int, str, bytes]:
    """One raw GET (the path sent exactly as given, no client-side normalisation)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        conn.close()


def first_line(process: subprocess.Popen, timeout: float = 30) -> str:
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    if not ready:
        process.kill()
        pytest.fail(f"preview printed nothing in {timeout} s; stderr: {process.stderr.read()}")
    return process.stdout.readline()


def next_event(stream: http.client.HTTPResponse) -> str:
    """The data line of the next `event: reload` of a Server-Sent Events stream."""
    seen_reload = False
    for _ in range(50):
        line = stream.fp.readline().decode()
        if not line:
            break
        if line.startswith("event: reload"):
            seen_reload = True
        elif seen_reload and line.startswith("data:"):
            return line
    pytest.fail("no reload event arrived")


@pytest.mark.subprocess  # `bgpub` around the preview process too, as a user in two terminals
def test_preview_serves_refuses_traversal_and_stops_on_sigint(cli):
    cli.ok("new", "demo", "--from", "landing")
    process = cli.popen("preview", "demo", "--port", "0", "--no-watch")
    try:
        line = first_line(process)
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found, f"no URL announced: {line!r}"
        port = int(found.group(1))

        status, ctype, body = get(port, "/")
        assert status == 200 and ctype.startswith("text/html")
        assert b"<title>" in body and b"Cadence" in body
        status, ctype, _ = get(port, "/about/")
        assert status == 200 and ctype.startswith("text/html")
        status, ctype, _ = get(port, "/robots.txt")
        assert status == 200 and ctype.startswith("text/plain")

        for path in TRAVERSALS:
            status, _, body = get(port, path)
            assert status in (400, 403, 404), f"{path} -> {status}"
            assert b"root:" not in body, f"{path} leaked a file outside the site"
        assert process.poll() is None, "a hostile request killed the server"

        # an open tab (an SSE client) hears about an edit made from another terminal
        events = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        events.request("GET", "/__bgpub__/events?since=1")
        stream = events.getresponse()
        assert stream.status == 200 and stream.getheader("Content-Type", "").startswith(
            "text/event-stream"
        )
        cli.ok("block", "set", "demo", "home", "2", "heading=Edited in another terminal")
        reload_event = next_event(stream)
        assert '"index.html"' in reload_event, reload_event
        assert b"Edited in another terminal" in get(port, "/")[2]

        process.send_signal(signal.SIGINT)  # with the tab still connected
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "error" not in err.lower(), err


@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
def test_preview_of_missing_project_and_busy_port(cli, tmp_path):
    import socket

    cli.fails("preview", "no-such-project", mentions=("no-such-project",))
    cli.ok("new", "demo", "--from", "landing")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        cli.fails("preview", "demo", "--port", str(port), mentions=(str(port),))


@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
def test_preview_bad_host_names_the_host(cli):
    cli.ok("new", "demo", "--from", "landing")
    cli.fails(
        "preview", "demo", "--host", "10.255.255.1", mentions=("10.255.255.1", "cannot listen")
    )
