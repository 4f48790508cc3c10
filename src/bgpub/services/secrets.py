"""Secrets at rest: Fernet tokens under a key from BGPUB_SECRET_KEY or a 0600 key file in the workspace.

Several keys may be active at once (MultiFernet): the first encrypts, every one decrypts, so a key
can be rotated without downtime. `BGPUB_SECRET_KEY` holds one key or several separated by commas;
otherwise `<workspace>/secret.key` holds one key per line and is created (mode 0600) on first use.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bgpub.config import workspace_dir
from bgpub.errors import InvalidInput, PermissionDenied

ENV_KEY = "BGPUB_SECRET_KEY"
KEY_FILE_NAME = "secret.key"
MASK = "••••"


def key_file(workspace: Path | None = None) -> Path:
    return (workspace or workspace_dir()) / KEY_FILE_NAME


def _parse_keys(text: str, where: str) -> list[bytes]:
    keys = [part.strip().encode() for part in text.replace(",", "\n").splitlines() if part.strip()]
    for number, key in enumerate(keys, 1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            # the key itself is a secret: name its position, never its value
            raise InvalidInput(
                f"key {number} is not a Fernet key (32 url-safe base64-encoded bytes)", where=where
            ) from None
    return keys


def _write_key_file(path: Path, keys: Iterable[bytes]) -> None:
    """Writes keys through a file opened with mode 0600 from the start: never readable by others."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(b"\n".join(keys) + b"\n")
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def load_keys(workspace: Path | None = None, *, create: bool = True) -> list[bytes]:
    """The active keys, newest first; without BGPUB_SECRET_KEY a missing key file is created."""
    env = os.environ.get(ENV_KEY, "").strip()
    path = key_file(workspace)
    if env:
        # a key file from before the variable was set still decrypts (until `secrets rotate`)
        keys = _parse_keys(env, ENV_KEY)
        return keys + [k for k in (_read_key_file(path) if path.exists() else []) if k not in keys]
    if not path.exists():
        if not create:
            return []
        keys = [Fernet.generate_key()]
        _write_key_file(path, keys)
        return keys
    return _read_key_file(path)


def _read_key_file(path: Path) -> list[bytes]:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise PermissionDenied(
            f"the key file is readable by others (mode {mode:04o}); run 'chmod 600 {path}'",
            where=str(path),
        )
    keys = _parse_keys(path.read_text(encoding="ascii", errors="replace"), str(path))
    if not keys:
        raise InvalidInput("the key file holds no key", where=str(path))
    return keys


def _fernet(workspace: Path | None = None) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in load_keys(workspace)])


def encrypt(text: str, *, workspace: Path | None = None) -> str:
    """A Fernet token (url-safe text) for `text` under the newest key."""
    return _fernet(workspace).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str, *, workspace: Path | None = None) -> str:
    """The plain text of a token made by `encrypt` under any active key."""
    if not token:
        return ""
    try:
        return _fernet(workspace).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise PermissionDenied(
            "a stored secret cannot be decrypted with the active keys "
            f"(was the key changed? set {ENV_KEY} or restore {KEY_FILE_NAME})",
            where="secrets",
        ) from None


def reencrypt(token: str, *, workspace: Path | None = None) -> str:
    """The same secret under the newest key (MultiFernet.rotate)."""
    if not token:
        return ""
    try:
        return _fernet(workspace).rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise PermissionDenied(
            "a stored secret cannot be decrypted with the active keys", where="secrets"
        ) from None


def add_new_key(workspace: Path | None = None) -> bool:
    """Puts a fresh key first in the key file; False when keys come from the environment."""
    if os.environ.get(ENV_KEY, "").strip():
        return False
    keys = load_keys(workspace)
    _write_key_file(key_file(workspace), [Fernet.generate_key(), *keys])
    return True


def drop_old_keys(workspace: Path | None = None) -> int:
    """Keeps only the newest key in the key file (after every secret was re-encrypted); returns how many went."""
    if os.environ.get(ENV_KEY, "").strip():
        return 0
    keys = load_keys(workspace)
    _write_key_file(key_file(workspace), keys[:1])
    return len(keys) - 1


def mask(text: str) -> str:
    """What a person may see of a secret: its length class, never its characters."""
    return MASK if text else ""


def signature(secret: str, body: bytes) -> str:
    """The `sha256=<hex>` HMAC of a webhook body, sent as a header so receivers can verify it."""
    import hashlib
    import hmac

    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str) -> bool:
    """Constant-time check of a `signature` header, for receivers and tests."""
    import hmac

    return hmac.compare_digest(signature(secret, body), header or "")
