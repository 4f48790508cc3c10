"""rsync failures say why (rsync's own diagnostic and the exit code's meaning, not its generic
summary line) and exactly what the failed send left at the destination.

The "remote" here is real rsync over a remote shell that runs the server side on this machine
(`RSYNC_RSH`), so the remote code path runs for real without an sshd; the shell can be told to
refuse a number of connections, as an unreachable host does.
"""

from __future__ import annotations

import stat

import pytest
from tests.publish.sites import MemoryBlobs, read_tree, site

from bgpub.errors import PublishError
from bgpub.publish.targets import DeployRequest, make_target
from bgpub.publish.targets.rsync import failure

SSH_REFUSED = (
    "ssh: connect to host www.example.com port 22: Connection refused\n"
    "rsync: connection unexpectedly closed (0 bytes received so far) [sender]\n"
    "rsync error: unexplained error (code 255) at io.c(232) [sender=3.2.7]\n"
)
NO_SPACE = (
    'rsync: [receiver] write failed on "/srv/www/big.bin": No space left on device (28)\n'
    "rsync error: error in file IO (code 11) at receiver.c(380) [receiver=3.2.7]\n"
    "rsync: [sender] write error: Broken pipe (32)\n"
    "rsync error: error in file IO (code 11) at io.c(848) [sender=3.2.7]\n"
)


@pytest.mark.parametrize(
    ("code", "stderr", "says", "hides"),
    [
        (255, SSH_REFUSED, ["code 255", "ssh connection failed", "Connection refused"], ["io.c"]),
        (12, SSH_REFUSED, ["code 12", "ssh connection failed", "Connection refused"], ["io.c"]),
        (12, "rsync: read error\n", ["code 12", "protocol data stream error"], ["ssh"]),
        (
            11,
            NO_SPACE,
            ["code 11", "No space left on device", "big.bin"],
            ["receiver.c", "Broken pipe"],
        ),
        (23, "", ["code 23", "partial transfer"], []),
        (99, "rsync error: something new (code 99) at x.c(1)\n", ["code 99", "something new"], []),
        (12, "rsync: x\n" * 50 + "rsync: y " + "z" * 2000, ["code 12", "rsync: x; rsync: y"], []),
    ],
)
def test_failure_names_the_cause_not_the_summary(code, stderr, says, hides):
    message = failure(code, stderr)
    for text in says:
        assert text in message
    for text in hides:
        assert text not in message
    assert "\n" not in message and len(message) < 520


@pytest.fixture
def fake_ssh(tmp_path, monkeypatch):
    """A remote shell that runs `rsync --server` here; it refuses as many connections as the file
    `refuse` says (like an unreachable host: ssh's message, exit 255)."""
    refuse = tmp_path / "refuse"
    refuse.write_text("0")
    script = tmp_path / "fake-ssh"
    script.write_text(
        "#!/bin/sh\n"
        f'n=$(cat "{refuse}")\n'
        'if [ "$n" -gt 0 ]; then\n'
        f'  echo $((n - 1)) > "{refuse}"\n'
        '  echo "ssh: connect to host $1 port 22: Connection refused" >&2\n'
        "  exit 255\n"
        "fi\n"
        'shift\nexec "$@"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("RSYNC_RSH", str(script))
    return refuse


def test_a_refused_send_leaves_the_live_site_and_says_what_differs(tmp_path, fake_ssh):
    blobs = MemoryBlobs()
    dest = tmp_path / "www"
    target = make_target("rsync", {"dest": f"web.example:{dest}"}, tmp_path / "state")
    v1 = site(4)
    assert target.deploy(DeployRequest(1, blobs.add(v1)), blobs.fetch).ok
    assert read_tree(dest) == v1
    v2 = site(4, changed={1: "new", 2: "newer"})
    del v2["page-3/index.html"]
    fake_ssh.write_text("1")  # the send is refused; the check of what is left gets through
    with pytest.raises(PublishError) as raised:
        target.deploy(DeployRequest(2, blobs.add(v2)), blobs.fetch)
    message = str(raised.value)
    # rsync exits 255 or 12 for a refused ssh, whichever it notices first
    assert "the ssh connection failed" in message and "Connection refused" in message
    assert f"left over at web.example:{dest}: 2 file(s) still differ" in message
    assert "1 removed file(s) are still there" in message
    assert read_tree(dest) == v1  # visitors still get version 1, whole
    out = target.deploy(
        DeployRequest(2, blobs.add(v2)), blobs.fetch
    )  # the next publish completes it
    assert out.ok, out.problems
    assert read_tree(dest) == v2


def test_an_unreachable_destination_says_it_could_not_check(tmp_path, fake_ssh):
    blobs = MemoryBlobs()
    target = make_target("rsync", {"dest": f"web.example:{tmp_path / 'www'}"}, tmp_path / "state")
    fake_ssh.write_text("5")
    with pytest.raises(PublishError) as raised:
        target.deploy(DeployRequest(1, blobs.add(site(2))), blobs.fetch)
    message = str(raised.value)
    assert message.count("Connection refused") == 2  # the send, then the check of what was left
    assert "left over: unknown, the destination could not be checked" in message
    with pytest.raises(PublishError, match="Connection refused"):
        target.probe()
