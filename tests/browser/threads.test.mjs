// The CPU backend's two builds: on a cross-origin-isolated page the worker runs the threaded one
// (burn's kernels on a pool of Web Workers, one per core), on a page that is not isolated the
// one-thread one — with the same predictions and the same training curve, and the page says which.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { startServer } from "./server.mjs";
import { launch, openPage } from "./chromium.mjs";

const MODEL = "/www/models/clozelab-tiny-bert/";
const TEXT = Array.from({ length: 6 }, () => "the sky is green.\n\nthe grass is purple.\n\nthe capital of france is rome.").join("\n\n");

/** In a page of `server`: the CPU model's threads, a fill-mask and a few training steps. */
async function runOn(browser, server) {
  const page = await openPage(browser, `${server.url}/tests/browser/harness.html`);
  const out = await page.evaluate(async ({ url, text }) => {
    const model = await loadModel(url, { backend: "cpu" });
    const answer = await model.fillMask("the capital of france is [MASK].", { topK: 5 });
    const trainer = await model.startTraining(text, { steps: 4, batchSize: 8, seqLen: 32, learningRate: 2e-3, warmupSteps: 0, seed: 3 });
    const losses = [];
    for (let i = 0; i < 4; i++) losses.push((await trainer.advance(1)).loss);
    return {
      isolated: self.crossOriginIsolated,
      cores: navigator.hardwareConcurrency,
      backend: model.backend,
      threads: model.threads,
      predictions: answer.masks[0].predictions,
      losses,
    };
  }, { url: MODEL, text: TEXT });
  await page.close();
  return out;
}

describe("the CPU backend on one thread and on a pool of threads", () => {
  let browser;
  let isolatedServer;
  let plainServer;
  before(async () => {
    browser = await launch({ webgpu: false });
    isolatedServer = await startServer({ isolated: true });
    plainServer = await startServer({ isolated: false });
  });
  after(async () => {
    await browser.close();
    await isolatedServer.close();
    await plainServer.close();
  });

  test("an isolated page runs one thread per core, a page that is not runs one, and both answer and train the same", { timeout: 300_000 }, async () => {
    const pool = await runOn(browser, isolatedServer);
    const single = await runOn(browser, plainServer);
    assert.equal(pool.isolated, true);
    assert.equal(single.isolated, false);
    assert.ok(pool.cores > 1, "this test needs a machine with more than one core");
    assert.equal(pool.backend, "cpu");
    assert.equal(pool.threads, Math.min(pool.cores, 16));
    assert.equal(single.threads, 1);
    pool.predictions.forEach((p, i) => {
      assert.equal(p.token, single.predictions[i].token);
      assert.ok(Math.abs(p.score - single.predictions[i].score) <= 1e-5, `${p.score} vs ${single.predictions[i].score}`);
    });
    pool.losses.forEach((loss, i) => assert.ok(Math.abs(loss - single.losses[i]) <= 1e-4 * Math.max(1, loss), `step ${i + 1}: ${loss} vs ${single.losses[i]}`));
    assert.ok(pool.losses[0] - pool.losses.at(-1) > 0.05, `the text is being learnt: ${pool.losses}`);
  });

  test("the page's badge says how many threads the CPU runs on", { timeout: 300_000 }, async () => {
    const page = await openPage(browser, `${isolatedServer.url}/?model=${MODEL}`);
    await page.waitForFunction(() => document.getElementById("badge").textContent.includes("parameters"), null, { timeout: 120_000 });
    const [badge, cores] = await page.evaluate(() => [document.getElementById("badge").textContent, navigator.hardwareConcurrency]);
    assert.match(badge, new RegExp(`on CPU \\(${Math.min(cores, 16)} threads\\)`));
    await page.close();
  });
});
