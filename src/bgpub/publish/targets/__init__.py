"""Deploy targets: a local folder, a git branch or remote, rsync, and more kinds from the registry."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bgpub.publish.targets import registry
from bgpub.publish.targets.base import DeployOutcome, DeployRequest, Target


def make_target(kind: str, config: Mapping[str, Any], state_dir: Path) -> Target:
    """The target object for a stored kind and config; `state_dir` is bgpub's private scratch space."""
    target: Target = registry.get(kind).open(config, state_dir)
    return target


__all__ = ["DeployOutcome", "DeployRequest", "Target", "make_target", "registry"]
