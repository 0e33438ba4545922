# clozelab — `make serve` and `make test` set up everything they need on a fresh Debian machine.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

export CARGO_TARGET_DIR ?= $(HOME)/.cache/clozelab/target
VENV := $(HOME)/.cache/clozelab/venv
PYTHON := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WASM_TARGET := wasm32-unknown-unknown

.PHONY: all deps native wasm test serve bench fixtures clean

all: native wasm

# System packages: Vulkan's software driver (lavapipe) so the wgpu path runs without a GPU.
deps:
	@missing=""; for p in mesa-vulkan-drivers libvulkan1; do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing$$missing"; \
	  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; fi
	@rustup target list --installed | grep -q $(WASM_TARGET) || rustup target add $(WASM_TARGET)

native: deps
	cargo build --release

# The library for the browser: size-optimised profile (see Cargo.toml's [profile.web]).
wasm: deps
	cargo build --lib --target $(WASM_TARGET) --profile web

test: deps
	cargo test --release
	cargo build --lib --target $(WASM_TARGET) --profile web

serve: native wasm
	@echo "serving http://$(HOST):$(PORT)/"
	python3 -m http.server $(PORT) --bind $(HOST)

$(PYTHON):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q torch transformers tokenizers safetensors numpy

# Regenerates the committed test fixtures with the real transformers (needs PyPI).
fixtures: $(PYTHON)
	$(PYTHON) tests/fixtures/make_fixtures.py

bench: deps $(PYTHON)
	cargo run --release --example bench_native
	$(PYTHON) bench/torch_fill_mask.py

clean:
	cargo clean
