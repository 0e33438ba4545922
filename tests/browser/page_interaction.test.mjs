// Using the page as a person does, on a small fixture model: blank words by clicking, by typing
// the mask token, several blanks in both modes, writing a prediction in, the URL hash, the hub
// picker, a dropped folder, a bad file, and the keyboard alone.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { startServer, ROOT } from "./server.mjs";
import { launch, openPage, answered } from "./chromium.mjs";
import { pngSummary } from "./png.mjs";

const FIXTURE = "/tests/fixtures/bert-gelu/";

let server;
before(async () => (server = await startServer()));
after(() => server.close());

const loaded = (page) => page.waitForFunction(() => document.getElementById("badge").textContent.includes("parameters"));
const wordsOf = (page) => page.$$eval("#words button", (buttons) => buttons.map((b) => [b.className, b.textContent]));

// With WebGPU on, the pages are opened asking for it: "auto" takes the CPU on SwiftShader.
let askWebGpu = false;

async function openWith(browser, url = `${server.url}/?model=${FIXTURE}`) {
  const asked = new URL(url);
  if (askWebGpu) asked.searchParams.set("backend", "webgpu");
  const page = await openPage(browser, asked.href);
  await loaded(page);
  return page;
}

async function type(page, text) {
  await page.fill("#text", text);
  await page.waitForFunction((text) => document.getElementById("words").dataset.text === text, text);
}

