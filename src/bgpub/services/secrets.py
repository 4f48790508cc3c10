"""Secrets at rest: Fernet tokens under keys the database knows by fingerprint, so no workspace forks them.

Keys come from `BGPUB_SECRET_KEYS` (one or more, comma- or newline-separated; `BGPUB_SECRET_KEY` is
an alias) and from the workspace's `secret.key` (mode 0600, one key per line). Several keys may be
active at once (MultiFernet): the first encrypts, every one decrypts.

`secret_key_fingerprints` lists the keys the database's secrets are under. A key is generated only
for the first secret of a database that holds none; from then on a workspace without the key, or
with a key the database does not know, is refused instead of writing secrets nobody else can read.
A new key joins only through `bgpub secrets rotate`, run by a holder of a known key, which
re-encrypts everything under it and retires the old ones.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from peewee import SQL, Field, IntegrityError

from bgpub.config import workspace_dir
from bgpub.db.connection import database, is_postgres
from bgpub.db.fields import utcnow
from bgpub.db.models import MODELS, SecretKeyFingerprint
from bgpub.db.rows import tuple_rows
from bgpub.errors import Conflict, InvalidInput, NotFound, PermissionDenied

ENV_KEY = "BGPUB_SECRET_KEYS"
ENV_KEY_ALIAS = "BGPUB_SECRET_KEY"  # the older name, still read
KEY_FILE_NAME = "secret.key"
MASK = "••••"
UNREADABLE = "cannot be decrypted with the keys here"
BRING_KEY = (
    "bring the key with 'bgpub secrets export-key' where it is and 'bgpub secrets import-key' here"
)
# HMAC-SHA256 of this label under the key: one-way (the key is 256 random bits), and domain-separated
# from every other use of the key; 128 bits (32 hex digits) tell keys apart with room to spare.
FINGERPRINT_LABEL = b"bgpub secret key fingerprint v1"
FINGERPRINT_HEX = 32
PG_REGISTRY_LOCK = 0x62677075626B6579  # "bgpubkey": serialises registering keys on PostgreSQL


def key_file(workspace: Path | None = None) -> Path:
    return (workspace or workspace_dir()) / KEY_FILE_NAME


def _env_keys() -> tuple[str, str] | None:
    for name in (ENV_KEY, ENV_KEY_ALIAS):
        value = os.environ.get(name, "").strip()
        if value:
            return name, value
    return None


def key_source(workspace: Path | None = None) -> str:
    """Where the keys here come from, for messages."""
    env = _env_keys()
    return env[0] if env else str(key_file(workspace))


def _parse_keys(text: str, where: str) -> list[bytes]:
    parts = [
        part.strip()
        for line in text.splitlines()
        if not line.lstrip().startswith("#")
        for part in line.split(",")
    ]
    keys: list[bytes] = []
    for number, part in enumerate((p for p in parts if p), 1):
        try:
            Fernet(part.encode("ascii"))
        except (ValueError, TypeError):
            # the key itself is a secret: name its position, never its value
            raise InvalidInput(
                f"key {number} is not a Fernet key (32 url-safe base64-encoded bytes)", where=where
            ) from None
        if part.encode() not in keys:
            keys.append(part.encode())
    return keys


def _write_key_file(path: Path, keys: Iterable[bytes]) -> None:
    """Writes keys through a file opened with mode 0600 from the start: never readable by others."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(b"\n".join(keys) + b"\n")
    os.chmod(tmp, 0o600)
    tmp.replace(path)


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


def load_keys(workspace: Path | None = None) -> list[bytes]:
    """The keys here, the encrypting one first (the variable's, then the file's); never creates one."""
    path = key_file(workspace)
    from_file = _read_key_file(path) if path.exists() else []
    env = _env_keys()
    if env is None:
        return from_file
    keys = _parse_keys(env[1], env[0])
    return keys + [k for k in from_file if k not in keys]


def fingerprint(key: bytes) -> str:
    """What the database keeps of a key: an HMAC of a fixed label under it, never the key itself."""
    raw = base64.urlsafe_b64decode(key)
    return hmac.new(raw, FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:FINGERPRINT_HEX]


def _multi(keys: list[bytes]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys])


def _opens(fernet: MultiFernet, token: str) -> str | None:
    try:
        return fernet.decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        return None


# --- what the database holds -------------------------------------------------------------------


def encrypted_columns() -> list[Field]:
    """Every column holding a Fernet token: by convention the model fields named `*_encrypted`."""
    return [
        f for model in MODELS for f in model._meta.sorted_fields if f.name.endswith("_encrypted")
    ]


