"""Where a webhook may point: URL checks, address vetting against SSRF, masking, pinned connections.

A webhook URL is checked twice: when it is added and again at every delivery (a name may be
re-pointed in between: DNS rebinding). Every address a host resolves to must be public; one
loopback, private, link-local, multicast, unspecified or reserved address refuses the URL.
Numeric hosts are read the way browsers read them (`127.1`, `0x7f000001`, `2130706433`,
`0177.0.0.1` are all 127.0.0.1), and IPv6 forms that carry an IPv4 address (mapped, NAT64,
6to4, Teredo) are judged by that address. The delivery then connects to the vetted address
itself, sending the URL's host name as Host header and TLS server name, so the address checked
is the address used.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from bgpub.errors import InvalidInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MASK = "••••"
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# IANA special-purpose ranges that some Python versions still count as global.
SPECIAL = tuple(
    ipaddress.ip_network(n)
    for n in ("192.0.0.0/24", "198.18.0.0/15", "100.64.0.0/10", "64:ff9b:1::/48", "2001::/23")
)


class HostNotFound(InvalidInput):
    """The host name does not resolve (now): not an address to refuse, nothing to connect to."""


@dataclass(frozen=True)
class Endpoint:
    """A checked webhook URL, split into what a delivery needs."""

    url: str
    scheme: str
    host: str  # ASCII (IDNA) host name or address literal, as sent in Host and as TLS server name
    port: int
    target: str  # path and query, as sent in the request line


def mask_url(url: str) -> str:
    """Scheme, host and port; user info, path, query and fragment become `••••` (they carry tokens:
    Slack, Discord and Teams hooks keep theirs in the path, `https://hooks.slack.com/services/T/B/token`)."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return MASK
    if ":" in host:
        host = f"[{host}]"
    netloc = (f"{MASK}@" if "@" in parts.netloc else "") + host + (f":{port}" if port else "")
    return (
        f"{parts.scheme}://{netloc}{parts.path if parts.path in ('', '/') else '/' + MASK}"
        + (f"?{MASK}" if parts.query else "")
        + (f"#{MASK}" if parts.fragment else "")
    )


def parse_url(url: object, where: str) -> Endpoint:
    """An absolute http(s) URL with a host, or InvalidInput naming what is wrong (never the query)."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidInput("a webhook URL is required", where=where, field="url")
    url = url.strip()
    shown = mask_url(url)
    if any(ord(c) < 33 or ord(c) == 127 for c in url) or "\\" in url or len(url) > 2000:
        raise InvalidInput(
            f"{shown} is not a valid URL (spaces, control characters, backslashes, "
            "or longer than 2000 characters)",
            where=where,
            field="url",
        )
    try:
        parts = urlsplit(url)
        hostname, port = parts.hostname, parts.port  # .port raises for a bad port
    except ValueError as exc:
        raise InvalidInput(
            f"{shown} is not a valid URL ({exc})", where=where, field="url"
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InvalidInput(f"{shown} is not an http(s) URL", where=where, field="url")
    if not hostname:
        raise InvalidInput(f"{shown} names no host", where=where, field="url")
    if port == 0:  # not a port anything listens on; `port or 80` would quietly send elsewhere
        raise InvalidInput(f"{shown} names port 0", where=where, field="url")
    host = _ascii_host(hostname, shown, where)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Endpoint(url, scheme, host, port or (443 if scheme == "https" else 80), target)


def _ascii_host(hostname: str, shown: str, where: str) -> str:
    """The host as sent on the wire: IDNA for names (full-width digits fold to ASCII ones here)."""
    if ":" in hostname:  # an IPv6 literal; a zone (`%eth0`) names a local interface
        try:
            address = ipaddress.IPv6Address(hostname)
        except ValueError:
            raise InvalidInput(
                f"{shown} has an invalid IPv6 address", where=where, field="url"
            ) from None
        if address.scope_id:
            raise InvalidInput(
                f"{shown} names a local interface (an IPv6 zone)", where=where, field="url"
            )
        return str(address)
    try:
        return (
            hostname.encode("idna").decode("ascii").lower()
            if not hostname.isascii()
            else hostname.lower()
        )
    except UnicodeError:
        raise InvalidInput(f"{shown} has an invalid host name", where=where, field="url") from None


def _ipv4_part(text: str) -> int | None:
    """One dotted part as browsers read it: `0x` hexadecimal, leading `0` octal, else decimal."""
    if text[:2].lower() == "0x":
        digits, base = text[2:] or "0", 16
    elif len(text) > 1 and text[0] == "0":
        digits, base = text[1:], 8
    else:
        digits, base = text, 10
    try:
        return int(digits, base) if digits.isalnum() and digits.isascii() else None
    except ValueError:
        return None


def numeric_ipv4(host: str, shown: str, where: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a host ending in a number means (WHATWG URL rules), None for a name."""
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if not parts[-1] or (_ipv4_part(parts[-1]) is None and not parts[-1].isdigit()):
        return None
    parsed = [_ipv4_part(p) if p else None for p in parts]
    numbers = [n for n in parsed if n is not None]
    if (
        len(parts) > 4
        or len(numbers) < len(parsed)
        or any(n > 255 for n in numbers[:-1])
        or numbers[-1] >= 256 ** (5 - len(numbers))
    ):
        raise InvalidInput(
            f"{shown} has a host that is neither a name nor an IPv4 address",
            where=where,
            field="url",
        )
    value = numbers[-1] + sum(n << (8 * (3 - i)) for i, n in enumerate(numbers[:-1]))
    return ipaddress.IPv4Address(value)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries to the IPv4 Internet (mapped, NAT64, 6to4, Teredo)."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    return None


