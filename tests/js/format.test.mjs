// How both pages write numbers and where a model runs (www/format.js): the page's badge and the
// classroom's say the same thing from the same client.

import { test } from "node:test";
import assert from "node:assert/strict";

import { calibrationReason, parameters, percent, whereItRuns } from "../../www/format.js";

test("a probability is a percentage with one decimal, or as many as asked", () => {
  assert.equal(percent(0.4567), "45.7%");
  assert.equal(percent(1), "100.0%");
  assert.equal(percent(0.00049), "0.0%");
  assert.equal(percent(0.12345, 2), "12.35%");
});

test("a parameter count reads in millions, or thousands below a million", () => {
  assert.equal(parameters(4_386_816), "4.4 M");
  assert.equal(parameters(110_000_000), "110.0 M");
  assert.equal(parameters(880_000), "880.0 k");
});

test("where a model runs: the GPU's adapter, or the CPU's threads and why not the GPU", () => {
  assert.equal(whereItRuns({ backend: "webgpu", adapter: "NVIDIA H200" }), "WebGPU (NVIDIA H200)");
  assert.equal(whereItRuns({ backend: "webgpu", adapter: null }), "WebGPU");
  assert.equal(whereItRuns({ backend: "cpu", threads: 4, backendReason: "no GPU adapter" }), "CPU (4 threads) — no GPU adapter");
  assert.equal(whereItRuns({ backend: "cpu", threads: 1, backendReason: null }), "CPU");
});

test("a measured choice says which backend answered faster, by how much, and when it was measured", () => {
  const gpu = { backend: "webgpu", gpuMs: 10, cpuMs: 31, remembered: false };
  const cpu = { backend: "cpu", gpuMs: 40, cpuMs: 20, remembered: true };
  assert.equal(calibrationReason(gpu), "WebGPU answered 3.1× faster than the CPU here (measured as the model loaded)");
  assert.equal(calibrationReason(cpu), "the CPU answered 2.0× faster than WebGPU here (measured on an earlier visit)");
  assert.equal(whereItRuns({ backend: "webgpu", adapter: "NVIDIA H200", calibration: gpu }), "WebGPU (NVIDIA H200) — 3.1× faster than the CPU here (measured as the model loaded)");
  assert.equal(
    whereItRuns({ backend: "cpu", threads: 2, backendReason: calibrationReason(cpu), calibration: cpu }),
    "CPU (2 threads) — the CPU answered 2.0× faster than WebGPU here (measured on an earlier visit)",
  );
});
