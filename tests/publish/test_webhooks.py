"""Webhooks: a signed JSON POST after a publish, recorded; a failing webhook never fails the publish.

Signatures are checked the way receivers check them: with the `standardwebhooks` package and with
the verifier printed in docs/guide.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import socket
import time
from pathlib import Path

import pytest
from standardwebhooks import Webhook as Receiver
from standardwebhooks import WebhookVerificationError
from tests.publish.receivers import receiver

from bgpub.db.models import Webhook, WebhookDelivery
from bgpub.errors import InvalidInput
from bgpub.services import webhooks
from bgpub.services.publishing import publish_project, rollback_project
from bgpub.services.secrets import encrypt
from bgpub.services.webhooks import add_webhook, list_webhooks

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide.md"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def guide_verifier():
    """The `verify_webhook` function exactly as docs/guide.md prints it."""
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    code = next(b for b in blocks if "def verify_webhook(" in b)
    scope: dict = {}
    exec(compile(code, "docs/guide.md", "exec"), scope)
    return scope["verify_webhook"]


def test_signed_delivery_and_failures_recorded(actor, project):
    with receiver(204) as ok, receiver(500) as failing_server:
        good, secret = add_webhook(actor, "demo", f"{ok.url}/ok", allow_private=True)
        failing, _ = add_webhook(actor, "demo", f"{failing_server.url}/fail", allow_private=True)
        dead, _ = add_webhook(
            actor, "demo", f"http://127.0.0.1:{closed_port()}/hook", allow_private=True
        )
        result = publish_project(actor, "demo", message="hello")
    assert result.ok
    assert len(ok.hits) == 1 and len(failing_server.hits) == 1
    hit = ok.hits[0]
    payload = Receiver(secret).verify(hit.body, hit.headers)  # the receiver's library
    assert payload["event"] == "publish" and payload["project"] == "demo"
    assert payload["message"] == "hello" and payload["version"] == 1
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32
    assert hit.headers["webhook-id"] == good.deliveries.get().id  # the delivery row is the message
    with pytest.raises(WebhookVerificationError):
        Receiver(webhooks.new_secret()).verify(hit.body, hit.headers)  # another secret
    with pytest.raises(WebhookVerificationError):
        Receiver(secret).verify(hit.body.replace(b"hello", b"hellp"), hit.headers)  # altered body
    assert "X-Bgpub-Signature" not in hit.headers  # whsec_ secrets get the standard headers only
    by_hook = {d.webhook_id: d for d in WebhookDelivery.select()}
    assert by_hook[good.id].status_code == 204 and by_hook[good.id].error is None
    assert by_hook[failing.id].status_code == 500 and "HTTP 500" in by_hook[failing.id].error
    assert by_hook[dead.id].status_code is None and by_hook[dead.id].error
    assert len(list_webhooks(actor, "demo")) == 3


def test_guide_verifier_accepts_fresh_messages_and_refuses_replays(actor, project, monkeypatch):
    verify = guide_verifier()
    with receiver(204) as server:
        hook, secret = add_webhook(actor, "demo", f"{server.url}/hook", allow_private=True)
        publish_project(actor, "demo", message="fresh")
        sent = time.time()
        ten_minutes_ago = sent - 600
        # a message sent ten minutes ago, captured and replayed now
        with monkeypatch.context() as clock:
            clock.setattr(webhooks.time, "time", lambda: ten_minutes_ago)
            publish_project(actor, "demo", message="captured earlier")
    fresh, old = server.hits
    assert verify(secret, fresh.headers, fresh.body)
    assert Receiver(secret).verify(fresh.body, fresh.headers)["message"] == "fresh"
    # the same message replayed later than the 5-minute tolerance: both verifiers refuse it
    assert not verify(secret, fresh.headers, fresh.body, now=sent + 301)
    assert verify(secret, fresh.headers, fresh.body, now=sent + 290)
    assert int(old.headers["webhook-timestamp"]) == int(ten_minutes_ago)
    assert not verify(secret, old.headers, old.body)
    with pytest.raises(WebhookVerificationError, match="too old"):
        Receiver(secret).verify(old.body, old.headers)
    # a replay with a fresh timestamp header but the old signature fails the signature
    forged = {**old.headers, "webhook-timestamp": fresh.headers["webhook-timestamp"]}
    assert not verify(secret, forged, old.body)
    with pytest.raises(WebhookVerificationError):
        Receiver(secret).verify(old.body, forged)
    assert not verify(secret, {**fresh.headers, "webhook-signature": "v1,AAAA"}, fresh.body)
    assert not verify(secret, {}, fresh.body)


def test_webhooks_from_before_keep_their_secret_and_header(actor, project):
    with receiver(204) as server:
        hook, _ = add_webhook(
            actor, "demo", f"{server.url}/x", secret="s3cret-of-old", allow_private=True
        )
        publish_project(actor, "demo", message="hello")
    hit = server.hits[0]
    expected = "sha256=" + hmac.new(b"s3cret-of-old", hit.body, hashlib.sha256).hexdigest()
    assert hit.headers["X-Bgpub-Signature"] == expected
    assert Receiver(b"s3cret-of-old").verify(hit.body, hit.headers)["event"] == "publish"
    assert webhooks.webhook_secret(hook) == "s3cret-of-old"


def test_a_row_from_before_is_sealed_and_still_delivers(actor, project, db):
    """Rows written before URLs were encrypted: plain URL column, token of the bare secret."""
    with receiver(204) as server:
        plain_url = f"http://ada:pw-OLDTOKEN@127.0.0.1:{server.port}/x?token=OLDTOKEN"
        old = Webhook.create(
            project=project,
            url=plain_url,
            events=["publish"],
            allow_private=True,
            secret_encrypted=encrypt("legacy-secret"),
        )
        publish_project(actor, "demo", message="hello")
    hit = server.hits[0]
    assert hit.path == "/x?token=OLDTOKEN"
    assert Receiver(b"legacy-secret").verify(hit.body, hit.headers)
    row = db.execute_sql(
        "SELECT url, secret_encrypted FROM webhooks WHERE id = %s" % db.param, (old.id,)
    ).fetchone()
    assert "OLDTOKEN" not in str(row) and row[0] == f"http://••••@127.0.0.1:{server.port}/••••?••••"
    sealed = Webhook.get_by_id(old.id)
    assert (
        webhooks.webhook_url(sealed) == plain_url
        and webhooks.webhook_secret(sealed) == "legacy-secret"
    )
    assert list_webhooks(actor, "demo")[0].url == plain_url  # the OWNER sees it in full


BAD_SECRETS = [
    "whsec_",
    "whsec_!!!!-not-base64",
    "whsec_" + base64.b64encode(b"x" * 8).decode(),
    "whsec_" + base64.b64encode(b"x" * 65).decode(),
    "has space",
    "tab\there",
    "x" * 201,
    "",
]


def test_bad_secrets_are_refused(actor, project):
    for secret in BAD_SECRETS:
        with pytest.raises(InvalidInput) as caught:
            add_webhook(actor, "demo", "http://8.8.8.8/hook", secret=secret)
        assert caught.value.field == "secret", secret
        assert len(secret) < 8 or secret not in str(caught.value)  # a secret is never echoed
    assert Webhook.select().count() == 0


def test_body_reveals_no_local_path(actor, project, home, tmp_path):
    with receiver(204) as server:
        add_webhook(actor, "demo", f"{server.url}/hook", allow_private=True)
        result = publish_project(actor, "demo", message="hello")
        location = result.deployments[0].location
        assert location and Path(location).is_absolute()  # the publisher knows where it wrote
        rollback_project(actor, "demo", 1)
    assert len(server.hits) == 2
    for hit in server.hits:
        text = hit.body.decode()
        assert location not in text and str(home) not in text and str(tmp_path) not in text
        body = json.loads(text)
        assert body["deployments"] == [{"kind": "dir", "status": "SUCCEEDED", "target": "default"}]
        assert "location" not in text


def test_rejects_non_http_urls(actor, project):
    with pytest.raises(InvalidInput, match="not an http"):
        add_webhook(actor, "demo", "ftp://example.com/x")
    assert WebhookDelivery.select().count() == 0
