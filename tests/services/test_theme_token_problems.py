"""The editor's check of a theme token value as it is typed (services.library.token_problem) is the
rule update_project applies: on both databases, each value it accepts is stored and read back, and
each it refuses is refused by update_project with the same message, nothing stored."""

from __future__ import annotations

import pytest

from bgpub.errors import InvalidInput
from bgpub.services.library import token_problem
from bgpub.services.projects import create_project, get_project, update_project


@pytest.fixture
def site(actor) -> str:
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    update_project(actor, ref, theme_overrides={"color-primary": "#123456"})
    return ref


@pytest.mark.parametrize(
    "value",
    [
        "#fff",
        "#4338CA",
        "#11223344",
        "rebeccapurple",
        "rgb(10, 20, 30)",
        "hsla(120deg 50% 50% / 0.5)",
        "1.5rem",
        "0",
        "-2px",
        "calc(1rem + 2px)",
        "clamp(1rem, 2vw, 3rem)",
        '"Fira Sans", Arial, sans-serif',
        "  #abc  ",
    ],
)
def test_an_accepted_value_is_stored_and_read_back(actor, site, value):
    assert token_problem(value) is None
    update_project(actor, site, theme_overrides={"color-primary": value})
    assert get_project(actor, site).theme_overrides == {"color-primary": value}


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "a token value must be 1 to 200 characters"),
        ("   ", "a token value must be 1 to 200 characters"),
        ("a" * 201, "a token value must be 1 to 200 characters"),
        (7, "a token value must be a string, got int"),
        (["#fff"], "a token value must be a string, got list"),
        ("red; } body { display: none", None),
        ("url(javascript:alert(1))", None),
        ("calc(1px + url(x))", None),
        ("expression(alert(1))", None),
        ("#ggg", None),
        ("ｒｅｄ", None),  # fullwidth letters: not a CSS colour name
        ("red</style><script>", None),
        ('"Inter\\", x', None),
        ("Inter, 'Noto\nSans'", None),
    ],
)
def test_a_refused_value_is_refused_by_update_project_with_the_same_message(
    actor, site, value, problem
):
    expected = problem or f"{value!r} is not a colour, a length or a font stack"
    assert token_problem(value) == expected
    with pytest.raises(InvalidInput) as refused:
        update_project(actor, site, theme_overrides={"color-primary": value})
    assert refused.value.message == expected
    assert refused.value.where == "project site, theme overrides, token color-primary"
    assert get_project(actor, site).theme_overrides == {"color-primary": "#123456"}
