# govreports — `make` lists the targets. Everything installs itself on first use.
SHELL := bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Pinned with hashes for linux x86_64 CPython 3.11: dev.txt (make install, CI) and service.txt (the image);
# `make lock` regenerates both after pyproject.toml's dependencies change.
LOCK := requirements/dev.txt
SERVICE_LOCK := requirements/service.txt
UV := uv==0.13.8
LOCK_TARGET := --python-version 3.11 --python-platform x86_64-manylinux_2_28 --generate-hashes --quiet
PY_SOURCES := pyproject.toml $(LOCK)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: help install lock run run-once test test-unit test-integration test-e2e lint schemas asyncapi bench bench-extraction bench-relevance bench-speed bench-replicas bench-capacity bench-ocr faults faults-cluster kibana browser ocr-libs serve docker-up docker-up-cluster docker-down clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): $(PY_SOURCES)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP) ## create .venv, install the project from the lock, resolve the Elasticsearch dev node (Maven)
	bash deploy/elasticsearch/install.sh >/dev/null

# LOCK_ARGS=--upgrade moves every pin to the newest allowed version; without it existing pins stay.
lock: ## regenerate requirements/ (pins + hashes, linux x86_64 CPython 3.11) from pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "$(UV)"
	$(BIN)/uv pip compile pyproject.toml --extra otlp $(LOCK_TARGET) $(LOCK_ARGS) -o $(SERVICE_LOCK)
	$(BIN)/uv pip compile pyproject.toml --extra otlp --extra test --constraint $(SERVICE_LOCK) $(LOCK_TARGET) \
	  $(LOCK_ARGS) -o $(LOCK)

run: install ## start NATS + Elasticsearch + the five services, ingest seeds/, show results, watch (Ctrl-C stops)
	$(BIN)/govreports run

run-once: install ## like run, but exit once the seeds are indexed
	$(BIN)/govreports run --once

test: install browser ocr-libs lint ## lint, then unit, integration (real NATS + Elasticsearch) and end-to-end tests
	$(BIN)/pytest

test-unit: $(STAMP) ## fast unit tests only (no servers)
	$(BIN)/pytest tests/unit -q

test-integration: install browser ocr-libs ## integration tests against real servers
	$(BIN)/pytest tests/integration -q

test-e2e: install browser ## the whole pipeline as separate processes, and the search page in chromium
	$(BIN)/pytest tests/e2e -q

lint: $(STAMP) ## ruff and the import contracts of pyproject.toml's [tool.importlinter] (lint-imports)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

schemas: $(STAMP) ## regenerate the committed JSON Schemas of the message contracts
	$(BIN)/python -m shared.messages.export

asyncapi: $(STAMP) ## regenerate docs/asyncapi.json from the service apps (every subject; served at /asyncapi)
	$(BIN)/python -m services.cli.asyncapi

bench: bench-extraction bench-relevance bench-speed bench-replicas bench-ocr ## extraction quality (seeds, team corpus), search relevance, end-to-end speed, 1 vs 2 replicas, OCR of scans

# The team corpus (real reports, never copied into the repository) is read only here, when it is beside the clone.
CORPUS ?= ../shared/corpus
bench-extraction: $(STAMP) ## extraction P/R/F1 by era, format and class of miss, crashes, CPU per report
	$(BIN)/govreports eval tests/fixtures/seed-gold --docs seeds
	@if [ -d "$(CORPUS)/gold" ]; then \
	  echo "== team corpus: the documents as dropped (HTML pages, PDFs)"; \
	  $(BIN)/govreports eval "$(CORPUS)/gold"; \
	  echo "== team corpus: the same pages as crawler text (page.txt), scored against the same gold"; \
	  $(BIN)/govreports eval "$(CORPUS)/gold" --rendering txt; \
	  echo "== team corpus: the PDFs as pdftotext -layout text, scored against the same gold"; \
	  $(BIN)/govreports eval "$(CORPUS)/gold" --rendering layout.txt; \
	  echo "== team corpus: every file, gold or not"; \
	  $(BIN)/govreports extract "$(CORPUS)/putian" && $(BIN)/govreports extract "$(CORPUS)/pdf"; \
	else echo "no team corpus at $(CORPUS): seeds only"; fi

