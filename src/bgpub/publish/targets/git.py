"""The `git` target: one commit per publish on a branch of a local repository (GitHub Pages style).

Commits are written with `git fast-import` on top of the branch's tip, sending only the files whose
blob differs from the tip's tree, so the cost follows the change. fast-import moves the branch only
when the whole commit is written and only forward; a killed process leaves the branch where it was.
The worktree is never touched: use a bare repository, or a branch that is not checked out.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from bgpub.errors import PublishError
from bgpub.publish.crashpoints import crashpoint
from bgpub.publish.folder import FETCH_BATCH, Fetch, Progress, read_json, write_json_atomic
from bgpub.publish.manifest import digest
from bgpub.publish.targets.base import DeployOutcome, DeployRequest

DEFAULT_BRANCH = "gh-pages"


def git_blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob: sha1 of "blob <size>\\0" and the bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class GitTarget:
    kind = "git"

    def __init__(self, config: Mapping, state_dir: Path | None = None):
        raw = config.get("repo") or config.get("path")
        if not raw:
            raise PublishError("a git target needs a repository path (repo)", where="target config")
        self.repo = Path(os.path.abspath(os.path.expanduser(str(raw))))
        self.branch = str(config.get("branch") or DEFAULT_BRANCH)
        self.ref = f"refs/heads/{self.branch}"
        self.state_path = Path(state_dir or self.repo) / "git-blob-ids.json"

    @property
    def location(self) -> str:
        return f"{self.repo}#{self.branch}"

    def _git(self, *args: str, input: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess:
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        try:
            done = subprocess.run(["git", "-C", str(self.repo), *args], input=input, capture_output=True, env=env)
        except FileNotFoundError as exc:
            raise PublishError("the git program is not installed", where=self.location) from exc
        if check and done.returncode != 0:
            detail = done.stderr.decode(errors="replace").strip().splitlines()
            raise PublishError(f"git {args[0]} failed: {detail[-1] if detail else done.returncode}",
                               where=self.location)
        return done

    def _check_repository(self) -> None:
        if not self.repo.is_dir():
            raise PublishError("no such repository folder", where=str(self.repo))
        found = self._git("rev-parse", "--absolute-git-dir", check=False)
        git_dir = Path(found.stdout.decode().strip()).resolve() if found.returncode == 0 else None
        if git_dir not in (self.repo.resolve(), (self.repo / ".git").resolve()):
            # not a repository itself (git would otherwise find one in a parent folder)
            raise PublishError("is not a git repository (run 'git init --bare' there)", where=str(self.repo))
        bare = self._git("rev-parse", "--is-bare-repository").stdout.strip() == b"true"
        head = self._git("symbolic-ref", "-q", "HEAD", check=False).stdout.strip().decode()
        if not bare and head == self.ref:
            raise PublishError(f"branch {self.branch} is checked out there; publish to another branch "
                               "or a bare repository", where=str(self.repo))

    def tip(self) -> str | None:
        done = self._git("rev-parse", "--verify", "-q", f"{self.ref}^{{commit}}", check=False)
        return done.stdout.decode().strip() or None

    def tree(self, commit: str) -> dict[str, str]:
        """{path: blob id} of every file in the commit's tree."""
        out = self._git("ls-tree", "-r", "-z", "--full-tree", commit).stdout.decode("utf-8", "surrogateescape")
        entries = {}
        for line in filter(None, out.split("\0")):
            meta, _, path = line.partition("\t")
            mode, kind, oid = meta.split()
            entries[path] = oid if kind == "blob" and mode in ("100644", "100755") else f"{kind}:{mode}"
        return entries

    def _known_ids(self) -> dict[str, str]:
        return read_json(self.state_path) or {}

    def deploy(self, request: DeployRequest, fetch: Fetch, progress: Progress | None = None) -> DeployOutcome:
        self._check_repository()
        manifest = request.manifest
        parent = self.tip()
        current = self.tree(parent) if parent else {}
        ids = self._known_ids()
        unknown = sorted({e[0] for e in manifest.values() if e[0] not in ids})
        payload: dict[str, bytes] = {}
        for start in range(0, len(unknown), FETCH_BATCH):  # first deploy from this machine only
            for sha, data in fetch(unknown[start:start + FETCH_BATCH]).items():
                ids[sha] = git_blob_id(data)
                payload[sha] = data
        expected = {path: ids[e[0]] for path, e in manifest.items()}
        changed = sorted(p for p, oid in expected.items() if current.get(p) != oid)
        removed = sorted(p for p in current if p not in expected)
        needed = sorted({manifest[p][0] for p in changed} - set(payload))
        for start in range(0, len(needed), FETCH_BATCH):
            payload.update(fetch(needed[start:start + FETCH_BATCH]))
        stream, sent = self._stream(request, parent, changed, removed, manifest, payload)
        write_json_atomic(self.state_path, ids)  # facts about content: true whatever happens next
        crashpoint("git-before-commit")
        with tempfile.TemporaryDirectory() as scratch:
            marks = Path(scratch) / "marks"
            self._git("fast-import", "--quiet", "--done", "--date-format=raw", f"--export-marks={marks}",
                      input=stream)
            commit = marks.read_text().split()[1]
        crashpoint("git-after-commit")
        if progress:
            progress(len(changed), len(changed))
        problems = self._verify_commit(commit, expected)
        return DeployOutcome(not problems, len(changed), sent, problems=problems, location=f"{self.location}@{commit[:12]}")

    def _stream(self, request: DeployRequest, parent: str | None, changed: list[str], removed: list[str],
                manifest: Mapping[str, list], payload: Mapping[str, bytes]) -> tuple[bytes, int]:
        who = f"{_clean(request.author_name) or 'bgpub'} <{_clean(request.author_email) or 'bgpub@localhost'}>"
        when = f"{int(time.time())} +0000"
        message = (request.message or f"Publish version {request.version}").encode() + b"\n"
        parts = [f"commit {self.ref}\nmark :1\nauthor {who} {when}\ncommitter {who} {when}\n".encode(),
                 b"data %d\n" % len(message), message]
        if parent:
            parts.append(f"from {parent}\n".encode())
        sent = 0
        for path in removed:
            parts.append(b"D " + _quote(path) + b"\n")
        for path in changed:
            data = payload[manifest[path][0]]
            if digest(data) != manifest[path][0]:
                raise PublishError(f"the bytes for {path} do not match their hash", where=self.location)
            parts.append(b"M 100644 inline " + _quote(path) + b"\n" + b"data %d\n" % len(data) + data + b"\n")
            sent += len(data)
        parts.append(b"\ndone\n")
        return b"".join(parts), sent

    def _verify_commit(self, commit: str, expected: Mapping[str, str]) -> list[str]:
        problems = []
        tip = self.tip()
        if tip != commit:
            problems.append(f"branch {self.branch} is at {tip and tip[:12]}, not at the new commit {commit[:12]}")
        actual = self.tree(commit)
        problems += [f"missing {p}" for p in sorted(set(expected) - set(actual))]
        problems += [f"unexpected {p}" for p in sorted(set(actual) - set(expected))]
        problems += [f"changed {p}" for p in sorted(set(expected) & set(actual)) if expected[p] != actual[p]]
        return problems

    def verify(self, manifest: Mapping[str, list], *, full: bool = False) -> list[str]:
        tip = self.tip()
        if tip is None:
            return [f"branch {self.branch} does not exist"]
        ids = self._known_ids()
        missing = [p for p, e in manifest.items() if e[0] not in ids]
        if missing:
            return [f"no recorded blob id for {missing[0]} (deploy once from this machine)"]
        return self._verify_commit(tip, {p: ids[e[0]] for p, e in manifest.items()})

    def live_manifest(self) -> None:
        return None


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch not in "<>\n")


def _quote(path: str) -> bytes:
    """A fast-import path: C-quoted when it holds a quote, a newline or a leading space."""
    raw = path.encode()
    if b'"' in raw or b"\n" in raw or b"\\" in raw or raw.startswith(b" "):
        return b'"' + raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"').replace(b"\n", b"\\n") + b'"'
    return raw
