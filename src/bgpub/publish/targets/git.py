"""The `git` target: one commit per publish on a branch, in a local repository or pushed to a remote.

Commits are written with `git fast-import` on top of the branch's tip, sending only the files whose
blob differs from the tip's tree, so the cost follows the change. fast-import moves the branch only
when the whole commit is written and only forward; a killed process leaves the branch where it was.
With `repo` the commit lands in that repository (bare, or the branch not checked out; its worktree is
never touched). With `remote` bgpub commits in a private repository in its state folder, on top of
the remote branch's tip, and pushes with a lease on the commit it pushed last (see git_remote.py).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bgpub.domain.progress import DEPLOY, Progress, Step
from bgpub.errors import InvalidInput, PublishError
from bgpub.publish.crashpoints import crashpoint
from bgpub.publish.folder import FETCH_BATCH, Fetch, read_json, write_json_atomic
from bgpub.publish.manifest import digest
from bgpub.publish.targets import git_remote
from bgpub.publish.targets.base import DeployOutcome, DeployRequest
from bgpub.publish.targets.registry import Option, TargetType, local_path

DEFAULT_BRANCH = "gh-pages"
PUSHED_KEPT = 20  # commits this machine pushed (or was about to push), remembered for the lease


def git_blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob: sha1 of "blob <size>\\0" and the bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class GitTarget:
    kind = "git"

    def __init__(self, config: Mapping[str, Any], state_dir: Path | None = None):
        self.remote = str(config["remote"]) if config.get("remote") else None
        raw = config.get("repo") or config.get("path")
        if self.remote:
            if state_dir is None:
                raise PublishError(
                    "a git target with a remote needs a state folder", where=self.remote
                )
            self.repo = Path(state_dir) / "repo.git"
        elif raw:
            self.repo = Path(os.path.abspath(os.path.expanduser(str(raw))))
        else:
            raise PublishError(
                "a git target needs a repository path (repo) or a remote", where="target config"
            )
        self.branch = str(config.get("branch") or DEFAULT_BRANCH)
        self.ref = f"refs/heads/{self.branch}"
        self.state_path = Path(state_dir or self.repo) / "git-blob-ids.json"
        self.pushed_path = Path(state_dir or self.repo) / "git-pushed.json"

    @property
    def location(self) -> str:
        return f"{self.remote or self.repo}#{self.branch}"

    def _git(
        self, *args: str, input: bytes | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[bytes]:
        return git_remote.run_git(
            str(self.repo), list(args), self.location, input=input, check=check
        )

    def _check_repository(self) -> None:
        if not self.repo.is_dir():
            raise PublishError("no such repository folder", where=str(self.repo))
        found = self._git("rev-parse", "--absolute-git-dir", check=False)
        git_dir = Path(found.stdout.decode().strip()).resolve() if found.returncode == 0 else None
        if git_dir not in (self.repo.resolve(), (self.repo / ".git").resolve()):
            # not a repository itself (git would otherwise find one in a parent folder)
            raise PublishError(
                "is not a git repository (run 'git init --bare' there)", where=str(self.repo)
            )
        bare = self._git("rev-parse", "--is-bare-repository").stdout.strip() == b"true"
        head = self._git("symbolic-ref", "-q", "HEAD", check=False).stdout.strip().decode()
        if not bare and head == self.ref:
            raise PublishError(
                f"branch {self.branch} is checked out there; publish to another branch "
                "or a bare repository",
                where=str(self.repo),
            )

    def _work_repository(self) -> None:
        """The private bare repository a remote target commits in (created on first use)."""
        if not (self.repo / "HEAD").exists():
            self.repo.mkdir(parents=True, exist_ok=True)
            git_remote.run_git(str(self.repo), ["init", "-q", "--bare"], self.location)

    def tip(self) -> str | None:
        done = self._git("rev-parse", "--verify", "-q", f"{self.ref}^{{commit}}", check=False)
        return done.stdout.decode().strip() or None

    def tree(self, commit: str) -> dict[str, str]:
        """{path: blob id} of every file in the commit's tree."""
        out = self._git("ls-tree", "-r", "-z", "--full-tree", commit).stdout.decode(
            "utf-8", "surrogateescape"
        )
        entries = {}
        for line in filter(None, out.split("\0")):
            meta, _, path = line.partition("\t")
            mode, kind, oid = meta.split()
            entries[path] = (
                oid if kind == "blob" and mode in ("100644", "100755") else f"{kind}:{mode}"
            )
        return entries

    # -- the remote ------------------------------------------------------------------------------
    def _pushed(self) -> list[str]:
        return list((read_json(self.pushed_path) or {}).get("commits", []))

    def _remember(self, commit: str) -> None:
        """Recorded before pushing: a process killed after the push still knows the commit is its own."""
        commits = [c for c in self._pushed() if c != commit] + [commit]
        write_json_atomic(self.pushed_path, {"commits": commits[-PUSHED_KEPT:]})

    def _remote_parent(self, request: DeployRequest) -> str | None:
        """The remote tip to build on (and lease against); refuses a tip bgpub did not push."""
        assert self.remote is not None
        tip = git_remote.remote_tip(str(self.repo), self.remote, self.ref, self.location)
        known = set(self._pushed()) | ({request.previous_ref} if request.previous_ref else set())
        if tip is not None and known and tip not in known:
            last = request.previous_ref or self._pushed()[-1]
            raise PublishError(
                f"branch {self.branch} is at {tip[:12]}, not at {last[:12]} that bgpub pushed last: someone "
                "else pushed to it, and nothing was overwritten. Look at it; to publish on top of it, remove and "
                "add the target again",
                where=self.location,
            )
        if tip is not None:
            git_remote.fetch_commit(str(self.repo), self.remote, self.ref, tip, self.location)
            self._git("update-ref", self.ref, tip)
        elif self.tip() is not None:
            self._git("update-ref", "-d", self.ref)
        return tip

    def _known_ids(self) -> dict[str, str]:
        return read_json(self.state_path) or {}

    def deploy(
        self, request: DeployRequest, fetch: Fetch, progress: Progress | None = None
    ) -> DeployOutcome:
        if self.remote:
            self._work_repository()
            parent = self._remote_parent(request)
        else:
            self._check_repository()
            parent = self.tip()
        manifest = request.manifest
        current = self.tree(parent) if parent else {}
        ids = self._known_ids()
        unknown = sorted({e[0] for e in manifest.values() if e[0] not in ids})
        payload: dict[str, bytes] = {}
        for start in range(0, len(unknown), FETCH_BATCH):  # first deploy from this machine only
            for sha, data in fetch(unknown[start : start + FETCH_BATCH]).items():
                ids[sha] = git_blob_id(data)
                payload[sha] = data
        expected = {path: ids[e[0]] for path, e in manifest.items()}
        changed = sorted(p for p, oid in expected.items() if current.get(p) != oid)
        removed = sorted(p for p in current if p not in expected)
        needed = sorted({manifest[p][0] for p in changed} - set(payload))
        for start in range(0, len(needed), FETCH_BATCH):
            payload.update(fetch(needed[start : start + FETCH_BATCH]))
        stream, sent = self._stream(request, parent, changed, removed, manifest, payload)
        if progress:  # one commit and one push carry every changed file
            progress(Step(DEPLOY, 0, len(changed) + len(removed), 0, sent))
        write_json_atomic(self.state_path, ids)  # facts about content: true whatever happens next
        crashpoint("git-before-commit")
        if not self.remote:
            request.confirm_switch()
        with tempfile.TemporaryDirectory() as scratch:
            marks = Path(scratch) / "marks"
            self._git(
                "fast-import",
                "--quiet",
                "--done",
                "--date-format=raw",
                f"--export-marks={marks}",
                input=stream,
            )
            commit = marks.read_text().split()[1]
        crashpoint("git-after-commit")
        if self.remote:
            self._remember(commit)
            request.confirm_switch()
            git_remote.leased_push(
                str(self.repo), self.remote, self.ref, commit, parent, self.location
            )
            crashpoint("git-after-push")
        if progress:
            progress(
                Step(DEPLOY, len(changed) + len(removed), len(changed) + len(removed), sent, sent)
            )
        problems = self._verify_commit(commit, expected)
        return DeployOutcome(
            not problems,
            len(changed),
            sent,
            problems=problems,
            location=f"{self.location}@{commit[:12]}",
            remote_ref=commit,
        )

    def _stream(
        self,
        request: DeployRequest,
        parent: str | None,
        changed: list[str],
        removed: list[str],
        manifest: Mapping[str, list[Any]],
        payload: Mapping[str, bytes],
    ) -> tuple[bytes, int]:
        who = f"{_clean(request.author_name) or 'bgpub'} <{_clean(request.author_email) or 'bgpub@localhost'}>"
        when = f"{int(time.time())} +0000"
        message = (request.message or f"Publish version {request.version}").encode() + b"\n"
        parts = [
            f"commit {self.ref}\nmark :1\nauthor {who} {when}\ncommitter {who} {when}\n".encode(),
            b"data %d\n" % len(message),
            message,
        ]
        if parent:
            parts.append(f"from {parent}\n".encode())
        sent = 0
        for path in removed:
            parts.append(b"D " + _quote(path) + b"\n")
        for path in changed:
            data = payload[manifest[path][0]]
            if digest(data) != manifest[path][0]:
                raise PublishError(
                    f"the bytes for {path} do not match their hash", where=self.location
                )
            parts.append(
                b"M 100644 inline " + _quote(path) + b"\n" + b"data %d\n" % len(data) + data + b"\n"
            )
            sent += len(data)
        parts.append(b"\ndone\n")
        return b"".join(parts), sent

    def _verify_commit(self, commit: str, expected: Mapping[str, str]) -> list[str]:
        problems = []
        tip = self.tip()
        if tip != commit:
            problems.append(
                f"branch {self.branch} is at {tip and tip[:12]}, not at the new commit {commit[:12]}"
            )
        if (
            self.remote
        ):  # git names a commit by the hash of its whole tree: the same id is the same bytes
            there = git_remote.remote_tip(str(self.repo), self.remote, self.ref, self.location)
            if there != commit:
                problems.append(
                    f"the remote branch {self.branch} is at {there and there[:12]}, "
                    f"not at the new commit {commit[:12]}"
                )
        actual = self.tree(commit)
        problems += [f"missing {p}" for p in sorted(set(expected) - set(actual))]
        problems += [f"unexpected {p}" for p in sorted(set(actual) - set(expected))]
        problems += [
            f"changed {p}" for p in sorted(set(expected) & set(actual)) if expected[p] != actual[p]
        ]
        return problems

    def verify(self, manifest: Mapping[str, list[Any]], *, full: bool = False) -> list[str]:
        if self.remote:
            self._work_repository()
            there = git_remote.remote_tip(str(self.repo), self.remote, self.ref, self.location)
            if there is None:
                return [f"branch {self.branch} does not exist on {self.remote}"]
            git_remote.fetch_commit(str(self.repo), self.remote, self.ref, there, self.location)
            self._git("update-ref", self.ref, there)
        tip = self.tip()
        if tip is None:
            return [f"branch {self.branch} does not exist"]
        ids = self._known_ids()
        missing = [p for p, e in manifest.items() if e[0] not in ids]
        if missing:
            return [f"no recorded blob id for {missing[0]} (deploy once from this machine)"]
        return self._verify_commit(tip, {p: ids[e[0]] for p, e in manifest.items()})

    def probe(self) -> list[str]:
        """Reads the branch and, for a remote, asks to push (dry run: the server checks write access)."""
        if not self.remote:
            self._check_repository()
            tip = self.tip()
            return [
                f"repository {self.repo} is usable",
                f"branch {self.branch} " + (f"is at {tip[:12]}" if tip else "will be created"),
            ]
        self._work_repository()
        tip = git_remote.remote_tip(str(self.repo), self.remote, self.ref, self.location)
        checks = [
            f"reached {self.remote}",
            f"branch {self.branch} " + (f"is at {tip[:12]}" if tip else "will be created"),
        ]
        probe_ref = "refs/bgpub/probe"
        self._git("update-ref", probe_ref, self._empty_commit())
        done = git_remote.run_git(
            str(self.repo),
            [
                "push",
                "--dry-run",
                "--porcelain",
                "--",
                self.remote,
                f"{probe_ref}:refs/heads/bgpub-probe",
            ],
            self.location,
            check=False,
            timeout=git_remote.NETWORK_TIMEOUT,
        )
        if done.returncode != 0:
            raise PublishError(
                "cannot push: "
                + git_remote._last((done.stdout + done.stderr).decode(errors="replace")),
                where=self.location,
            )
        return checks + ["may push (dry run accepted)"]

    def _empty_commit(self) -> str:
        empty_tree = (
            self._git("hash-object", "-t", "tree", "-w", "--stdin", input=b"")
            .stdout.decode()
            .strip()
        )
        env_free = ["-c", "user.name=bgpub", "-c", "user.email=bgpub@localhost"]
        return (
            self._git(*env_free, "commit-tree", empty_tree, "-m", "bgpub probe")
            .stdout.decode()
            .strip()
        )

    def live_manifest(self) -> None:
        return None


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch not in "<>\n")