def refusal(address: IPAddress) -> str | None:
    """Why a webhook may not be sent to `address`, or None for a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None and (address.ipv4_mapped or address in NAT64):
            # the IPv6 form itself counts as "reserved"; what matters is where it leads
            return refusal(inner)
        if inner is not None and (reason := refusal(inner)):
            return reason
        if address.is_site_local:
            return "site-local"
    checks = (
        ("loopback", address.is_loopback),
        ("unspecified", address.is_unspecified),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("not public", not address.is_global or any(address in net for net in SPECIAL)),
    )
    return next((name for name, hit in checks if hit), None)


def resolve(endpoint: Endpoint, where: str) -> list[IPAddress]:
    """Every address the endpoint's host means, in resolver order (literals need no lookup)."""
    shown = mask_url(endpoint.url)
    if ":" in endpoint.host:
        return [ipaddress.IPv6Address(endpoint.host)]
    literal = numeric_ipv4(endpoint.host, shown, where)
    if literal is not None:
        return [literal]
    name = endpoint.host.rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return [ipaddress.IPv4Address("127.0.0.1")]  # RFC 6761: always loopback, whatever DNS says
    try:
        infos = socket.getaddrinfo(endpoint.host, endpoint.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise HostNotFound(
            f"{shown}: host {endpoint.host} does not resolve ({exc})", where=where, field="url"
        ) from None
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).partition("%")[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise HostNotFound(
            f"{shown}: host {endpoint.host} has no address", where=where, field="url"
        )
    return addresses


def vetted_addresses(endpoint: Endpoint, where: str, *, allow_private: bool) -> list[IPAddress]:
    """The host's addresses, or InvalidInput when any of them is not public (unless allowed)."""
    addresses = resolve(endpoint, where)
    if not allow_private:
        for address in addresses:
            reason = refusal(address)
            if reason:
                raise InvalidInput(
                    f"{mask_url(endpoint.url)}: host {endpoint.host} resolves to {address} ({reason}); "
                    "webhooks go to public addresses only (--allow-private to allow this one)",
                    where=where,
                    field="url",
                )
    return addresses


def tls_context() -> ssl.SSLContext:
    """Certificates checked against the system's trust store and the URL's host name."""
    return ssl.create_default_context()


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to one vetted address; Host still names the URL's host."""

    def __init__(self, endpoint: Endpoint, address: IPAddress, timeout: float) -> None:
        super().__init__(endpoint.host, endpoint.port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((str(self.address), self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to one vetted address, with the URL's host as server name (SNI) and in Host."""

    def __init__(self, endpoint: Endpoint, address: IPAddress, timeout: float) -> None:
        self.tls = tls_context()
        super().__init__(endpoint.host, endpoint.port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((str(self.address), self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def post(
    endpoint: Endpoint,
    addresses: list[IPAddress],
    body: bytes,
    headers: dict[str, str],
    timeout: float,
) -> tuple[int, str]:
    """POSTs to the first vetted address that accepts a connection; (status, reason), never redirected."""
    last_error: OSError | None = None
    for address in addresses:
        kind = PinnedHTTPSConnection if endpoint.scheme == "https" else PinnedHTTPConnection
        connection = kind(endpoint, address, timeout)
        try:
            connection.connect()
        except (ConnectionError, TimeoutError) as exc:
            connection.close()
            last_error = exc
            continue
        try:
            connection.request("POST", endpoint.target, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.reason
        finally:
            connection.close()
    raise last_error or ConnectionError("no address to connect to")
