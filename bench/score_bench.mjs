// `make bench`, scoring: how long the surprise view's numbers take — a 20-word sentence on the
// bundled model, every word masked in turn in one batched pass (www/surprise_panel.js,
// crates/core/src/score.rs) — against one fill-mask pass over the same sentence with one mask, in
// headless Chromium through the worker client, on the CPU (threads) and WebGPU (SwiftShader).
// Issue 20's target: scoring ≤ 3× one fill-mask pass.

import { startServer } from "../tests/browser/server.mjs";
import { launch, openPage } from "../tests/browser/chromium.mjs";

const RUNS = 10;
const SENTENCE = "the farmer has a big red barn and a small brown cow that gives us fresh milk every morning before school starts";

const server = await startServer();
try {
  for (const webgpu of [false, true]) {
    const browser = await launch({ webgpu });
    const page = await openPage(browser, `${server.url}/tests/browser/harness.html`);
    const figure = await page.evaluate(async ({ sentence, runs, backend }) => {
      const { ClozeClient } = await import("/www/cloze_client.js");
      const client = await ClozeClient.fromUrl("/www/models/clozelab-tiny-bert/", { backend });
      const words = sentence.split(" ");
      const masked = [...words.slice(0, 10), client.info.maskToken, ...words.slice(11)].join(" ");
      const median = async (task) => {
        await task();
        const times = [];
        for (let i = 0; i < runs; i++) {
          const start = performance.now();
          await task();
          times.push(performance.now() - start);
        }
        times.sort((a, b) => a - b);
        return (times[(runs >> 1) - 1] + times[runs >> 1]) / 2;
      };
      const scored = await client.score(sentence);
      const fillMs = await median(() => client.fillMask(masked, { topK: 5 }));
      const scoreMs = await median(() => client.score(sentence));
      const out = { backend: client.backend, threads: client.threads, words: scored.words.length, fillMs, scoreMs };
      await client.close();
      return out;
    }, { sentence: SENTENCE, runs: RUNS, backend: webgpu ? "webgpu" : "cpu" });
    await browser.close();
    const ratio = figure.scoreMs / figure.fillMs;
    const where = figure.backend === "cpu" ? `CPU (${figure.threads} threads)` : "WebGPU (SwiftShader)";
    console.log(
      `scoring ${figure.words} words on the bundled model, ${where}: ${figure.scoreMs.toFixed(1)} ms, one fill-mask pass ${figure.fillMs.toFixed(1)} ms — ` +
        `${ratio.toFixed(2)}× (target ≤ 3×: ${ratio <= 3 ? "met" : "MISSED"})`,
    );
  }
} finally {
  await server.close();
}
