"""Issue 12, defect 14: changing `user.email` after the quickstart never locks the user out."""

from __future__ import annotations

from bgpub.config import read_config_file
from bgpub.services.members import add_member
from bgpub.services.projects import create_project


def test_an_unknown_address_is_refused_and_rename_moves_the_user(bgpub, actor, org, home):
    create_project(actor, "site", title="Site")
    before = read_config_file(home)["user.email"]
    assert before == actor.email

    for hostile in ("ada@studio.example", "ADA@Studio.Example", "nobody@localhost"):
        refused = bgpub("config", "user.email", hostile)
        assert refused.code != 0
        assert "--rename" in refused.err and "member add" in refused.err
        assert read_config_file(home)["user.email"] == before  # nothing changed
        assert bgpub("whoami").code == 0  # the workspace still works

    bad = bgpub("config", "user.email", "not an address")
    assert bad.code != 0 and read_config_file(home)["user.email"] == before

    renamed = bgpub("config", "user.email", "Ada@Studio.Example", "--rename")
    assert renamed.code == 0, renamed.err
    assert read_config_file(home)["user.email"] == "ada@studio.example"
    who = bgpub("whoami")
    assert who.code == 0 and "ada@studio.example" in who.out and "OWNER" in who.out
    assert "site" in bgpub("project", "list").out  # the projects came along


def test_switching_to_an_existing_user_needs_no_rename(bgpub, actor, org, home):
    add_member(actor, org.slug, "ben@studio.example", "EDITOR")
    switched = bgpub("config", "user.email", "ben@studio.example")
    assert switched.code == 0, switched.err
    who = bgpub("whoami")
    assert who.code == 0 and "ben@studio.example" in who.out and "EDITOR" in who.out
    taken = bgpub(
        "config", "user.email", actor.email, "--rename"
    )  # ben may not take the owner's address
    assert taken.code != 0 and "already" in taken.err
    assert read_config_file(home)["user.email"] == "ben@studio.example"
