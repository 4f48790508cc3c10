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