bench-relevance: install ## search relevance (P@5, R@10, MRR, nDCG@10) of judged queries on a real node
	$(BIN)/pytest tests/integration/test_relevance.py -q -s

# BENCH_ARGS e.g. "--reports 100 --steps 20,40" or "--quick" (python -m tests.bench --help lists them).
bench-speed: install ## speed on the real stack: ceiling, burst, latency, sustained rate, stages → bench/
	$(BIN)/python -m tests.bench $(if $(wildcard $(CORPUS)/putian),--corpus $(CORPUS)) $(BENCH_ARGS)

# OCR_ARGS e.g. "--dpi 150 --noise 0" (python -m tests.bench_ocr --help); the scans need the CJK font of `browser`.
bench-ocr: $(STAMP) browser ocr-libs ## scanned copies of PDFs vs their text layer: CER, fact P/R/F1, CPU s/page → bench/ocr.json
	$(BIN)/python -m tests.bench_ocr $(if $(wildcard $(CORPUS)/pdf),--corpus $(CORPUS)) $(OCR_ARGS)

# REPLICAS_ARGS e.g. "--replicas 1,2,3 --reports 100".
bench-replicas: install ## burst rate with 1 vs 2 replicas of every service on the real stack → bench/replicas.json
	$(BIN)/python -m tests.bench --replicas 1,2 --no-chart $(if $(wildcard $(CORPUS)/putian),--corpus $(CORPUS)) $(REPLICAS_ARGS)

# CAPACITY_ARGS e.g. "--copies 10" (python -m tests.capacity --help); the figures behind docs/scaling.md.
bench-capacity: install ## bytes per report in the stream (per subject), the Object Store and each index
	$(BIN)/python -m tests.capacity $(if $(wildcard $(CORPUS)/putian),--corpus $(CORPUS)) $(CAPACITY_ARGS)

faults: install ## N reports per fault (FAULT_REPORTS=200) on the real stack: kills, outages, re-drops; fails on loss
	$(BIN)/python -m tests.faults $(if $(wildcard $(CORPUS)/putian),--corpus $(CORPUS))

# FAULT_ARGS e.g. "--nats-node meta-leader" or "--nats-node follower --down-seconds 30" (--help lists them).
faults-cluster: install ## node loss: N reports (FAULT_REPORTS=200) on 3 NATS + 3 ES nodes, one of each SIGKILLed
	$(BIN)/python -m tests.faults --cluster $(if $(wildcard $(CORPUS)/putian),--corpus $(CORPUS)) $(FAULT_ARGS)

ocr-libs: ## Debian's libGL and GLib, which the OCR engine's OpenCV loads (apt; nothing to do when present)
	@{ ldconfig -p | grep -q 'libGL\.so\.1 ' && ldconfig -p | grep -q 'libgthread-2\.0\.so\.0 '; } || \
	  { $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgl1 libglib2.0-0 >/dev/null; }

browser: ## Debian's chromium + CJK fonts for the search-page test (apt; nothing to do when present)
	@{ command -v chromium && fc-list :lang=zh family | grep -q .; } >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

serve: install ## the search API and page on SEARCH_API_PORT (default http://127.0.0.1:8080/)
	$(BIN)/govreports serve

kibana: ## import the Kibana data views, searches and dashboard (deploy/kibana) into KIBANA_URL (default :5601)
	bash deploy/kibana/import.sh

docker-up: ## the same system on Docker: official NATS, Elasticsearch, Kibana images + the services
	docker compose up --build -d

# Naming the cluster-* services starts them and what they depend on (the nodes), never the single-node pipeline.
docker-up-cluster: ## the `cluster` profile on Docker: 3 NATS servers, 3 Elasticsearch nodes, the services on all
	docker compose --profile cluster up --build -d $$(docker compose --profile cluster config --services | grep '^cluster-')

docker-down: ## stop the Docker deployment
	docker compose down

clean: ## remove local data (NATS store, Elasticsearch node, bucket), keep the venv
	rm -rf .data bucket test-output