@dataclass(frozen=True)
class StoredSecret:
    column: Field
    row_id: str
    token: str

    def describe(self) -> str:
        """`integrations 'shop' (project site)`: names a row without its value."""
        model = self.column.model
        row = model.get_or_none(model.id == self.row_id)
        name = getattr(row, "name", None) or self.row_id
        project = getattr(row, "project", None)
        return f"{model._meta.table_name} {name!r}" + (
            f" (project {project.name})" if project else ""
        )


def stored_secrets() -> Iterator[StoredSecret]:
    """Every non-empty encrypted value this connection can see."""
    for column in encrypted_columns():
        model = column.model
        query = (
            model.select(model.id, column)
            .where(column.is_null(False) & (column != ""))
            .order_by(model.id)
        )
        for row_id, token in tuple_rows(query):
            yield StoredSecret(column, row_id, token)


def _holds_secrets() -> bool:
    return any(
        c.model.select().where(c.is_null(False) & (c != "")).exists() for c in encrypted_columns()
    )


def _unreadable(secrets: list[StoredSecret], what: str) -> PermissionDenied:
    shown = ", ".join(s.describe() for s in secrets[:5]) + (
        f" and {len(secrets) - 5} more" if len(secrets) > 5 else ""
    )
    return PermissionDenied(
        f"{len(secrets)} stored secret(s) {UNREADABLE} ({shown}); {what}", where="secrets"
    )


def _lock_registry() -> None:
    """Serialises key registration: an advisory lock on PostgreSQL, SQLite's write lock (waits its busy timeout)."""
    if is_postgres():
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (PG_REGISTRY_LOCK,))
    else:
        SecretKeyFingerprint.update(retired_at=SecretKeyFingerprint.retired_at).where(
            SQL("1 = 0")
        ).execute()


def _registry() -> dict[str, SecretKeyFingerprint]:
    return {row.fingerprint: row for row in SecretKeyFingerprint.select()}


def _current(registry: dict[str, SecretKeyFingerprint]) -> set[str]:
    return {fp for fp, row in registry.items() if row.retired_at is None}


def _register(key: bytes, vouched_by: str) -> None:
    try:
        with database.atomic():
            SecretKeyFingerprint.create(fingerprint=fingerprint(key), vouched_by=vouched_by)
    except IntegrityError:
        raise Conflict(
            "another workspace registered a key for this database at the same moment; "
            "nothing was written, run the command again",
            where="secrets",
        ) from None


def _no_key(workspace: Path | None) -> PermissionDenied:
    return PermissionDenied(
        f"no secret key here, but this database's secrets are under a key: set {ENV_KEY} (one or more keys, "
        f"comma-separated) or put the key file at {key_file(workspace)}; {BRING_KEY}",
        where="secrets",
    )


def _unknown_key(
    keys: list[bytes], registry: dict[str, SecretKeyFingerprint], workspace: Path | None
) -> PermissionDenied:
    source, first = key_source(workspace), registry.get(fingerprint(keys[0]))
    if first is not None and first.retired_at is not None:
        message = (
            f"the key in {source} was retired by 'bgpub secrets rotate' on "
            f"{first.retired_at:%Y-%m-%d %H:%M} UTC; {BRING_KEY}"
        )
    elif any(fingerprint(k) in _current(registry) for k in keys[1:]):
        message = (
            f"the first key in {source} is not registered in this database; 'bgpub secrets rotate' "
            "re-encrypts every secret under it and registers it"
        )
    else:
        message = (
            f"the keys in {source} are not this database's (no fingerprint matches); {BRING_KEY}"
        )
    return PermissionDenied(message, where="secrets")


def _keys_for_writing(workspace: Path | None) -> list[bytes]:
    """The keys to encrypt with, the first registered as current; generates one only for a database with no secret."""
    keys = load_keys(workspace)
    with database.atomic():
        _lock_registry()
        registry = _registry()
        if keys and fingerprint(keys[0]) in _current(registry):
            return keys
        if registry:
            raise _unknown_key(keys, registry, workspace) if keys else _no_key(workspace)
        if not keys:
            if _holds_secrets():
                raise _no_key(workspace)
            keys = [Fernet.generate_key()]
            _register(keys[0], vouched_by="")
            _write_key_file(
                key_file(workspace), keys
            )  # inside the transaction: a failed write registers nothing
            return keys
        # secrets from before fingerprints were kept: the keys here must open every one of them
        fernet = _multi(keys)
        unreadable = [s for s in stored_secrets() if _opens(fernet, s.token) is None]
        if unreadable:
            raise _unreadable(unreadable, f"these keys are not theirs; {BRING_KEY}")
        _register(keys[0], vouched_by="")
        return keys


