# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
DEV := FLASK_APP=wsgi FLASK_DEV_MODE=1

BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: run test lint clean bench bench-quick bench-peers fuzz soak

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

run: $(STAMP)
	mkdir -p instance
	$(DEV) $(BIN)/flask db upgrade
	$(DEV) $(BIN)/flask demo
	$(DEV) $(BIN)/gunicorn -c gunicorn.conf.py --workers 2 --access-logfile - wsgi:app

# Runs on SQLite always, and on PostgreSQL too when TEST_DATABASE_URL is set.
test: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@ $(STAMP) $(TEST_STAMP)

# The peers the benchmark compares against: wrk (Debian) and the Cerbos PDP (npm), into bench/.peers/.
bench-peers:
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	test -x bench/.peers/node_modules/@cerbos/cerbos-linux-x64/cerbos-linux-x64 || \
	  npm install --silent --no-audit --no-fund --prefix bench/.peers @cerbos/cerbos-linux-x64@0.55.0
	pg_isready -h 127.0.0.1 -q || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'rolegate_bench'" | grep -q 1 || \
	  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE rolegate_bench"

bench: $(BENCH_STAMP) bench-peers
	$(BIN)/python -m bench.run

bench-quick: $(BENCH_STAMP) bench-peers
	$(BIN)/python -m bench.run --quick

# Long property-based fuzzing of the running API (make test runs a bounded one).
fuzz: $(TEST_STAMP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-400} $(BIN)/python -m pytest tests/test_fuzz.py -p no:randomly

# 10 minutes of mixed traffic on 4 workers and PostgreSQL (bench/results/soak.json).
soak: $(BENCH_STAMP) bench-peers
	$(BIN)/python -m bench.soak --minutes $${SOAK_MINUTES:-10}

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache .coverage
