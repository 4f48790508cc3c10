"""Webhooks as front ends see them: one just added (with its secret, shown once) and one line of the
list; plain values, so no webhook row crosses into the CLI."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AddedWebhook:
    """What `bgpub webhook add` reports: the webhook's id, its masked URL and the secret, which is
    shown this once (only its ciphertext is kept)."""

    id: str
    url: str  # masked: user info and query hidden, as the `url` column keeps it
    events: tuple[str, ...]
    allow_private: bool
    secret: str


@dataclass(frozen=True)
class WebhookView:
    """One line of `bgpub webhook list`, with the last delivery's outcome."""

    id: str
    url: str  # in full for OWNER and ADMIN, masked for everyone else
    events: list[str]
    active: bool
    last_status: str
    allow_private: bool = False
