"""Deploy targets: a local folder, a git branch or remote, rsync, and more kinds from the registry."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bgpub.publish.targets import registry
from bgpub.publish.targets.base import DeployOutcome, DeployRequest, Target


def make_target(kind: str, config: Mapping, state_dir: Path) -> Target:
    """The target object for a stored kind and config; `state_dir` is bgpub's private scratch space."""
    return registry.get(kind).open(config, state_dir)


__all__ = ["DeployOutcome", "DeployRequest", "Target", "make_target", "registry"]