def encrypt(text: str, *, workspace: Path | None = None) -> str:
    """A Fernet token (url-safe text) for `text` under the database's current key."""
    return _multi(_keys_for_writing(workspace)).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt_or_none(token: str, *, workspace: Path | None = None) -> str | None:
    """The plain text, or None when no key here opens the token (lists show that row as UNREADABLE)."""
    if not token:
        return ""
    keys = load_keys(workspace)
    return _opens(_multi(keys), token) if keys else None


def decrypt(token: str, *, workspace: Path | None = None) -> str:
    """The plain text of a token made by `encrypt` under any key here."""
    plain = decrypt_or_none(token, workspace=workspace)
    if plain is None:
        raise PermissionDenied(
            f"a stored secret {UNREADABLE} (was the key lost or changed? {BRING_KEY})",
            where="secrets",
        )
    return plain


# --- rotation ------------------------------------------------------------------------------------


def _refuse_under_row_security() -> None:
    if not is_postgres():
        return
    tables = {c.model._meta.table_name for c in encrypted_columns()} | {
        SecretKeyFingerprint._meta.table_name
    }
    for table in sorted(tables):
        if database.execute_sql("SELECT row_security_active(%s)", (table,)).fetchone()[0]:
            raise PermissionDenied(
                "changing keys needs the owner connection: row-level security hides "
                "other organizations' secrets from this login",
                where="secrets",
            )


def _voucher(keys: list[bytes], new: bytes, start_over: bool, workspace: Path | None) -> str:
    """The known key that vouches for `new` ("" for a database's first key); refuses anyone else."""
    if start_over:
        left = sum(1 for _ in stored_secrets())
        if left:
            raise Conflict(
                f"{left} stored secret(s) remain; starting over is for a database whose every key was "
                "lost: remove them first ('bgpub integration remove', 'bgpub webhook remove')",
                where="secrets",
            )
        SecretKeyFingerprint.delete().execute()
        return ""
    registry = _registry()
    if not registry:
        if not keys and _holds_secrets():
            raise _no_key(workspace)
        return ""  # the re-encryption proves the keys open every stored secret
    if not keys:
        raise _no_key(workspace)
    known = [fp for fp in map(fingerprint, keys) if fp in _current(registry)]
    if not known:
        raise _unknown_key(keys, registry, workspace)
    retired = registry.get(fingerprint(new))
    if retired is not None and retired.retired_at is not None:
        raise PermissionDenied(
            f"the first key in {key_source(workspace)} was retired by an earlier rotation; "
            "put a new key first",
            where="secrets",
        )
    return known[0]


def _reencrypt_all(fernet: MultiFernet) -> dict[str, int]:
    counts: dict[str, int] = {
        f"{c.model._meta.table_name}.{c.column_name}": 0 for c in encrypted_columns()
    }
    unreadable: list[StoredSecret] = []
    for secret in list(stored_secrets()):
        try:
            fresh = fernet.rotate(secret.token.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeError):
            unreadable.append(secret)
            continue
        model = secret.column.model
        model.update({secret.column: fresh}).where(model.id == secret.row_id).execute()
        counts[f"{model._meta.table_name}.{secret.column.column_name}"] += 1
    if unreadable:  # raised inside the transaction: nothing stays re-encrypted
        raise _unreadable(
            unreadable, f"nothing was re-encrypted; {BRING_KEY}, or remove those rows"
        )
    return counts


