// The surprise panel on the page: each word's numbers are transformers' pseudo-log-likelihoods for
// the fixture (tests/fixtures/score_reference.py), the sentence's total is their sum, a word's
// numbers are read out when it is focused from the keyboard, the JSON export carries them, a
// second sentence compares by its total with the differing words marked, a sentence with nothing
// to score says so, and axe finds nothing serious — on the CPU and WebGPU.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { startServer, ROOT } from "./server.mjs";
import { downloaded, launch, openPage } from "./chromium.mjs";
import { pngSummary } from "./png.mjs";
import { axeViolations } from "./axe.mjs";

const reference = JSON.parse(readFileSync(join(ROOT, "tests/fixtures/score_reference.json"), "utf8"));
const CASE = reference.cases.find((c) => c.model === "bert-gelu" && c.text.startsWith("the cat"));

let server;
before(async () => (server = await startServer()));
after(() => server.close());

/** The panel's words as drawn: text, log-probability, and the words' count. */
const drawn = (page) =>
  page.$$eval("#surprise-sentence .surprise-word", (spans) => spans.map((s) => ({ text: s.textContent, logProb: Number(s.dataset.logProb), label: s.getAttribute("aria-label") })));

for (const webgpu of [false, true]) {
  describe(`the surprise panel with WebGPU ${webgpu ? "on" : "off"}`, () => {
    let browser;
    before(async () => (browser = await launch({ webgpu })));
    after(() => browser.close());

    test("colours each word by transformers' pseudo-log-likelihood, totals them, and reads a focused word out", async () => {
      const backend = webgpu ? "&backend=webgpu" : "";
      const page = await openPage(browser, `${server.url}/?model=/tests/fixtures/bert-gelu/${backend}#text=${encodeURIComponent(CASE.text)}`);
      await page.waitForFunction(() => document.getElementById("badge").textContent.includes("parameters"));
      // Opened from the keyboard.
      await page.focus("#surprise summary");
      await page.keyboard.press("Enter");
      await page.waitForFunction((n) => document.querySelectorAll("#surprise-sentence .surprise-word").length === n, CASE.words.length);
      const words = await drawn(page);
      words.forEach((w, i) => {
        const theirs = CASE.words[i].log_prob;
        assert.ok(Math.abs(w.logProb - theirs) <= 1e-4 * CASE.words[i].pieces.length, `${w.text}: ${w.logProb} vs ${theirs}`);
        assert.equal(w.text, CASE.text.slice(...wordChars(CASE, i)));
        assert.match(w.label, new RegExp(`^"${w.text.replace(".", "\\.")}": (\\d+\\.\\d%|under 0\\.1%) given the rest \\(log-probability -\\d+\\.\\d\\d\\)$`));
      });
      const total = await page.textContent("#surprise-total");
      assert.ok(total.startsWith(`Pseudo-log-likelihood ${CASE.total.toFixed(2)} over ${CASE.words.length} words`), total);
      // The least expected word is named, and coloured warmest.
      const worst = words.reduce((a, b) => (b.logProb < a.logProb ? b : a));
      assert.ok(total.includes(`the most surprising: "${worst.text}"`), total);
      // Tab onto the first word: its numbers are read out.
      await page.focus("#surprise-sentence .surprise-word");
      assert.equal(await page.textContent("#surprise-readout"), words[0].label);
      // The JSON export carries the numbers.
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("#surprise-json")]);
      const chunks = [];
      for await (const chunk of await download.createReadStream()) chunks.push(chunk);
      const json = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      assert.equal(json.text, CASE.text);
      assert.deepEqual(json.words.map((w) => w.logProb), words.map((w) => w.logProb));
      // Compared with another sentence: the verdict's totals are transformers', the preferred one
      // the higher, the words outside their common subsequence marked on both sides.
      const other = reference.cases.find((c) => c.model === "bert-gelu" && c !== CASE);
      await page.fill("#compare-text", other.text);
      await page.waitForFunction(() => document.getElementById("compare-verdict").textContent.length > 0);
      const said = await page.textContent("#compare-verdict");
      const preferred = CASE.total >= other.total ? "the first sentence" : "the other sentence";
      assert.ok(said.startsWith(`The model prefers ${preferred}, by ${Math.abs(CASE.total - other.total).toFixed(2)} in log-probability (${CASE.total.toFixed(2)} against ${other.total.toFixed(2)})`), said);
      const marked = (id) => page.$$eval(`#${id} .differs`, (spans) => spans.map((s) => s.textContent));
      // "the cat sat on the mat ." against "Zoë ate the Café cake .": they share "the" and ".".
      assert.deepEqual(await marked("surprise-sentence"), ["cat", "sat", "on", "the", "mat"]);
      assert.deepEqual(await marked("compare-sentence"), ["Zoë", "ate", "Café", "cake"]);
      const png = pngSummary(await downloaded(page, "#surprise-png"));
      assert.ok(png.width > 400 && png.distinctBytes > 8, `the heatmap as a PNG: ${JSON.stringify(png)}`);
      assert.deepEqual(await axeViolations(page), []);
      // Several sentences, one a line: ranked by transformers' totals, this one named, the JSON
      // carrying each.
      await page.fill("#compare-text", `${other.text}\n${CASE.text}`);
      await page.waitForFunction(() => document.getElementById("compare-verdict").textContent.startsWith("Most natural"));
      const ranked = [{ text: CASE.text, total: CASE.total, mine: true }, { text: other.text, total: other.total }, { text: CASE.text, total: CASE.total }].sort((a, b) => b.total - a.total);
      const line = await page.textContent("#compare-verdict");
      const numbers = [...line.matchAll(/(-?\d+\.\d\d)(?=;| —)/g)].map((m) => Number(m[1]));
      assert.deepEqual(numbers, ranked.map((r) => Number(r.total.toFixed(2))), line);
      assert.ok(line.includes(`"${CASE.text}" (this sentence)`), line);
      assert.equal(await page.$$eval("#compare-sentence .compare-line", (l) => l.length), 2);
      const several = JSON.parse((await downloaded(page, "#surprise-json")).toString("utf8"));
      assert.deepEqual(several.others.map((o) => o.text), [other.text, CASE.text]);
      assert.ok(Math.abs(several.others[0].total - other.total) <= 1e-3);
      await page.fill("#compare-text", "");
      await page.waitForFunction(() => document.getElementById("compare-verdict").textContent === "");
      // Nothing to score: the panel says so, and the next sentence clears it.
      await page.fill("#text", "[MASK]");
      await page.waitForFunction(() => !document.getElementById("surprise-error").hidden);
      assert.match(await page.textContent("#surprise-error"), /no word to score/);
      await page.fill("#text", CASE.text);
      await page.waitForFunction(() => document.getElementById("surprise-error").hidden && document.querySelectorAll("#surprise-sentence .surprise-word").length > 0);
    });
  });
}

/** The characters of the `i`-th word of `c` in its text, as the tokenizer's offsets give them. */
function wordChars(c, i) {
  // The fixture's sentences are words separated by single spaces.
  const pieces = c.text.split(" ");
  let at = 0;
  for (let k = 0; k < i; k++) at += pieces[k].length + 1;
  return [at, at + pieces[i].length];
}
