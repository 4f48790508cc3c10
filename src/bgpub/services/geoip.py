"""The visitor's country from a local MaxMind database (`BGPUB_GEOIP_DB` / `bgpub collect --geoip-db`).

Read with MaxMind's maintained `maxminddb` reader, on this machine only: no address leaves it and none
is stored, just the two-letter country code. Without a configured database no country is recorded.
Works with GeoLite2/GeoIP2 Country or City files and DB-IP's country lite files (all keep the code
at `country.iso_code`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from bgpub.errors import InvalidInput

CountryOf = Callable[[str], str | None]


def open_country_reader(path: str | None) -> CountryOf | None:
    """A lookup function over the database at `path`, or None without one; InvalidInput when the file
    is not a MaxMind database."""
    if not path:
        return None
    import maxminddb

    try:
        reader = maxminddb.open_database(path)
    except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
        raise InvalidInput(f"not a readable MaxMind database: {exc}", where=path) from None

    def country_of(address: str) -> str | None:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return None
        if ip.version == 6 and reader.metadata().ip_version == 4:
            mapped = ip.ipv4_mapped
            if mapped is None:
                return None
            ip = mapped
        try:
            record = reader.get(ip)
        except (ValueError, maxminddb.InvalidDatabaseError):
            return None
        country = record.get("country") if isinstance(record, dict) else None
        code = country.get("iso_code") if isinstance(country, dict) else None
        return code.upper() if isinstance(code, str) and len(code) == 2 and code.isalpha() else None

    return country_of
