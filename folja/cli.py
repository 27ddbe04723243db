"""`folja`: the project's one command line.

`folja calc` and `folja pnr` are pure rules and run without Django (fast, and usable by an
auditor with no database). Everything else is a Django management command, so `folja migrate`,
`folja runserver`, `folja seed`, … all work; hyphens map to underscores (`demo-logins`).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def _print_json(obj: object, **kwargs: object) -> None:
    """Print JSON in UTF-8; text that cannot be UTF-8 (a lone surrogate from a command-line
    argument) is written as a JSON escape rather than crashing the print."""
    text = json.dumps(obj, ensure_ascii=False, **kwargs)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(obj, ensure_ascii=True, **kwargs)
    print(text)


def _not_unicode(value: object, path: str = "scenario") -> str | None:
    """The path of the first key or text in `value` that is not valid Unicode (JSON allows a
    lone surrogate escape such as \\ud800, which no output can carry), or None."""
    stack: list[tuple[object, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return where
        elif isinstance(item, dict):
            for key, child in item.items():
                name = f"{where}.{key}" if where != "scenario" else str(key)
                if _not_unicode(key, name) is not None:
                    return name
                stack.append((child, name))
        elif isinstance(item, list):
            stack.extend((child, f"{where}[{i}]") for i, child in enumerate(item))
    return None


def _read_scenario(source: str) -> tuple[object, str | None]:
    """The parsed scenario, or None and the one-line error naming what is wrong."""
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        return None, f"file: cannot read {source!r}: {exc.strerror}"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (
            None,
            f"file: {source!r} is not UTF-8 text (byte {exc.start} is {raw[exc.start]:#04x})",
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"scenario: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
    except RecursionError:
        return None, "scenario: JSON nested too deeply"
    except ValueError as exc:  # an integer of more digits than Python converts
        return None, f"scenario: a number is too long ({exc})"
    bad = _not_unicode(data)
    if bad is not None:
        return None, f"{bad}: not valid Unicode text (a lone surrogate escape)"
    return data, None


def _calc(args: list[str]) -> int:
    from folja.rules.errors import ScenarioError
    from folja.rules.scenario import calculate

    if len(args) != 1:
        print("usage: folja calc SCENARIO.json  (use - for standard input)", file=sys.stderr)
        return 2
    data, error = _read_scenario(args[0])
    if error is not None:
        print(error, file=sys.stderr)
        return 2
    try:
        result = calculate(data)
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except (RecursionError, ValueError, OverflowError) as exc:
        # A value the scenario checks let through but arithmetic cannot take (a number with
        # thousands of digits): still one line and exit 2, never a traceback.
        print(f"scenario: a value cannot be calculated with ({exc})", file=sys.stderr)
        return 2
    _print_json(result, indent=2)
    return 0


def _pnr(args: list[str]) -> int:
    from folja.rules.personnummer import describe

    if not args:
        print("usage: folja pnr NUMBER [NUMBER ...]", file=sys.stderr)
        return 2
    results = [describe(a) for a in args]
    for r in results:
        _print_json(r)
    return 0 if all(r["valid"] for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "calc":
        return _calc(argv[1:])
    if argv and argv[0] == "pnr":
        return _pnr(argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folja.config.settings")
    from django.core.management import execute_from_command_line

    if argv and not argv[0].startswith("-"):
        argv[0] = argv[0].replace("-", "_")
    execute_from_command_line(["folja", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
