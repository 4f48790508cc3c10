"""The `rsync` target: a local mirror kept equal to the version, then `rsync --delete` to a path or host:path.

The mirror lives in bgpub's state folder and is updated like a release folder (only changed files are
written); rsync then sends only the files whose content differs (`--checksum`), with
`--delay-updates` so the changed files land together at the end. Verification hashes the files of a local destination, and asks rsync for a
checksum comparison against the checked mirror for a remote one.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bgpub.domain.progress import DEPLOY, Progress, Step
from bgpub.errors import PublishError
from bgpub.publish.crashpoints import crashpoint
from bgpub.publish.folder import Fetch, ReleaseFolder, verify_tree
from bgpub.publish.targets.base import DeployOutcome, DeployRequest
from bgpub.publish.targets.registry import Option, TargetType, local_path, text


def is_remote(dest: str) -> bool:
    """`host:path` or `user@host:path` (rsync's own rule: a colon before any slash)."""
    head = dest.split("/", 1)[0]
    return ":" in head


class RsyncTarget:
    kind = "rsync"

    def __init__(self, config: Mapping[str, Any], state_dir: Path | None = None):
        dest = str(config.get("dest") or config.get("path") or "")
        if not dest:
            raise PublishError(
                "an rsync target needs a destination (dest: PATH or HOST:PATH)",
                where="target config",
            )
        self.remote = is_remote(dest)
        self.dest = dest if self.remote else os.path.abspath(os.path.expanduser(dest))
        if state_dir is None:
            raise PublishError(
                "an rsync target needs a state folder for its mirror", where=self.dest
            )
        self.mirror = ReleaseFolder(Path(state_dir) / "mirror", Path(state_dir) / "mirror.json")
        self.options = [str(o) for o in config.get("options", [])]

    @property
    def location(self) -> str:
        return self.dest

    def _rsync(self, *extra: str) -> subprocess.CompletedProcess[str]:
        command = [
            "rsync",
            "-rlt",
            "--delete-delay",  # removed files go only after every new one is in place
            "--delay-updates",
            *self.options,
            *extra,
            f"{self.mirror.path}/",
            self.dest.rstrip("/") + "/",
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True)
        except FileNotFoundError as exc:
            raise PublishError("the rsync program is not installed", where=self.dest) from exc
        if done.returncode != 0:
            raise PublishError(failure(done.returncode, done.stderr), where=self.dest)
        return done

    def deploy(
        self, request: DeployRequest, fetch: Fetch, progress: Progress | None = None
    ) -> DeployOutcome:
        report = self.mirror.sync(request.manifest, fetch, progress)
        problems = self.mirror.verify(request.manifest)
        if problems:
            return DeployOutcome(
                False, report.files_written, report.bytes_written, problems=problems
            )
        if not self.remote:
            Path(self.dest).mkdir(parents=True, exist_ok=True)
        crashpoint("rsync-before-send")
        request.confirm_switch()
        try:
            # --checksum: rsync's quick check (size and mtime) skips a file rewritten to the same
            # size within the second of the last send (a sitemap whose date changed), and the
            # verification then finds the old bytes live
            done = self._rsync("--checksum", "--stats", "--mkpath")
        except PublishError as exc:  # raised on, saying what it left
            raise PublishError(f"{exc.message}; {self._left_over()}", where=exc.where) from exc
        sent_files, sent_bytes = _stats(done.stdout)
        if progress:  # the mirror's progress came first; this is what rsync itself sent
            progress(Step(DEPLOY, sent_files, sent_files, sent_bytes, sent_bytes))
        problems = self.verify(request.manifest)
        return DeployOutcome(
            not problems, sent_files, sent_bytes, problems=problems, location=self.dest
        )

    def _left_over(self) -> str:
        """Exactly what a failed send left at the destination, asked of rsync itself (a checksum dry
        run against the mirror, which already holds the new version); said plainly when even that
        cannot reach it."""
        try:
            listing = self._rsync("--dry-run", "--checksum", "--itemize-changes", "--mkpath")
        except PublishError as exc:
            return (
                f"left over: unknown, the destination could not be checked ({exc.message}); "
                "the next publish or rollback to this target completes or replaces it"
            )
        changes = [line for line in listing.stdout.splitlines() if line.strip()]
        sends = sum(1 for line in changes if line[:2] in ("<f", ">f", "cf"))
        deletes = sum(
            1 for line in changes if line.startswith("*deleting") and not line.endswith("/")
        )
        if not changes:
            state = "every file already matches the new version"
        else:
            state = (
                f"{sends} file(s) still differ from the new version and {deletes} removed file(s) are "
                "still there; with --delay-updates no changed file went live unless all of them did, "
                "and rsync's partial files wait in `.~tmp~` folders"
            )
        return f"left over at {self.dest}: {state}; the next publish or rollback to this target completes or replaces it"

    def verify(self, manifest: Mapping[str, list[Any]], *, full: bool = False) -> list[str]:
        if not self.remote:
            return verify_tree(Path(self.dest), manifest)
        problems = self.mirror.verify(manifest, full=full)
        if problems:
            return problems
        listing = self._rsync("--dry-run", "--checksum", "--itemize-changes").stdout
        return [f"differs on {self.dest}: {line}" for line in listing.splitlines() if line.strip()]

    def probe(self) -> list[str]:
        """A local destination's folder is writable; a remote one answers rsync (over ssh)."""
        if self.remote:
            try:
                done = subprocess.run(
                    ["rsync", "--list-only", *self.options, self.dest.rstrip("/") + "/"],
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
            except (FileNotFoundError, subprocess.TimeoutExpired) as exc:
                raise PublishError(f"rsync could not reach it: {exc}", where=self.dest) from exc
            if done.returncode not in (0, 23):  # 23: the folder does not exist yet
                raise PublishError(failure(done.returncode, done.stderr), where=self.dest)
            return [f"reached {self.dest}"]
        folder = Path(self.dest)
        while not folder.exists():
            folder = folder.parent
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PublishError("cannot write here (permission denied)", where=str(folder))
        return [f"may write in {folder}"]

    def live_manifest(self) -> None:
        return None


# rsync(1) "EXIT VALUES"; 255 is ssh's own failure when the remote shell cannot start.
EXIT_MEANINGS = {
    1: "usage error (check the target's options)",
    2: "protocol incompatibility",
    3: "could not select the files or folders",
    5: "could not start the rsync protocol",
    10: "network socket error",
    11: "file I/O error",
    12: "protocol data stream error (the connection broke)",
    14: "could not start a process",
    20: "interrupted",
    23: "partial transfer: some files could not be sent",
    24: "partial transfer: source files vanished",
    30: "timed out sending or receiving",
    35: "timed out waiting for the daemon",
    127: "the remote shell could not find rsync",
    255: "the ssh connection failed",
}


def failure(code: int, stderr: str) -> str:
    """One line naming the exit code's meaning and rsync's own diagnostics (the lines that say why,
    not its generic closing `rsync error: ... at main.c` summary)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    why = [
        line
        for line in lines
        if not line.startswith("rsync error:")
        and "connection unexpectedly closed" not in line
        and not line.startswith("rsync: [sender] write error: Broken pipe")
    ]
    detail = "; ".join(dict.fromkeys(why or lines))  # keeps order, drops repeats
    if len(detail) > 400:
        detail = detail[:399] + "…"
    meaning = EXIT_MEANINGS.get(code, "failed")
    if code == 12 and any(line.startswith("ssh:") for line in lines):
        # ssh refused or dropped: rsync exits 255 or 12, whichever it notices first (a race seen
        # here about one time in three); both are the ssh connection failing
        meaning = EXIT_MEANINGS[255]
    return f"rsync exited with code {code} ({meaning})" + (f": {detail}" if detail else "")


def _stats(text: str) -> tuple[int, int]:
    """Files transferred and literal bytes sent, from `rsync --stats`."""
    files = sent = 0
    for line in text.splitlines():
        key, _, value = line.partition(":")
        number = value.strip().split(" ")[0].replace(",", "")
        if key.startswith("Number of regular files transferred") and number.isdigit():
            files = int(number)
        elif key.startswith("Literal data") and number.isdigit():
            sent = int(number)
    return files, sent


def _destination(value: object, where: str) -> str:
    dest = text(value, where)
    return dest if is_remote(dest) else local_path(dest, where)


KIND = TargetType(
    "rsync",
    "a path or HOST:PATH kept equal to the version by rsync --delete",
    (Option("dest", "rsync: PATH or HOST:PATH", required=True, parse=_destination),),
    RsyncTarget,
)
