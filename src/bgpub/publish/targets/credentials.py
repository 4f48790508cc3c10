"""Access keys a target was given for one process: kept out of reprs, configs, logs and messages.

A target's stored config names where its keys are (an encrypted integration of the project), never
the keys. The service decrypts them only when the target is about to talk to the store, and hands
them over as `AccessKeys`, whose repr and str show the integration's name and a mask.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

MASK = "••••"


@dataclass(frozen=True)
class AccessKeys:
    source: str  # "integration aws-deploy": what messages may name
    access_key_id: str = field(repr=False)
    secret_access_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)

    def __str__(self) -> str:
        return f"{self.source} (access_key_id {MASK}, secret_access_key {MASK})"

    @property
    def fingerprint(self) -> str:
        """Tells key sets apart (one client per set) without keeping them readable in a cache key."""
        raw = "\0".join((self.access_key_id, self.secret_access_key, self.session_token or ""))
        return hashlib.sha256(raw.encode()).hexdigest()


# What a target's config holds under "credentials" once the service resolved it: a callable that
# decrypts the keys when the target first needs them (listing targets never decrypts anything).
KeysSource = Callable[[], AccessKeys]
