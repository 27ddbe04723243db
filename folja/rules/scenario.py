"""`folja calc`: a scenario JSON (CALC.md "Input") in, the result JSON ("Output") out.

Parsing is strict and names the exact field at fault (`sessions[1].status`), because the
people running this are auditors and providers checking a figure, and a vague error would
send them hunting. Anything that still goes wrong becomes a `ScenarioError`, never a traceback.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from folja.rules.engine import BalanceOn, Evaluation, PeriodResult, SessionResult, evaluate
from folja.rules.errors import MISSING, RulesError, ScenarioError, UnknownRate
from folja.rules.guidelines import GuidelineSchedule
from folja.rules.model import (
    CANCELLED_BY_PERSON,
    MODELS,
    PERIOD_ANCHORS,
    REGIS,
    STATUSES,
    DecisionGrant,
    Expense,
    Guideline,
    Rate,
    SessionReport,
)
from folja.rules.money import format_sek
from folja.rules.payment import RateTable

T = TypeVar("T")

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
# Far beyond any real amount, hour count or rate, but small enough that exact arithmetic on it
# stays cheap: a bound on the work a scenario file can ask for.
_DECIMAL_LIMIT = Decimal(10) ** 12


# --- field readers ---------------------------------------------------------------------------


def _field(obj: dict[str, Any], key: str, path: str) -> Any:
    value = obj.get(key, MISSING)
    if value is MISSING:
        raise ScenarioError(_join(path, key), MISSING, "required field is missing")
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(path or "scenario", value, "must be a JSON object")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ScenarioError(path, value, "must be a JSON list")
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise ScenarioError(path, value, "must be true or false")
    return value


def _int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(path, value, "must be a whole number")
    return value


def _identifier(value: Any, path: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ScenarioError(path, value, "must be a string")
    return value  # kept as given, so the output names items exactly as the input did


def _choice(value: Any, path: str, choices: tuple[str, ...], what: str) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ScenarioError(path, value, f"unknown {what}; expected one of {', '.join(choices)}")
    return value


def _decimal(value: Any, path: str) -> Decimal:
    """A non-negative decimal: a decimal string as the contract says, or a JSON number."""
    if isinstance(value, bool):
        raise ScenarioError(path, value, 'must be a decimal string such as "10.5"')
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ScenarioError(path, value, "must be a finite decimal")
        number = Decimal(repr(value))
    elif isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
            raise ScenarioError(path, value, "is not a valid decimal") from None
    else:
        raise ScenarioError(path, value, 'must be a decimal string such as "10.5"')
    if number < 0:
        raise ScenarioError(path, value, "must not be negative")
    if number >= _DECIMAL_LIMIT:
        raise ScenarioError(path, value, "is too large")
    return number


def _date(value: Any, path: str) -> date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ScenarioError(path, value, "must be an ISO date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ScenarioError(path, value, "is not a valid date") from None


def _datetime(value: Any, path: str) -> datetime:
    match = _DATETIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ScenarioError(path, value, "must be a local time YYYY-MM-DDTHH:MM")
    day_text, hour, minute, second = match.groups()
    if second not in (None, "00"):
        raise ScenarioError(path, value, "times are whole minutes; seconds must be 00")
    try:
        day = date.fromisoformat(day_text)
        return datetime(day.year, day.month, day.day, int(hour), int(minute))
    except ValueError:
        raise ScenarioError(path, value, "is not a valid date and time") from None


def _items(data: dict[str, Any], key: str, read: Callable[[dict[str, Any], str], T]) -> list[T]:
    items = _list(_field(data, key, ""), key)
    return [read(_object(item, f"{key}[{i}]"), f"{key}[{i}]") for i, item in enumerate(items)]


# --- the scenario's parts ----------------------------------------------------------------------


def _guidelines(data: dict[str, Any]) -> Guideline | GuidelineSchedule:
    """`guideline` (one version for every day) or `guidelines` (dated versions), not both."""
    if "guidelines" not in data:
        return _guideline(_object(_field(data, "guideline", ""), "guideline"), "guideline")
    if "guideline" in data:
        raise ScenarioError("guidelines", None, "give either guideline or guidelines, not both")
    items = _list(data["guidelines"], "guidelines")
    if not items:
        raise ScenarioError("guidelines", items, "must list at least one version")
    versions: list[tuple[date, Guideline]] = []
    seen: set[date] = set()
    for i, item in enumerate(items):
        path = f"guidelines[{i}]"
        g = _object(item, path)
        valid_from = _date(_field(g, "valid_from", path), f"{path}.valid_from")
        if valid_from in seen:
            raise ScenarioError(
                f"{path}.valid_from", g["valid_from"], "a second version from the same day"
            )
        seen.add(valid_from)
        versions.append((valid_from, _guideline(g, path)))
    return GuidelineSchedule.of(versions)


def _guideline(g: dict[str, Any], path: str) -> Guideline:
    storhelg_path = f"{path}.storhelg"
    storhelg = frozenset(
        _date(item, f"{storhelg_path}[{i}]")
        for i, item in enumerate(_list(_field(g, "storhelg", path), storhelg_path))
    )
    return Guideline(
        period_anchor=_choice(
            _field(g, "period_anchor", path),
            f"{path}.period_anchor",
            PERIOD_ANCHORS,
            "period anchor",
        ),
        late_cancellation_cutoff_hours=_decimal(
            _field(g, "late_cancellation_cutoff_hours", path),
            f"{path}.late_cancellation_cutoff_hours",
        ),
        late_cancellation_charged=_bool(
            _field(g, "late_cancellation_charged", path), f"{path}.late_cancellation_charged"
        ),
        no_show_charged=_bool(_field(g, "no_show_charged", path), f"{path}.no_show_charged"),
        expense_allowance_per_month=_decimal(
            _field(g, "expense_allowance_per_month_sek", path),
            f"{path}.expense_allowance_per_month_sek",
        ),
        free_review_threshold=_decimal(
            _field(g, "free_review_threshold", path), f"{path}.free_review_threshold"
        ),
        storhelg=storhelg,
    )


def _rate(r: dict[str, Any], path: str) -> Rate:
    year = _int(_field(r, "year", path), f"{path}.year")
    if not 1 <= year <= 9999:
        raise ScenarioError(f"{path}.year", year, "is not a calendar year")
    bands = {
        band: _decimal(_field(r, band, path), f"{path}.{band}")
        for band in ("day", "evening", "night", "weekend", "storhelg")
    }
    regi = _choice(_field(r, "regi", path), f"{path}.regi", REGIS, "regi")
    return Rate(year=year, regi=regi, **bands)


def _decision(d: dict[str, Any], path: str) -> DecisionGrant:
    valid_from = _date(_field(d, "valid_from", path), f"{path}.valid_from")
    valid_to = _date(_field(d, "valid_to", path), f"{path}.valid_to")
    if valid_to < valid_from:
        raise ScenarioError(f"{path}.valid_to", d["valid_to"], "must not be before valid_from")
    return DecisionGrant(
        id=_identifier(_field(d, "id", path), f"{path}.id"),
        valid_from=valid_from,
        valid_to=valid_to,
        hours_per_month=_decimal(_field(d, "hours_per_month", path), f"{path}.hours_per_month"),
        model=_choice(_field(d, "model", path), f"{path}.model", MODELS, "model"),
        double_staffing=_bool(_field(d, "double_staffing", path), f"{path}.double_staffing"),
    )


def _session(s: dict[str, Any], path: str) -> SessionReport:
    session_id = _identifier(_field(s, "id", path), f"{path}.id")
    start = _datetime(_field(s, "start", path), f"{path}.start")
    end = _datetime(_field(s, "end", path), f"{path}.end")
    if end <= start:
        raise ScenarioError(f"{path}.end", s["end"], "must be after start")
    status = _choice(_field(s, "status", path), f"{path}.status", STATUSES, "status")
    escorts = _int(_field(s, "escorts", path), f"{path}.escorts")
    if escorts not in (1, 2):
        raise ScenarioError(f"{path}.escorts", escorts, "must be 1 or 2")
    regi = _choice(_field(s, "regi", path), f"{path}.regi", REGIS, "regi")
    cancelled_at = None
    if status == CANCELLED_BY_PERSON:
        raw = s.get("cancelled_at", MISSING)
        if raw is None or raw is MISSING:
            raise ScenarioError(
                f"{path}.cancelled_at", raw, "is required when status is cancelled_by_person"
            )
        cancelled_at = _datetime(raw, f"{path}.cancelled_at")
    elif s.get("cancelled_at") is not None:
        # Not used for other statuses, but a malformed value is still a fault in the file.
        cancelled_at = _datetime(s["cancelled_at"], f"{path}.cancelled_at")
    # An optional extension of the contract: a caseworker's approval of flagged excess.
    excess_approved = False
    if "excess_approved" in s:
        excess_approved = _bool(s["excess_approved"], f"{path}.excess_approved")
    return SessionReport(
        id=session_id,
        start=start,
        end=end,
        status=status,
        escorts=escorts,
        regi=regi,
        cancelled_at=cancelled_at,
        excess_approved=excess_approved,
    )


def _expense(e: dict[str, Any], path: str) -> Expense:
    return Expense(
        id=_identifier(_field(e, "id", path), f"{path}.id"),
        date=_date(_field(e, "date", path), f"{path}.date"),
        amount=_decimal(_field(e, "amount_sek", path), f"{path}.amount_sek"),
    )


def _rate_table(rates: list[Rate]) -> RateTable:
    seen: set[tuple[int, str]] = set()
    for i, rate in enumerate(rates):
        key = (rate.year, rate.regi)
        if key in seen:
            raise ScenarioError(
                f"rates[{i}]",
                f"{rate.year} {rate.regi}",
                "a second rate for the same year and regi",
            )
        seen.add(key)
    return RateTable(rates)


# --- output ------------------------------------------------------------------------------------


def _period_json(p: PeriodResult) -> dict[str, Any]:
    return {
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "model": p.model,
        "granted_minutes": p.granted_minutes,
        "used_minutes": p.used_minutes,
        "remaining_minutes": p.remaining_minutes,
        "allowance_sek": format_sek(p.allowance),
        "expenses_sek": format_sek(p.expenses),
        "allowance_left_sek": format_sek(p.allowance_left),
    }


def _session_json(s: SessionResult) -> dict[str, Any]:
    return {
        "id": s.id,
        "period_start": None if s.period_start is None else s.period_start.isoformat(),
        "charged_minutes": s.charged_minutes,
        "payable_minutes": s.payable_minutes,
        "band_minutes": dict(s.band_minutes),
        "payment_sek": format_sek(s.payment),
        "flags": list(s.flags),
    }


def _balance_json(b: BalanceOn | None) -> dict[str, Any] | None:
    if b is None:
        return None
    return {
        "date": b.date.isoformat(),
        "period_start": b.period_start.isoformat(),
        "period_end": b.period_end.isoformat(),
        "remaining_minutes": b.remaining_minutes,
        "allowance_left_sek": format_sek(b.allowance_left),
    }


def evaluation_to_json(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "periods": [_period_json(p) for p in evaluation.periods],
        "sessions": [_session_json(s) for s in evaluation.sessions],
        "balance_on": _balance_json(evaluation.balance_on),
        "follow_up": [f"{m.year:04d}-{m.month:02d}" for m in evaluation.follow_up],
    }


# --- entry point -------------------------------------------------------------------------------


def calculate(data: Any) -> dict[str, Any]:
    """Evaluate a parsed scenario; raises `ScenarioError` (only) on any fault."""
    try:
        return _calculate(data)
    except ScenarioError:
        raise
    except UnknownRate as exc:
        raise ScenarioError(
            "rates",
            exc.year,
            f"no rate for year {exc.year} and regi {exc.regi}, in which a payable minute falls",
        ) from exc
    except RulesError as exc:
        raise ScenarioError("scenario", None, str(exc)) from exc
    except Exception as exc:  # the contract: a clear error, never a traceback
        raise ScenarioError(
            "scenario", None, f"cannot be calculated ({type(exc).__name__}: {exc})"
        ) from exc


def _calculate(data: Any) -> dict[str, Any]:
    data = _object(data, "")
    guideline = _guidelines(data)
    rates = _rate_table(_items(data, "rates", _rate))
    decisions = _items(data, "decisions", _decision)
    sessions = _items(data, "sessions", _session)
    # `expenses` and `on` may be left out of a scenario that is about something else: no
    # expenses, and no balance asked for (balance_on null, as for a day in no period).
    expenses = _items(data, "expenses", _expense) if "expenses" in data else []
    on_value = data.get("on")
    on = None if on_value is None else _date(on_value, "on")
    evaluation = evaluate(guideline, rates, decisions, sessions, expenses, on)
    return evaluation_to_json(evaluation)
