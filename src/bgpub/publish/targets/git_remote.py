"""A git target's remote: which URLs are accepted, the Pages address they imply, and the leased push.

bgpub never stores credentials: a URL carrying a password or token is refused, and git reaches the
remote through the user's own ssh keys, agent or credential helper. A push is a compare-and-swap
(`--force-with-lease=<branch>:<commit bgpub pushed last>`), so a branch someone else moved is never
overwritten silently: the deploy stops and says so.
"""

from __future__ import annotations

import os
import re
import subprocess
from urllib.parse import urlparse

from bgpub.errors import InvalidInput, PublishError
from bgpub.publish.targets.registry import text

SCP_LIKE = re.compile(
    r"^(?:[A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+):(?!//)(.+)$"
)  # git@github.com:owner/repo.git
SCHEMES = ("https", "http", "ssh", "git", "file")
NETWORK_TIMEOUT = 300  # seconds a fetch or push may take before the deploy fails
PAGES_HOSTS = {"github.com": "github.io", "gitlab.com": "gitlab.io"}


def remote_url(value: object, where: str) -> str:
    """A remote git accepts (https, ssh, scp-like, file or a local path), without credentials."""
    url = text(value, where)
    if url.startswith("-") or "::" in url.split("/", 1)[0]:
        raise InvalidInput(
            f"{url!r} is not a git remote URL (transport helpers are not allowed)", where=where
        )
    if SCP_LIKE.match(url) and "://" not in url:
        return url
    if "://" not in url:
        if not os.path.isabs(os.path.expanduser(url)) and not url.startswith("."):
            raise InvalidInput(
                f"{url!r} is not a git remote URL (https://, ssh://, user@host:path or a path)",
                where=where,
            )
        return os.path.abspath(os.path.expanduser(url))
    parsed = urlparse(url)
    if parsed.scheme not in SCHEMES:
        raise InvalidInput(
            f"{url!r}: use one of {', '.join(s + '://' for s in SCHEMES)}", where=where
        )
    if parsed.password is not None or (parsed.username and parsed.scheme in ("http", "https")):
        raise InvalidInput(
            "the URL carries credentials; bgpub never stores them: give the URL without them "
            "and let git's credential helper or ssh keys authenticate",
            where=where,
        )
    return url


def branch_name(value: object, where: str) -> str:
    branch = text(value, where)
    if (
        not re.match(r"^[A-Za-z0-9._/-]+$", branch)
        or ".." in branch
        or branch.startswith(("/", "-"))
        or branch.endswith((".lock", "/"))
    ):
        raise InvalidInput(f"{branch!r} is not a usable branch name", where=where)
    return branch


def host_and_path(url: str) -> tuple[str, str] | None:
    """(host, path) of a network remote; None for local paths."""
    scp = SCP_LIKE.match(url) if "://" not in url else None
    if scp:
        return scp.group(1).lower(), scp.group(2)
    parsed = urlparse(url)
    if parsed.scheme in ("file", "") or not parsed.hostname:
        return None
    return parsed.hostname.lower(), parsed.path


def pages_url(url: str) -> str | None:
    """The GitHub/GitLab Pages address of a repository: owner.github.io[/repo]."""
    found = host_and_path(url)
    if found is None or found[0] not in PAGES_HOSTS:
        return None
    parts = [p for p in found[1].strip("/").split("/") if p]
    if len(parts) != 2:
        return None
    owner, repo = parts[0].lower(), re.sub(r"\.git$", "", parts[1])
    domain = f"{owner}.{PAGES_HOSTS[found[0]]}"
    return f"https://{domain}" if repo.lower() == domain else f"https://{domain}/{repo}"


