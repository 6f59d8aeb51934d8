# DN Tracker: `make run` serves the demo site, `make test` runs the whole suite on SQLite.
# Both build .venv on first use (Python >= 3.12, found by scripts/find-python).

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MANAGE := $(PY) manage.py

.PHONY: perf-reevaluate serve run test test-fast test-browser security lint format totp bench perf perf-heavy perf-evidence lock clean browser-deps soak-roster perf-alerts perf-memory

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $(STAMP)

run: $(STAMP)
	@test -s .credential-key || $(MANAGE) credential_key > .credential-key
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	scripts/run-dev

# The production layout on one machine (README "Production"): PostgreSQL, Redis, gunicorn,
# the task worker and the scheduler, DEBUG off, on 127.0.0.1:$$PORT (default 8000).
serve: $(STAMP)
	scripts/serve

test: $(STAMP) browser-deps
	$(PY) -m pytest

test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser"

test-browser: $(STAMP) browser-deps
	$(PY) -m pytest -m browser

# Not part of `make test`: schemathesis fuzzes the API from its OpenAPI schema (through the
# WSGI app, no server), then the bad-input sweep. About two minutes on two cores.
security: $(STAMP)
	$(PY) -m pytest tests/security/schemathesis_api.py tests/security/test_bad_inputs.py

# Not part of `make test`: 100 cycles in Chromium of the network dropping and returning while
# the instructor marks the roster; the server must end with exactly the marks made (issue 19).
soak-roster: $(STAMP) browser-deps
	$(PY) -m pytest tests/browser/soak_roster.py -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	scripts/check-deploy

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

totp: $(STAMP)
	@$(MANAGE) demo_totp

browser-deps:
	@scripts/ensure-chromium

# Re-pin every dependency (pyproject.toml's bounds) into requirements.lock, which installs use.
bench: $(STAMP)
	scripts/with-postgres sh -c '$(MANAGE) migrate --noinput -v0 && $(MANAGE) load_rules && $(MANAGE) benchmark_engine && $(MANAGE) benchmark_dashboard $(BENCH_ARGS)'

# Exports, transcript, re-evaluation and certificate PDFs at volume (benchmarks/heavy.py), on a
# private PostgreSQL cluster; not part of `make test`. HEAVY_ARGS="--learners 100000" for the full size.
perf-heavy: $(STAMP)
	scripts/with-postgres sh -c 'DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) migrate --noinput -v0 && $(PY) benchmarks/heavy.py $(HEAVY_ARGS)'

# The evidence pack's PDF render time (issue 18: under 300 ms), CPU and wall beside a floor;
# no database. EVIDENCE_ARGS="--runs 30" for more rounds.
perf-evidence: $(STAMP)
	$(PY) benchmarks/evidence_pack.py $(EVIDENCE_ARGS)

# Not part of `make test`: re-evaluating every learner shared by task workers (issue 17).
# REEVALUATE_ARGS, e.g. "--learners 100000 --workers 2" (the defaults).
perf-reevaluate: $(STAMP)
	scripts/with-postgres sh -c 'DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) migrate --noinput -v0 && $(PY) benchmarks/reevaluation.py $(REEVALUATE_ARGS)'

# Not part of `make test`: rule-change alerts re-evaluating one state's learners (issue 18).
perf-alerts: $(STAMP)
	scripts/with-postgres sh -c 'DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) migrate --noinput -v0 && $(PY) benchmarks/rule_alerts.py $(ALERTS_ARGS)'

# Not part of `make test`: the product against a bare Django floor under the same gunicorn, on
# a kept PostgreSQL cluster (built once, minutes) with 100,000 learners; the table goes to
# benchmarks/RESULTS.md. PERF_ARGS, e.g. "--rounds 2 --only home,verify". Ports 8200-8249.
perf: $(STAMP)
	benchmarks/perf

# Not part of `make test`: a worker's memory over 10,000 mixed requests (PDFs, exports) under
# config/gunicorn.py, with max_requests off and on; same cluster as perf, port 8210. PERF_ARGS.
perf-memory: $(STAMP)
	benchmarks/perf benchmarks/soak_memory.py

lock:
	rm -rf /tmp/dn-tracker-lock && "$$(scripts/find-python)" -m venv /tmp/dn-tracker-lock
	/tmp/dn-tracker-lock/bin/python scripts/list-dependencies > /tmp/dn-tracker-lock/wanted.txt
	/tmp/dn-tracker-lock/bin/pip install --quiet -r /tmp/dn-tracker-lock/wanted.txt
	/tmp/dn-tracker-lock/bin/pip freeze > requirements.lock
	rm -rf /tmp/dn-tracker-lock

clean:
	rm -rf $(VENV) staticfiles .test-media db.sqlite3
