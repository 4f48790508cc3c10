"""`bgpub check PROJECT`: base URL, forms posting to placeholder addresses, sample text, broken
internal links; exit 1 on errors, `--json`; one registry the shop (and others) add checks to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bgpub.services import blocks as block_service
from bgpub.services import site_checks
from bgpub.services.pages import add_page
from bgpub.services.projects import create_project

COMPONENTS = Path(__file__).parents[2] / "components"


@pytest.fixture
def site(actor, org, monkeypatch) -> str:
    """Home links to a page that does not exist; contact posts to example.com; pricing is sample text."""
    monkeypatch.setenv("BGPUB_COMPONENTS_PATH", str(COMPONENTS))
    create_project(actor, "site", title="Site")
    add_page(actor, "site", "home", "Home")
    add_page(actor, "site", "contact", "Contact")
    block_service.add_block(
        actor,
        "site",
        "home",
        "navbar",
        {
            "links": [
                {"label": "Contact", "url": "/contact/#form"},
                {"label": "Gone", "url": "/old-page/"},
                {"label": "Blog", "url": "/blog/"},
            ]
        },
    )
    block_service.add_block(actor, "site", "home", "pricing-table", {})
    block_service.add_block(actor, "site", "contact", "contact-form", {})
    return "site"


@pytest.mark.parametrize(
    "address",
    [
        "https://example.com/x",
        "https://forms.example.org/c",
        "http://EXAMPLE.NET",
        "https://example.co.uk/f",
        "https://x.test/",
        "http://localhost:8000/f",
        "https://mail.invalid/",
    ],
)
def test_placeholder_addresses_are_recognised(address):
    assert site_checks.placeholder_address(address)


@pytest.mark.parametrize(
    "address",
    [
        "https://formspree.io/f/abc",
        "https://myexample.com/",
        "https://example-forms.io/",
        "/contact/",
        "",
    ],
)
def test_real_addresses_pass(address):
    assert not site_checks.placeholder_address(address)


def test_check_lists_problems_and_exits_non_zero_on_errors(bgpub, site):
    shown = bgpub("check", site)
    assert shown.code == 1
    assert "page home, block 1 (navbar), prop links[2].url: links to /old-page/" in shown.out
    assert "/contact/#form" not in shown.out and "/blog/" not in shown.out
    assert (
        "page contact, block 1 (contact-form), prop action" in shown.out
        and "forms.example.com" in shown.out
    )
    assert "page home, block 2 (pricing-table), prop tiers" in shown.out
    assert "no base URL" in shown.out

    data = json.loads(bgpub("check", site, "--json").out)
    assert {f["check"] for f in data["findings"]} == {
        "base-url",
        "form-address",
        "placeholder-text",
        "broken-link",
    }
    assert data["errors"] == sum(1 for f in data["findings"] if f["severity"] == "error") >= 2
    assert all(f["severity"] == "warning" for f in data["findings"] if f["check"] == "base-url")


def test_a_fixed_site_passes_and_warnings_alone_exit_zero(bgpub, actor, site):
    block_service.replace_blocks(
        actor,
        site,
        "home",
        [{"component": "navbar", "props": {"links": [{"label": "Contact", "url": "/contact/"}]}}],
    )
    block_service.replace_blocks(
        actor,
        site,
        "contact",
        [{"component": "contact-form", "props": {"action": "https://formspree.io/f/abc"}}],
    )
    warned = bgpub("check", site)
    assert (
        warned.code == 0
        and "no base URL" in warned.out
        and "error" not in warned.out.split("\n")[0]
    )
    assert bgpub("project", "set", site, "--domain", "www.site-owner.dev").code == 0
    clean = bgpub("check", site, "--json")
    assert clean.code == 0
    left = json.loads(clean.out)
    assert left["errors"] == 0 and {f["check"] for f in left["findings"]} <= {"placeholder-text"}
    block_service.replace_blocks(actor, site, "contact", [])
    assert "no problems found" in bgpub("check", site).out


def test_a_feature_registers_its_own_check(bgpub, site, monkeypatch):
    monkeypatch.setattr(site_checks, "CHECKS", dict(site_checks.CHECKS))

    @site_checks.site_check("no-checkout", "A checkout is configured")
    def no_checkout(facts):
        yield site_checks.Finding(
            "no-checkout", site_checks.WARNING, f"project {facts.project.name}", "no checkout"
        )

    data = json.loads(bgpub("check", site, "--json").out)
    assert any(f["check"] == "no-checkout" for f in data["findings"])
    assert bgpub("check", "no-such-project").code != 0
