"""Webhooks cannot be aimed inside: hostile URL forms refused, rebinding caught, the vetted address
pinned, redirects not followed, URLs with tokens encrypted at rest and masked below ADMIN.

There is no DNS here: names are answered by a fake `socket.getaddrinfo` (tests.publish.receivers).
"""

from __future__ import annotations

import importlib.util
import json
import socket

import pytest
from standardwebhooks import Webhook as Receiver
from tests.publish.receivers import FakeDns, rebinding, receiver, tls_pair

import bgpub.db.migrations
from bgpub.db.enums import Role
from bgpub.db.models import AuditLog, User, Webhook, WebhookDelivery
from bgpub.errors import InvalidInput
from bgpub.services import audit, webhook_endpoints, webhooks
from bgpub.services.members import add_member
from bgpub.services.publishing import publish_project
from bgpub.services.webhooks import add_webhook, check_webhook_url, list_webhooks, remove_webhook

PUBLIC = "93.184.215.14"
NAMES = {
    "internal.test": ["10.1.2.3"],
    "metadata.test": ["169.254.169.254"],
    "loop.test": ["127.0.0.1"],
    "loop6.test": ["::1"],
    "mapped.test": ["::ffff:10.0.0.1"],
    "mixed.test": [PUBLIC, "192.168.1.20"],  # one bad answer among good ones is enough
    "mixed6.test": ["2606:4700::1111", "fd00::1"],
    "cgnat.test": ["100.64.1.1"],
    "public.test": [PUBLIC],
    "public6.test": ["2606:4700::1111"],
}

# Each of these names, or means, an address a webhook must not reach.
HOSTILE = [
    "http://127.0.0.1/hook",
    "http://127.1/hook",
    "http://127.0.1/hook",
    "http://0x7f000001/hook",
    "http://0X7F.0.0.1/hook",
    "http://0x7f.1/hook",
    "http://2130706433/hook",
    "http://017700000001/hook",
    "http://0177.0.0.1/hook",
    "http://127.000.000.001/hook",
    "http://127.0.0.1.:8080/hook",
    "http://0/hook",
    "http://0.0.0.0/hook",
    "http://[::]/hook",
    "http://[::1]/hook",
    "http://[0:0:0:0:0:0:0:1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:7f00:1]/hook",
    "http://[0:0:0:0:0:ffff:169.254.169.254]/hook",
    "http://[64:ff9b::7f00:1]/hook",  # NAT64 of 127.0.0.1
    "http://[64:ff9b::a00:1]/hook",  # NAT64 of 10.0.0.1
    "http://[2002:7f00:1::]/hook",  # 6to4 of 127.0.0.1
    "http://[2002:c0a8:101::1]/hook",  # 6to4 of 192.168.1.1
    "http://[::127.0.0.1]/hook",  # IPv4-compatible (deprecated)
    "http://[fe80::1]/hook",
    "http://[fe80::1%25eth0]/hook",
    "http://[fc00::1]/hook",
    "http://[fd12:3456::1]/hook",
    "http://[fec0::1]/hook",
    "http://[ff02::1]/hook",
    "http://localhost/hook",
    "http://LOCALHOST./hook",
    "http://api.localhost/hook",
    "http://10.0.0.1/hook",
    "http://172.16.0.1/hook",
    "http://192.168.1.1/hook",
    "http://0300.0250.1.1/hook",  # 192.168.1.1 in octal
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/hook",
    "http://192.0.0.8/hook",
    "http://198.18.0.1/hook",
    "http://224.0.0.1/hook",
    "http://239.255.255.250/hook",
    "http://240.0.0.1/hook",
    "http://255.255.255.255/hook",
    "http://１２７.０.０.１/hook",  # full-width digits fold to 127.0.0.1
    "http://127。0。0。1/hook",  # ideographic full stops are dots in IDNA
    "http://①②⑦.0.0.1/hook",
    "http://user:pw@127.0.0.1:8080/hook?token=t",
    "http://public.test@127.0.0.1/hook",  # the host is after the @
    "http://internal.test/hook",
    "http://metadata.test/latest/meta-data/",
    "http://loop.test:8080/hook",
    "http://loop6.test/hook",
    "http://mapped.test/hook",
    "http://mixed.test/hook",
    "http://mixed6.test/hook",
    "http://cgnat.test/hook",
]

MALFORMED = [
    "http://089.0.0.1/hook",  # ends in a number but is not one
    "http://1.2.3.4.5/hook",
    "http://256.256.256.256/hook",
    "http://0x100000000/hook",
    "http://127.0.0.1\\@public.test/hook",
    "http://[::1/hook",
    "gopher://public.test/",
    "file:///etc/passwd",
]

