"""Webhook receivers for tests: HTTP(S) servers on 127.0.0.1 that record what reaches them, and a fake DNS."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What a test server answers (status, optional Location) and what reached it."""

    status: int = 204
    location: str | None = None
    hits: list[Hit] = field(default_factory=list)
    server_names: list[str | None] = field(default_factory=list)  # TLS SNI seen, for HTTPS
    url: str = ""
    port: int = 0


@contextmanager
def receiver(
    status: int = 204, location: str | None = None, tls: ssl.SSLContext | None = None
) -> Iterator[Receiver]:
    """A server on 127.0.0.1 (a free port) for the duration of the block."""
    state = Receiver(status, location)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state.hits.append(Hit(self.path, dict(self.headers), body))
            self.send_response(state.status)
            if state.location:
                self.send_header("Location", state.location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST  # noqa: N815 (a followed redirect would arrive as GET)

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        tls.sni_callback = lambda sock, name, ctx: state.server_names.append(name)
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    state.port = httpd.server_address[1]
    state.url = f"{'https' if tls else 'http'}://127.0.0.1:{state.port}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


class FakeDns:
    """Stands in for socket.getaddrinfo: answers names from a table (a list, or a callable per call);
    IP literals go to the real resolver (socket.create_connection resolves them too)."""

    def __init__(self, real: Callable) -> None:
        self.real = real
        self.table: dict[str, list[str] | Callable[[], list[str]]] = {}
        self.asked: list[str] = []

    def __call__(self, host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host)
        try:
            ipaddress.ip_address(name)
            return self.real(host, port, *args, **kwargs)
        except ValueError:
            pass
        self.asked.append(name)
        answer = self.table.get(name.lower().rstrip("."))
        if answer is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        addresses = answer() if callable(answer) else answer
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (a, port or 0, 0, 0))
            if ":" in a
            else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port or 0))
            for a in addresses
        ]


def rebinding(first: list[str], then: list[str]) -> Callable[[], list[str]]:
    """A resolver answer that changes after the first question (DNS rebinding)."""
    calls = []

    def answer() -> list[str]:
        calls.append(1)
        return first if len(calls) == 1 else then

    return answer


def tls_pair(tmp: Path, host: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context with a certificate for `host`, client context trusting only its CA)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def cert(subject, issuer, key, signer, ca: bool):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False
            )
        return builder.sign(signer, hashes.SHA256())

    ca_key, leaf_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca = cert("bgpub test CA", "bgpub test CA", ca_key, ca_key, True)
    leaf = cert(host, "bgpub test CA", leaf_key, ca_key, False)
    pem = serialization.Encoding.PEM
    (tmp / "leaf.pem").write_bytes(leaf.public_bytes(pem))
    (tmp / "leaf.key").write_bytes(
        leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tmp / "leaf.pem", tmp / "leaf.key")
    client = ssl.create_default_context(cadata=ca.public_bytes(pem).decode())
    return server, client