def rotate_keys(
    record: Callable[[dict[str, int]], object],
    *,
    workspace: Path | None = None,
    drop_old_keys: bool = True,
    start_over: bool = False,
) -> dict[str, int]:
    """Re-encrypts every stored secret under a new key in one transaction, registers it and retires the others.

    The new key is generated into the key file, or is the first of `BGPUB_SECRET_KEYS`. `record` writes the
    audit row inside the transaction. `start_over` forgets every fingerprint of a database whose keys were
    all lost (only once no secret is stored). Old keys leave the key file only after the commit.
    """
    _refuse_under_row_security()
    env, path = _env_keys(), key_file(workspace)
    keys = load_keys(workspace)
    new = _parse_keys(env[1], env[0])[0] if env else Fernet.generate_key()
    before = path.read_bytes() if path.exists() else None
    written = False
    try:
        with database.atomic():
            _lock_registry()
            voucher = _voucher(keys, new, start_over, workspace)
            counts = _reencrypt_all(_multi([new, *[k for k in keys if k != new]]))
            if fingerprint(new) not in _registry():
                _register(new, voucher)
            SecretKeyFingerprint.update(retired_at=utcnow()).where(
                (SecretKeyFingerprint.fingerprint != fingerprint(new))
                & SecretKeyFingerprint.retired_at.is_null()
            ).execute()
            record(dict(counts))
            if env is None:
                written = True
                _write_key_file(path, [new, *[k for k in keys if k != new]])
    except BaseException:
        if written:  # the database kept the old keys: so does the file
            if before is None:
                path.unlink(missing_ok=True)
            else:
                _write_key_file(path, [before.rstrip(b"\n")])
        raise
    if drop_old_keys and env is None:
        _write_key_file(path, [new])
        counts["keys_dropped"] = len([k for k in keys if k != new])
    return counts


# --- moving keys between workspaces --------------------------------------------------------------


def export_keys(workspace: Path | None = None) -> list[bytes]:
    """Every key here (the current first), to carry to a team-mate's workspace."""
    keys = load_keys(workspace)
    if not keys:
        raise NotFound(
            f"no secret key here ({ENV_KEY} is unset and there is no {key_file(workspace)})",
            where="secrets export-key",
        )
    return keys


def write_exported_keys(path: Path, keys: list[bytes]) -> None:
    """Writes an export file with mode 0600; never overwrites (it could be someone's only key file)."""
    if path.exists():
        raise Conflict(f"{path} exists; export to a new file", where="secrets export-key")
    _write_key_file(path, keys)


@dataclass(frozen=True)
class KeyImport:
    path: Path
    count: int
    note: str


def import_keys(text: str, *, source: str, workspace: Path | None = None) -> KeyImport:
    """Checks keys against the database and adds them to the key file (current key first, mode 0600)."""
    keys = _parse_keys(text, source)
    if not keys:
        raise InvalidInput("no key found", where=source)
    registry = _registry()
    current = _current(registry)
    prints = [fingerprint(k) for k in keys]
    if registry:
        if not current.intersection(prints):
            old = [registry[p] for p in prints if p in registry]
            raise PermissionDenied(
                (
                    f"the key(s) were retired by 'bgpub secrets rotate' on {old[0].retired_at:%Y-%m-%d}; export the "
                    "current key"
                    if old
                    else f"the {len(keys)} key(s) are not this database's (no fingerprint matches); export the key from "
                    "a workspace where 'bgpub integration list' shows the secrets"
                ),
                where=source,
            )
        note = "one of them is this database's current key"
    elif _holds_secrets():
        fernet = _multi(keys)
        if not any(_opens(fernet, s.token) is not None for s in stored_secrets()):
            raise PermissionDenied(
                "none of the keys decrypts the secrets stored in this database", where=source
            )
        note = "they decrypt the secrets stored in this database"
    else:
        note = "this database holds no secret yet: the first one written registers the key"
    ordered = sorted(
        keys, key=lambda k: fingerprint(k) not in current
    )  # stable: the current key first
    path = key_file(workspace)
    existing = _read_key_file(path) if path.exists() else []
    _write_key_file(path, ordered + [k for k in existing if k not in ordered])
    return KeyImport(path, len(keys), note)


@dataclass(frozen=True)
class KeyState:
    fingerprint: str
    state: str  # "current", "retired YYYY-MM-DD", "not registered"


def key_states(workspace: Path | None = None) -> list[KeyState]:
    """Each key here with what the database knows of it (fingerprints only)."""
    registry = _registry()
    states = []
    for key in load_keys(workspace):
        row = registry.get(fingerprint(key))
        state = (
            "not registered"
            if row is None
            else "current"
            if row.retired_at is None
            else f"retired {row.retired_at:%Y-%m-%d}"
        )
        states.append(KeyState(fingerprint(key), state))
    return states


def mask(text: str) -> str:
    """What a person may see of a secret: its length class, never its characters."""
    return MASK if text else ""


def signature(secret: str, body: bytes) -> str:
    """The `sha256=<hex>` HMAC of a webhook body, sent as a header so receivers can verify it."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str) -> bool:
    """Constant-time check of a `signature` header, for receivers and tests."""
    return hmac.compare_digest(signature(secret, body), header or "")
