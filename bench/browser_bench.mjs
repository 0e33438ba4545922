// `make bench`, browser half: in headless Chromium with WebGPU (SwiftShader) and without it
// (the CPU fallback: the threaded build on a cross-origin-isolated page, the one-thread build on
// one that is not), load the bert-mini and bert-base shaped models over HTTP through the worker
// client, then time fill-mask at 128 tokens (first call, median of 10); the shipped size of each
// build is `make dist`'s report (tools/dist.py). Targets on this 2-core machine: bert-base/128 ≤ 800 ms on the
// CPU path, ≤ 6 s on WebGPU (SwiftShader).

import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

import { startServer, ROOT } from "../tests/browser/server.mjs";
import { launch, openPage } from "../tests/browser/chromium.mjs";

const RUNS = 10;
const TOKENS = 128;
const only = process.argv[2] === "all" ? undefined : process.argv[2]; // e.g. "bert-mini"
const backends = process.argv[3] ? [process.argv[3] === "webgpu"] : [true, false]; // e.g. "cpu"

async function measure(page, model, backend) {
  return page.evaluate(async ({ model, backend, runs, tokens }) => {
    const { ClozeClient } = await import("/www/cloze_client.js");
    const words = Array.from({ length: tokens - 2 }, (_, i) => (i === (tokens >> 1) ? "[MASK]" : `w${(i * 7919) % 30000}`));
    const text = words.join(" ");
    let start = performance.now();
    const client = await ClozeClient.fromUrl(`/bench-results/models/${model}/`, { backend });
    const loadMs = performance.now() - start;
    start = performance.now();
    const first = await client.fillMask(text, { topK: 5 });
    const firstMs = performance.now() - start;
    const times = [];
    for (let i = 0; i < runs; i++) {
      start = performance.now();
      await client.fillMask(text, { topK: 5 });
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const medianMs = (times[(runs >> 1) - 1] + times[runs >> 1]) / 2;
    const result = { backend: client.backend, threads: client.threads, adapter: client.adapter, tokens: first.tokens.length, loadMs, firstMs, medianMs };
    await client.close();
    return result;
  }, { model, backend, runs: RUNS, tokens: TOKENS });
}

const runs = backends.flatMap((webgpu) => (webgpu ? [{ webgpu, isolated: true }] : [{ webgpu, isolated: true }, { webgpu, isolated: false }]));
const figures = [];
for (const { webgpu, isolated } of runs) {
  const server = await startServer({ isolated });
  const browser = await launch({ webgpu });
  try {
    const page = await openPage(browser, `${server.url}/tests/browser/harness.html`);
    for (const model of ["bert-mini", "bert-base"]) {
      if (only && only !== model) continue;
      const figure = { model, ...(await measure(page, model, webgpu ? "webgpu" : "cpu")) };
      figures.push(figure);
      const where = figure.backend === "cpu" ? `cpu ×${figure.threads}` : figure.backend;
      console.log(
        `${model.padEnd(9)} ${String(figure.tokens).padStart(4)} tokens ${where.padEnd(6)} load ${(figure.loadMs / 1000).toFixed(2)} s, first ${figure.firstMs.toFixed(0)} ms, median ${figure.medianMs.toFixed(0)} ms${figure.adapter ? ` (${figure.adapter})` : ""}`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

const base = (backend, threads) => figures.find((f) => f.model === "bert-base" && f.backend === backend && (threads === undefined || (threads > 1) === (f.threads > 1)));
for (const threads of [2, 1]) {
  const cpu = base("cpu", threads);
  if (cpu) console.log(`bert-base/128 CPU (${cpu.threads} thread${cpu.threads > 1 ? "s" : ""}) median ${cpu.medianMs.toFixed(0)} ms — target ≤ 800 ms: ${cpu.medianMs <= 800 ? "met" : "MISSED"}`);
}
if (base("webgpu")) console.log(`bert-base/128 WebGPU median ${(base("webgpu").medianMs / 1000).toFixed(2)} s — target ≤ 6 s: ${base("webgpu").medianMs <= 6000 ? "met" : "MISSED"}`);
mkdirSync(join(ROOT, "bench-results"), { recursive: true });
writeFileSync(join(ROOT, "bench-results/browser.json"), JSON.stringify({ figures }, null, 2));
