"""One fictional world with a factory for every model: each model of the project's own apps has a
factory in its app's `tests/factories.py`, and each factory makes, on its own, a record its
model's validation accepts."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from pathlib import Path

import factory
import pytest
from django.apps import apps
from django.conf import settings
from simple_history.models import HistoricalChanges


def _own_apps() -> list:
    """The apps in this repository (a top-level folder of it), not those installed from packages
    (django.*, allauth, axes, django_tasks*...), which live in the virtualenv."""
    return [app for app in apps.get_app_configs() if Path(app.path).resolve().parent == settings.BASE_DIR]


def _factories() -> list[type[factory.django.DjangoModelFactory]]:
    """Every model factory defined in an app's `tests/factories.py` (each counted where it is
    defined, not where it is imported)."""
    found = []
    for app in _own_apps():
        name = f"{app.name}.tests.factories"
        if importlib.util.find_spec(f"{app.name}.tests") is None or importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        found += [
            value
            for value in vars(module).values()
            if inspect.isclass(value)
            and issubclass(value, factory.django.DjangoModelFactory)
            and value.__module__ == module.__name__
            and value._meta.model is not None
        ]
    return sorted(found, key=lambda f: f"{f.__module__}.{f.__name__}")


FACTORIES = _factories()


def _models_needing_factories() -> list:
    """Every model of our apps but simple_history's Historical* copies, which the history writes
    itself (`get_models()` already leaves out the join tables of many-to-many fields)."""
    return [model for app in _own_apps() for model in app.get_models() if not issubclass(model, HistoricalChanges)]


def test_every_model_of_our_apps_has_a_factory():
    covered = {f._meta.model for f in FACTORIES}
    missing = [model._meta.label for model in _models_needing_factories() if model not in covered]
    assert not missing, f"Models with no factory in their app's tests/factories.py: {missing}"


# None so far: a model whose records cannot pass full_clean() on their own says why here.
WITHOUT_FULL_CLEAN: dict[type, str] = {}


@pytest.mark.django_db
@pytest.mark.parametrize("model_factory", FACTORIES, ids=lambda f: f.__name__)
def test_each_factory_makes_a_valid_record_on_its_own(model_factory):
    instance = model_factory()
    if model_factory not in WITHOUT_FULL_CLEAN:
        instance.full_clean()
    assert type(instance).objects.filter(pk=instance.pk).exists()


@pytest.mark.django_db
def test_a_factory_made_api_token_signs_its_user_in_as_an_issued_one_does():
    from accounts.models import ApiToken
    from accounts.tests.factories import ApiTokenFactory

    token = ApiTokenFactory()
    assert ApiToken.authenticate(token.secret) == token.user
    assert token.prefix == token.secret[:8]
