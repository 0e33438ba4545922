// `make bench`, the CPU path beside its peer: clozelab's browser CPU build and transformers.js
// (on its onnxruntime-web, both from npm under bench/peer/) in the same headless Chromium, on the
// same weights (bench-results/models/ for clozelab; their PyTorch → ONNX export under
// bench-results/peer/, by bench/peer/export_onnx.py), the same text, interleaved call by call:
// fill-mask at 16, 128 and 512 tokens for the bert-mini and bert-base shapes, on two threads (a
// cross-origin-isolated page) and on one (a page that is not). Prints clozelab / transformers.js
// per row — below 1.0× clozelab is faster — against issue 18's targets (every row ≤ 1.0×,
// bert-base/128 ≤ 0.9×). Both run fp32 and q8 (transformers.js's CPU default: onnxruntime's
// dynamic int8; clozelab's `dtype: "q8"`), q8 against q8 with the target ≤ 1.0×. Nothing leaves
// 127.0.0.1: any other request fails the run.
//
// Usage: node bench/peer_bench.mjs [model] [lengths]   (e.g. bert-base 16,128; default: all)

import { writeFileSync, mkdirSync, existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

import { startServer, ROOT } from "../tests/browser/server.mjs";
import { launch, openPage } from "../tests/browser/chromium.mjs";

const RUNS = 10;
const MODELS = ["bert-mini", "bert-base"];
const LENGTHS = [16, 128, 512];
const [onlyModel, onlyLengths] = [process.argv[2], process.argv[3]?.split(",").map(Number)];

for (const needed of [join(ROOT, "bench/peer/node_modules"), join(ROOT, "bench-results/peer/bert-base/onnx/model.onnx")]) {
  if (!existsSync(needed)) throw new Error(`${needed} is missing: run make bench (it installs the peer and exports its models)`);
}
// transformers.js's self-contained build, and the onnxruntime-web it pins (for its .wasm files):
// nested under it when another version sits at the top, as Node would resolve it.
const tjsPackage = join(ROOT, "bench/peer/node_modules/@huggingface/transformers/package.json");
const ortPackage = [join(dirname(tjsPackage), "node_modules"), join(ROOT, "bench/peer/node_modules")]
  .map((folder) => join(folder, "onnxruntime-web/package.json"))
  .find(existsSync);
const served = (path) => `/${relative(ROOT, path)}`;
const TJS = served(join(dirname(tjsPackage), "dist/transformers.min.js"));
const ORT = `${served(dirname(ortPackage))}/`;
const version = (path) => JSON.parse(readFileSync(path, "utf8")).version;
console.log(`transformers.js ${version(tjsPackage)}, onnxruntime-web ${version(ortPackage)}`);

/** One model at one length in one page: both engines loaded, warmed, then timed in turn. */
async function measure(page, model, tokens) {
  return page.evaluate(async ({ model, tokens, runs, tjs, ort }) => {
    const words = Array.from({ length: tokens - 2 }, (_, i) => (i === (tokens >> 1) ? "[MASK]" : `w${(i * 7919) % 30000}`));
    const text = words.join(" ");
    const threads = crossOriginIsolated ? navigator.hardwareConcurrency : 1;
    const { pipeline, env } = await import(tjs);
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = "/bench-results/peer/";
    env.useBrowserCache = false;
    env.backends.onnx.wasm.wasmPaths = `${ort}dist/`;
    env.backends.onnx.wasm.numThreads = threads;
    const engines = {
      clozelab: await window.loadModel(`/bench-results/models/${model}/`, { backend: "cpu" }),
      "clozelab q8": await window.loadModel(`/bench-results/models/${model}/`, { backend: "cpu", dtype: "q8" }),
      "tjs fp32": await pipeline("fill-mask", model, { device: "wasm", dtype: "fp32" }),
      "tjs q8": await pipeline("fill-mask", model, { device: "wasm", dtype: "q8" }),
    };
    const run = {
      clozelab: () => engines.clozelab.fillMask(text, { topK: 5 }),
      "clozelab q8": () => engines["clozelab q8"].fillMask(text, { topK: 5 }),
      "tjs fp32": () => engines["tjs fp32"](text, { top_k: 5 }),
      "tjs q8": () => engines["tjs q8"](text, { top_k: 5 }),
    };
    const seen = {
      clozelab: (await run.clozelab()).tokens.length,
      tjs: engines["tjs fp32"].tokenizer(text).input_ids.dims[1],
    };
    for (const name of Object.keys(run)) await run[name]();
    const times = Object.fromEntries(Object.keys(run).map((name) => [name, []]));
    for (let i = 0; i < runs; i++) {
      for (const name of Object.keys(run)) {
        // A pause between engines, so neither pays for the other's thread pool still spinning.
        await new Promise((done) => setTimeout(done, 50));
        const start = performance.now();
        await run[name]();
        times[name].push(performance.now() - start);
      }
    }
    const median = (list) => {
      const sorted = [...list].sort((a, b) => a - b);
      return (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
    };
    const result = { threads: engines.clozelab.threads, tjsThreads: threads, tokens: seen, medians: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) };
    await engines.clozelab.close();
    await engines["clozelab q8"].close();
    for (const name of ["tjs fp32", "tjs q8"]) await engines[name].dispose();
    return result;
  }, { model, tokens, runs: RUNS, tjs: TJS, ort: ORT });
}

const rows = [];
for (const isolated of [true, false]) {
  const server = await startServer({ isolated });
  const browser = await launch({ webgpu: false });
  try {
    const page = await openPage(browser, `${server.url}/tests/browser/harness.html?backend=cpu`);
    const strangers = [];
    await page.context().route("**", (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === "127.0.0.1") return route.continue();
      strangers.push(url.href);
      return route.abort();
    });
    for (const model of MODELS) {
      if (onlyModel && onlyModel !== model) continue;
      for (const tokens of LENGTHS) {
        if (onlyLengths && !onlyLengths.includes(tokens)) continue;
        const row = { model, length: tokens, ...(await measure(page, model, tokens)) };
        if (row.tokens.clozelab !== tokens || row.tokens.tjs !== tokens) throw new Error(`${model}/${tokens}: the texts are ${JSON.stringify(row.tokens)} tokens long`);
        rows.push(row);
        const m = row.medians;
        console.log(
          `${model.padEnd(9)} ${String(tokens).padStart(3)} tokens ×${row.threads}  clozelab ${m.clozelab.toFixed(1).padStart(7)} ms  tjs fp32 ${m["tjs fp32"].toFixed(1).padStart(7)} ms  tjs q8 ${m["tjs q8"].toFixed(1).padStart(7)} ms  clozelab q8 ${m["clozelab q8"].toFixed(1).padStart(7)} ms  fp32/fp32 ${(m.clozelab / m["tjs fp32"]).toFixed(2)}×  q8/q8 ${(m["clozelab q8"] / m["tjs q8"]).toFixed(2)}×`,
        );
      }
    }
    if (strangers.length) throw new Error(`requests left 127.0.0.1: ${strangers.join(", ")}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

console.log("\nclozelab / transformers.js, median of 10 interleaved calls — targets: fp32 every row ≤ 1.0× (bert-base/128 ≤ 0.9×); q8 ≤ 1.0× tjs q8 (bert-base/128)");
console.log("| shape | tokens | threads | tjs fp32 | clozelab fp32 | fp32 ratio | target | tjs q8 | clozelab q8 | q8 ratio | target |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|");
const verdict = (ratio, target) => `≤ ${target.toFixed(1)}×: ${ratio <= target ? "met" : "MISSED"}`;
for (const row of rows) {
  const m = row.medians;
  const fp32 = m.clozelab / m["tjs fp32"];
  const q8 = m["clozelab q8"] / m["tjs q8"];
  const base128 = row.model === "bert-base" && row.length === 128;
  const ms = (x) => `${x.toFixed(1)} ms`;
  console.log(`| ${row.model} | ${row.length} | ${row.threads} | ${ms(m["tjs fp32"])} | ${ms(m.clozelab)} | ${fp32.toFixed(2)}× | ${verdict(fp32, base128 ? 0.9 : 1.0)} | ${ms(m["tjs q8"])} | ${ms(m["clozelab q8"])} | ${q8.toFixed(2)}× | ${base128 ? verdict(q8, 1.0) : "—"} |`);
}
mkdirSync(join(ROOT, "bench-results"), { recursive: true });
writeFileSync(join(ROOT, "bench-results/peer.json"), JSON.stringify({ rows }, null, 2));
