"""What `bgpub check` and the editor's publish check report: one finding per problem, with its
severity; plain values."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem: which check found it, how bad, where (page, block, prop) and what to do."""

    check: str
    severity: str  # ERROR | WARNING
    where: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {
            "check": self.check,
            "severity": self.severity,
            "where": self.where,
            "message": self.message,
        }
