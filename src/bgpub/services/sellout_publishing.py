"""Publishing after a sell-out: the `publish_on_sellout` project setting.

When an order empties a product's or variant's stock (or oversells it), the collector records a
publish request in the order's transaction (`order_intake.request_publish`), so the published pages
say "sold out" soon. It does not publish itself: a webhook must be answered within seconds, the
collector holds no member's identity or deploy credentials, and several sell-outs in a row should
cost one publish. `bgpub order publish-due` (cron it beside `bgpub schedule run`) publishes each
project with a pending request once, as the acting member, and records the version or the error; a
failed publish leaves the request pending for the next run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bgpub.db.fields import utcnow
from bgpub.db.models import Project, PublishRequest, User
from bgpub.errors import BgpubError
from bgpub.services.lookup import member_organizations
from bgpub.services.permissions import Action, require

SETTING = "publish_on_sellout"


@dataclass(frozen=True)
class SelloutPublish:
    project: str
    reason: str
    version: int | None = None
    error: str = ""


def _list_pending_requests(actor: User) -> list[tuple[Project, list[PublishRequest]]]:
    orgs = [o.id for o in member_organizations(actor)]
    if not orgs:
        return []
    rows = (
        PublishRequest.select(PublishRequest, Project)
        .join(Project)
        .where(PublishRequest.done_at.is_null() & Project.organization.in_(orgs))
        .order_by(Project.name, PublishRequest.requested_at)
    )
    grouped: dict[str, tuple[Project, list[PublishRequest]]] = {}
    for row in rows:
        grouped.setdefault(row.project_id, (row.project, []))[1].append(row)
    return list(grouped.values())


def run_sellout_publishes(
    actor: User, publish: Callable[..., object] | None = None
) -> list[SelloutPublish]:
    """Publishes every project of the actor with a pending sell-out request; one outcome each."""
    if publish is None:
        from bgpub.services.publishing import publish_project

        publish = publish_project
    outcomes = []
    for project, requests in _list_pending_requests(actor):
        reason = "; ".join(r.reason for r in requests)[:500]
        ids = [r.id for r in requests]
        try:
            require(actor, project.organization, Action.PUBLISH)
        except (
            BgpubError
        ) as exc:  # not this member's to publish: the request stays for someone who may
            outcomes.append(SelloutPublish(project.name, reason, error=str(exc)))
            continue
        try:
            result = publish(actor, project, message=reason or "sold out")
        except BgpubError as exc:
            PublishRequest.update(error=str(exc)[:1000]).where(PublishRequest.id.in_(ids)).execute()
            outcomes.append(SelloutPublish(project.name, reason, error=str(exc)))
            continue
        version = getattr(result, "version", None)
        number = getattr(version, "number", version)
        PublishRequest.update(
            done_at=utcnow(), version=number if isinstance(number, int) else None, error=""
        ).where(PublishRequest.id.in_(ids)).execute()
        outcomes.append(
            SelloutPublish(project.name, reason, number if isinstance(number, int) else None)
        )
    return outcomes
