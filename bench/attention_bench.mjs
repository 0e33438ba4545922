// `make bench`, attention: on the page's CPU path with the bert-base shaped model at 128 tokens,
// (1) what asking for the attentions adds to a fill-mask (median of 5 each; target ≤ 15%) and
// (2) how long the model view (12 layers × 12 heads) takes to draw (target < 200 ms).

import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

import { startServer, ROOT } from "../tests/browser/server.mjs";
import { launch, openPage } from "../tests/browser/chromium.mjs";

const TOKENS = 128;
const words = Array.from({ length: TOKENS - 2 }, (_, i) => (i === TOKENS >> 1 ? "[MASK]" : `w${(i * 7919) % 30000}`));
const text = words.join(" ");

const server = await startServer();
const browser = await launch({ webgpu: false });
let figures;
try {
  const page = await openPage(browser, `${server.url}/tests/browser/harness.html`);
  const overhead = await page.evaluate(async (text) => {
    const { ClozeClient } = await import("/www/cloze_client.js");
    const client = await ClozeClient.fromUrl("/bench-results/models/bert-base/", { backend: "cpu" });
    const median = async (attentions) => {
      const times = [];
      for (let i = 0; i < 6; i++) {
        const start = performance.now();
        await client.fillMask(text, { topK: 5, attentions });
        if (i > 0) times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      return times[2];
    };
    const plain = await median(false);
    const withAttentions = await median(true);
    await client.close();
    return { plain, withAttentions };
  }, text);

  const view = await openPage(browser, `${server.url}/?model=/bench-results/models/bert-base/#text=${encodeURIComponent(text)}`);
  await view.waitForSelector(".answer .prediction", { timeout: 120_000 });
  await view.click(".look");
  await view.waitForFunction(() => document.getElementById("attention-canvas").width > 100, null, { timeout: 120_000 });
  const draws = [];
  for (let i = 0; i < 5; i++) {
    await view.selectOption("#attention-kind", "head");
    await view.selectOption("#attention-kind", "model");
    draws.push(Number(await view.getAttribute("#attention-canvas", "data-draw-ms")));
  }
  draws.sort((a, b) => a - b);
  figures = { tokens: TOKENS, ...overhead, overheadPercent: (100 * (overhead.withAttentions - overhead.plain)) / overhead.plain, modelViewMs: draws[2] };
} finally {
  await browser.close();
  await server.close();
}
console.log(`bert-base/${TOKENS} CPU: fill-mask ${figures.plain.toFixed(0)} ms, with attentions ${figures.withAttentions.toFixed(0)} ms (+${figures.overheadPercent.toFixed(1)}%) — target ≤ 15%: ${figures.overheadPercent <= 15 ? "met" : "MISSED"}`);
console.log(`model view, 12 layers × 12 heads at ${TOKENS} tokens: drawn in ${figures.modelViewMs.toFixed(1)} ms (median of 5) — target < 200 ms: ${figures.modelViewMs < 200 ? "met" : "MISSED"}`);
mkdirSync(join(ROOT, "bench-results"), { recursive: true });
writeFileSync(join(ROOT, "bench-results/attention.json"), JSON.stringify(figures, null, 2));
