# Tideline: `make run` serves the API with demo data on a private local PostGIS;
# `make test` runs every check. Both install what is missing and are safe to run twice.

SHELL := /bin/bash
PG_VERSION ?= 15
APT_PACKAGES := postgresql-$(PG_VERSION) postgresql-$(PG_VERSION)-postgis-3 libpq-dev python3 python3-venv
# Only the tests need these: chromium drives the pages' browser tests, and the CJK font lets its
# screenshots show Chinese text.
TEST_APT_PACKAGES := chromium fonts-wqy-zenhei
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
TEST_CLUSTER := target/tideline-test
DIESEL := $(HOME)/.cargo/bin/diesel

.PHONY: run test deps test-deps lint schema-check stop-test-db openapi bench bench-full schemathesis browser test-faults

## Install PostgreSQL + PostGIS + libpq headers when missing (Debian/Ubuntu).
deps:
	@$(call apt_install,$(APT_PACKAGES))

## What the tests need besides: headless chromium and a CJK font.
test-deps: deps
	@$(call apt_install,$(TEST_APT_PACKAGES))

# Installs the Debian packages of $(1) that are not installed yet.
define apt_install
missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
if [ -n "$$missing" ]; then \
  echo "installing:" $$missing; \
  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
fi
endef

## Serve on 127.0.0.1:8080 (TIDELINE_BIND to change) with a managed database in .tideline/.
run: deps
	cargo run --release --bin tideline -- serve --demo

## Every check: formatting, lints, schema drift, all tests (incl. OpenAPI drift), schemathesis,
## the pages in headless chromium and the OGC API through OWSLib.
test: test-deps lint schema-check
	cargo test --workspace --all-targets; status=$$?; $(MAKE) --no-print-directory stop-test-db; exit $$status
	$(MAKE) --no-print-directory schemathesis
	$(MAKE) --no-print-directory browser

## Fault suite against the release binary: retrying clients while the server and PostgreSQL
## are killed (-9) and restarted (nothing lost, nothing doubled), then the memory-amplification
## attack (RSS bounded and given back). See tests/faults/.
FAULT_DIR := target/tideline-faults
test-faults: deps
	cargo build --release --bin tideline
	rm -rf $(FAULT_DIR)
	python3 tests/faults/crash.py target/release/tideline $(FAULT_DIR); status=$$?; \
	  target/release/tideline --data-dir $(FAULT_DIR) db stop >/dev/null 2>&1; \
	  [ $$status = 0 ] || exit $$status; \
	  rm -rf $(FAULT_DIR); \
	  python3 tests/faults/memory.py target/release/tideline $(FAULT_DIR); status=$$?; \
	  target/release/tideline --data-dir $(FAULT_DIR) db stop >/dev/null 2>&1; exit $$status

## Property-based API tests (schemathesis from PyPI) against a real server: no 5xx, no spec violations.
schemathesis:
	bash tests/schemathesis.sh

## The pages in Debian's chromium (Playwright) and the OGC API through OWSLib; screenshots in
## target/screenshots/.
browser:
	bash tests/browser.sh

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

$(DIESEL):
	cargo install diesel_cli --version 2.3.14 --no-default-features --features postgres --locked

## api/src/schema.rs must equal what `diesel print-schema` makes of the migrated database.
schema-check: $(DIESEL)
	@cargo build -q --bin tideline
	@set -e; url=$$(target/debug/tideline --data-dir $(TEST_CLUSTER) db start | tail -1); \
	base=$${url%/*}; \
	psql -q "$$base/postgres" -c 'DROP DATABASE IF EXISTS tideline_schema_check WITH (FORCE)' -c 'CREATE DATABASE tideline_schema_check'; \
	DATABASE_URL="$$base/tideline_schema_check" target/debug/tideline migrate 2>/dev/null; \
	$(DIESEL) print-schema --database-url "$$base/tideline_schema_check" > target/schema.generated.rs; \
	psql -q "$$base/postgres" -c 'DROP DATABASE tideline_schema_check WITH (FORCE)'; \
	if ! diff -u api/src/schema.rs target/schema.generated.rs; then \
	  echo "api/src/schema.rs has drifted from the migrations: cp target/schema.generated.rs api/src/schema.rs"; exit 1; \
	fi
	@echo "schema.rs matches the migrations"

stop-test-db:
	@[ ! -x target/debug/tideline ] || target/debug/tideline --data-dir $(TEST_CLUSTER) db stop >/dev/null 2>&1 || true

## Benchmarks, each next to its baseline (quick mode; `make bench-full` for 10k → 1M surveys).
bench: deps
	cargo build --release --bin tideline
	cargo bench -p tideline-core --bench core
	cargo bench -p tideline-api --bench system -- --quick

bench-full: deps
	cargo build --release --bin tideline
	cargo bench -p tideline-api --bench system

## Rewrite openapi/openapi.json from the code.
openapi:
	UPDATE_OPENAPI=1 cargo test -q --test e2e openapi_document_has_not_drifted
