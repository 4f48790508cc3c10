"""What the CLI prints from the domain values services hand it (issue 11 item 2): `target add` echoes
the stored options, `member add/role` the member's email and role."""

from __future__ import annotations

import json


def test_target_add_echoes_the_stored_options(bgpub, org, tmp_path):
    assert bgpub("new", "demo").code == 0
    added = bgpub("target", "add", "demo", "www", "--kind", "dir", "--path", tmp_path / "www")
    assert added.code == 0, added.err
    shown = json.dumps({"path": str(tmp_path / "www")}, sort_keys=True)
    assert added.out.strip() == f"added dir target www: {shown}"


def test_member_add_and_role_name_the_member(bgpub, org):
    added = bgpub("member", "add", org.slug, "Ada@Example.com", "--role", "editor")
    assert added.code == 0, added.err
    assert added.out.strip() == f"added ada@example.com to {org.slug} as EDITOR"
    changed = bgpub("member", "role", org.slug, "ada@example.com", "admin")
    assert changed.code == 0, changed.err
    assert changed.out.strip() == f"ada@example.com is now ADMIN in {org.slug}"


def test_org_create_tier_and_show_read_the_organization(bgpub, org):
    assert bgpub("org", "create", "acme").out.strip() == (
        "created organization acme (FREE); you are OWNER"
    )
    assert bgpub("org", "tier", "acme", "starter").out.strip() == "acme is now STARTER (ACTIVE)"
    assert bgpub("member", "add", "acme", "ada@example.com").code == 0
    shown = bgpub("org", "show", "acme")
    assert shown.code == 0, shown.err
    assert "acme: acme" in shown.out and "tier:     STARTER (ACTIVE)" in shown.out
    assert "members:  2" in shown.out and "VIEWER  ada@example.com" in shown.out


def test_asset_focus_and_page_add_print_from_the_values(bgpub, org, tmp_path):
    import io

    from PIL import Image

    image = tmp_path / "team.png"
    buffer = io.BytesIO()
    Image.new("RGB", (4, 2)).save(buffer, "PNG")
    image.write_bytes(buffer.getvalue())
    assert bgpub("new", "demo").code == 0
    added = bgpub("asset", "add", "demo", image)
    assert added.out.startswith("added asset team.png (image/png, ") and ", 4x2)" in added.out
    focused = bgpub("asset", "focus", "demo", "team.png", "50%", "0.25")
    assert focused.out.strip() == "focal point of team.png: 50% across, 25% down"
    made = bgpub("page", "add", "demo", "about", "--title", "About")
    assert made.out.strip() == "added page about at position 1 (home)"
    shown = bgpub("project", "show", "demo")
    assert f"name:            {org.slug}/demo" in shown.out and "pages:           1" in shown.out


def test_webhook_add_prints_the_masked_url_and_the_secret_once(bgpub, org):
    from bgpub.db.models import Webhook

    assert bgpub("new", "demo").code == 0
    added = bgpub("webhook", "add", "demo", "https://example.com/hook?token=s3cret")
    assert added.code == 0, added.err
    row = Webhook.get()
    first, second = added.out.strip().splitlines()
    assert first == f"added webhook {row.id} -> {row.url}" and "s3cret" not in first
    assert second.startswith("secret (shown once;") and second.endswith(" whsec_" + second[-44:])
    chosen = bgpub(
        "webhook", "add", "demo", "https://example.com/b", "--secret", "whsec_" + "A" * 44
    )
    assert chosen.code == 0 and "secret" not in chosen.out


def test_audit_and_rename_print_from_the_values(bgpub, actor, org):
    from bgpub.db.models import AuditLog

    assert bgpub("new", "demo").code == 0
    listed = bgpub("audit", org.slug)
    assert listed.code == 0, listed.err
    entry = (
        AuditLog.select()
        .where(AuditLog.organization == org)
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
        .first()
    )
    when = entry.created_at.isoformat(timespec="seconds")
    assert (
        listed.out.strip()
        .splitlines()[-1]
        .startswith(
            f"{when}\t{actor.email}\t{entry.action}\t{entry.target_type}:{entry.target_id}\t{{"
        )
    )
    renamed = bgpub("config", "user.email", "Ada@Studio.Example", "--rename")
    assert renamed.out.strip() == (
        f"renamed {actor.email} to ada@studio.example; acting as ada@studio.example"
    )
