"""Webhooks may be kept from private addresses: `webhooks.allow_private`; audit rows stop showing tokens.

`allow_private` is added NOT NULL, FALSE for existing rows: a webhook that pointed at a loopback or
private address is refused at its next delivery until it is added again with `--allow-private`.
The URL of a webhook may carry a token (user info, query); the audit rows of `webhook.add` and
`webhook.remove` written before kept it in clear, so their `summary.url` is masked here (user
info, query and fragment become `••••`). Webhook URLs themselves need the secret key to be
sealed, which a migration does not have: services seal each old row when it is next delivered
or listed by an OWNER/ADMIN.
"""

import json
from urllib.parse import urlsplit

from peewee import *

MASK = "••••"


def _masked(url):
    """A frozen copy of services.webhook_endpoints.mask_url as of this migration."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return MASK
    if ":" in host:
        host = f"[{host}]"
    netloc = (f"{MASK}@" if "@" in parts.netloc else "") + host + (f":{port}" if port else "")
    return (
        f"{parts.scheme}://{netloc}{parts.path}"
        + (f"?{MASK}" if parts.query else "")
        + (f"#{MASK}" if parts.fragment else "")
    )


def _mask_audit_rows(db):
    pg = isinstance(db, PostgresqlDatabase)
    rows = db.execute_sql(
        "SELECT id, summary FROM audit_logs WHERE action IN ('webhook.add', 'webhook.remove')"
    ).fetchall()
    update = (
        "UPDATE audit_logs SET summary = CAST(%s AS JSONB) WHERE id = %s"
        if pg
        else "UPDATE audit_logs SET summary = ? WHERE id = ?"
    )
    for row_id, summary in rows:
        summary = json.loads(summary) if isinstance(summary, (str, bytes)) else summary
        if not isinstance(summary, dict) or not isinstance(summary.get("url"), str):
            continue
        masked = _masked(summary["url"])
        if masked != summary["url"]:
            summary["url"] = masked
            db.execute_sql(
                update,
                (
                    json.dumps(summary, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
                    row_id,
                ),
            )


def up(migrator, db):
    migrator.migrate(migrator.add_column("webhooks", "allow_private", BooleanField(default=False)))
    _mask_audit_rows(db)


def down(migrator, db):
    migrator.migrate(migrator.drop_column("webhooks", "allow_private"))
