"""`bgpub.db.models.__all__` is written out by hand (so type checkers see the classes); it must list every table."""

import bgpub.db.models as models


def test_all_names_every_model_and_nothing_else() -> None:
    expected = {model.__name__ for model in models.MODELS} | {"BaseModel", "MODELS"}
    assert set(models.__all__) == expected
    assert len(models.__all__) == len(expected)


def test_every_exported_name_is_the_model_itself() -> None:
    for model in models.MODELS:
        assert getattr(models, model.__name__) is model
