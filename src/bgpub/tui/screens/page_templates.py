"""Page templates on the project screen: the new-page dialog offers the organization's templates, and
`m` saves the selected page as one. Service calls run in the screen's workers, on that thread's
connection, and come back as small records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from bgpub.errors import BgpubError
from bgpub.tui.service_session import connected

BLANK = ""  # the "Start from" choice of an empty page


@dataclass(frozen=True)
class TemplateChoice:
    name: str
    title: str
    blocks: int
    description: str


class TemplatesLoaded(Message):
    def __init__(self, templates: tuple[TemplateChoice, ...]) -> None:
        self.templates = templates
        super().__init__()


def template_options(templates: tuple[TemplateChoice, ...]) -> tuple[tuple[str, str], ...]:
    """(label, value) of the new-page dialog's "Start from" select: a blank page first."""
    return (
        ("Blank page", BLANK),
        *((f"{t.name} · {t.blocks} block(s)", t.name) for t in templates),
    )


def check_template(value: str) -> str | None:
    """The service's own name check, as the dialog's inline message."""
    from bgpub.services.page_templates import check_template_name

    try:
        check_template_name(value)
    except BgpubError as exc:
        return exc.message
    return None


def _on_connection(call: Any) -> Any:
    return connected(lambda _session: call())(None)


def templates_of(session: Any, project: str) -> tuple[TemplateChoice, ...]:
    from bgpub.services.page_templates import list_page_templates

    actor = getattr(session, "actor", None)
    if (
        actor is None
    ):  # an injected session without a user (benchmarks, fakes): no templates to offer
        return ()
    views = _on_connection(lambda: list_page_templates(actor, project))
    return tuple(TemplateChoice(v.name, v.title, len(v.blocks), v.description) for v in views)


def add_from_template(session: Any, project: str, template: str, slug: str, title: str) -> Any:
    from bgpub.services.page_templates import add_page_from_template

    return _on_connection(
        lambda: add_page_from_template(session.actor, project, template, slug, title)
    )


def save_template(session: Any, project: str, slug: str, name: str, description: str) -> Any:
    from bgpub.services.page_templates import save_page_template

    return _on_connection(
        lambda: save_page_template(session.actor, project, slug, name, description=description)
    )
