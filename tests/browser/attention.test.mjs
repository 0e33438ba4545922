// The attention panel on the page: its numbers are the model's (transformers' reference for the
// fixture, and the native CLI's --attentions), every row sums to 1, and the controls work — heads
// toggled and isolated, the hover filter, words merged, PNG and JSON exported.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { startServer, ROOT } from "./server.mjs";
import { launch, openPage, answered } from "./chromium.mjs";
import { pngSummary } from "./png.mjs";

const reference = JSON.parse(readFileSync(join(ROOT, "tests/fixtures/reference.json"), "utf8"));
const CASE = reference.cases.find((c) => c.model === "bert-gelu" && c.mask_positions.length === 1);
const CLI = join(process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, ".cache/clozelab/target"), "release/clozelab");

let server;
before(async () => (server = await startServer()));
after(() => server.close());

async function openPanel(browser, webgpu) {
  const backend = webgpu ? "&backend=webgpu" : "";
  const page = await openPage(browser, `${server.url}/?model=/tests/fixtures/bert-gelu/${backend}#text=${encodeURIComponent(CASE.text)}`);
  await answered(page);
  await page.click(".look");
  await page.waitForFunction(() => document.getElementById("attention-canvas").width > 100);
  return page;
}

async function exported(page, button) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const maxDiff = (a, b) => a.flat(3).reduce((m, v, i) => Math.max(m, Math.abs(v - b.flat(3)[i])), 0);

for (const webgpu of [true, false]) {
  describe(`attention on the page with WebGPU ${webgpu ? "on" : "off"}`, () => {
    let browser;
    before(async () => (browser = await launch({ webgpu })));
    after(() => browser.close());

    test("the exported numbers are the reference's and the CLI's, and every row sums to 1", async () => {
      const page = await openPanel(browser, webgpu);
      const json = JSON.parse(await exported(page, "#attention-json"));
      assert.deepEqual(json.tokens, CASE.tokens);
      const tolerance = webgpu ? 1e-4 : 1e-5;
      assert.ok(maxDiff(json.attentions, CASE.attentions) <= tolerance, `vs transformers: ${maxDiff(json.attentions, CASE.attentions)}`);
      const cli = JSON.parse(execFileSync(CLI, ["fill-mask", "--model", join(ROOT, "tests/fixtures/bert-gelu"), "--attentions", "--json", CASE.text]));
      assert.ok(maxDiff(json.attentions, cli.attentions) <= tolerance, `vs the CLI: ${maxDiff(json.attentions, cli.attentions)}`);
      for (const row of json.attentions.flat(2)) assert.ok(Math.abs(row.reduce((a, b) => a + b) - 1) < 1e-4);
      // The panel opens on the last layer (the one the answer is read from), every head drawn.
      const last = json.attentions.length - 1;
      assert.equal(json.view.layer, last);
      assert.deepEqual(json.view.matrices.map((m) => m.head), [0, 1, 2, 3]);
      assert.ok(maxDiff(json.view.matrices.map((m) => m.matrix), json.attentions[last]) === 0);
    });

    test("heads toggle and isolate, hovering a token filters its lines, merging makes words", async () => {
      const page = await openPanel(browser, webgpu);
      const pressed = () => page.$$eval("#attention-heads .head", (b) => b.map((x) => x.getAttribute("aria-pressed")));
      const pixels = async () => pngSummary(await (await page.$("#attention-canvas")).screenshot()).distinctBytes;
      // "where it looks" pinned the blank; it stays pinned when special tokens are hidden.
      assert.equal(await page.getAttribute("#attention-canvas", "data-focus"), "from [MASK]");
      await page.check("#attention-hide-special");
      assert.equal(await page.getAttribute("#attention-canvas", "data-focus"), "from [MASK]");
      await page.uncheck("#attention-hide-special");
      assert.deepEqual(await pressed(), ["true", "true", "true", "true"]);
      await page.click("#attention-heads .head >> nth=1");
      assert.deepEqual(await pressed(), ["true", "false", "true", "true"]);
      await page.dblclick("#attention-heads .head >> nth=2");
      assert.deepEqual(await pressed(), ["false", "false", "true", "false"]);
      let json = JSON.parse(await exported(page, "#attention-json"));
      assert.deepEqual(json.view.matrices.map((m) => m.head), [2]);
      // Hover the second token on the left, then the third on the right: only their lines are drawn.
      await page.click("#attention-heads .head >> nth=0");
      const canvas = await page.$eval("#attention-canvas", (c) => [c.width, c.getBoundingClientRect().width]);
      await page.hover("#attention-canvas", { position: { x: 20, y: 8 + 22 * 1.5 } });
      assert.equal(await page.getAttribute("#attention-canvas", "data-focus"), `from ${CASE.tokens[1]}`);
      await page.hover("#attention-canvas", { position: { x: canvas[1] - 10, y: 8 + 22 * 2.5 } });
      assert.equal(await page.getAttribute("#attention-canvas", "data-focus"), `to ${CASE.tokens[2]}`);
      assert.ok((await pixels()) > 2);
      // Merge pieces and hide specials: the labels become the words.
      await page.check("#attention-merge");
      await page.check("#attention-hide-special");
      json = JSON.parse(await exported(page, "#attention-json"));
      const words = CASE.tokens.filter((t) => !["[CLS]", "[SEP]"].includes(t)).length;
      assert.ok(json.view.labels.length <= words && !json.view.labels.includes("[CLS]"), json.view.labels.join(" "));
      for (const row of json.view.matrices[0].matrix) assert.ok(row.reduce((a, b) => a + b) <= 1 + 1e-6);
    });

    test("model view opens a head large; mean and rollout draw; the PNG is the canvas", async () => {
      const page = await openPanel(browser, webgpu);
      await page.selectOption("#attention-kind", "model");
      const grid = await page.$eval("#attention-canvas", (c) => [c.width, c.height]);
      await page.click("#attention-canvas", { position: { x: 34 + 6 + 10, y: 18 + 6 + 10 } });
      await page.waitForFunction(() => document.getElementById("attention-caption").textContent.startsWith("Layer 1, head 1"));
      await page.hover("#attention-canvas", { position: { x: 120, y: 120 } });
      for (const kind of ["mean", "rollout"]) {
        await page.selectOption("#attention-kind", kind);
        await page.waitForFunction((k) => document.getElementById("attention-caption").textContent.toLowerCase().includes(k === "mean" ? "mean" : "rollout"), kind);
      }
      await page.selectOption("#attention-kind", "model");
      await page.click("#attention-canvas", { position: { x: 5, y: 5 } }); // back to the grid
      const png = await exported(page, "#attention-png");
      const summary = pngSummary(png);
      const size = await page.$eval("#attention-canvas", (c) => [c.width, c.height]);
      assert.deepEqual([summary.width, summary.height], size);
      assert.deepEqual(size, grid);
      assert.ok(summary.distinctBytes > 4, JSON.stringify(summary));
    });
  });
}
