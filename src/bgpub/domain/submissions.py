"""A form submission as front ends and the API see it: plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class SubmissionView:
    """One submission of `form list`, the editor's inbox and the API."""

    id: str
    form: str
    page: str | None  # the page's slug, when known
    data: dict[str, Any]
    created_at: datetime
    handled_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "form": self.form,
            "page": self.page,
            "data": self.data,
            "created_at": self.created_at.isoformat(),
            "handled_at": self.handled_at.isoformat() if self.handled_at else None,
        }
