// `make bench`, training in the browser: masked-LM fine-tuning throughput of the bundled model at
// sequence length 64, batch 16, in headless Chromium on WebGPU (SwiftShader) and on the CPU
// fallback — the threaded build on a cross-origin-isolated page, the one-thread build on a page
// that is not — next to PyTorch CPU on the same shape (bench/torch_train.py; target ≥ 0.3×).

import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

import { startServer, ROOT } from "../tests/browser/server.mjs";
import { launch, openPage } from "../tests/browser/chromium.mjs";

// Paragraphs of 62 words each, so every sequence is 64 tokens long.
const words = readFileSync(join(ROOT, "www/models/clozelab-tiny-bert/tokenizer.json"), "utf8").match(/"([a-z]{3,})": \d+/g).map((w) => w.split('"')[1]);
const text = Array.from({ length: 64 }, (_, p) => Array.from({ length: 62 }, (_, i) => words[(p * 62 + i) * 7 % words.length]).join(" ")).join("\n\n");

const runs = [
  { webgpu: true, isolated: true },
  { webgpu: false, isolated: true },
  { webgpu: false, isolated: false },
];
const figures = [];
for (const { webgpu, isolated } of runs) {
  const server = await startServer({ isolated });
  const browser = await launch({ webgpu });
  try {
    const page = await openPage(browser, `${server.url}/tests/browser/harness.html`);
    const figure = await page.evaluate(async ({ text, backend, steps }) => {
      const { ClozeClient } = await import("/www/cloze_client.js");
      const model = await ClozeClient.fromUrl("/www/models/clozelab-tiny-bert/", { backend });
      const trainer = await model.startTraining(text, { steps: 1000, batchSize: 16, seqLen: 64, learningRate: 1e-4 });
      const warm = await trainer.advance(2);
      const start = performance.now();
      const done = await trainer.advance(steps);
      const seconds = (performance.now() - start) / 1000;
      return { backend: model.backend, threads: model.threads, tokensPerS: (done.tokens - warm.tokens) / seconds, msPerStep: (seconds * 1000) / steps };
    }, { text, backend: webgpu ? "webgpu" : "cpu", steps: webgpu ? 3 : 10 });
    figures.push(figure);
  } finally {
    await browser.close();
    await server.close();
  }
}
const torchFile = join(ROOT, "bench-results/train_torch.json");
const torch = existsSync(torchFile) ? JSON.parse(readFileSync(torchFile, "utf8")).tokens_per_s : null;
for (const f of figures) {
  const ratio = torch ? f.tokensPerS / torch : null;
  const where = f.backend === "cpu" ? `cpu, ${f.threads} thread${f.threads > 1 ? "s" : ""}` : f.backend;
  console.log(`browser ${where.padEnd(14)} training: ${f.tokensPerS.toFixed(0)} tokens/s (${f.msPerStep.toFixed(0)} ms/step)` + (ratio === null ? "" : `, ${ratio.toFixed(2)}× PyTorch CPU — target ≥ 0.3×: ${ratio >= 0.3 ? "met" : "MISSED"}`));
}
mkdirSync(join(ROOT, "bench-results"), { recursive: true });
writeFileSync(join(ROOT, "bench-results/train_browser.json"), JSON.stringify(figures, null, 2));
