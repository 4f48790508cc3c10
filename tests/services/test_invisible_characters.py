"""Invisible and control characters in names, titles and slugs are refused, naming the field and the code
point: a right-to-left override in a page title reverses what `page list` prints, a zero-width space
makes two names look the same. Every class of such characters, through every service and import entry."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import unicodedata
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from services_support import counts, png

from bgpub.db.connection import connect_url, database, init_database
from bgpub.db.models import Organization, Page, Project
from bgpub.errors import InvalidInput
from bgpub.services import (
    api_keys,
    importing,
    integrations,
    library,
    organizations,
    pages,
    projects,
    validation,
)
from bgpub.services.workspace import open_workspace

FIXTURE_COMPONENTS = Path(__file__).parent / "fixtures" / "components"
PG_URL = os.environ.get("BGPUB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")

# Each class of invisible characters the issue names, in full, and samples of the rest of Cf and Cc.
CLASSES: dict[str, str] = {
    "bidi-embedding-override": "\u202a\u202b\u202c\u202d\u202e",
    "bidi-isolate": "\u2066\u2067\u2068\u2069",
    "zero-width-and-marks": "\u200b\u200e\u200f\u180e",
    "line-paragraph-separator": "\u2028\u2029",
    "byte-order-mark-arabic-letter-mark": "\ufeff\u061c",
    "other-format": "\u00ad\u2060\u2061\u2064\u206a\u206f\ufff9\U000e0001\U000e007f",
    "control": "\x00\x07\x0b\x0c\r\x1b\x7f\x85\x9b",
}


def code(char: str) -> str:
    return f"U+{ord(char):04X}"


# --- the validation functions, every character of every class ---------------------------------------

CHECKS: dict[str, tuple[Callable[[str], object], str, Callable[[str], str]]] = {
    # name: (check, field named in the message, value carrying the character)
    "required_text": (
        lambda v: validation.required_text(v, "title"),
        "title",
        lambda c: f"Ab{c}cd",
    ),
    "optional_text": (
        lambda v: validation.optional_text(v, "seo_title"),
        "seo_title",
        lambda c: f"Ab{c}cd",
    ),
    "slug": (lambda v: validation.slug(v, "project name"), "project name", lambda c: f"ab{c}cd"),
    "page_slug": (validation.page_slug, "slug", lambda c: f"ab{c}cd"),
    "subdomain": (validation.subdomain, "subdomain", lambda c: f"ab{c}cd"),
    "domain": (validation.domain, "custom_domain", lambda c: f"www.ex{c}ample.com"),
    "email": (validation.email, "email", lambda c: f"ada{c}@example.com"),
}


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("kind", CLASSES)
def test_every_character_of_each_class_is_refused_naming_field_and_code_point(kind, check):
    function, field, carrying = CHECKS[check]
    for char in CLASSES[kind]:
        if check in ("required_text", "optional_text") and char in "\x0b\x0c\r\x85":
            value = f"Ab{char}cd"  # whitespace a title may not keep even inside
        else:
            value = carrying(char)
        with pytest.raises(InvalidInput) as caught:
            function(value)
        message = str(caught.value)
        assert field in message and code(char) in message, (code(char), message)


def test_every_code_point_of_the_invisible_categories_is_refused_in_text():
    missed = []
    for point in range(0x110000):
        char = chr(point)
        if (
            unicodedata.category(char) not in ("Cf", "Cc", "Zl", "Zp")
            or char in validation.TEXT_WHITESPACE + validation.TEXT_JOINERS
        ):
            continue
        try:
            validation.required_text(f"Ab{char}cd", "title")
        except InvalidInput as exc:
            if code(char) not in str(exc):
                missed.append((code(char), str(exc)))
        else:
            missed.append((code(char), "accepted"))
    assert missed == []


@pytest.mark.parametrize(
    "check", [c for c in CHECKS if c not in ("required_text", "optional_text")]
)
@pytest.mark.parametrize("char", validation.TEXT_JOINERS)
def test_zero_width_joiners_are_refused_outside_text(check, char):
    """Text keeps them (scripts and emoji need them); slugs, domains and addresses never do."""
    function, field, carrying = CHECKS[check]
    with pytest.raises(InvalidInput) as caught:
        function(carrying(char))
    assert field in str(caught.value) and code(char) in str(caught.value)


@pytest.mark.parametrize(
    "value",
    [
        "Café ☕ 日本語",
        "שלום עולם",
        "مرحبا بالعالم",
        "a\u00a0b",
        "tab\there",
        "two\nlines",
        "</title><script>",
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian, with a zero-width non-joiner
        "Family \U0001f468\u200d\U0001f469\u200d\U0001f467",  # an emoji joined by zero-width joiners
    ],
)
def test_visible_text_and_text_whitespace_are_kept(value):
    assert validation.required_text(value, "description", multiline=True) == value
    if "\t" not in value and "\n" not in value:
        assert validation.required_text(value, "title") == value


@pytest.mark.parametrize("value", ["About\n  2  x  Fake", "tab\there", "Ab\ncd", "\tAb\tcd"])
def test_names_and_titles_are_one_line(value):
    """A line break in a title would forge a row in `page list`; prose fields keep theirs."""
    with pytest.raises(InvalidInput, match=r"title contains the control character U\+000[9A]"):
        validation.required_text(value, "title")
    with pytest.raises(InvalidInput, match=r"name contains"):
        validation.optional_text(value, "name")


@pytest.mark.parametrize("value", ["about\n", "about\t", "about\r\n", "\nabout"])
def test_a_slug_with_a_line_break_or_tab_is_refused(value):
    with pytest.raises(InvalidInput):
        validation.page_slug(value)
    with pytest.raises(InvalidInput):
        validation.subdomain(value)


def test_render_plan_refuses_a_slug_ending_in_a_newline():
    from bgpub.errors import RenderError
    from bgpub.render.plan import check_slug

    with pytest.raises(RenderError, match="not a safe path"):
        check_slug("about\n", "page about")


# --- every entry point, on both databases ------------------------------------------------------------


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def shared(request, tmp_path_factory):
    """One database per backend for the module (each case is refused, so none disturbs another)."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BGPUB_HOME", str(home))
        env.setenv("BGPUB_COMPONENTS_PATH", str(FIXTURE_COMPONENTS))
        for var in (
            "BGPUB_DATABASE_URL",
            "DATABASE_URL",
            "BGPUB_USER_EMAIL",
            "BGPUB_ALLOW_IMPERSONATION",
        ):
            env.delenv(var, raising=False)
        if request.param == "sqlite":
            path = home / "bgpub.db"
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
            yield _seeded(f"sqlite:///{path}", home)
            database.close()
            return
        template = request.getfixturevalue("pg_template")
        name = f"bgpub_t_{uuid.uuid4().hex[:12]}"
        admin = connect_url(PG_URL)
        admin.connect()
        admin.connection().autocommit = True
        admin.execute_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        try:
            yield _seeded(f"{PG_URL.rpartition('/')[0]}/{name}", home)
        finally:
            database.close()
            admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def _seeded(url: str, home: Path):
    """The database handle and an OWNER with an organization, a project `demo` and its page `home`."""
    handle = init_database(url)
    actor = open_workspace(url, workspace_path=home).actor
    org = Organization.select().get()
    org.tier = "PRO"
    org.save()
    projects.create_project(actor, "demo", title="Demo")
    pages.add_page(actor, "demo", "home", "Home")
    return handle, actor, org


