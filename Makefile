# Tandem — the two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
GO    ?= go
BIN   := bin/tandem
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: all run build assets generate test test-go check fmt vet bench bench-l bench-check clean

all: build

## run: build everything and serve on http://localhost:8080 with SQLite in ./data
run: build
	TANDEM_ADDR=$${TANDEM_ADDR:-127.0.0.1:8080} TANDEM_LOG_FORMAT=$${TANDEM_LOG_FORMAT:-text} ./$(BIN) serve

## build: bin/tandem with the front-end assets embedded
build: assets
	$(GO) build -o $(BIN) ./cmd/tandem

## assets: install the pinned npm packages and bundle them into the embed folder
assets: web/node_modules/.package-lock.json
	cd web && npm run --silent build

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## generate: regenerate templ components (the generated files are committed)
generate:
	$(GO) tool templ generate -path internal

## test: the whole suite; PostgreSQL and browser tests run when available
test: assets
	@if [ -z "$$TANDEM_TEST_POSTGRES" ] && pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  export TANDEM_TEST_POSTGRES=$(PG_URL); fi; \
	if [ -n "$$TANDEM_TEST_POSTGRES" ]; then echo "PostgreSQL tests: running against $$TANDEM_TEST_POSTGRES"; \
	else echo "PostgreSQL tests: SKIPPED (no server at 127.0.0.1:5432; set TANDEM_TEST_POSTGRES to run them)"; fi; \
	if command -v chromium >/dev/null; then echo "Browser tests: running with $$(command -v chromium)"; \
	else echo "Browser tests: SKIPPED (install Debian's chromium to run them)"; fi; \
	$(GO) test -count=1 -timeout 12m ./...

## check: formatting, vet and generated files, as CI checks them
check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool templ generate -path internal >/dev/null
	@git diff --exit-code -- '*_templ.go' || (echo "generated templ files are stale: run make generate and commit"; exit 1)

## bench: size S on both databases (needs PostgreSQL at 127.0.0.1:5432 for the second half)
bench: build
	$(GO) run ./bench/cmd/tandembench run --bin $(BIN) --size S --dialect both

## bench-l: size L (1M contacts) on both databases; slow
bench-l: build
	$(GO) run ./bench/cmd/tandembench run --bin $(BIN) --size L --dialect both --duration 20s

## bench-check: compare the newest results to bench/budgets.json
bench-check:
	$(GO) run ./bench/cmd/tandembench check

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin internal/web/assets/dist/*[!k]