ACCEPTED = [
    f"http://{PUBLIC}/hook",
    "http://0x5db8d70e/hook",  # PUBLIC, in hexadecimal
    "https://public.test/hook?token=abc",
    "https://public6.test:8443/hook",
    "http://[2606:4700::1111]/hook",
    "http://[::ffff:93.184.215.14]/hook",
    "http://[64:ff9b::5db8:d70e]/hook",  # NAT64 of PUBLIC
]


@pytest.fixture
def dns(monkeypatch) -> FakeDns:
    fake = FakeDns(socket.getaddrinfo)
    fake.table.update(NAMES)
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_urls_are_refused(dns, url):
    with pytest.raises(InvalidInput) as caught:
        check_webhook_url(url, "project demo, webhook")
    message = str(caught.value)
    assert "public addresses only" in message or "local interface" in message
    assert "token=t" not in message and ":pw@" not in message  # what is refused is shown masked


@pytest.mark.parametrize("url", MALFORMED)
def test_malformed_urls_are_refused(dns, url):
    with pytest.raises(InvalidInput):
        check_webhook_url(url, "project demo, webhook")


@pytest.mark.parametrize("url", ACCEPTED)
def test_public_urls_are_accepted(dns, url):
    assert check_webhook_url(url, "project demo, webhook").url == url


def test_hostile_corpus_writes_nothing_and_allow_private_admits_it(actor, project, dns):
    assert len(HOSTILE) >= 25
    for url in HOSTILE + MALFORMED:
        with pytest.raises(InvalidInput):
            add_webhook(actor, "demo", url)
    assert Webhook.select().count() == 0
    assert AuditLog.select().where(AuditLog.action == "webhook.add").count() == 0
    hook, _ = add_webhook(actor, "demo", "http://internal.test:8080/hook", allow_private=True)
    assert hook.allow_private and list_webhooks(actor, "demo")[0].allow_private


def test_names_are_resolved_again_at_delivery(actor, project, dns):
    """The name answers a public address when added, then 127.0.0.1: nothing may reach the server."""
    with receiver(204) as server:
        dns.table["rebind.test"] = rebinding([PUBLIC], ["127.0.0.1"])
        hook, _ = add_webhook(actor, "demo", f"http://rebind.test:{server.port}/hook")
        delivery = webhooks.deliver(hook, "publish", {"event": "publish"})
    assert server.hits == []
    assert delivery.status_code is None
    assert "127.0.0.1 (loopback)" in delivery.error and "public addresses only" in delivery.error
    assert dns.asked == ["rebind.test", "rebind.test"]
    # a name that does not resolve yet is accepted, and checked when there is something to send
    later, _ = add_webhook(actor, "demo", "https://not-yet.test/hook")
    delivery = webhooks.deliver(later, "publish", {"event": "publish"})
    assert delivery.status_code is None and "does not resolve" in delivery.error


def test_delivery_connects_to_the_vetted_address(actor, project, dns):
    """One lookup per delivery; the connection goes to its answer with the name in Host."""
    with receiver(204) as server:
        answers = iter([["127.0.0.1"], ["127.0.0.1"], ["10.255.255.1"], ["10.255.255.1"]])
        dns.table["pinned.test"] = lambda: next(answers)
        hook, secret = add_webhook(
            actor, "demo", f"http://pinned.test:{server.port}/in?k=v", allow_private=True
        )
        dns.asked.clear()
        delivery = webhooks.deliver(hook, "publish", {"event": "publish"})
    assert dns.asked == ["pinned.test"]  # not looked up again to connect
    assert delivery.status_code == 204, delivery.error
    hit = server.hits[0]
    assert hit.headers["Host"] == f"pinned.test:{server.port}" and hit.path == "/in?k=v"
    assert Receiver(secret).verify(hit.body, hit.headers) == {"event": "publish"}


def test_https_delivery_sends_the_name_as_server_name(actor, project, dns, tmp_path, monkeypatch):
    server_tls, client_tls = tls_pair(tmp_path, "hooks.test")
    monkeypatch.setattr(webhook_endpoints, "tls_context", lambda: client_tls)
    dns.table["hooks.test"] = ["127.0.0.1"]
    dns.table["other.test"] = ["127.0.0.1"]
    with receiver(204, tls=server_tls) as server:
        hook, _ = add_webhook(
            actor, "demo", f"https://hooks.test:{server.port}/tls", allow_private=True
        )
        good = webhooks.deliver(hook, "publish", {"event": "publish"})
        wrong, _ = add_webhook(
            actor, "demo", f"https://other.test:{server.port}/tls", allow_private=True
        )
        refused = webhooks.deliver(wrong, "publish", {"event": "publish"})
    assert good.status_code == 204, good.error
    assert server.server_names[0] == "hooks.test" and server.hits[0].headers["Host"].startswith(
        "hooks.test:"
    )
    assert refused.status_code is None and "certificate" in refused.error.lower()  # name checked
    assert len(server.hits) == 1


