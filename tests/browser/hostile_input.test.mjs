// Ordinary but careless input on the pages (issue: hostile-but-ordinary input), each case as it
// was found: a megabyte of pasted text, a link that names a model on another host, a kept trained
// model after a reload, "Use the trained model" clicked the moment it can be, and a deck too long
// for a share link. Bundled model, CPU path.

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { startServer } from "./server.mjs";
import { launch, openPage, serveAndLaunch, answered } from "./chromium.mjs";

const shared = serveAndLaunch();

const loaded = (page) => page.waitForFunction(() => document.getElementById("badge").textContent.includes("parameters"), null, { timeout: 60_000 });
const pageErrors = (page) => page.log.filter((l) => l.startsWith("pageerror"));

describe("hostile-but-ordinary input", () => {
  test("emoji and other astral characters before, inside and after blanks: every click and fill keeps the sentence whole", { timeout: 180_000 }, async () => {
    const page = await openPage(shared.browser, `${shared.server.url}/`);
    await loaded(page);
    const type = async (text) => {
      await page.fill("#text", text);
      await page.waitForFunction((text) => document.getElementById("words").dataset.text === text, text);
    };
    // The clickable sentence reads exactly as typed: no half emoji, no doubled letters.
    const sentence = "I love 🐶 and the cow says moo every day.";
    await type(sentence);
    assert.equal(await page.$eval("#words", (w) => w.textContent), sentence);
    // Clicking a word after an emoji blanks that word.
    await page.click("#words .word >> text=cow");
    await page.waitForFunction(() => document.getElementById("text").value.includes("[MASK]"));
    assert.equal(await page.inputValue("#text"), "I love 🐶 and the [MASK] says moo every day.");
    // Clicking the blank restores it.
    await answered(page);
    await page.click("#words .blank");
    await page.waitForFunction((s) => document.getElementById("text").value === s, sentence);
    // Clicking a guess writes it in where the blank was.
    await type("I love 🐶 and the cow says [MASK] every day.");
    await answered(page);
    const guess = await page.textContent(".answer .prediction .word");
    await page.click(".answer .prediction");
    await page.waitForFunction((s) => document.getElementById("text").value === s, `I love 🐶 and the cow says ${guess} every day.`);
    // Inside a word and around both blanks, filled in order.
    await page.check("input[name=mode][value=order]");
    await type("the 🐱 [MASK] on the 𝔘 table 𠀋 [MASK].");
    await answered(page, ".result");
    const filled = await page.textContent("#predictions .result");
    assert.match(filled, /^the 🐱 \S+ on the 𝔘 table 𠀋 \S+\.$/u, filled);
    assert.doesNotMatch(filled, /\[MASK\]|MASK|\uFFFD/);
    await page.click("#predictions button >> text=Use this sentence");
    await page.waitForFunction((s) => document.getElementById("text").value === s, filled);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  test("a megabyte of pasted text gets the token-limit message, no stack overflow, and stays out of the link", { timeout: 120_000 }, async () => {
    const page = await openPage(shared.browser, `${shared.server.url}/`);
    await loaded(page);
    const huge = `${"the cow says moo and the dog barks. ".repeat(28_000)}[MASK].`;
    assert.ok(huge.length > 1e6);
    await page.$eval("#text", (area, text) => {
      area.value = text; // pasted in one go
      area.dispatchEvent(new Event("input"));
    }, huge);
    await page.waitForSelector("#predict-error:not([hidden])", { timeout: 60_000 });
    assert.match(await page.textContent("#predict-error"), /more than this model's limit/);
    assert.deepEqual(pageErrors(page), []);
    assert.match(await page.textContent("#words"), /more words and gaps, not drawn/);
    assert.ok(await page.evaluate(() => location.href.length < 10_000), "the text is not written into the URL");
    assert.match(await page.textContent("#link-note"), /too long for the page's link/);
    await page.fill("#text", "The capital of France is [MASK].");
    await page.waitForSelector("#link-note", { state: "hidden" });
    await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get("text") === "The capital of France is [MASK].");
    await page.close();
  });

  test("a link that loads a model from another host asks first, and No loads nothing from there", { timeout: 120_000 }, async () => {
    const other = await startServer();
    try {
      const link = `${shared.server.url}/#model=${encodeURIComponent(`${other.url}/tests/fixtures/bert-gelu/`)}`;
      const page = await openPage(shared.browser, link);
      await page.waitForSelector("dialog.ask[open]");
      assert.match(await page.textContent("dialog.ask"), new RegExp(`loads a model from ${other.url.replace("http://", "").replace(/\./g, "\\.")}`));
      await page.click("dialog.ask >> text=No, use the bundled model");
      await loaded(page);
      assert.match(await page.inputValue("#model-source"), /clozelab-tiny-bert/);
      assert.deepEqual(other.requests, [], "nothing was asked of the other host");
      await page.close();
      const agreed = await openPage(shared.browser, link);
      await agreed.click("dialog.ask >> text=Load it from");
      for (let i = 0; i < 100 && !other.requests.length; i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(other.requests.includes("/tests/fixtures/bert-gelu/config.json"), other.requests.join(" "));
      await agreed.close();
      // The page's own folders and hub ids load without a question.
      const own = await openPage(shared.browser, `${shared.server.url}/#model=${encodeURIComponent("/tests/fixtures/bert-gelu/")}`);
      await loaded(own);
      assert.equal(await own.$("dialog.ask[open]"), null);
      await own.close();
    } finally {
      await other.close();
    }
  });

  test("a trained model is kept only when used, reloads from its link, is listed with its size and date, and can be deleted", { timeout: 300_000 }, async () => {
    const context = await shared.browser.newContext();
    const page = await context.newPage();
    page.log = [];
    page.on("pageerror", (error) => page.log.push(`pageerror: ${error.message}`));
    await page.goto(`${shared.server.url}/`);
    await loaded(page);
    const keptTrained = () => page.evaluate(async () => (await (await import("/www/hub.js")).listCachedModels()).filter((f) => f.baseUrl.includes("/trained/")));
    assert.equal(await page.isDisabled("#train-use"), true, "nothing to use before a run");
    await page.click("#train summary");
    await page.fill("#train-text", "the cow says moo.\n\nthe dog says woof.\n\nthe cat says meow.");
    await page.fill("#train-steps", "40");
    await page.fill("#train-seq", "16");
    await page.click("#train-start");
    await page.waitForFunction(() => /step [1-9]/.test(document.getElementById("train-status").textContent), null, { timeout: 120_000 });
    await page.click("#train-stop");
    // Clicked the moment it is enabled: a real model loads, never one named "undefined".
    await page.waitForSelector("#train-use:enabled", { timeout: 120_000 });
    assert.deepEqual(await keptTrained(), [], "a run stores nothing until the user keeps it");
    await page.click("#train-use");
    await page.waitForFunction(() => document.getElementById("model-source").value.includes("/trained/"));
    await loaded(page);
    assert.doesNotMatch(await page.inputValue("#model-source"), /undefined/);
    await page.click("#train-use"); // pressing again loads the same copy, it stores no second one
    await page.waitForTimeout(500);
    assert.equal((await keptTrained()).length, 1);
    const source = await page.inputValue("#model-source");

    await page.reload();
    await loaded(page);
    assert.equal(await page.inputValue("#model-source"), source, "the kept model reloads from the link");
    assert.equal(await page.$eval("#error", (e) => e.hidden), true, await page.textContent("#error"));
    await page.click("#kept-summary");
    const row = await page.textContent("#kept-list li");
    assert.match(row, /trained here on .+ — \d+\.\d MB/);
    await page.click("#kept-list li >> text=Delete");
    await page.click("dialog.ask >> text=Delete it");
    await page.waitForFunction(() => !/trained here/.test(document.getElementById("kept-list").textContent));
    assert.deepEqual(await keptTrained(), []);
    assert.deepEqual(page.log, []);
    await context.close();
  });

  test("a training batch too large for the tab is refused before it starts, with the largest that fits, in the panel's words", { timeout: 120_000 }, async () => {
    const page = await openPage(shared.browser, `${shared.server.url}/`);
    await loaded(page);
    await page.click("#train summary");
    await page.fill("#train-text", "the cow says moo.\n\nthe dog says woof.");
    await page.fill("#train-batch", "20000");
    await page.click("#train-start");
    await page.waitForSelector("#train-error:not([hidden])");
    assert.match(await page.textContent("#train-error"), /a batch of 20000 sequences of \d+ tokens needs about [\d.]+ GB for one training step, more than the 2\.1 GB this tab can give: use a batch size of at most \d+/);
    // The panel still trains with a batch that fits.
    await page.fill("#train-batch", "4");
    await page.fill("#train-steps", "2");
    await page.click("#train-start");
    await page.waitForFunction(() => /step 2 of 2/.test(document.getElementById("train-status").textContent), null, { timeout: 120_000 });
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  for (const webgpu of [false, true]) {
    test(`failed training runs leave wasm${webgpu ? " and GPU" : ""} memory where a good run left it (${webgpu ? "WebGPU" : "CPU"})`, { timeout: 300_000 }, async (t) => {
      const browser = webgpu ? await launch({ webgpu: true }) : shared.browser;
      try {
        const page = await openPage(browser, `${shared.server.url}/`);
        await loaded(page);
        const usage = await page.evaluate(async (backend) => {
          const { ClozeClient } = await import("/www/cloze_client.js");
          const model = await ClozeClient.fromUrl("/www/models/clozelab-tiny-bert/", { backend });
          const text = "the cow says moo.\n\nthe dog says woof.\n\nthe cat says meow.";
          const run = async (options) => {
            let trainer = null;
            try {
              trainer = await model.startTraining(text, { steps: 6, batchSize: 4, seqLen: 16, ...options });
              await trainer.advance(6);
              return "finished";
            } catch (error) {
              return error.message;
            } finally {
              await trainer?.close();
            }
          };
          // A good run and a diverged one: every pool at its working size (a run that diverges keeps
          // the weights from before the bad steps, one more copy of them, which a pool then keeps).
          await run({});
          await run({ learningRate: 1e4, warmupSteps: 0 });
          const warm = await model.memoryUsage();
          const failures = [await run({ batchSize: 20_000 }), await run({ learningRate: 1e4, warmupSteps: 0 }), await run({ batchSize: 100_000 })];
          return { backend: model.backend, warm, end: await model.memoryUsage(), failures };
        }, webgpu ? "webgpu" : "cpu");
        assert.equal(usage.backend, webgpu ? "webgpu" : "cpu");
        assert.match(usage.failures[0], /needs about .* GB/);
        assert.match(usage.failures[1], /diverged/);
        assert.match(usage.failures[2], /needs about .* GB/);
        t.diagnostic(`wasm ${(usage.warm.wasmBytes / 1e6).toFixed(1)} → ${(usage.end.wasmBytes / 1e6).toFixed(1)} MB, GPU pool ${(usage.warm.gpuBytesReserved / 1e6).toFixed(1)} → ${(usage.end.gpuBytesReserved / 1e6).toFixed(1)} MB`);
        assert.ok(usage.end.wasmBytes - usage.warm.wasmBytes <= 8 * 1024 * 1024, `wasm memory grew by ${usage.end.wasmBytes - usage.warm.wasmBytes} bytes`);
        assert.ok(usage.end.gpuBytesReserved - usage.warm.gpuBytesReserved <= 8 * 1024 * 1024, `the GPU pool grew by ${usage.end.gpuBytesReserved - usage.warm.gpuBytesReserved} bytes`);
        assert.deepEqual(pageErrors(page), []);
        await page.close();
      } finally {
        if (webgpu) await browser.close();
      }
    });
  }

  test("soak: 20 models loaded in a row, 1,000 predictions and 3 training runs leave the memory where it was once warm", { timeout: 300_000 }, async (t) => {
    const page = await openPage(shared.browser, `${shared.server.url}/`);
    await loaded(page);
    const usage = await page.evaluate(async () => {
      const { ClozeClient } = await import("/www/cloze_client.js");
      const url = "/www/models/clozelab-tiny-bert/";
      const texts = ["The capital of France is [MASK].", "What sound does a cow make? It [MASK].", "The [MASK] sat on the [MASK]."];
      const text = "the cow says moo.\n\nthe dog says woof.\n\nthe cat says meow.";
      const train = async (model) => {
        const trainer = await model.startTraining(text, { steps: 4, batchSize: 4, seqLen: 16 });
        await trainer.advance(4);
        await trainer.exportFiles();
        await trainer.close();
      };
      // Warm: every pool and cache at its working size.
      let model = await ClozeClient.fromUrl(url, { backend: "cpu" });
      for (let i = 0; i < 50; i++) await model.fillMask(texts[i % 3], { attentions: i % 10 === 0 });
      await train(model);
      const warm = await model.memoryUsage();
      for (let i = 0; i < 20; i++) {
        await model.close();
        model = await ClozeClient.fromUrl(url, { backend: "cpu" });
      }
      for (let i = 0; i < 1000; i++) await model.fillMask(texts[i % 3], { attentions: i % 10 === 0 });
      for (let i = 0; i < 3; i++) await train(model);
      return { warm, end: await model.memoryUsage() };
    });
    const grew = usage.end.wasmBytes - usage.warm.wasmBytes;
    t.diagnostic(`wasm memory: ${(usage.warm.wasmBytes / 1e6).toFixed(1)} MB warm, ${(usage.end.wasmBytes / 1e6).toFixed(1)} MB after the soak`);
    assert.ok(grew <= 16 * 1024 * 1024, `wasm memory grew by ${(grew / 1e6).toFixed(1)} MB (from ${(usage.warm.wasmBytes / 1e6).toFixed(1)} MB)`);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  test("a deck too long for a share link says so and leaves no older deck's link on screen", { timeout: 120_000 }, async () => {
    const page = await openPage(shared.browser, `${shared.server.url}/classroom.html`);
    await page.waitForFunction(() => /parameters/.test(document.getElementById("badge").textContent), null, { timeout: 60_000 });
    await page.click("#tab-decks");
    await page.click("#deck-share");
    await page.waitForSelector("#deck-link:not([hidden])");
    await page.click("#deck-new");
    await page.fill("#deck-title", "Twenty thousand");
    await page.$eval("#deck-lines", (area, text) => {
      area.value = text; // pasted in one go, as a teacher would
      area.dispatchEvent(new Event("input"));
    }, Array.from({ length: 20_000 }, (_, i) => `line ${i} has a [blank].`).join("\n"));
    await page.click("#deck-share");
    await page.waitForFunction(() => /too long for a link/.test(document.getElementById("deck-status").textContent), null, { timeout: 30_000 });
    assert.equal(await page.$eval("#deck-link", (a) => a.hidden), true);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });
});
