"""`/api/v1`: Bearer keys (scopes, project restriction, revocation, last use), comments from the post form
into the moderation queue and approved through the API, and a bounded schemathesis run (no 5xx)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from bgpub.db.enums import PostStatus, SubscriptionTier
from bgpub.db.models import ApiKey, BlogComment, BlogPost
from bgpub.services.api_keys import create_api_key, revoke_api_key
from bgpub.services.projects import create_project

FETCH = {"origin": "https://demo.example", "accept": "application/json"}


@pytest.fixture
def post(site):
    return BlogPost.create(
        project=site.id, title="Hello", slug="hello", body="Hi", status=PostStatus.PUBLISHED
    )


KEYS = {
    "reader": (["read"], None),
    "writer": (["read", "write"], None),
    "deleter": (["delete"], None),
    "elsewhere": (["read", "write"], "other"),
    "revoked": (["read"], None),
}


class Keys(dict):
    """API keys made on first use (Argon2 hashing is slow on purpose: make only those a test needs)."""

    def __init__(self, actor):
        super().__init__()
        self.org = actor.memberships[0].organization
        self.actor = actor

    def __missing__(self, name: str) -> str:
        scopes, project = KEYS[name]
        if project and project not in {p.name for p in self.org.projects}:
            self.org.tier = SubscriptionTier.PRO  # room for a second project
            self.org.save()
            create_project(self.actor, project)
        plain = self[name] = create_api_key(self.actor, self.org, name, scopes, project=project)[1]
        if name == "revoked":
            revoke_api_key(self.actor, self.org, plain.split("_")[1])
        return plain


@pytest.fixture
def keys(actor, site) -> Keys:
    return Keys(actor)


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def comment(client, site, post, **fields):
    data = site.form(
        **{"name": "Grace", "email": "grace@example.com", "body": "Nice post", **fields}
    )
    return client.post(f"/c/{site.id}/{post.slug}", data=data, headers=FETCH)


def test_a_comment_waits_for_approval_through_the_api(client, site, post, keys):
    unused = keys["deleter"]  # made now, used last
    sent = comment(client, site, post)
    assert sent.status_code == 201 and sent.json()["status"] == "pending"
    [row] = BlogComment.select()
    assert row.status.value == "PENDING" and row.author_email == "grace@example.com"
    base = f"/api/v1/projects/{site.name}"
    listed = client.get(f"{base}/comments?status=PENDING", headers=bearer(keys["reader"]))
    assert listed.status_code == 200
    assert [(c["author_name"], c["status"]) for c in listed.json()["comments"]] == [
        ("Grace", "PENDING")
    ]
    assert "grace@example.com" not in listed.text  # addresses are not published
    assert (
        client.post(f"{base}/comments/{row.id}/approve", headers=bearer(keys["reader"])).status_code
        == 403
    )
    approved = client.post(f"{base}/comments/{row.id}/approve", headers=bearer(keys["writer"]))
    assert approved.status_code == 200 and approved.json()["status"] == "APPROVED"
    assert BlogComment.get_by_id(row.id).status.value == "APPROVED"
    assert ApiKey.get(ApiKey.name == "writer").last_used_at is not None
    assert ApiKey.get(ApiKey.name == "deleter").last_used_at is None
    assert (
        client.delete(f"{base}/comments/{row.id}", headers=bearer(keys["writer"])).status_code
        == 403
    )
    assert client.delete(f"{base}/comments/{row.id}", headers=bearer(unused)).status_code == 200
    assert BlogComment.select().count() == 0


def test_comments_get_the_form_defences_and_need_a_published_post(client, site, post):
    assert comment(client, site, post, _bgpub_hp="spam").json() == {"ok": True}
    assert comment(client, site, post, _bgpub_elapsed="10").status_code == 400
    assert comment(client, site, post, body="").status_code == 400
    draft = BlogPost.create(
        project=site.id, title="Draft", slug="draft", body="", status=PostStatus.DRAFT
    )
    assert comment(client, site, draft).status_code == 404
    assert (
        client.post(
            f"/c/{site.id}/hello",
            data=site.form(name="A", body="b"),
            headers={"origin": "https://evil.example"},
        ).status_code
        == 403
    )
    assert BlogComment.select().count() == 0


def test_keys_are_checked_for_every_call(client, site, keys):
    base = f"/api/v1/projects/{site.name}"
    assert client.get(f"{base}/submissions").status_code == 401
    assert (
        client.get(f"{base}/submissions", headers={"authorization": "Basic abc"}).status_code == 401
    )
    assert client.get(f"{base}/submissions", headers=bearer("bgp_nope_nope")).status_code == 401
    assert client.get(f"{base}/submissions", headers=bearer(keys["revoked"])).status_code == 401
    assert client.get(f"{base}/submissions", headers=bearer(keys["elsewhere"])).status_code == 404
    assert (
        client.get(
            "/api/v1/projects/other/submissions", headers=bearer(keys["elsewhere"])
        ).status_code
        == 200
    )
    assert client.get(f"{base}/submissions", headers=bearer(keys["deleter"])).status_code == 403
    for path in ("submissions", "comments", "stats", "orders"):
        response = client.get(f"{base}/{path}", headers=bearer(keys["reader"]))
        assert response.status_code == 200, path
    assert client.get(f"{base}/stats?days=0", headers=bearer(keys["reader"])).status_code == 400
    assert (
        client.get(f"/api/v1/projects/{site.id}/stats", headers=bearer(keys["reader"])).json()[
            "views"
        ]
        == 0
    )


def test_the_openapi_document_describes_every_api_route(client):
    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    routes = {r.path for r in client.app.routes if r.path.startswith("/api/v1/")}
    assert routes == set(doc["paths"])


api_schema = schemathesis.pytest.from_fixture("api_under_test")


@pytest.fixture
def api_under_test(client, keys, post):
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", client.app)
    schema.config.headers = bearer(keys["writer"])
    return schema


@api_schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_fuzzed_api_calls_never_fail_with_a_server_error(case, keys):
    response = case.call(headers=bearer(keys["writer"]))
    assert response.status_code < 500, (case.method, case.formatted_path, response.text)