def test_redirects_are_recorded_not_followed(actor, project):
    with receiver(204) as inside, receiver(302, location="") as outside:
        outside.location = f"{inside.url}/secret-admin"
        hook, _ = add_webhook(actor, "demo", f"{outside.url}/hook", allow_private=True)
        result = publish_project(actor, "demo", message="hello")
    assert result.ok
    assert len(outside.hits) == 1 and inside.hits == []
    delivery = WebhookDelivery.get(WebhookDelivery.webhook == hook)
    assert delivery.status_code == 302 and "not followed" in delivery.error
    assert list_webhooks(actor, "demo")[0].last_status == "publish: HTTP 302"


TOKEN = "tok-3f9a1c77e2"


def test_urls_with_tokens_are_encrypted_and_masked(actor, project, org, dns, db):
    url = f"https://bot:{TOKEN}-pw@public.test/hooks/abc?token={TOKEN}#frag"
    masked = "https://••••@public.test/••••?••••#••••"
    hook, _ = add_webhook(actor, "demo", url)
    raw = db.execute_sql("SELECT * FROM webhooks").fetchall()
    assert TOKEN not in json.dumps(raw, default=str)
    assert hook.url == masked and webhooks.webhook_url(Webhook.get_by_id(hook.id)) == url
    viewers = {}
    for role in (Role.ADMIN, Role.EDITOR, Role.VIEWER):
        added = add_member(actor, org, f"{role.value.lower()}@example.com", role)
        viewers[role] = User.get(User.email == added.email)  # services hand back values, not rows
    assert list_webhooks(actor, "demo")[0].url == url  # OWNER
    assert list_webhooks(viewers[Role.ADMIN], "demo")[0].url == url
    for role in (Role.EDITOR, Role.VIEWER):
        assert list_webhooks(viewers[role], "demo")[0].url == masked
    remove_webhook(actor, "demo", hook.id)
    rows = db.execute_sql(
        "SELECT action, summary FROM audit_logs WHERE action LIKE 'webhook.%%'"
        if db_is_pg(db)
        else "SELECT action, summary FROM audit_logs WHERE action LIKE 'webhook.%'"
    ).fetchall()
    assert sorted(r[0] for r in rows) == ["webhook.add", "webhook.remove"]
    assert TOKEN not in json.dumps(rows, default=str)
    assert all(masked in json.dumps(r[1], ensure_ascii=False) for r in rows)


def test_cli_shows_private_flag_and_masks_for_viewers(
    actor, project, org, home, db_target, monkeypatch, capsys
):
    from bgpub.cli import main

    add_member(actor, org, "viewer@example.com", Role.VIEWER)

    def run(*args: str, as_email: str) -> tuple[int, str, str]:
        monkeypatch.setenv("BGPUB_USER_EMAIL", as_email)
        capsys.readouterr()
        try:
            main(["--database-url", db_target.url, *args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, err = run("webhook", "add", "demo", "http://0x7f000001:9/x", as_email=actor.email)
    assert code != 0 and err.startswith("error:") and "loopback" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and Webhook.select().count() == 0
    code, out, err = run(
        "webhook",
        "add",
        "demo",
        f"http://127.0.0.1:9/x?token={TOKEN}",
        "--allow-private",
        as_email=actor.email,
    )
    assert code == 0, err
    assert TOKEN not in out and "private addresses allowed" in out and "whsec_" in out
    code, out, _ = run("webhook", "list", "demo", as_email=actor.email)
    assert f"?token={TOKEN}" in out and "\tprivate allowed\t" in out
    code, out, _ = run("webhook", "list", "demo", as_email="viewer@example.com")
    assert code == 0 and TOKEN not in out and "http://127.0.0.1:9/••••?••••" in out


def test_migration_masks_urls_in_earlier_audit_rows(actor, org, db):
    """Audit rows written before 0010 kept the URL as typed; the migration masks them."""
    old = audit.record(
        actor,
        org,
        "webhook.add",
        "webhook",
        "w1",
        {"project": "demo", "url": f"https://hooks.test/x?token={TOKEN}"},
    )
    other = audit.record(actor, org, "project.publish", "version", "v1", {"project": "demo"})
    path = next(iter(bgpub.db.migrations.__path__)) + "/0010_webhook_hardening.py"
    spec = importlib.util.spec_from_file_location("migration_0010", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    migration._mask_audit_rows(db.obj if hasattr(db, "obj") else db)
    assert AuditLog.get_by_id(old.id).summary == {
        "project": "demo",
        "url": "https://hooks.test/x?••••",
    }
    assert AuditLog.get_by_id(other.id).summary == {"project": "demo"}


def db_is_pg(db) -> bool:
    from peewee import PostgresqlDatabase

    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)
