"""Fixtures of the deploy tests: real servers on 127.0.0.1 (an S3-compatible one, an sshd, rclone's
WebDAV) each on a free port, and projects built through the services.

A server whose program is missing skips its tests with the reason, and fails them instead under
BGPUB_REQUIRE_DEPLOY_SERVERS=1 (CI sets it, see .ci/run).
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from tests.publish.sites import REPO, make_project

from bgpub.db.enums import SubscriptionTier
from bgpub.db.models import Organization, OrganizationMember

REQUIRE = os.environ.get("BGPUB_REQUIRE_DEPLOY_SERVERS") == "1"
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def unavailable(problem: str) -> None:
    """Skips with the reason, or fails under BGPUB_REQUIRE_DEPLOY_SERVERS=1."""
    if REQUIRE:
        pytest.fail(f"{problem} (BGPUB_REQUIRE_DEPLOY_SERVERS=1)")
    pytest.skip(problem)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(
    port: int, process: subprocess.Popen | None = None, timeout: float = 20.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


@pytest.fixture(autouse=True)
def repository_library(monkeypatch):
    """Deploy tests render with the repository's own components and themes."""
    monkeypatch.setenv("BGPUB_COMPONENTS_PATH", str(REPO / "components"))
    monkeypatch.setenv("BGPUB_THEMES_PATH", str(REPO / "themes"))


@pytest.fixture
def org(actor) -> Organization:
    organization = (
        Organization.select().join(OrganizationMember).where(OrganizationMember.user == actor).get()
    )
    organization.tier = SubscriptionTier.PRO
    organization.save()
    return organization


@pytest.fixture
def project(actor, org):
    return make_project(actor, "demo", pages=3)