def git_env() -> dict[str, str]:
    """Never prompt: no terminal questions for passwords or host keys (ssh in batch mode)."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    return env


def run_git(
    repo: str,
    args: list[str],
    where: str,
    *,
    input: bytes | None = None,
    check: bool = True,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[bytes]:
    try:
        done = subprocess.run(
            ["git", "-C", repo, *args],
            input=input,
            capture_output=True,
            env=git_env(),
            timeout=timeout,
        )
    except FileNotFoundError as exc:
        raise PublishError("the git program is not installed", where=where) from exc
    except subprocess.TimeoutExpired as exc:
        raise PublishError(
            f"git {args[0]} took longer than {timeout:.0f} s; is the remote reachable?", where=where
        ) from exc
    if check and done.returncode != 0:
        raise PublishError(f"git {args[0]} failed: {_failure_cause(done)}", where=where)
    return done


# git's closing advice after any transport failure; the line before it says what really happened
_GIT_BOILERPLATE = (
    "fatal: could not read from remote repository",
    "please make sure you have the correct access rights",
    "and the repository exists",
)


def _failure_cause(done: subprocess.CompletedProcess[bytes]) -> str:
    """The line of git's (or ssh's) error output that names the cause, e.g. `Permission denied (publickey)`."""
    lines = [
        line.strip() for line in done.stderr.decode(errors="replace").splitlines() if line.strip()
    ]
    causes = [line for line in lines if not line.lower().rstrip(".").startswith(_GIT_BOILERPLATE)]
    return (
        "; ".join(causes[-2:])
        if causes
        else (lines[-1] if lines else f"exit code {done.returncode}")
    )


def remote_tip(repo: str, url: str, ref: str, where: str) -> str | None:
    """The commit `ref` points at on the remote (None when the branch does not exist there)."""
    done = run_git(repo, ["ls-remote", "--", url, ref], where, timeout=NETWORK_TIMEOUT)
    for line in done.stdout.decode().splitlines():
        oid, _, name = line.partition("\t")
        if name == ref:
            return oid
    return None


def fetch_commit(repo: str, url: str, ref: str, commit: str, where: str) -> None:
    """Makes `commit` (the remote's tip of `ref`) present locally, fetching only when it is not."""
    if (
        run_git(repo, ["cat-file", "-e", f"{commit}^{{commit}}"], where, check=False).returncode
        == 0
    ):
        return
    run_git(
        repo,
        ["fetch", "-q", "--no-tags", "--", url, f"+{ref}:refs/bgpub/remote"],
        where,
        timeout=NETWORK_TIMEOUT,
    )


def leased_push(
    repo: str, url: str, ref: str, commit: str, expected: str | None, where: str
) -> None:
    """Moves the remote `ref` to `commit` only if it is still at `expected` (absent when None)."""
    lease = f"--force-with-lease={ref}:{expected or ''}"
    done = run_git(
        repo,
        ["push", "--porcelain", "-q", lease, "--", url, f"{commit}:{ref}"],
        where,
        check=False,
        timeout=NETWORK_TIMEOUT,
    )
    if done.returncode != 0:
        output = (done.stdout + done.stderr).decode(errors="replace")
        if any(word in output for word in ("stale info", "fetch first", "non-fast-forward")):
            raise PublishError(
                f"the remote branch moved while publishing ({_reason(output)}); nothing was "
                "overwritten, run the publish again",
                where=where,
            )
        raise PublishError(
            f"git push failed: {_reason(output)}; the remote branch was not changed, so the previous "
            "version stays live",
            where=where,
        )


def _reason(output: str) -> str:
    """What the server said (its `remote:` lines) and git's verdict on the ref (`[remote rejected] ...`)."""
    said = [
        line[len("remote:") :].strip() for line in output.splitlines() if line.startswith("remote:")
    ]
    verdict = [
        line.split("\t")[-1].strip() for line in output.splitlines() if line.startswith("!\t")
    ]
    parts = [p for p in said if p] + verdict
    return "; ".join(parts) if parts else _last(output)


def _last(output: str) -> str:
    lines = [
        line.strip()
        for line in output.strip().splitlines()
        if line.strip() and line.strip() != "Done"
    ]
    return lines[-1] if lines else "no output"
