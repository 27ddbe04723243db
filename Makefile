# Följa. `make run` serves the demo city; `make test` runs everything CI runs.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test lint format bench messages clean

install: $(STAMP) messages

$(STAMP): pyproject.toml scripts/install-system-deps.sh
	./scripts/install-system-deps.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

messages: $(STAMP)
	$(VENV)/bin/folja compilemessages -v0 --ignore=.venv --ignore=var

run: install
	mkdir -p var
	$(VENV)/bin/folja migrate -v0
	$(VENV)/bin/folja seed --scale demo --if-empty
	$(VENV)/bin/folja collectstatic --noinput -v0
	@echo "Demo logins (password: demo):"
	@$(VENV)/bin/folja demo-logins --table
	@echo "Följa is at http://127.0.0.1:8000"
	@# The background worker runs queued jobs (the recalculation after a new guideline version
	@# or LOV rate) beside the server and is stopped when the server stops (Ctrl-C included).
	$(VENV)/bin/folja db_worker --no-reload --no-startup-delay -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' INT TERM; \
	$(VENV)/bin/folja runserver 127.0.0.1:8000; status=$$?; \
	kill $$worker 2>/dev/null; wait $$worker 2>/dev/null; exit $$status

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install lint
	# Security gates: bandit fails on high-severity findings (tests hold attack strings on
	# purpose and are excluded); pip-audit fails on known vulnerabilities, and says SKIPPED
	# when PyPI's advisory data cannot be reached (offline machines).
	$(VENV)/bin/bandit -q -r folja -lll -x '*/tests/*'
	$(PY) -m folja.audit.dependency_audit
	$(PY) scripts/run_tests.py

bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) var
