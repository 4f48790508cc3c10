"""Webhooks: a signed JSON POST after a publish, recorded; a failing webhook never fails the publish."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from bgpub.db.models import WebhookDelivery
from bgpub.errors import InvalidInput
from bgpub.services.publishing import publish_project
from bgpub.services.webhooks import add_webhook, list_webhooks


class Recorder(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), body))
        self.send_response(204 if self.path == "/ok" else 500)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Recorder.received = []
    httpd = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", Recorder.received
    httpd.shutdown()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_signed_delivery_and_failures_recorded(actor, project, server):
    base, received = server
    good, secret = add_webhook(actor, "demo", f"{base}/ok")
    failing, _ = add_webhook(actor, "demo", f"{base}/fail", secret="s3cret")
    dead, _ = add_webhook(actor, "demo", f"http://127.0.0.1:{closed_port()}/hook")
    result = publish_project(actor, "demo", message="hello")
    assert result.ok
    assert len(received) == 2
    headers, body = next((h, b) for h, b in received if json.loads(b)["version"] == 1 and h)
    payloads = [json.loads(b) for _, b in received]
    assert all(p["event"] == "publish" and p["project"] == "demo" and p["message"] == "hello" for p in payloads)
    signatures = {h["X-Bgpub-Signature"] for h, _ in received}
    for hook_secret in (secret, "s3cret"):
        bodies = [b for _, b in received]
        expected = {"sha256=" + hmac.new(hook_secret.encode(), b, hashlib.sha256).hexdigest() for b in bodies}
        assert expected & signatures
    by_hook = {d.webhook_id: d for d in WebhookDelivery.select()}
    assert by_hook[good.id].status_code == 204 and by_hook[good.id].error is None
    assert by_hook[failing.id].status_code == 500
    assert by_hook[dead.id].status_code is None and by_hook[dead.id].error
    assert len(list_webhooks(actor, "demo")) == 3


def test_rejects_non_http_urls(actor, project):
    with pytest.raises(InvalidInput, match="not an http"):
        add_webhook(actor, "demo", "ftp://example.com/x")
    assert WebhookDelivery.select().count() == 0
