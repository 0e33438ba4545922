// The kernels a hardware GPU gets, counted where they reach WebGPU (forced onto SwiftShader, the
// only adapter here): an encoder layer is at most 15 dispatches, and an answer reads back once —
// twice when the attention maps are asked for. Counts, not times: they hold on any adapter.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { startServer } from "./server.mjs";
import { launch, openPage } from "./chromium.mjs";
import { installCounters } from "./gpu_counter.mjs";

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch({ webgpu: true });
});
after(async () => {
  await browser.close();
  await server.close();
});

/** One answer of each fixture on the hardware kernels: what it asked of WebGPU. */
async function countedPasses(fixtures, options) {
  const page = await openPage(browser, `${server.url}/tests/browser/harness.html`);
  await page.evaluate(installCounters);
  const figures = await page.evaluate(async ({ fixtures, options }) => {
    const { default: init, ClozeModel } = await import("/pkg/clozelab.js");
    await init();
    const out = {};
    for (const name of fixtures) {
      const model = await ClozeModel.fromUrl(`/tests/fixtures/${name}/`, { backend: "webgpu", gpuKernels: "hardware" });
      const before = { ...globalThis.gpuCounts };
      const result = await model.fillMask(`the ${model.info.maskToken} sat on the mat.`, options);
      out[name] = {
        layers: model.info.layers,
        kernels: model.gpuKernels,
        attentions: result.attentions?.length ?? 0,
        ...Object.fromEntries(Object.keys(before).map((k) => [k, globalThis.gpuCounts[k] - before[k]])),
      };
      model.free();
    }
    return out;
  }, { fixtures, options });
  await page.close();
  return figures;
}

test("on the hardware kernels an encoder layer is at most 15 GPU dispatches, and an answer one readback", async () => {
  // The same family at two depths: the difference is what one layer costs.
  const figures = await countedPasses(["bert-gelu", "bert-gelu-new"], { topK: 5 });
  const [shallow, deep] = [figures["bert-gelu"], figures["bert-gelu-new"]];
  assert.equal(shallow.kernels, "hardware");
  assert.equal(deep.layers - shallow.layers, 1);
  const perLayer = deep.dispatches - shallow.dispatches;
  assert.ok(perLayer > 0 && perLayer <= 15, `${perLayer} dispatches per encoder layer`);
  // Embeddings and the head around the layers: a handful, not dozens.
  const outside = shallow.dispatches - perLayer * shallow.layers;
  assert.ok(outside <= 20, `${outside} dispatches outside the layers`);
  for (const f of Object.values(figures)) {
    assert.equal(f.readbacks, 1, "one readback per answer");
    assert.equal(f.dispatches, f.bindGroups, "one bind group per dispatch");
  }
});

test("on the hardware kernels the attention maps are a second readback, only when asked", async () => {
  const figures = await countedPasses(["bert-gelu"], { topK: 5, attentions: true });
  const f = figures["bert-gelu"];
  assert.equal(f.attentions, f.layers);
  assert.equal(f.readbacks, 2);
});
