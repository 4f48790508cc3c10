"""Settings from flags, the environment and the workspace file, resolved once per process."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_WORKSPACE = Path.home() / ".bgpub"


def workspace_dir() -> Path:
    """The folder holding the SQLite database, the blob cache, the config file and default deploys."""
    return Path(os.environ.get("BGPUB_HOME", DEFAULT_WORKSPACE)).expanduser()


@dataclass(frozen=True)
class Settings:
    """Everything a front end needs to build the services; passed down, never read from globals."""

    database_url: str
    workspace: Path
    user_email: str | None = None
    allow_impersonation: bool = False
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))


def config_path(workspace: Path | None = None) -> Path:
    return (workspace or workspace_dir()) / "config.json"


def read_config_file(workspace: Path | None = None) -> dict[str, object]:
    """The workspace's config.json, a JSON object of `section.name` keys (object: a value's type
    is whatever JSON held; readers check the type they need)."""
    path = config_path(workspace)
    if not path.exists():
        return {}
    try:
        values: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        from bgpub.errors import InvalidInput

        raise InvalidInput(
            f"is not valid JSON ({exc.msg} at line {exc.lineno})", where=str(path)
        ) from exc
    return values


def _stored_text(values: dict[str, object], key: str, workspace: Path) -> str | None:
    """A string setting of config.json; `bgpub config` only ever stores strings under these keys,
    so anything else was typed in by hand and is refused here instead of failing later."""
    value = values.get(key)
    if value is None or isinstance(value, str):
        return value
    from bgpub.errors import InvalidInput

    raise InvalidInput(f"{key} must be a string, not {value!r}", where=str(config_path(workspace)))


def write_config_value(key: str, value: str | bool | None, workspace: Path | None = None) -> None:
    """Sets one key like `git config`; the file is created on first use."""
    ws = workspace or workspace_dir()
    ws.mkdir(parents=True, exist_ok=True)
    data = read_config_file(ws)
    if value is None:
        data.pop(key, None)
    else:
        data[key] = value
    path = config_path(ws)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


def load_settings(database_url: str | None = None, workspace: Path | None = None) -> Settings:
    """Flag beats BGPUB_DATABASE_URL beats DATABASE_URL beats the workspace's SQLite file."""
    ws = Path(workspace) if workspace else workspace_dir()
    file_values = read_config_file(ws)
    url = (
        database_url
        or os.environ.get("BGPUB_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or _stored_text(file_values, "database.url", ws)
        or f"sqlite:///{ws / 'bgpub.db'}"
    )
    return Settings(
        database_url=url,
        workspace=ws,
        user_email=os.environ.get("BGPUB_USER_EMAIL")
        or _stored_text(file_values, "user.email", ws),
        allow_impersonation=bool(file_values.get("user.impersonation", False))
        or os.environ.get("BGPUB_ALLOW_IMPERSONATION") == "1",
        extra=file_values,
    )
