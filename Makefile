# Fabrique — developer tasks. `make` alone lists them.
#
# Every target that needs PostgreSQL asks scripts/db.sh for a DATABASE_URL:
# it uses $DATABASE_URL if set, else a server on 127.0.0.1:5432, else starts
# a project-local cluster under .data/ (see scripts/db.sh --help).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
BIN       ?= bin/fabrique
# The three slow packages first, so that they start together instead of one after the
# others; go test drops the repeats of ./...
PKG       ?= ./internal/server ./internal/app ./internal/postgres ./...
# Eight tests of a package at once: most of a test's time is the database's, and two
# cores stay busy only with more tests than cores (the browser tests take two slots
# whatever this says).
PARALLEL  ?= 8
TEST_FLAGS ?=
TIMEOUT   ?= 15m
E2E_PKG   ?= ./...
E2E_RUN   ?= TestE2E

DB := scripts/db.sh

# The W3C Nu Html Checker that TestNuHtmlChecker runs on every demo page: the npm package
# vnu-jar, pinned in tools/vnu/package-lock.json and installed into tools/vnu/node_modules
# (git-ignored), run with the machine's java (apt-get install default-jre-headless). Its
# postinstall, which would download a Java runtime, is skipped. Without npm the test is
# skipped, except on CI (.ci/run installs both).
VNU_JAR := tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: help run build test vnu e2e bench generate lint db db-stop clean snapshot

help: ## List the targets (default)
	@echo "Usage: make <target>"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "Variables: DATABASE_URL, ADDR (:8080), BASE_URL, PARALLEL, TEST_FLAGS, E2E_PKG, E2E_RUN, BENCH_CHALLENGES, BENCH_FLAGS, SNAPSHOT_DIR, FABRIQUE_VNU_JAR"

# The one build command, for make build and make run.
BUILD_CMD = CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) ./cmd/fabrique

# make run says each stage before it starts it, so a newcomer waiting on a first build
# (a minute or two: the Go modules) or on a cluster's initdb knows what is going on.
run: ## Find or start PostgreSQL, generate, build, migrate, seed the demo data and serve on $ADDR (:8080)
	@stage() { printf '\n==> %s\n' "$$*"; } && \
	stage "Finding PostgreSQL, or starting a local cluster (scripts/db.sh)" && \
	url=$$($(DB)) && export DATABASE_URL="$$url" && \
	echo "    DATABASE_URL=$$DATABASE_URL" && \
	stage "Generating the templ components (web/**/*_templ.go)" && \
	$(GO) tool templ generate -log-level warn && \
	stage "Building $(BIN)" && \
	$(BUILD_CMD) && \
	stage "Migrating the database" && \
	$(BIN) migrate up && \
	stage "Loading the demo data (fabrique seed demo)" && \
	$(BIN) seed demo && \
	addr="$${ADDR:-:8080}" && host="$${addr%:*}" && \
	stage "Listening on http://$${host:-localhost}:$${addr##*:} (Ctrl-C stops)" && \
	exec $(BIN) serve

build: ## Build a static binary to bin/fabrique
	$(BUILD_CMD)

test: $(VNU_JAR) ## Run all the tests against PostgreSQL (go test ./...), the HTML check included
	@url=$$($(DB)) && export DATABASE_URL="$$url" && \
	echo "DATABASE_URL=$$DATABASE_URL" && \
	set -x && \
	$(GO) test -count=1 -timeout $(TIMEOUT) -parallel $(PARALLEL) $(TEST_FLAGS) $(PKG)

vnu: $(VNU_JAR) ## Check every demo page (5 personas, fr+en) with the W3C Nu Html Checker
	@url=$$($(DB)) && export DATABASE_URL="$$url" && \
	set -x && \
	$(GO) test -count=1 -v -run '^TestNuHtmlChecker$$' $(TEST_FLAGS) ./internal/server

# npm ci leaves the jar with the package's old date: touch it, or make would run npm ci
# again each time package-lock.json is newer.
$(VNU_JAR): tools/vnu/package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "npm not found: the HTML check (TestNuHtmlChecker) will be skipped"; \
	elif npm ci --prefix tools/vnu --ignore-scripts --no-audit --no-fund; then \
		touch $@; \
	else \
		echo "npm ci --prefix tools/vnu failed: the HTML check (TestNuHtmlChecker) will be skipped"; \
	fi
	@command -v java >/dev/null 2>&1 || \
	echo "java not found: the HTML check (TestNuHtmlChecker) will be skipped (apt-get install default-jre-headless)"

e2e: ## Run only the browser test (E2E_RUN=$(E2E_RUN) in E2E_PKG=$(E2E_PKG))
	@url=$$($(DB)) && export DATABASE_URL="$$url" && \
	echo "DATABASE_URL=$$DATABASE_URL" && \
	set -x && \
	$(GO) test -count=1 -timeout $(TIMEOUT) -parallel $(PARALLEL) $(TEST_FLAGS) -run '$(E2E_RUN)' $(E2E_PKG)

bench: ## Load benchmark of the main pages on BENCH_CHALLENGES défis (10000): table in docs/bench.md
	@url=$$($(DB)) && export DATABASE_URL="$$url" && \
	echo "DATABASE_URL=$$DATABASE_URL (the bench uses database fabrique_bench on that server)" && \
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/fabrique-bench ./cmd/fabrique-bench && \
	bin/fabrique-bench -challenges "$${BENCH_CHALLENGES:-10000}" -out docs/bench.md $(BENCH_FLAGS)

generate: ## Regenerate the templ components (*_templ.go)
	$(GO) tool templ generate

lint: ## gofmt, go vet, and check that *_templ.go are up to date
	@files=$$(git ls-files -co --exclude-standard -- '*.go' | xargs -r gofmt -l) && \
	if [ -n "$$files" ]; then echo "gofmt needed on:"; echo "$$files"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool templ generate
	@git diff --exit-code -- '*_templ.go' || \
	{ echo "*_templ.go are stale: run 'make generate' and commit them."; exit 1; }

db: ## Print a DATABASE_URL that answers (starting a local cluster if needed)
	@$(DB)

db-stop: ## Stop the project-local PostgreSQL cluster, if one runs
	@$(DB) stop

clean: ## Remove bin/ (the local cluster in .data/ is kept)
	rm -rf bin

SNAPSHOT_DIR ?= .snapshot

snapshot: ## Write every demo page (3 viewers, fr+en) to SNAPSHOT_DIR (.snapshot): diff -r two of them
	@url=$$($(DB)) && export DATABASE_URL="$$url" && \
	dir=$$(mkdir -p "$(SNAPSHOT_DIR)" && cd "$(SNAPSHOT_DIR)" && pwd) && \
	FABRIQUE_SNAPSHOT_DIR="$$dir" $(GO) test -count=1 -run '^TestDemoSnapshot$$' ./internal/server && \
	echo "snapshot: $$(wc -l < "$$dir/index.txt") pages in $$dir"
