"""Notifications: an accepted submission or comment is mailed through the project's SMTP integration to
a real SMTP server on loopback (aiosmtpd); a refused one is not; a dead mail server loses nothing."""

from __future__ import annotations

from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from collect_support import free_port

from bgpub.db.models import FormSubmission
from bgpub.services.integrations import add_integration

FETCH = {"origin": "https://demo.example", "accept": "application/json"}


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def test_a_submission_is_mailed_to_the_projects_address(client, site, actor, smtp):
    inbox, port = smtp
    add_integration(
        actor,
        site.name,
        "CUSTOM",
        "mail",
        {
            "smtp_host": "127.0.0.1",
            "smtp_port": str(port),
            "smtp_to": "owner@example.com",
            "smtp_from": "site@example.com",
        },
    )
    response = client.post(
        f"/f/{site.id}/contact", data=site.form(name="Ada", message="Hello there"), headers=FETCH
    )
    assert response.status_code == 201
    [(recipients, message)] = inbox.messages
    assert recipients == ["owner@example.com"]
    assert "New form submission" in message["Subject"] and "Demo" in message["Subject"]
    body = message.get_payload()
    assert "Hello there" in body and "contact" in body
    client.post(f"/f/{site.id}/contact", data=site.form(name="Bot", _bgpub_hp="x"), headers=FETCH)
    client.post(
        f"/f/{site.id}/contact", data=site.form(name="Fast", _bgpub_elapsed="1"), headers=FETCH
    )
    assert len(inbox.messages) == 1  # nothing for refused or honeypotted posts


def test_an_unreachable_mail_server_loses_no_submission(client, site, actor):
    add_integration(
        actor,
        site.name,
        "CUSTOM",
        "mail",
        {"smtp_host": "127.0.0.1", "smtp_port": str(free_port()), "smtp_to": "owner@example.com"},
    )
    response = client.post(f"/f/{site.id}/contact", data=site.form(name="Ada"), headers=FETCH)
    assert response.status_code == 201
    assert FormSubmission.select().where(FormSubmission.project == site.id).count() == 1


def test_submissions_and_comments_reach_subscribed_webhooks_signed(client, site, actor):
    """Delivered by the project's webhook machinery to a loopback receiver and verified with the
    receiver's library (standardwebhooks); a webhook not subscribed hears nothing; a dead receiver and
    a dead mail server stop nothing; refused posts notify no one."""
    from standardwebhooks import Webhook as Verifier
    from tests.publish.receivers import receiver

    from bgpub.db.enums import PostStatus
    from bgpub.db.models import BlogPost, WebhookDelivery
    from bgpub.services.webhooks import add_webhook

    BlogPost.create(
        project=site.id, title="Hello", slug="hello", body="Hi", status=PostStatus.PUBLISHED
    )
    add_integration(
        actor,
        site.name,
        "CUSTOM",
        "mail",
        {"smtp_host": "127.0.0.1", "smtp_port": str(free_port()), "smtp_to": "owner@example.com"},
    )
    with receiver(204) as live, receiver(204) as publishes_only:
        dead, _ = add_webhook(
            actor,
            site.name,
            f"http://127.0.0.1:{free_port()}/x",
            events=["form.submitted"],
            allow_private=True,
        )
        hook, secret = add_webhook(
            actor,
            site.name,
            f"{live.url}/hook",
            events=["form.submitted", "comment.received"],
            allow_private=True,
        )
        add_webhook(
            actor, site.name, f"{publishes_only.url}/p", events=["publish"], allow_private=True
        )
        sent = client.post(
            f"/f/{site.id}/contact",
            data=site.form(name="Ada", message="Hi <b>there</b>"),
            headers=FETCH,
        )
        assert sent.status_code == 201
        client.post(
            f"/f/{site.id}/contact", data=site.form(name="Bot", _bgpub_hp="x"), headers=FETCH
        )
        commented = client.post(
            f"/c/{site.id}/hello", data=site.form(name="Grace", body="Nice post"), headers=FETCH
        )
        assert commented.status_code == 201
    assert publishes_only.hits == []
    verifier = Verifier(secret)
    received = [verifier.verify(hit.body, hit.headers) for hit in live.hits]
    assert [r["event"] for r in received] == ["form.submitted", "comment.received"]
    form, comment = received
    assert form["project"] == site.name and form["form"] == "contact"
    assert form["id"] == sent.json()["id"]
    assert form["data"] == {
        "name": "Ada",
        "message": "Hi <b>there</b>",
    }  # JSON: the receiver escapes
    assert comment["post"] == "hello" and comment["id"] == commented.json()["id"]
    assert "203.0.113.7" not in str(received)  # the client's address goes nowhere
    outcomes = {
        (d.webhook_id, d.event, d.status_code is not None) for d in WebhookDelivery.select()
    }
    assert outcomes == {
        (hook.id, "form.submitted", True),
        (hook.id, "comment.received", True),
        (dead.id, "form.submitted", False),
    }
