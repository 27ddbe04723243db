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


def _calc(args: list[str]) -> int:
    from folja.rules.errors import ScenarioError
    from folja.rules.scenario import calculate

    if len(args) != 1:
        print("usage: folja calc SCENARIO.json  (use - for standard input)", file=sys.stderr)
        return 2
    try:
        text = sys.stdin.read() if args[0] == "-" else Path(args[0]).read_text(encoding="utf-8")
    except OSError as exc:
        print(f"file: cannot read {args[0]!r}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        print(
            f"scenario: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}",
            file=sys.stderr,
        )
        return 2
    try:
        result = calculate(data)
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def _pnr(args: list[str]) -> int:
    from folja.rules.personnummer import describe

    if not args:
        print("usage: folja pnr NUMBER [NUMBER ...]", file=sys.stderr)
        return 2
    results = [describe(a) for a in args]
    for r in results:
        print(json.dumps(r, ensure_ascii=False))
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
