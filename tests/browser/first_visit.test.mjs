// The main page as a first-time visitor meets it, with the bundled model it opens with: every
// example sentence the page, the README and the docs show gets a sensible answer; a word the
// model does not know says so when it is blanked; the attention panel opens on a readable view
// with a colour scale; and axe-core finds nothing in any state of the page.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

import { ROOT } from "./server.mjs";
import { openPage, serveAndLaunch, answered } from "./chromium.mjs";
import { axeViolations } from "./axe.mjs";
import { EXAMPLES } from "../../www/presets.js";

/** Every quoted sentence with a [MASK] in the README and the docs ("…[MASK]…"). */
function quotedExamples() {
  const files = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  return files.flatMap((file) => [...readFileSync(join(ROOT, file), "utf8").matchAll(/"([^"\n]*\[MASK\][^"\n]*)"/g)].map((m) => ({ file, text: m[1] })));
}

/** The corpus examples docs/CORPUS.md shows, "sentence with [MASK] → answer". */
function corpusExamples() {
  return [...readFileSync(join(ROOT, "docs/CORPUS.md"), "utf8").matchAll(/^(.*\[MASK\].*?)\s+→\s+(\S+)\s*$/gm)].map((m) => ({ text: m[1].trim(), answers: [m[2]] }));
}

const same = (a, b) => a.toLowerCase().trim() === b.toLowerCase().trim();

const shared = serveAndLaunch();

async function openBundled(hash = "") {
  const page = await openPage(shared.browser, `${shared.server.url}/${hash}`);
  await page.waitForFunction(() => document.getElementById("badge").textContent.includes("parameters"), null, { timeout: 60_000 });
  return page;
}

/** The bundled model's top-5 for each sentence, straight through the page's model API. */
function topFive(page, sentences) {
  return page.evaluate(async (sentences) => {
    const { ClozeClient } = await import("/www/cloze_client.js");
    const model = await ClozeClient.fromUrl("/www/models/clozelab-tiny-bert/", { backend: "cpu" });
    const answers = [];
    for (const text of sentences) answers.push((await model.fillMask(text, { topK: 5 })).masks[0].predictions.map((p) => p.token));
    return answers;
  }, sentences);
}

describe("the main page for a first-time visitor", () => {
  test("every example on the page, in the README and in the docs gets a sensible answer from the bundled model", { timeout: 120_000 }, async () => {
    for (const { file, text } of quotedExamples()) {
      assert.ok(EXAMPLES.some((e) => same(e.text, text)), `${file} shows "${text}", which is not among the checked examples in www/presets.js`);
    }
    const page = await openBundled();
    const shown = await page.$$eval("#examples button", (b) => b.map((x) => x.textContent));
    assert.deepEqual(shown, EXAMPLES.map((e) => e.text));
    const top = await topFive(page, EXAMPLES.map((e) => e.text));
    const wrong = EXAMPLES.filter((e, i) => !e.answers.includes(top[i][0])).map((e, i) => `"${e.text}" → ${top[EXAMPLES.indexOf(e)].join(", ")} (expected ${e.answers.join(" or ")})`);
    assert.deepEqual(wrong, [], "the page's examples are answered right first");
    const corpus = corpusExamples();
    assert.ok(corpus.length >= 5);
    const corpusTop = await topFive(page, corpus.map((e) => e.text));
    const missed = corpus.filter((e, i) => !e.answers.some((a) => corpusTop[i].includes(a))).map((e) => e.text);
    assert.deepEqual(missed, [], "docs/CORPUS.md's examples have their answer in the top 5");
    await page.close();
  });

  test("blanking a word the model does not know says so, with its pieces", { timeout: 60_000 }, async () => {
    const page = await openBundled(`#text=${encodeURIComponent("the cat sat on the mat.")}`);
    await page.waitForFunction(() => document.getElementById("words").dataset.text === "the cat sat on the mat.");
    await page.click("#words .word >> text=cat");
    await page.waitForFunction(() => document.getElementById("text").value.includes("[MASK]"));
    assert.ok(await page.$eval("#word-note", (n) => n.hidden), "a known word gets no note");
    await page.fill("#text", "we saw a tomb in egypt.");
    await page.waitForFunction(() => document.getElementById("words").dataset.text === "we saw a tomb in egypt.");
    await page.click("#words .word >> text=tomb");
    await page.waitForSelector("#word-note:not([hidden])");
    assert.match(await page.textContent("#word-note"), /"tomb" is not a word this model knows: it would be 2 pieces \(\w+ · \w+\)/);
    await page.fill("#text", "a new sentence [MASK].");
    await page.waitForSelector("#word-note", { state: "hidden" });
    await page.close();
  });

  test("the attention panel opens on the last layer with the blank's lines, and the model view has a colour scale", { timeout: 60_000 }, async () => {
    const page = await openBundled();
    await answered(page);
    await page.click("#attention summary");
    await page.waitForFunction(() => document.getElementById("attention-canvas").width > 100);
    const layers = await page.$$eval("#attention-layer option", (o) => o.length);
    assert.equal(await page.inputValue("#attention-layer"), String(layers - 1));
    assert.equal(await page.getAttribute("#attention-canvas", "data-focus"), "from [MASK]", "the blank's lines only");
    assert.match(await page.textContent("#attention-caption"), /^Layer \d+, the last one/);
    assert.match(await page.getAttribute("#attention-caption", "title"), /Head view: attention probabilities/);
    await page.selectOption("#attention-kind", "model");
    // The scale's gradient runs from transparent to the heatmap's blue along the bottom of the canvas.
    const scale = await page.evaluate(() => {
      const canvas = document.getElementById("attention-canvas");
      const context = canvas.getContext("2d");
      const row = canvas.height - 34 + 9;
      const alpha = (x) => context.getImageData(x, row, 1, 1).data[3];
      return [alpha(40), alpha(150), alpha(270)];
    });
    assert.ok(scale[0] < scale[1] && scale[1] < scale[2], `the colour scale should darken left to right: ${scale}`);
    assert.match(await page.textContent("#attention-caption"), /darker a square/);
    await page.close();
  });

  test("axe-core finds nothing moderate, serious or critical in any state of the page, light or dark", { timeout: 300_000 }, async () => {
    const page = await openBundled();
    await answered(page);
    const report = {};
    for (const theme of ["light", "dark"]) {
      if (theme === "dark") await page.click("#theme");
      report[`${theme}, predictions`] = await axeViolations(page);
      await page.click("#tokens summary");
      await page.click("#attention summary");
      await page.waitForFunction(() => document.getElementById("attention-canvas").width > 100);
      report[`${theme}, tokens and attention`] = await axeViolations(page);
      await page.click("#train summary");
      await page.fill("#train-text", "the cow says moo.\n\nthe dog says woof.");
      await page.waitForFunction(() => document.getElementById("train-sample").textContent.length > 0);
      report[`${theme}, train panel`] = await axeViolations(page);
      for (const id of ["tokens", "attention", "train"]) await page.click(`#${id} summary`);
    }
    await page.close();
    for (const [state, violations] of Object.entries(report)) assert.deepEqual(violations, [], `${state}: ${violations.join("; ")}`);
  });
});
