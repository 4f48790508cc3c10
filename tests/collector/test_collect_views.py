"""`GET|POST /v/{project}`: cookieless page views; no address or user agent stored; bots not counted;
the visitor hash changes with the day's salt, whose predecessors are deleted."""

from __future__ import annotations

from datetime import date, timedelta

from bgpub.db.models import PageView, VisitorSalt
from bgpub.services.page_views import day_salt, visitor_hash

DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
HEADLESS = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"
IPAD = "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1"
ANDROID_TABLET = (
    "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
)
ORIGIN = "https://demo.example"


def views(site) -> list[PageView]:
    return list(PageView.select().where(PageView.project == site.id).order_by(PageView.timestamp))


def test_the_pixel_and_the_script_are_both_counted_and_set_no_cookie(client, site):
    pixel = client.get(
        f"/v/{site.id}?p=/about/", headers={"user-agent": DESKTOP, "referer": ORIGIN + "/about/"}
    )
    assert pixel.status_code == 200 and pixel.headers["content-type"] == "image/gif"
    script = client.post(
        f"/v/{site.id}",
        content='{"p":"/pricing/?utm_source=newsletter&x=1","r":"https://news.example.net/item?id=4"}',
        headers={
            "user-agent": IPHONE,
            "origin": ORIGIN,
            "content-type": "text/plain;charset=UTF-8",
        },
    )
    assert script.status_code == 204
    for response in (pixel, script):
        assert (
            "set-cookie" not in response.headers and response.headers["cache-control"] == "no-store"
        )
    first, second = views(site)
    assert (first.path, first.referrer, first.utm_source, first.device) == (
        "/about/",
        None,
        None,
        "desktop",
    )
    assert (second.path, second.referrer, second.utm_source, second.device) == (
        "/pricing/",
        "news.example.net",
        "newsletter",
        "mobile",
    )


def test_no_address_or_user_agent_reaches_the_database(client, site, db):
    client.get(f"/v/{site.id}?p=/", headers={"user-agent": DESKTOP, "origin": ORIGIN})
    [row] = views(site)
    stored = " ".join(str(v) for v in db.execute_sql("SELECT * FROM page_views").fetchall()[0])
    assert "203.0.113.7" not in stored and "Chrome" not in stored and "Linux" not in stored
    assert len(row.session_id) == 32 and row.session_id != visitor_hash(
        "", site.id, "203.0.113.7", DESKTOP
    )


BOTS = [
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "facebookexternalhit/1.1",
    "curl/8.5.0",
    "python-requests/2.31",
    "Wget/1.21",
    "",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Slackbot-LinkExpanding 1.0",
]
DEVICES = [
    (DESKTOP, "desktop"),
    (HEADLESS, "desktop"),
    (IPHONE, "mobile"),
    (IPAD, "tablet"),
    (ANDROID_TABLET, "tablet"),
]
BAD = [
    ("p=/", {"origin": "https://evil.example"}, 403),
    ("p=javascript:alert(1)", {"origin": ORIGIN}, 400),
    ("p=", {"origin": ORIGIN}, 400),
    ("p=/%0a", {"origin": ORIGIN}, 400),
    ("p=/%7f", {"origin": ORIGIN}, 400),
]


def test_bots_are_answered_but_not_counted(client, site):
    for agent in BOTS:
        response = client.get(f"/v/{site.id}?p=/", headers={"user-agent": agent, "origin": ORIGIN})
        assert response.status_code == 200, agent
    assert views(site) == []


def test_device_class_from_the_user_agent(client, site):
    for agent, _ in DEVICES:
        assert (
            client.get(
                f"/v/{site.id}?p=/", headers={"user-agent": agent, "origin": ORIGIN}
            ).status_code
            == 200
        )
    assert [v.device for v in views(site)] == [device for _, device in DEVICES]


def test_bad_beacons_store_nothing(client, site):
    for query, headers, status in BAD:
        response = client.get(f"/v/{site.id}?{query}", headers={"user-agent": DESKTOP, **headers})
        assert response.status_code == status, query
    assert views(site) == []


def test_an_unknown_project_is_404(client):
    assert client.get("/v/nope?p=/", headers={"user-agent": DESKTOP}).status_code == 404


def test_one_visitor_a_day_one_hash_and_yesterdays_salt_is_deleted(client, site):
    for path in ("/", "/about/", "/"):
        client.get(f"/v/{site.id}?p={path}", headers={"user-agent": DESKTOP, "origin": ORIGIN})
    hashes = {v.session_id for v in views(site)}
    assert len(hashes) == 1
    from starlette.testclient import TestClient

    with TestClient(client.app, client=("198.51.100.20", 9)) as other:
        other.get(f"/v/{site.id}?p=/", headers={"user-agent": DESKTOP, "origin": ORIGIN})
    assert len({v.session_id for v in views(site)}) == 2
    today = date.today()
    salt = day_salt(today)
    tomorrow = day_salt(today + timedelta(days=1))
    assert salt != tomorrow
    assert [s.day for s in VisitorSalt.select()] == [today + timedelta(days=1)]  # today's is gone


def test_a_flood_of_views_from_one_client_is_limited(client, site, one_minute):
    statuses = [
        client.get(
            f"/v/{site.id}?p=/{i}/", headers={"user-agent": DESKTOP, "origin": ORIGIN}
        ).status_code
        for i in range(55)
    ]
    assert statuses.count(200) == 50 and statuses[-1] == 429
    assert len(views(site)) == 50
