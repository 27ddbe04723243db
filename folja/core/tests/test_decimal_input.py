"""Money and hour fields read amounts the way a Swede types them ("1 250,50"), through one
field class that every such field in Följa uses."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from decimal import Decimal

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

import folja
from folja.core.fields import SwedishDecimalField, parse_decimal_text
from folja.guidelines.models import LovRate


class AmountForm(forms.Form):
    amount = SwedishDecimalField(max_digits=9, decimal_places=2, min_value=Decimal("0.01"))


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


@pytest.mark.parametrize(
    "typed",
    ["1 250,50", "1\u00a0250,50", "1\u202f250,50", "1250,50", "1250.50", " 1 250,50 kr "],
)
def test_an_amount_is_read_with_spaces_decimal_comma_and_unit(typed):
    form = AmountForm({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("1250.50")


def test_whole_kronor_and_hours_need_no_decimals():
    form = AmountForm({"amount": "1 250"})
    assert form.is_valid() and form.cleaned_data["amount"] == Decimal("1250")


@pytest.mark.parametrize("typed", ["1.250,50", "1,250.50", "tusen", "12,345"])
def test_an_ambiguous_or_wrong_amount_gets_a_swedish_field_error(typed):
    form = AmountForm({"amount": typed})
    assert not form.is_valid()
    assert form.errors["amount"]  # never a 500, never an English message
    assert "Enter" not in str(form.errors)


def test_the_field_shows_its_value_as_it_reads_it():
    html = str(AmountForm(initial={"amount": Decimal("1250.50")})["amount"])
    assert 'value="1\u00a0250,50"' in html
    assert 'inputmode="decimal"' in html and 'type="text"' in html


def test_the_parser_leaves_a_text_it_cannot_read_for_the_field_to_refuse():
    assert parse_decimal_text("1 250,50") == "1250.50"
    assert parse_decimal_text("−5") == "-5"
    assert parse_decimal_text("1.250,50") == "1.250,50"


def _form_classes():
    for info in pkgutil.walk_packages(folja.__path__, "folja."):
        last = info.name.rsplit(".", 1)[-1]
        if ".tests" in info.name or not last.startswith("forms"):
            continue
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


# Decimal fields that are neither money nor hours: none today; list one here with its reason.
NOT_MONEY_OR_HOURS: set[tuple[str, str]] = set()


def test_every_decimal_field_in_every_form_is_the_swedish_one():
    plain = [
        (cls.__name__, name)
        for cls in _form_classes()
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, forms.DecimalField)
        and not isinstance(field, SwedishDecimalField)
        and not issubclass(cls, forms.ModelForm)  # the admin builds those, checked below
        and (cls.__name__, name) not in NOT_MONEY_OR_HOURS
    ]
    assert plain == []


@pytest.mark.django_db
def test_rates_and_amounts_in_the_admin_are_typed_the_same_way():
    request = RequestFactory().get("/admin/")
    request.user = type("Staff", (), {"is_active": True, "is_staff": True})()
    form_class = admin.site._registry[LovRate].get_form(request)
    assert isinstance(form_class.base_fields["day"], SwedishDecimalField)
    from folja.guidelines.models import GuidelineVersion

    form_class = admin.site._registry[GuidelineVersion].get_form(request)
    assert isinstance(form_class.base_fields["expense_allowance_per_month"], SwedishDecimalField)
