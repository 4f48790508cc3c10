"""A minimal client of the preview's event stream (`/__bgpub__/events`), for the live-reload tests."""

from __future__ import annotations

import json
import socket
import threading

WAIT = 20.0  # generous upper bound for a slow CI machine; the bench measures speed


class EventStream:
    """A minimal SSE client on a raw socket, reading `reload` events on a thread; `open` waits until
    the server answered (its `retry:` line), so a change made after it is one the stream is there for."""

    def __init__(self, port: int, since: int | None = None):
        self.events: list[dict] = []
        self.arrived = threading.Condition()
        self.opened = threading.Event()
        query = "" if since is None else f"?since={since}"
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        self.sock.sendall(
            f"GET /__bgpub__/events{query} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
        )
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        buffer = b""
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return
                buffer += chunk
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    if block.endswith(b"retry: 500"):  # the server's first line, after the headers
                        self.opened.set()
                    data = [line[6:] for line in block.split(b"\n") if line.startswith(b"data: ")]
                    if data:
                        with self.arrived:
                            self.events.append(json.loads(b"".join(data)))
                            self.arrived.notify_all()
        except OSError:
            return

    def open(self) -> EventStream:
        assert self.opened.wait(WAIT), "the event stream did not open"
        return self

    def wait(self, count: int) -> list[dict]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.events) >= count, timeout=WAIT)
            return list(self.events)

    def close(self) -> None:
        self.sock.close()