for (const webgpu of [true, false]) {
  describe(`using the page with WebGPU ${webgpu ? "on" : "off"}`, () => {
    let browser;
    before(async () => {
      askWebGpu = webgpu;
      browser = await launch({ webgpu });
    });
    after(() => browser.close());

    test("clicking a word blanks every piece of it; clicking the blank brings the word back", async () => {
      const page = await openWith(browser);
      await type(page, "the pharaoh was buried in a tomb.");
      const multi = page.locator("#words .word[title*=pieces]").first();
      const word = await multi.textContent();
      const pieces = Number((await multi.getAttribute("title")).match(/\((\d+) pieces\)/)[1]);
      assert.ok(pieces > 1, `${word} should split in this small vocabulary`);
      await multi.click();
      await page.waitForFunction((n) => (document.getElementById("text").value.match(/\[MASK\]/g) ?? []).length === n, pieces);
      assert.ok(!(await page.inputValue("#text")).includes(word));
      await answered(page, ".answer h3 .title");
      assert.match(await page.textContent(".answer h3 .title"), new RegExp(`Blank 1 \\(${pieces} pieces`));
      assert.match(await page.textContent("#word-note"), new RegExp(`"${word}" is not a word this model knows: it would be ${pieces} pieces`));
      const candidates = await page.$$eval(".answer .prediction .word", (spans) => spans.map((s) => s.textContent));
      assert.equal(candidates.length, 5);
      assert.ok(candidates.every((c) => c.length > 0 && !c.includes("#")), candidates.join(","));
      await page.click("#words .blank");
      await page.waitForFunction((word) => document.getElementById("text").value.includes(word), word);
      assert.equal(await page.inputValue("#text"), "the pharaoh was buried in a tomb.");
    });

    test("a typed mask token is a blank; clicking a prediction writes it into the sentence", async () => {
      const page = await openWith(browser);
      await type(page, "the cat sat on the [MASK].");
      await answered(page);
      const first = await page.textContent(".answer .prediction .word");
      await page.click(".answer .prediction");
      await page.waitForFunction(() => !document.getElementById("text").value.includes("[MASK]"));
      assert.equal(await page.inputValue("#text"), `the cat sat on the ${first}.`);
      await page.waitForSelector("#predictions .hint");
      assert.deepEqual((await wordsOf(page)).filter(([kind]) => kind === "blank"), []);
    });

    test("two blanks: one list each in one pass, and step by step when filled in order", async () => {
      const page = await openWith(browser);
      await type(page, "the [MASK] sat on the [MASK].");
      await page.waitForFunction(() => document.querySelectorAll(".answer").length === 2);
      assert.deepEqual(await page.$$eval(".answer h3 .title", (h) => h.map((x) => x.textContent)), ["Blank 1", "Blank 2"]);
      await page.check("input[name=mode][value=order]");
      await page.waitForFunction(() => document.querySelectorAll("#steps li").length === 2);
      const steps = await page.$$eval("#steps li", (li) => li.map((x) => x.textContent));
      assert.match(steps[0], /^step 1: blank [12] ← "/);
      assert.match(steps[1], /^step 2: blank [12] ← "/);
      assert.notEqual(steps[0].match(/blank (\d)/)[1], steps[1].match(/blank (\d)/)[1]);
      const result = await page.textContent(".result");
      assert.ok(!result.includes("[MASK]") && result.startsWith("the "), result);
      // Each step's confidence is the most confident mask at that point, so the first is >= what
      // the other mask offered in the same pass (checked through the one-pass lists).
      await page.click("text=Use this sentence");
      await page.waitForFunction((r) => document.getElementById("text").value === r, result);
    });

    test("the URL hash keeps the sentence, blanks and mode, and reopening it restores them", async () => {
      const page = await openWith(browser);
      await type(page, "my [MASK] is on the table.");
      await page.check("input[name=mode][value=order]");
      await page.waitForFunction(() => location.hash.includes("mode=order"));
      const link = page.url();
      const again = await openWith(browser, link);
      assert.equal(await again.inputValue("#text"), "my [MASK] is on the table.");
      assert.equal(await again.isChecked("input[name=mode][value=order]"), true);
      await again.waitForSelector("#steps li");
    });

    test("a hub id from the picker loads through the hub's file layout", async () => {
      const page = await openWith(browser, `${server.url}/?hub=${server.url}/hub&model=${FIXTURE}`);
      await page.selectOption("#model-preset", "");
      await page.fill("#model-source", "someone/bert-relu");
      await page.click("#model-form button[type=submit]");
      await page.waitForFunction(() => location.hash.includes("someone%2Fbert-relu"));
      assert.ok(server.requests.includes("/hub/someone/bert-relu/resolve/main/config.json"));
      await loaded(page);
    });

    test("a RoBERTa model: its <mask> comes from clicking a word, and the guesses read as words", async () => {
      const page = await openWith(browser, `${server.url}/?model=/tests/fixtures/roberta/`);
      await loaded(page);
      assert.match(await page.textContent("#badge"), /^roberta/);
      await type(page, "the cat sat on the mat .");
      await page.click("#words .word >> text=sat");
      await page.waitForFunction(() => /^the cat <mask>+ on the mat \.$/.test(document.getElementById("text").value.replace(/(<mask>)+/, "<mask>")));
      await answered(page, ".answer .prediction .word");
      const guesses = await page.$$eval(".answer .prediction .word", (spans) => spans.map((s) => s.textContent));
      assert.ok(guesses.length >= 1 && guesses.every((g) => g.length > 0 && !g.includes("Ġ")), JSON.stringify(guesses));
    });

    test("a dropped folder loads; a dropped bad file is reported and the sentence and model stay", async () => {
      const page = await openWith(browser);
      await type(page, "my own [MASK] sentence.");
      const modelOf = (badge) => badge.split(", last answer")[0]; // the latency changes with each answer
      const badge = modelOf(await page.textContent("#badge"));
      const drop = (files) =>
        page.evaluate(async (files) => {
          const transfer = new DataTransfer();
          for (const [name, url] of files) transfer.items.add(new File([await (await fetch(url)).arrayBuffer()], name));
          document.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }, files);
      await drop([["config.json", "data:application/json,{not json"], ["notes.txt", "data:text/plain,hello"]]);
      await page.waitForSelector("#error:not([hidden])");
      assert.equal(modelOf(await page.textContent("#badge")), badge);
      assert.equal(await page.inputValue("#text"), "my own [MASK] sentence.");
      const folder = "/tests/fixtures/bert-untied/";
      await drop(["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"].map((f) => [f, folder + f]));
      await page.waitForSelector("#error", { state: "hidden" });
      await loaded(page);
      await answered(page);
    });

    test("phone width and 200% zoom need no sideways scrolling; the theme button switches to dark", async () => {
      for (const width of [390, 640]) {
        const context = await browser.newContext({ viewport: { width, height: 800 } });
        const page = await context.newPage();
        await page.goto(`${server.url}/?model=${FIXTURE}#text=the+%5BMASK%5D+sat+on+the+mat+with+strawberries.`);
        await answered(page);
        assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= width);
        const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        const light = await background();
        await page.click("#theme");
        assert.notEqual(await background(), light);
        assert.equal(await page.getAttribute("#theme", "aria-pressed"), "true");
        await context.close();
      }
    });

    test("everything works from the keyboard, with a visible focus", async () => {
      const page = await openWith(browser);
      await type(page, "the cat sat on the mat.");
      await page.focus("#text");
      // Tab from the sentence box to the first word of the clickable sentence, press Enter.
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.className), "word");
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, "none");
      await page.keyboard.press("Enter");
      await answered(page);
      await page.focus(".answer .prediction");
      const chosen = await page.evaluate(() => document.activeElement.querySelector(".word").textContent);
      await page.keyboard.press("Enter");
      await page.waitForFunction((w) => document.getElementById("text").value.startsWith(`${w} cat`), chosen);
      const shot = await page.screenshot({ fullPage: true });
      const summary = pngSummary(shot);
      assert.ok(summary.width > 300 && summary.height > 300 && summary.distinctBytes > 8, JSON.stringify(summary));
      mkdirSync(join(ROOT, "bench-results/screenshots"), { recursive: true });
      writeFileSync(join(ROOT, `bench-results/screenshots/interaction-${webgpu ? "webgpu" : "cpu"}.png`), shot);
    });
  });
}
