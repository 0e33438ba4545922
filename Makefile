# clozelab — `make serve` and `make test` set up everything they need on a fresh Debian machine
# (as root): system packages, the wasm target, the wasm-bindgen CLI matching Cargo.lock, npm
# packages for the browser tests. Builds are cached in $(CARGO_TARGET_DIR), outside the clone.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

export CARGO_TARGET_DIR ?= $(HOME)/.cache/clozelab/target
VENV := $(HOME)/.cache/clozelab/venv
PYTHON := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WASM_TARGET := wasm32-unknown-unknown
# The WebGPU build (pkg/): a panic aborts at once (-Cpanic=immediate-abort: no message formatting or
# locations compiled in, 7.8% less gzip), which needs the standard library rebuilt (-Z build-std,
# allowed on the stable toolchain by RUSTC_BOOTSTRAP) in a target directory of its own.
PLAIN_TARGET_DIR := $(CARGO_TARGET_DIR)/small
PANIC_RUSTFLAGS := -Zunstable-options -Cpanic=immediate-abort
PLAIN_RUSTFLAGS := -C target-feature=+simd128 $(PANIC_RUSTFLAGS)
WASM := $(PLAIN_TARGET_DIR)/$(WASM_TARGET)/web/clozelab_web.wasm
# The multi-threaded CPU build (pkg/threads/): shared memory and atomics need the standard library
# rebuilt with them (-Z build-std, allowed on the stable toolchain by RUSTC_BOOTSTRAP); its own
# target directory keeps those flags from invalidating the plain build's cache.
THREADS_TARGET_DIR := $(CARGO_TARGET_DIR)/threads
THREADS_WASM := $(THREADS_TARGET_DIR)/$(WASM_TARGET)/web/clozelab_web.wasm
THREADS_RUSTFLAGS := -C target-feature=+atomics,+bulk-memory,+mutable-globals,+simd128 $(PANIC_RUSTFLAGS) \
  -C link-arg=--shared-memory -C link-arg=--max-memory=4294967296 -C link-arg=--import-memory \
  -C link-arg=--export=__wasm_init_tls -C link-arg=--export=__tls_size \
  -C link-arg=--export=__tls_align -C link-arg=--export=__tls_base
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/"/, "", $$3); print $$3}' Cargo.lock)
APT_PACKAGES := mesa-vulkan-drivers libvulkan1 chromium poppler-utils brotli pigz wordnet-base

.PHONY: all deps native pkg dist test test-native test-browser serve bench fixtures pretrain clean

all: native pkg

# System packages: Mesa's lavapipe (so wgpu runs without a GPU) and Chromium for browser tests.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing$$missing"; \
	  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; fi
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src
	@wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)" || \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@[ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ] && [ -d node_modules/vite ] && [ -d node_modules/typescript ] || \
	  npm install --no-audit --no-fund

native: deps
	cargo build --release

# The browser packages: crates/web (the API over crates/core) for wasm32 ([profile.web]: small),
# then wasm-bindgen's JS glue, named clozelab.js; pkg/ has WebGPU and the one-thread CPU backend,
# pkg/threads/ the CPU backend on a worker pool.
# pkg/ is then the npm package `clozelab` (tools/npm_package.py): `npm pack pkg/` makes its tarball.
pkg: deps
	RUSTC_BOOTSTRAP=1 RUSTFLAGS="$(PLAIN_RUSTFLAGS)" CARGO_TARGET_DIR=$(PLAIN_TARGET_DIR) \
	  cargo build -p clozelab-web --target $(WASM_TARGET) --profile web -Z build-std=panic_abort,std
	rm -rf pkg/snippets pkg/threads/snippets # a snippet folder is named by crate and hash: keep no stale one
	wasm-bindgen --target web --out-dir pkg --out-name clozelab --remove-name-section $(WASM)
	RUSTC_BOOTSTRAP=1 RUSTFLAGS="$(THREADS_RUSTFLAGS)" CARGO_TARGET_DIR=$(THREADS_TARGET_DIR) \
	  cargo build -p clozelab-web --target $(WASM_TARGET) --profile web --no-default-features --features threads \
	  -Z build-std=panic_abort,std
	wasm-bindgen --target web --out-dir pkg/threads --out-name clozelab --remove-name-section $(THREADS_WASM)
	python3 tools/npm_package.py

test: test-native test-browser

# Every crate's tests natively (crates/web is the browser's: test-browser runs it), and the check
# that no modules import each other in a circle.
test-native: deps
	python3 tools/import_cycles.py crates/core/src crates/web/src crates/pretrain/src src
	cargo test --release --workspace --exclude clozelab-web

test-browser: native pkg dist
	node --test --test-concurrency=1 tests/js/ tests/browser/

# The site as a static host serves it (tools/dist.py): only what the pages load, wasm named by its
# content, brotli and gzip copies, _headers for hosts that read them.
dist: pkg
	python3 tools/dist.py dist

serve: native dist
	python3 tools/serve.py --root dist $(HOST) $(PORT)

$(PYTHON):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q torch transformers tokenizers safetensors numpy sentencepiece protobuf

BUNDLED_MODEL := www/models/clozelab-tiny-bert

# Rebuilds the bundled model from nothing: corpus, vocabulary, pretraining, evaluation, model card
# (under 90 minutes on 2 cores; progress on stderr, the loss log in $(BUNDLED_MODEL)/training_log.tsv).
pretrain: native
	$(CARGO_TARGET_DIR)/release/clozelab pretrain --out $(BUNDLED_MODEL)

# Regenerates the committed test fixtures with the real transformers (needs PyPI).
fixtures: $(PYTHON)
	$(PYTHON) tests/fixtures/make_fixtures.py
	$(PYTHON) tests/fixtures/bundled_reference.py
	$(PYTHON) tests/fixtures/score_reference.py
	$(PYTHON) tests/fixtures/layers_reference.py
	$(PYTHON) tests/fixtures/classroom_reference.py

# The peer the browser's CPU path is measured against (bench/peer_bench.mjs): transformers.js and
# its onnxruntime-web from npm, without install scripts (its Node-only dependencies' scripts fetch
# binaries from outside the registries; the bench uses only the web build), and what the bench venv
# needs to export its ONNX files.
PEER := bench/peer/node_modules/@huggingface/transformers/package.json
$(PEER): bench/peer/package.json bench/peer/package-lock.json
	cd bench/peer && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

PEER_VENV := $(VENV)/.peer
$(PEER_VENV): $(PYTHON)
	$(VENV)/bin/pip install -q onnx onnxruntime
	touch $@

# Speed and size figures, printed next to the issues' targets (nothing here asserts timings).
bench: native dist $(PYTHON) $(PEER) $(PEER_VENV)
	python3 tools/dist.py dist
	python3 tools/wasm_size.py $(WASM) 15
	cargo run --release --example bench_native
	$(PYTHON) bench/torch_fill_mask.py
	cargo run --release --example bench_train
	$(PYTHON) bench/torch_train.py
	cargo run --release --example bench_models
	cargo run --release --example bench_families
	cargo run --release --example bench_quality
	$(PYTHON) bench/check_transformers.py $(BUNDLED_MODEL) $(CARGO_TARGET_DIR)/release/clozelab
	node bench/browser_bench.mjs
	node bench/first_answer_bench.mjs
	$(PYTHON) bench/peer/export_onnx.py
	node bench/peer_bench.mjs
	node bench/gpu_counts.mjs
	node bench/attention_bench.mjs
	node bench/score_bench.mjs
	node bench/train_browser_bench.mjs

clean:
	cargo clean
	rm -rf pkg bench-results
