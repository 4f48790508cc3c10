"""A reader's comment as front ends and the API see it: plain values, without the e-mail address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class CommentView:
    """One comment of `comment list`, the editor's moderation queue and the API."""

    id: str
    post: str  # the post's slug
    author_name: str
    body: str
    status: str
    created_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "post": self.post,
            "author_name": self.author_name,
            "body": self.body,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
        }
