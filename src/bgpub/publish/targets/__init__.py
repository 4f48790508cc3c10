"""Deploy targets: a local folder, a git branch, an rsync destination."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bgpub.errors import InvalidInput
from bgpub.publish.targets.base import DeployOutcome, DeployRequest, Target

KINDS = ("dir", "git", "rsync")


def make_target(kind: str, config: Mapping, state_dir: Path) -> Target:
    """The target object for a stored kind and config; `state_dir` is bgpub's private scratch space."""
    if kind == "dir":
        from bgpub.publish.targets.dir import DirTarget

        return DirTarget(config, state_dir)
    if kind == "git":
        from bgpub.publish.targets.git import GitTarget

        return GitTarget(config, state_dir)
    if kind == "rsync":
        from bgpub.publish.targets.rsync import RsyncTarget

        return RsyncTarget(config, state_dir)
    raise InvalidInput(f"unknown target kind {kind!r}; use one of {', '.join(KINDS)}", where="--kind")


__all__ = ["KINDS", "DeployOutcome", "DeployRequest", "Target", "make_target"]
