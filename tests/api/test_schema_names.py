"""One OpenAPI component per schema name: django-ninja names a component after its class, so two schema
classes of one name in different API modules silently share one component and the API documents (and
schemathesis checks) the wrong shape — found when 申请 of subsidies and of recruiting collided."""

import importlib
import inspect
import pkgutil
from collections import defaultdict

from ninja import Schema

import jobcircle.api


def schema_classes_by_name():
    found = defaultdict(set)
    for info in pkgutil.iter_modules(jobcircle.api.__path__):
        module = importlib.import_module(f"jobcircle.api.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Schema) and cls.__module__.startswith("jobcircle.api"):
                found[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    return found


def test_every_api_schema_class_has_a_name_of_its_own():
    clashes = {name: sorted(places) for name, places in schema_classes_by_name().items() if len(places) > 1}
    assert clashes == {}


def test_the_openapi_document_has_the_subsidy_and_the_recruiting_applications_apart():
    from jobcircle.api.api import api

    components = api.get_openapi_schema()["components"]["schemas"]
    assert "SubsidyApplicationOut" in components and "policy" not in components["ApplicationOut"]["properties"]
