// The page a person meets at `make serve`: load a model, type, read ranked predictions; errors
// in plain words with the sentence kept.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

import { startServer, ROOT } from "./server.mjs";
import { launch, openPage, answered } from "./chromium.mjs";
import { pngSummary } from "./png.mjs";

const reference = JSON.parse(readFileSync(join(ROOT, "tests/fixtures/reference.json"), "utf8"));
const oneMask = reference.cases.find((c) => c.model === "bert-gelu" && c.mask_positions.length === 1);

let server;
before(async () => (server = await startServer()));
after(() => server.close());

for (const webgpu of [true, false]) {
  describe(`the page with WebGPU ${webgpu ? "on" : "off"}`, () => {
    let browser;
    before(async () => (browser = await launch({ webgpu })));
    after(() => browser.close());

    test("a model named in the URL loads and typing a sentence shows its ranked predictions", async () => {
      // With WebGPU on, asked for by the link: "auto" would take the CPU on SwiftShader (below).
      const page = await openPage(browser, `${server.url}/?model=/tests/fixtures/bert-gelu/${webgpu ? "&backend=webgpu" : ""}`);
      await page.waitForFunction(() => document.getElementById("badge").textContent.includes("parameters"));
      const badge = await page.textContent("#badge");
      assert.match(badge, webgpu ? /WebGPU/ : /CPU (\(\d+ threads\) )?— .*(adapter|WebGPU)/);
      assert.equal(await page.inputValue("#model-backend"), webgpu ? "webgpu" : "auto");
      await page.fill("#text", oneMask.text);
      const first = page.locator(".prediction").first();
      await first.waitFor();
      const shown = (token) => token.replace(/^##/, ""); // pieces are shown as they read in a word
      await page.waitForFunction((token) => document.querySelector(".prediction span")?.textContent === token, shown(oneMask.top_k[0][0].token));
      const rows = await page.$$eval(".prediction", (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
      assert.equal(rows.length, 5);
      rows.forEach(([token, , score], i) => {
        assert.equal(token, shown(oneMask.top_k[0][i].token));
        assert.equal(score, `${(oneMask.top_k[0][i].score * 100).toFixed(1)}%`);
      });
      const shot = await page.screenshot({ fullPage: true });
      const summary = pngSummary(shot);
      assert.ok(summary.width > 300 && summary.height > 300 && summary.distinctBytes > 8, JSON.stringify(summary));
      mkdirSync(join(ROOT, "bench-results/screenshots"), { recursive: true });
      writeFileSync(join(ROOT, `bench-results/screenshots/page-${webgpu ? "webgpu" : "cpu"}.png`), shot);
    });

    test("with no model named, the bundled model loads and fills the default sentence", async () => {
      const page = await openPage(browser, `${server.url}/`);
      await page.waitForFunction(() => document.getElementById("badge").textContent.includes("parameters"));
      // A plain visit asks for "auto": SwiftShader, a software adapter, counts as no GPU.
      assert.match(await page.textContent("#badge"), webgpu ? /CPU \(\d+ threads\) — .*only WebGPU adapter is a software one/ : /CPU/);
      assert.equal(await page.inputValue("#model-source"), "./www/models/clozelab-tiny-bert/");
      assert.match(await page.inputValue("#text"), /the capital of france is \[MASK\]\./i);
      await page.waitForSelector(".prediction");
      const words = await page.$$eval(".prediction span:first-child", (spans) => spans.map((s) => s.textContent));
      assert.ok(words.includes("paris"), words.join(", "));
      for (const text of ["what sound does a cow make? it [MASK].", "the day after sunday is [MASK]."]) {
        await page.fill("#text", text);
        await page.waitForFunction((text) => document.querySelector(".prediction") && document.getElementById("text").value === text, text);
      }
      await page.waitForFunction(() => [...document.querySelectorAll(".prediction span:first-child")].some((s) => s.textContent === "monday"));
    });

    test("the Weights select loads 8-bit weights on the CPU, the badge says so, and the bundled model still answers", async () => {
      const page = await openPage(browser, `${server.url}/?dtype=q8${webgpu ? "&backend=webgpu" : ""}`);
      // 8-bit weights run on the CPU only: with WebGPU asked for, the load is refused in words.
      if (webgpu) {
        await page.waitForSelector("#error:not([hidden])");
        assert.match(await page.textContent("#error"), /8-bit weights \(dtype q8\) run on the CPU only/);
        await page.selectOption("#model-backend", "auto");
        await page.click("#model-form button[type=submit]");
      }
      await page.waitForFunction(() => document.getElementById("badge").textContent.includes("8-bit weights"));
      assert.match(await page.textContent("#badge"), /parameters, 8-bit weights, on CPU/);
      assert.equal(await page.inputValue("#model-dtype"), "q8");
      await page.waitForFunction(() => [...document.querySelectorAll(".prediction span:first-child")].some((s) => s.textContent === "paris"));
      await page.selectOption("#model-dtype", "fp32");
      await page.click("#model-form button[type=submit]");
      await page.waitForFunction(() => /parameters, on/.test(document.getElementById("badge").textContent));
    });

    test("a missing model is reported in words, the sentence and the loaded model are kept", async () => {
      const page = await openPage(browser, `${server.url}/`);
      await page.waitForFunction(() => document.getElementById("badge").textContent.includes("parameters"));
      const modelOf = (badge) => badge.split(", last answer")[0]; // the latency changes with each answer
      const badge = modelOf(await page.textContent("#badge"));
      await page.fill("#text", "my own [MASK] sentence");
      await page.fill("#model-source", "./no/such/model/");
      await page.click("button[type=submit]");
      await page.waitForSelector("#error:not([hidden])");
      assert.match(await page.textContent("#error"), /config\.json was not found/);
      // Said under the model form, in view where the Load button is.
      assert.ok(await page.$("#model-section #error:not([hidden])"));
      const box = await page.locator("#error").boundingBox();
      assert.ok(box.y + box.height <= page.viewportSize().height, `the error is out of view at y = ${box.y}`);
      assert.equal(await page.inputValue("#text"), "my own [MASK] sentence");
      await page.fill("#model-source", "not a valid id!");
      await page.click("button[type=submit]");
      await page.waitForFunction(() => document.getElementById("error").textContent.includes("is not a model id"));
      assert.equal(modelOf(await page.textContent("#badge")), badge);
    });

    test("a prediction error shows where the answer would be, a training error in the Train panel, each cleared by the next good try", async () => {
      const page = await openPage(browser, `${server.url}/`);
      await page.waitForFunction(() => document.getElementById("badge").textContent.includes("parameters"));
      const hidden = (id) => page.$eval(`#${id}`, (e) => e.hidden);
      await page.fill("#text", `${"word ".repeat(300)}[MASK].`);
      await page.waitForSelector("#predict-error:not([hidden])");
      assert.match(await page.textContent("#predict-error"), /more than this model's limit/);
      assert.ok(await page.$("section[aria-labelledby=predictions-heading] #predict-error"));
      assert.ok(await hidden("error"), "a prediction error is not a load error");
      await page.fill("#text", "The day after Sunday is [MASK].");
      await page.waitForSelector("#predict-error", { state: "hidden" });
      await answered(page);

      await page.click("#train summary");
      await page.fill("#train-text", "");
      await page.click("#train-start");
      await page.waitForSelector("#train-error:not([hidden])");
      assert.match(await page.textContent("#train-error"), /training text is empty/);
      assert.ok(await page.$("#train #train-error"));
      assert.ok((await hidden("error")) && (await hidden("predict-error")));
      await page.fill("#train-text", "the cat sat on the mat .\n\nthe dog sat on the rug .");
      await page.fill("#train-steps", "1");
      await page.click("#train-start");
      await page.waitForSelector("#train-error", { state: "hidden" });
    });
  });
}
