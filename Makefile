# Följa. `make run` serves the demo city; `make test` runs everything CI runs.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test audit lint format bench messages clean

install: $(STAMP) messages

$(STAMP): pyproject.toml scripts/install-system-deps.sh folja/accounts/tests/oidc_node/package-lock.json
	./scripts/install-system-deps.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	# The real OpenID provider the OIDC tests log in against (folja/accounts/tests/oidc_node).
	if command -v npm >/dev/null; then npm ci --prefix folja/accounts/tests/oidc_node --no-audit --no-fund --silent; fi
	touch $(STAMP)

messages: $(STAMP)
	$(VENV)/bin/folja compilemessages -v0 --ignore=.venv --ignore=var

# On PostgreSQL the owner role migrates and seeds and the application role (DATABASE_URL)
# serves; scripts/pg_roles.py sets both up (SECURITY.md). The SQLite demo has no roles.
ON_PG := $(filter postgres://% postgresql://%,$(DATABASE_URL))
AS_OWNER = $(if $(ON_PG),DATABASE_URL="$$($(PY) scripts/pg_roles.py --owner-url)")

run: install
	mkdir -p var
	$(if $(ON_PG),$(PY) scripts/pg_roles.py)
	$(AS_OWNER) $(VENV)/bin/folja migrate -v0
	$(AS_OWNER) $(VENV)/bin/folja seed --scale demo --if-empty
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
	# Security gate: bandit fails on high-severity findings (tests hold attack strings on
	# purpose and are excluded). The dependency audit needs network access: `make audit`.
	$(VENV)/bin/bandit -q -r folja -lll -x '*/tests/*'
	$(PY) scripts/run_tests.py

# pip-audit of the installed dependencies; fails on a known vulnerability, on a dependency it
# could not audit, and when its vulnerability service cannot be reached. Before every release
# and weekly (README).
audit: install
	$(PY) -m folja.audit.dependency_audit

bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) var
