"""The package imports, the CLI answers, and the fixtures give a migrated database of each kind."""

import subprocess
import sys

from bgpub.db.enums import Role
from bgpub.db.models import MODELS, OrganizationMember


def test_cli_help_lists_commands():
    out = subprocess.run([sys.executable, "-m", "bgpub", "--help"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "db" in out.stdout


def test_unknown_command_is_one_clear_line():
    out = subprocess.run(
        [sys.executable, "-m", "bgpub", "nonsense"], capture_output=True, text=True
    )
    assert out.returncode != 0
    assert out.stderr.startswith("error:") and "nonsense" in out.stderr
    assert "Traceback" not in out.stderr


def test_fresh_workspace_acts_as_owner(actor, db_target):
    assert len(MODELS) >= 24
    member = OrganizationMember.get(OrganizationMember.user == actor)
    assert member.role == Role.OWNER
    assert member.organization.is_personal
