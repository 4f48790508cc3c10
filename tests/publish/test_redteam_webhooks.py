"""Red team on webhook URLs, as an outside corpus attacks them.

- Every address form, userinfo trick and name an SSRF corpus tries is refused (no DNS: names are
  answered by a fake resolver, as in test_webhook_ssrf.py).
- `:0` was read as "no port" and quietly became 80: a port of 0 is refused.
- Slack, Discord and Teams webhooks carry their token in the path, which masking kept in the clear
  (the stored `url` column, audit rows, messages and listings below ADMIN): the path is masked too.
"""

from __future__ import annotations

import socket

import pytest
from tests.publish.receivers import FakeDns

from bgpub.db.models import AuditLog, Webhook, WebhookDelivery
from bgpub.errors import InvalidInput
from bgpub.services import webhooks
from bgpub.services.webhook_endpoints import mask_url, parse_url
from bgpub.services.webhooks import add_webhook, check_webhook_url

PUBLIC = "93.184.215.14"
NAMES = {
    "nip.test": ["127.0.0.1"],
    "mixed.test": [PUBLIC, "10.0.0.1"],
    "compat.test": ["::127.0.0.1"],
    "linklocal6.test": ["fe80::1"],
    "public.test": [PUBLIC],
}
HOSTILE = [
    "http://[::127.0.0.1]/",
    "http://[::7f00:1]/",
    "http://[0:0:0:0:0:0:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::ffff:0:7f00:1]/",
    "http://[::0.0.0.1]/",
    "http://[2002:7f00:1::]/",
    "http://0.0.0.0/",
    "http://[::]/",
    "http://nip.test/",
    "http://mixed.test/",
    "http://compat.test/",
    "http://linklocal6.test/",
    "http://localhost./",
    "http://LOCALHOST/",
    "http://LocalHost.:8080/",
    "http://a.b.localhost/",
    "http://%31%32%37.0.0.1/",
    "http://evil@127.0.0.1/",
    "http://public.test@127.0.0.1/",
    "http://127.0.0.1#@public.test/",
    "http://127.0.0.1:80#@public.test/",
    "http://127.0.0.1?@public.test/",
    "http://public.test\\@127.0.0.1/",
    "http://127.0.0.1\t/",
    "http://127.0.\n0.1/",
    "http://[::1%25eth0]/",
    "http://0x7f.1/",
    "http://0x7f.0x0.0x0.0x1/",
    "http://2130706433/",
    "http://0177.0.0.01/",
    "http://127.000.000.001/",
    "http://0x7f000001./",
    "http://\uff11\uff12\uff17.0.0.1/",
    "http://127\u30020\u30020\u30021/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/",
    "http://255.255.255.255/",
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://public.test:0/",
    # IDNA folds these to localhost before any lookup
    "http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/",
    "http://localhost\u3002/",
    "http://loc\u00adalhost/",
    "http://LOCALHOST\uff0e/",
    "http://xn--80ak6aa92e.localhost/",
]


@pytest.fixture
def dns(monkeypatch) -> FakeDns:
    fake = FakeDns(socket.getaddrinfo)
    fake.table.update(NAMES)
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_forms_are_refused(dns, url):
    with pytest.raises(InvalidInput):
        check_webhook_url(url, "project demo, webhook")


def test_a_public_name_with_an_explicit_port_keeps_it(dns):
    assert parse_url("http://public.test:8080/x", "w").port == 8080
    assert parse_url("https://public.test/x", "w").port == 443


# Secrets where real hooks keep them, each part of the URL in turn.
SECRET = "S3cr3tT0ken"
WITH_TOKENS = [
    f"https://hooks.slack.com/services/T00/B00/{SECRET}",
    f"https://discord.com/api/webhooks/123/{SECRET}",
    f"https://public.test/{SECRET}",
    f"https://public.test/hook?token={SECRET}",
    f"https://user:{SECRET}@public.test/hook",
    f"https://public.test/hook#{SECRET}",
]


@pytest.mark.parametrize("url", WITH_TOKENS)
def test_masking_hides_every_part_that_can_carry_a_token(url):
    assert SECRET not in mask_url(url)
    assert mask_url(url).startswith("https://")


def test_tokens_in_any_part_stay_out_of_rows_audit_and_messages(actor, project, dns, monkeypatch):
    """Stored rows and audit details carry the masked form; a refused delivery's error does too."""
    dns.table.update({"hooks.slack.com": [PUBLIC], "discord.com": [PUBLIC]})
    hooks = [add_webhook(actor, "demo", url)[0] for url in WITH_TOKENS]
    assert {webhooks.webhook_url(h) for h in hooks} == set(WITH_TOKENS)  # sealed, not lost
    dns.table.update(
        {"hooks.slack.com": ["10.0.0.5"], "discord.com": ["10.0.0.5"], "public.test": ["10.0.0.5"]}
    )
    for hook in hooks:  # rebound to a private address: refused, and the message names the URL
        webhooks.deliver(Webhook.get_by_id(hook.id), "publish", {"event": "publish"})
    stored = [row.url for row in Webhook.select()]
    audited = [str(row.summary) for row in AuditLog.select()]
    errors = [row.error or "" for row in WebhookDelivery.select()]
    assert len(errors) == len(WITH_TOKENS) and all("10.0.0.5" in e for e in errors)
    leaked = [text for text in stored + audited + errors if SECRET in text]
    assert leaked == []
