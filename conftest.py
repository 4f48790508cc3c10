"""Loaded by pytest before any test folder's conftest: what every test process needs from its
environment, set here instead of assumed from the machine.

Git: tests (and the git deploy target under test) make commits; a machine without a global git
identity (a fresh CI runner, a new laptop) would refuse them, so the tests bring their own author and
committer. Values already set in the environment win.
"""

from __future__ import annotations

import os

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "bgpub tests",
    "GIT_AUTHOR_EMAIL": "tests@bgpub.invalid",
    "GIT_COMMITTER_NAME": "bgpub tests",
    "GIT_COMMITTER_EMAIL": "tests@bgpub.invalid",
}
for _name, _value in GIT_IDENTITY.items():
    os.environ.setdefault(_name, _value)
