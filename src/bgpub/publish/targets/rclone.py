"""The `rclone` target: any remote rclone reaches (SFTP, FTP, WebDAV, Azure Blob, GCS, Dropbox...).

`--remote NAME:path` names a remote of the user's own rclone configuration (`rclone config`), which
holds the credentials: bgpub never sees them. A local mirror in bgpub's state folder is kept equal to
the version (only changed files written, like rsync's), then the changed files go up in the order of
`objects.py` (hashed assets, other files, new pages, changed pages), each phase one
`rclone copy --files-from-raw` that sends exactly those files; deletions follow, pages first. When
what is live is unknown the remote is listed and compared instead. Verification is `rclone check`
of the mirror (itself checked against the manifest) with the remote: hashes where both sides have a
common one, sizes otherwise plus a byte-for-byte `--download` check of the files just sent.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from bgpub.domain.progress import Progress
from bgpub.errors import InvalidInput, PublishError
from bgpub.publish.crashpoints import crashpoint
from bgpub.publish.folder import Fetch, ReleaseFolder
from bgpub.publish.targets import objects
from bgpub.publish.targets.base import DeployOutcome, DeployRequest
from bgpub.publish.targets.registry import Option, TargetType, text

REMOTE = re.compile(
    r"^[A-Za-z0-9_][A-Za-z0-9_. -]*:[^\0\r\n]*$"
)  # a configured remote, not a connection string
COMMON_FLAGS = [
    "--ask-password=false"
]  # retries and timeouts: rclone's defaults, or the user's RCLONE_* settings
TIMEOUT = 6 * 3600


def remote_name(value: object, where: str) -> str:
    remote = text(value, where)
    head = remote.split(":", 1)[0]
    if not REMOTE.match(remote) or "," in head or remote.startswith("-"):
        raise InvalidInput(
            f"{remote!r} is not NAME:path of a remote in your rclone config (rclone config "
            "shows them; credentials stay there)",
            where=where,
        )
    return remote


class RcloneTarget:
    kind = "rclone"

    def __init__(self, config: Mapping[str, Any], state_dir: Path | None = None):
        self.remote = str(config.get("remote") or "")
        if not self.remote:
            raise PublishError("an rclone target needs a remote (NAME:path)", where="target config")
        if state_dir is None:
            raise PublishError(
                "an rclone target needs a state folder for its mirror", where=self.remote
            )
        self.mirror = ReleaseFolder(Path(state_dir) / "mirror", Path(state_dir) / "mirror.json")

    @property
    def location(self) -> str:
        return self.remote

    def _child(self, path: str) -> str:
        return self.remote + path if self.remote.endswith((":", "/")) else f"{self.remote}/{path}"

    def _rclone(
        self, *args: str, input: bytes | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[bytes]:
        try:
            done = subprocess.run(
                ["rclone", *args, *COMMON_FLAGS], input=input, capture_output=True, timeout=TIMEOUT
            )
        except FileNotFoundError as exc:
            raise PublishError(
                "the rclone program is not installed (Debian: apt-get install rclone)",
                where=self.remote,
            ) from exc
        except subprocess.TimeoutExpired as exc:
            raise PublishError(f"rclone {args[0]} did not finish", where=self.remote) from exc
        if check and done.returncode != 0:
            raise PublishError(f"rclone {args[0]} failed: {_last(done.stderr)}", where=self.remote)
        return done

    def _with_list(
        self, paths: Iterable[str], *args: str, check: bool = True
    ) -> subprocess.CompletedProcess[bytes]:
        """Runs rclone on exactly these files (one name a line, unprocessed)."""
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", suffix=".list", delete=False
        ) as handle:
            handle.write("".join(f"{p}\n" for p in paths))
        try:
            return self._rclone(*args, "--files-from-raw", handle.name, check=check)
        finally:
            Path(handle.name).unlink(missing_ok=True)

    def listing(self) -> dict[str, dict[str, Any]]:
        """{path: lsjson entry} of every file on the remote (with hashes when the remote has them)."""
        done = self._rclone("lsjson", "-R", "--files-only", "--hash", self.remote, check=False)
        if done.returncode != 0:
            if b"directory not found" in done.stderr:
                return {}
            raise PublishError(f"rclone lsjson failed: {_last(done.stderr)}", where=self.remote)
        return {item["Path"]: item for item in json.loads(done.stdout or b"[]")}

    # -- deploying ---------------------------------------------------------------------------------
    def deploy(
        self, request: DeployRequest, fetch: Fetch, progress: Progress | None = None
    ) -> DeployOutcome:
        manifest = request.manifest
        self.mirror.sync(manifest, fetch)
        problems = self.mirror.verify(manifest)
        if problems:
            return DeployOutcome(
                False, problems=["the local mirror differs: " + problems[0]], location=self.remote
            )
        if request.previous is not None:
            upload, delete = objects.changed_paths(manifest, request.previous)
        else:
            upload, delete = self._compare(manifest, self.listing())
        steps = objects.Steps(
            len(upload) + len(delete), sum(manifest[p][1] for p in upload), progress
        )
        sent: list[str] = []
        trying: list[str] = []  # the step under way: rclone may have sent part of it when it fails
        switched = False
        try:
            for phase in objects.upload_phases(upload, request.previous):
                if objects.is_html(phase[0]) and not switched:
                    request.confirm_switch()
                    switched = True
                trying = phase
                self._with_list(
                    phase,
                    "copy",
                    str(self.mirror.path),
                    self.remote,
                    "--no-traverse",
                    "--no-check-dest",
                )
                sent += phase
                trying = []
                steps.advance(len(phase), sum(manifest[p][1] for p in phase))
                crashpoint("rclone-phase-sent")
            if not switched:
                request.confirm_switch()
            for phase in objects.deletion_phases(delete):
                self._with_list(phase, "delete", self.remote)
                steps.deleted += len(phase)
                steps.advance(len(phase), 0)
            if delete:
                self._rclone(
                    "rmdirs", "--leave-root", self.remote, check=False
                )  # folders left empty
        except PublishError as exc:
            return DeployOutcome(
                False,
                len(sent),
                steps.bytes_done,
                problems=[exc.message] + _left_over(sent, trying, upload, delete, steps.deleted),
                location=self.remote,
            )
        problems = self._check(upload)
        return DeployOutcome(
            not problems, len(upload), steps.bytes_done, problems=problems, location=self.remote
        )

    def _compare(
        self, manifest: Mapping[str, list[Any]], listed: Mapping[str, dict[str, Any]]
    ) -> tuple[list[str], list[str]]:
        """What to send and delete when what is live is unknown: sizes, and hashes where the remote has them."""
        upload = []
        for path, entry in manifest.items():
            there = listed.get(path)
            if (
                there is None
                or int(there.get("Size", -1)) != entry[1]
                or not self._same_hash(path, there)
            ):
                upload.append(path)
        return sorted(upload), sorted(p for p in listed if p not in manifest)

    def _same_hash(self, path: str, entry: Mapping[str, Any]) -> bool:
        import hashlib

        hashes = entry.get("Hashes") or {}
        for name in ("sha256", "sha1", "md5"):
            if hashes.get(name):
                data = (self.mirror.path / path).read_bytes()
                same: bool = hashlib.new(name, data).hexdigest() == hashes[name].lower()
                return same
        return False  # no hash to compare: send it again rather than trust the size

    def _check(self, sent: list[str]) -> list[str]:
        """`rclone check` of the mirror against the remote; bytes of the files just sent when no hash is shared."""
        report = self._report(["check", str(self.mirror.path), self.remote])
        problems: list[str] = report["problems"]
        if not report["no_hash"] or not sent:
            return problems
        download = self._report(
            ["check", str(self.mirror.path), self.remote, "--download"], only=sent
        )
        return sorted(set(report["problems"]) | set(download["problems"]))

    def _report(self, args: list[str], only: list[str] | None = None) -> dict[str, Any]:
        """Runs `rclone check` with its per-file reports (missing on either side, differing, unreadable)."""
        kinds = {
            "--missing-on-dst": "missing",
            "--missing-on-src": "unexpected",
            "--differ": "changed",
            "--error": "unreadable",
        }
        with tempfile.TemporaryDirectory() as scratch:
            reports = [
                arg for flag in kinds for arg in (flag, str(Path(scratch) / flag.strip("-")))
            ]
            if only is None:
                done = self._rclone(*args, *reports, check=False)
            else:
                done = self._with_list(only, *args, *reports, check=False)
            problems = (
                [
                    f"{word} {line}"
                    for flag, word in kinds.items()
                    for line in (Path(scratch) / flag.strip("-"))
                    .read_text(encoding="utf-8")
                    .splitlines()
                    if line
                ]
                if all((Path(scratch) / f.strip("-")).exists() for f in kinds)
                else []
            )
        if done.returncode != 0 and not problems:
            problems = [f"rclone check failed: {_last(done.stderr)}"]
        return {"problems": sorted(problems), "no_hash": b"No common hash" in done.stderr}

    def verify(self, manifest: Mapping[str, list[Any]], *, full: bool = False) -> list[str]:
        problems = self.mirror.verify(manifest, full=full)
        if problems:
            return ["the local mirror differs: " + p for p in problems]
        return self._check(sorted(manifest) if full else [])

    def probe(self) -> list[str]:
        """Lists the remote, writes a probe file and deletes it."""
        self._rclone("lsjson", "--max-depth", "1", self.remote, check=False)
        name = self._child(f".bgpub-probe-{uuid.uuid4().hex[:12]}")
        self._rclone("rcat", name, input=b"probe")
        self._rclone("deletefile", name)
        return [f"reached {self.remote}", "may write and delete files there"]

    def live_manifest(self) -> None:
        return None


def _shown(paths: list[str]) -> str:
    return ", ".join(paths[:5]) + ("..." if len(paths) > 5 else "")


def _left_over(
    sent: list[str], trying: list[str], upload: list[str], delete: list[str], deleted: int
) -> list[str]:
    """Exactly what a failed deploy left on the remote: the steps that finished, the one that failed."""
    left = [
        f"left over: {len(sent)} of {len(upload)} changed file(s) were sent"
        + (f" ({_shown(sent)})" if sent else "")
    ]
    if trying:
        left.append(
            f"the step that failed may have sent some of its {len(trying)} file(s) ({_shown(trying)})"
        )
    pages = [p for p in upload if objects.is_html(p)]
    new_pages = sum(objects.is_html(p) for p in sent)
    if new_pages:
        left.append(
            f"{new_pages} of {len(pages)} page(s) are already new, the others still the previous "
            "version's; every page's files are present"
        )
    elif not any(objects.is_html(p) for p in trying):
        left.append("no page changed: the previous version is still what visitors get")
    if delete:
        left.append(f"{deleted} of the {len(delete)} removed file(s) were deleted")
    left.append("the next publish or rollback to this target completes or replaces it")
    return left


def _last(stderr: bytes) -> str:
    lines = [
        line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()
    ]
    return lines[-1] if lines else "no output"


KIND = TargetType(
    "rclone",
    "any remote of your rclone configuration (SFTP, FTP, WebDAV, Azure Blob, GCS, Dropbox...)",
    (
        Option(
            "remote",
            "rclone: NAME:path of a remote in your rclone config (credentials stay there)",
            required=True,
            parse=remote_name,
        ),
    ),
    RcloneTarget,
)
