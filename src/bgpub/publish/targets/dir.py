"""The `dir` target: a local folder switched atomically between release folders by a symlink.

`path` is the live site: a symlink to one of a few release folders kept beside it in
`.<name>.bgpub/releases/`. A deploy brings a release that is not live up to the new manifest,
touching only the files that differ (so the cost follows the change, not the site), checks it, and
then renames a new symlink over `path`: a reader resolves either the old or the new release, never a
mix. The releases are recycled least-recently-live first, so the previous site stays intact for
readers still on it and a rollback to a recent version is a symlink swap.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bgpub.domain.progress import Progress
from bgpub.errors import PublishError
from bgpub.publish.crashpoints import crashpoint
from bgpub.publish.folder import Fetch, ReleaseFolder
from bgpub.publish.targets.base import DeployOutcome, DeployRequest
from bgpub.publish.targets.registry import Option, TargetType, integer, local_path

DEFAULT_KEEP = 2


class DirTarget:
    kind = "dir"

    def __init__(self, config: Mapping[str, Any], state_dir: Path | None = None):
        raw = config.get("path")
        if not raw:
            raise PublishError("a dir target needs a path", where="target config")
        self.live = Path(os.path.abspath(os.path.expanduser(str(raw))))
        self.home = self.live.parent / f".{self.live.name}.bgpub"
        self.keep = max(2, int(config.get("keep", DEFAULT_KEEP)))
        self._releases: dict[str, ReleaseFolder] = {}

    @property
    def location(self) -> str:
        return str(self.live)

    def release(self, name: str) -> ReleaseFolder:
        if name not in self._releases:
            self._releases[name] = ReleaseFolder(
                self.home / "releases" / name, self.home / "state" / f"{name}.json"
            )
        return self._releases[name]

    def slot_names(self) -> list[str]:
        return [f"r{i}" for i in range(1, self.keep + 1)]

    def live_slot(self) -> str | None:
        """The release the live symlink points at; refuses a path bgpub does not manage."""
        if os.path.islink(self.live):
            target = Path(os.path.realpath(self.live))
            if target.parent == (self.home / "releases").resolve():
                return target.name
            raise PublishError(
                f"is a symlink to {target}, not to a bgpub release", where=str(self.live)
            )
        if self.live.exists():
            if self.live.is_dir() and not any(self.live.iterdir()):
                return None
            raise PublishError(
                "exists and is not a site published by bgpub; give an empty or new path",
                where=str(self.live),
            )
        return None

    def live_version(self) -> int | None:
        """The version number the live release was built for, as its state records it."""
        slot = self.live_slot()
        state = self.release(slot).state() if slot else None
        return state.get("version") if state and not state.get("dirty") else None

    def live_manifest(self) -> dict[str, list[Any]] | None:
        slot = self.live_slot()
        return self.release(slot).manifest() if slot else None

    def deploy(
        self, request: DeployRequest, fetch: Fetch, progress: Progress | None = None
    ) -> DeployOutcome:
        live = self.live_slot()
        slot = self._choose_slot(live, request.manifest)
        folder = self.release(slot)
        live_folder = self.release(live) if live else None
        if (
            folder.state() is None
            and live_folder is not None
            and live_folder.manifest() is not None
        ):
            folder.clone_from(live_folder)  # a fresh release starts as hard links to the live one
        try:
            report = folder.sync(
                request.manifest,
                fetch,
                progress,
                extra={"version": request.version, "live_at": time.time()},
            )
        except PublishError as exc:  # raised on, saying what it left
            raise PublishError(
                f"{exc.message}; {self._left_over(slot, live)}", where=exc.where
            ) from exc
        problems = folder.verify(request.manifest)
        if problems:
            return DeployOutcome(
                False,
                report.files_written,
                report.bytes_written,
                problems=problems + [self._left_over(slot, live)],
            )
        crashpoint("dir-before-swap")
        request.confirm_switch()
        self._point_live_at(slot)
        crashpoint("dir-after-swap")
        if live is None:
            self._fill_spare_releases(slot)
        return DeployOutcome(
            True, report.files_written, report.bytes_written, location=str(self.live)
        )

    def _left_over(self, slot: str, live: str | None) -> str:
        """Exactly what a failed deploy left: a spare release half-written, nothing visitors see."""
        now = f"release {live} is still live, unchanged" if live else "nothing was live, nor is now"
        return (
            f"left over: release {slot} (not live) holds part of the new version; {now}; the next "
            "publish or rollback brings that release up to date before switching"
        )

    def verify(self, manifest: Mapping[str, list[Any]], *, full: bool = False) -> list[str]:
        slot = self.live_slot()
        if slot is None:
            return [f"nothing is live at {self.live}"]
        return self.release(slot).verify(manifest, full=full)

    def probe(self) -> list[str]:
        """The path is bgpub's (or free) and its folder writable: a deploy could switch it."""
        slot = self.live_slot()
        parent = self.live.parent
        while not parent.exists():
            parent = parent.parent
        if not os.access(parent, os.W_OK | os.X_OK):
            raise PublishError("cannot write here (permission denied)", where=str(parent))
        return [
            f"{self.live} " + (f"is live on release {slot}" if slot else "is free"),
            f"may write in {parent}",
        ]

    def _choose_slot(self, live: str | None, manifest: Mapping[str, list[Any]]) -> str:
        """A release already holding `manifest`, else the one live longest ago (never the live one)."""
        spare = [name for name in self.slot_names() if name != live]
        wanted = None
        for name in spare:
            held = self.release(name).manifest()
            if held is not None and len(held) == len(manifest):
                wanted = wanted or {p: list(e[:2]) for p, e in manifest.items()}
                if held == wanted:
                    return name

        def last_live(name: str) -> float:
            state = self.release(name).state()
            return float(state.get("live_at", 0)) if state else -1.0

        return min(spare, key=last_live)

    def _point_live_at(self, slot: str) -> None:
        self.live.parent.mkdir(parents=True, exist_ok=True)
        if self.live.is_dir() and not self.live.is_symlink():
            self.live.rmdir()  # the empty folder a user created for us
        swap = self.live.with_name(f".{self.live.name}.bgpub-swap")
        if os.path.lexists(swap):
            swap.unlink()
        os.symlink(os.path.join(self.home.name, "releases", slot), swap)
        os.replace(swap, self.live)

    def _fill_spare_releases(self, live: str) -> None:
        """After the first deploy, the spare releases become hard-linked copies of the live one, so
        the next deploys only write what changed."""
        source = self.release(live)
        for name in self.slot_names():
            if name != live and self.release(name).state() is None:
                self.release(name).clone_from(source)


KIND = TargetType(
    "dir",
    "a local folder switched atomically between releases by a symlink",
    (
        Option(
            "path",
            "dir: the live site path (becomes a symlink to the current release)",
            required=True,
            parse=local_path,
        ),
        Option(
            "keep", "dir: how many release folders to keep (2-20, default 2)", parse=integer(2, 20)
        ),
    ),
    DirTarget,
)