# -- S3: moto's standalone server ------------------------------------------------------------------
@pytest.fixture(scope="session")
def s3_server():
    """moto's S3-compatible HTTP server on a free loopback port for the whole session: its URL."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        unavailable("moto[server] is not installed (pip install -e '.[test]')")
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    wait_for_port(port)
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def aws_env(monkeypatch, tmp_path):
    """Test credentials in the standard AWS chain (never a real account's)."""
    for name, value in AWS_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    return AWS_ENV


@pytest.fixture
def bucket(s3_server, aws_env) -> str:
    """A new, empty bucket on the S3 server."""
    name = f"site-{uuid.uuid4().hex[:12]}"
    plain_client(s3_server).create_bucket(Bucket=name)
    return name


@functools.cache
def plain_client(endpoint: str):
    """A plain boto3 client of the test server, built once (building one costs ~50 ms)."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=AWS_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=AWS_ENV["AWS_SECRET_ACCESS_KEY"],
        region_name=AWS_ENV["AWS_DEFAULT_REGION"],
    )


def bucket_listing(endpoint: str, bucket: str, prefix: str = "") -> dict[str, tuple[str, int]]:
    """{path: (ETag, size)} of every object under `prefix`, listed with a plain boto3 client."""
    client = plain_client(endpoint)
    return {
        item["Key"][len(prefix) :]: (item["ETag"].strip('"'), item["Size"])
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        for item in page.get("Contents", [])
    }


def bucket_objects(
    endpoint: str, bucket: str, prefix: str = "", only=lambda path: True
) -> dict[str, bytes]:
    """The objects under `prefix` (those `only` accepts), read back with a plain boto3 client:
    what visitors would get."""
    client = plain_client(endpoint)
    return {
        path: client.get_object(Bucket=bucket, Key=prefix + path)["Body"].read()
        for path in bucket_listing(endpoint, bucket, prefix)
        if only(path)
    }


# -- sshd with a throwaway key ---------------------------------------------------------------------
@pytest.fixture(scope="session")
def sshd(tmp_path_factory):
    """An sshd on a free loopback port accepting only a throwaway key: (port, GIT_SSH_COMMAND, user)."""
    program = shutil.which("sshd") or (
        "/usr/sbin/sshd" if os.path.exists("/usr/sbin/sshd") else None
    )
    if program is None or shutil.which("ssh") is None or shutil.which("ssh-keygen") is None:
        unavailable("no sshd/ssh (Debian: apt-get install openssh-server)")
    root = tmp_path_factory.mktemp("sshd")
    for name in ("host_key", "client_key"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(root / name)], check=True
        )
    (root / "authorized_keys").write_text((root / "client_key.pub").read_text())
    os.chmod(root / "authorized_keys", 0o600)
    port = free_port()
    user = (
        os.environ.get("USER")
        or subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
    )
    config = root / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {root / 'host_key'}",
                f"AuthorizedKeysFile {root / 'authorized_keys'}",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "UsePAM no",
                "StrictModes no",
                f"PidFile {root / 'sshd.pid'}",
                f"AllowUsers {user}",
                "PermitRootLogin prohibit-password",
                # bash runs an ssh command with ~/.bashrc unless it is a nested shell: the test
                # user's interactive set-up (pyenv's init here, ~1 s) would run for every git
                # command over ssh. What these tests prove needs only git on sshd's default PATH.
                "SetEnv SHLVL=1",
                "",
            ]
        )
    )
    if os.geteuid() == 0:
        os.makedirs("/run/sshd", exist_ok=True)  # sshd's privilege separation folder
    process = subprocess.Popen(
        [program, "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        wait_for_port(port, process)
    except RuntimeError as exc:
        process.kill()
        unavailable(
            f"sshd did not start: {exc}: {process.stderr.read().decode(errors='replace')[-300:]}"
        )
    # a Unix socket path has a 108-byte limit that pytest's per-worker temporary folders exceed
    mux = Path(tempfile.mkdtemp(prefix="ssh-", dir="/tmp"))
    command = (
        f"ssh -p {port} -i {root / 'client_key'} -o IdentitiesOnly=yes -o BatchMode=yes "
        f"-o StrictHostKeyChecking=no -o UserKnownHostsFile={root / 'known_hosts'} -o LogLevel=ERROR "
        f"-o ControlMaster=auto -o ControlPath={mux / '%C'} -o ControlPersist=30"  # one handshake
    )
    yield port, command, user
    subprocess.run([*command.split(), "-O", "exit", "127.0.0.1"], capture_output=True)
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(mux, ignore_errors=True)


# -- rclone serving WebDAV -------------------------------------------------------------------------
@pytest.fixture
def webdav(tmp_path, monkeypatch):
    """`rclone serve webdav` of a fresh folder on a free loopback port; the rclone remote `bgdav:`
    (defined in the environment, as a user's rclone config would) points at it: (remote, folder)."""
    program = shutil.which("rclone")
    if program is None:
        unavailable("no rclone (Debian: apt-get install rclone)")
    served = tmp_path / "webdav-root"
    served.mkdir()
    port = free_port()
    process = subprocess.Popen(
        [
            program,
            "serve",
            "webdav",
            str(served),
            "--addr",
            f"127.0.0.1:{port}",
            "--config",
            "/dev/null",
            "--dir-cache-time",
            "0s",
        ],  # sees changes made beside it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process)
    except RuntimeError as exc:
        process.kill()
        unavailable(f"rclone serve webdav did not start: {exc}")
    monkeypatch.setenv("RCLONE_CONFIG_BGDAV_TYPE", "webdav")
    monkeypatch.setenv("RCLONE_CONFIG_BGDAV_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("RCLONE_CONFIG", str(tmp_path / "rclone.conf"))
    yield "bgdav:", Path(served)
    process.terminate()
    process.wait(timeout=10)


# -- rclone serving SFTP ---------------------------------------------------------------------------
@pytest.fixture
def sftp(tmp_path, monkeypatch):
    """`rclone serve sftp` of a fresh folder on a free loopback port, with a throwaway password; the
    rclone remote `bgsftp:` (defined in the environment, as a user's rclone config would) points at
    it: (remote, folder)."""
    program = shutil.which("rclone")
    if program is None:
        unavailable("no rclone (Debian: apt-get install rclone)")
    served = tmp_path / "sftp-root"
    served.mkdir()
    password = uuid.uuid4().hex
    port = free_port()
    monkeypatch.setenv("RCLONE_CONFIG", str(tmp_path / "rclone.conf"))
    monkeypatch.setenv("RCLONE_CACHE_DIR", str(tmp_path / "rclone-cache"))  # the server's host key
    process = subprocess.Popen(
        [
            program,
            "serve",
            "sftp",
            str(served),
            "--addr",
            f"127.0.0.1:{port}",
            "--user",
            "bgpub",
            "--pass",
            password,
            "--config",
            "/dev/null",
            "--dir-cache-time",
            "0s",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process)
    except RuntimeError as exc:
        process.kill()
        unavailable(f"rclone serve sftp did not start: {exc}")
    obscured = subprocess.run(
        [program, "obscure", password], capture_output=True, text=True, check=True
    ).stdout.strip()
    for key, value in {
        "TYPE": "sftp",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "USER": "bgpub",
        "PASS": obscured,
    }.items():
        monkeypatch.setenv(f"RCLONE_CONFIG_BGSFTP_{key}", value)
    yield "bgsftp:", Path(served)
    process.terminate()
    process.wait(timeout=10)