@pytest.fixture
def actor(shared):
    handle, actor, _ = shared
    database.initialize(handle)
    return actor


def state() -> tuple:
    """Row counts and every name a refused update might have changed."""
    return (
        counts(),
        list(Project.select(Project.name, Project.title, Project.subdomain).tuples()),
        list(Page.select(Page.slug, Page.title, Page.seo_title).tuples()),
        list(Organization.select(Organization.slug, Organization.name).tuples()),
    )


def org_of(actor):
    return Organization.select().get()


SERVICE: dict[str, tuple[Callable, tuple[str, ...]]] = {
    # entry: (call with the hostile value, words the message must hold besides the code point)
    "project name": (lambda a, v: projects.create_project(a, f"ab{v}cd"), ("project name",)),
    "project title (new)": (
        lambda a, v: projects.create_project(a, "fresh", title=f"Ab{v}cd"),
        ("title",),
    ),
    "project title": (
        lambda a, v: projects.update_project(a, "demo", title=f"Ab{v}cd"),
        ("title",),
    ),
    "project subdomain": (
        lambda a, v: projects.update_project(a, "demo", subdomain=f"ab{v}cd"),
        ("subdomain",),
    ),
    "page slug (new)": (lambda a, v: pages.add_page(a, "demo", f"ab{v}cd", "T"), ("slug",)),
    "page title (new)": (lambda a, v: pages.add_page(a, "demo", "fresh", f"Ab{v}cd"), ("title",)),
    "page seo title (new)": (
        lambda a, v: pages.add_page(a, "demo", "fresh", "T", seo_title=f"Ab{v}cd"),
        ("seo_title",),
    ),
    "page title": (lambda a, v: pages.rename_page(a, "demo", "home", f"Ab{v}cd"), ("title",)),
    "page slug": (lambda a, v: pages.change_slug(a, "demo", "home", f"ab{v}cd"), ("slug",)),
    "organization slug": (
        lambda a, v: organizations.create_organization(a, f"ab{v}cd"),
        ("organization slug",),
    ),
    "organization name (new)": (
        lambda a, v: organizations.create_organization(a, "fresh", f"Ab{v}cd"),
        ("name",),
    ),
    "organization name": (
        lambda a, v: organizations.rename_organization(a, org_of(a), f"Ab{v}cd"),
        ("name",),
    ),
    "api key name": (lambda a, v: api_keys.create_api_key(a, org_of(a), f"Ab{v}cd"), ("name",)),
    "integration name": (
        lambda a, v: integrations.add_integration(a, "demo", "CUSTOM", f"ab{v}cd", {}),
        ("integration name",),
    ),
    "saved component key": (
        lambda a, v: library.save_component(a, f"ab{v}cd", "hero"),
        ("component key",),
    ),
    "saved component name": (
        lambda a, v: library.save_component(a, "mine", "hero", name=f"Ab{v}cd"),
        ("name",),
    ),
}