def _quote(path: str) -> bytes:
    """A fast-import path: C-quoted when it holds a quote, a newline or a leading space."""
    raw = path.encode()
    if b'"' in raw or b"\n" in raw or b"\\" in raw or raw.startswith(b" "):
        return (
            b'"' + raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"').replace(b"\n", b"\\n") + b'"'
        )
    return raw


def _one_place(config: dict[str, Any], where: str) -> None:
    if ("repo" in config) == ("remote" in config):
        raise InvalidInput(
            "a git target needs --repo (a local repository path) or --remote (a URL), not both",
            where=where,
        )
    config.setdefault("branch", DEFAULT_BRANCH)


def _host_files(config: Mapping[str, Any], context: Mapping[str, Any]) -> dict[str, bytes]:
    """GitHub Pages reads CNAME (the custom domain) and skips Jekyll when .nojekyll exists."""
    files = {".nojekyll": b""}
    if context.get("custom_domain"):
        files["CNAME"] = f"{context['custom_domain']}\n".encode()
    return files


KIND = TargetType(
    "git",
    "one commit per publish on a branch (GitHub/GitLab Pages), pushed to a remote or in a local repository",
    (
        Option(
            "repo",
            "git: path of a local repository (bare, or with the branch not checked out)",
            parse=local_path,
        ),
        Option(
            "remote",
            "git: a remote URL to push to (https://, ssh://, git@host:owner/repo.git or a path); "
            "credentials come from your git and ssh setup",
            parse=git_remote.remote_url,
        ),
        Option(
            "branch",
            "git: the branch to commit to (default gh-pages)",
            parse=git_remote.branch_name,
        ),
    ),
    GitTarget,
    check=_one_place,
    site_url=lambda config: git_remote.pages_url(str(config.get("remote") or "")),
    host_files=_host_files,
)
