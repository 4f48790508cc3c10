"""Country only with a local GeoIP database: a tiny MaxMind database is written here with `mmdb-writer`
and read by the collector through MaxMind's `maxminddb`; the address itself is never stored."""

from __future__ import annotations

import pytest
from mmdb_writer import MMDBWriter
from netaddr import IPSet
from starlette.testclient import TestClient

from bgpub.collector.app import make_app
from bgpub.db.connection import database
from bgpub.errors import InvalidInput
from bgpub.services.geoip import open_country_reader

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
HEADERS = {"user-agent": BROWSER, "origin": "https://demo.example"}
KNOWN, UNKNOWN = "203.0.113.7", "198.51.100.9"


@pytest.fixture(scope="module")
def country_db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("geoip") / "countries.mmdb"
    writer = MMDBWriter(ip_version=6, database_type="GeoLite2-Country", ipv4_compatible=True)
    writer.insert_network(IPSet(["203.0.113.0/24"]), {"country": {"iso_code": "NZ"}})
    writer.insert_network(IPSet(["2001:db8::/32"]), {"country": {"iso_code": "is"}})
    writer.to_db_file(str(path))
    return str(path)


def test_the_reader_answers_codes_and_nothing_for_the_unknown(country_db, tmp_path):
    country_of = open_country_reader(country_db)
    assert country_of(KNOWN) == "NZ"
    assert country_of("2001:db8::1") == "IS"
    for address in (UNKNOWN, "::1", "", "not an address", "203.0.113.7; DROP TABLE", "999.1.1.1"):
        assert country_of(address) is None
    assert open_country_reader(None) is None and open_country_reader("") is None
    junk = tmp_path / "junk.mmdb"
    junk.write_bytes(b"not a maxmind database" * 10)
    with pytest.raises(InvalidInput) as refused:
        open_country_reader(str(junk))
    assert refused.value.where == str(junk)


def _views(settings, site, address: str, geoip: str | None) -> None:
    from dataclasses import replace

    app = make_app(replace(settings, geoip_db=geoip))
    with TestClient(app, base_url="http://collector.test", client=(address, 5000)) as http:
        for page in ("/", "/about/"):
            assert http.get(f"/v/{site.id}?p={page}", headers=HEADERS).status_code == 200


def test_country_is_recorded_only_with_a_database_and_the_address_never(
    db, site, settings, country_db
):
    _views(settings, site, KNOWN, None)  # no database configured: no country
    _views(settings, site, KNOWN, country_db)
    _views(settings, site, UNKNOWN, country_db)
    rows = database.execute_sql("SELECT * FROM page_views").fetchall()
    assert sorted(row_country(site), key=str) == ["NZ", "NZ", None, None, None, None]
    flat = " ".join(str(value) for row in rows for value in row)
    assert KNOWN not in flat and UNKNOWN not in flat and "203.0.113" not in flat


def row_country(site) -> list[str | None]:
    from bgpub.db.models import PageView

    return [v.country for v in PageView.select(PageView.country).where(PageView.project == site.id)]