def unrefused(
    attempt: Callable[[str, int], object], entry_number: int, words: tuple[str, ...]
) -> list:
    """Tries one character of each class (a different one for each entry number, so that the entries
    together try them all); returns (class, code point, outcome) of each not refused as it should be."""
    missed = []
    for kind, chars in CLASSES.items():
        char = chars[entry_number % len(chars)]
        try:
            attempt(char, entry_number)
        except InvalidInput as exc:
            message = str(exc)
            if code(char) not in message or not all(w in message for w in words):
                missed.append((kind, code(char), message))
        else:
            missed.append((kind, code(char), "accepted"))
    return missed


@pytest.mark.parametrize("entry", SERVICE)
def test_services_refuse_every_class_naming_field_and_code_point_and_write_nothing(actor, entry):
    call, words = SERVICE[entry]
    before = state()
    assert unrefused(lambda char, _: call(actor, char), list(SERVICE).index(entry), words) == []
    assert state() == before


def export(folder: Path, change: Callable[[dict], object] = lambda d: None) -> Path:
    """A small export (a page with a hero, an image, a saved component, a post, a product), changed by CHANGE."""
    image = png()
    digest = hashlib.sha256(image).hexdigest()
    data = {
        "format": 1,
        "name": "imported",
        "title": "Imported",
        "description": "",
        "language": "en",
        "theme": "aurora",
        "theme_overrides": {},
        "settings": {},
        "subdomain": None,
        "custom_domain": None,
        "pages": [
            {
                "slug": "home",
                "title": "Home",
                "seo_title": "",
                "seo_description": "",
                "show_in_nav": True,
                "is_home": True,
                "blocks": [{"component": "hero", "props": {"heading": "Hi"}}],
            }
        ],
        "assets": [
            {
                "name": "logo.png",
                "hash": digest,
                "mime": "image/png",
                "size": len(image),
                "type": "IMAGE",
                "alt": "",
                "width": 4,
                "height": 3,
            }
        ],
        "components": [
            {
                "key": "big-hero",
                "base": "hero",
                "name": "Big hero",
                "description": "",
                "defaults": {},
            }
        ],
        "posts": [
            {
                "slug": "hello",
                "title": "Hello",
                "excerpt": "",
                "body": "Hi",
                "date": "2026-01-02",
                "author": "",
                "category": "News",
                "tags": ["launch"],
                "cover": None,
            }
        ],
        "products": [
            {
                "slug": "mug",
                "name": "Mug",
                "price_cents": 1200,
                "currency": "EUR",
                "description": "",
                "image": None,
            }
        ],
    }
    change(data)
    (folder / "blobs").mkdir(parents=True, exist_ok=True)
    (folder / "blobs" / digest).write_bytes(image)
    (folder / "project.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def setter(*path: str | int, slug: bool = False) -> Callable[[str], Callable[[dict], None]]:
    """A change of project.json that puts the character inside the value at PATH."""

    def with_char(char: str) -> Callable[[dict], None]:
        def change(data: dict) -> None:
            *parents, last = path
            for key in parents:
                data = data[key]
            data[last] = f"ab{char}cd" if slug else f"Ab{char}cd"

        return change

    return with_char


IMPORT: dict[str, tuple[Callable[[str], Callable[[dict], None]], tuple[str, ...]]] = {
    "name": (setter("name", slug=True), ("name",)),
    "title": (setter("title"), ("title",)),
    "subdomain": (setter("subdomain", slug=True), ("subdomain",)),
    "pages[].slug": (setter("pages", 0, "slug", slug=True), ("pages[0]", "slug")),
    "pages[].title": (setter("pages", 0, "title"), ("pages[0]", "title")),
    "pages[].seo_title": (setter("pages", 0, "seo_title"), ("pages[0]", "seo_title")),
    "assets[].name": (setter("assets", 0, "name", slug=True), ("assets[0]", "name")),
    "components[].key": (setter("components", 0, "key", slug=True), ("components[0]", "key")),
    "components[].name": (setter("components", 0, "name"), ("components[0]", "name")),
    "posts[].slug": (setter("posts", 0, "slug", slug=True), ("posts[0]", "slug")),
    "posts[].title": (setter("posts", 0, "title"), ("posts[0]", "title")),
    "posts[].category": (setter("posts", 0, "category"), ("posts[0]", "category")),
    "posts[].tags[]": (setter("posts", 0, "tags", 0), ("posts[0]", "tag")),
    "posts[].author": (setter("posts", 0, "author"), ("posts[0]", "author")),
    "products[].slug": (setter("products", 0, "slug", slug=True), ("products[0]", "slug")),
    "products[].name": (setter("products", 0, "name"), ("products[0]", "name")),
}


@pytest.mark.parametrize("entry", IMPORT)
def test_imports_refuse_every_class_naming_field_and_code_point_and_write_nothing(
    actor, tmp_path, entry
):
    change, words = IMPORT[entry]
    before = state()

    def attempt(char: str, _: int) -> None:
        importing.import_project(actor, export(tmp_path / f"U{ord(char):04X}", change(char)))

    assert unrefused(attempt, list(IMPORT).index(entry), words) == []
    assert state() == before


@pytest.mark.parametrize("argument", ["name", "title"])
def test_import_arguments_refuse_every_class(actor, tmp_path, argument):
    folder = export(tmp_path)
    before = state()

    def attempt(char: str, _: int) -> None:
        importing.import_project(
            actor, folder, **{argument: f"ab{char}cd" if argument == "name" else f"Ab{char}cd"}
        )

    assert unrefused(attempt, ["name", "title"].index(argument), ()) == []
    assert state() == before


def test_the_clean_export_imports(actor, tmp_path):
    """The export the cases above change is itself acceptable, so each refusal is the character's doing."""
    report = importing.import_project(actor, export(tmp_path), "clean")
    assert report.pages == 1 and report.assets == 1
    projects.delete_project(actor, "clean")
