// Layer by layer on the page: with the option on, each blank shows the model's guesses read after
// every layer — transformers' numbers for the fixture (tests/fixtures/layers_reference.py), the
// last row the answer itself, its word marked wherever it appears — from the keyboard, with axe
// finding nothing serious, on the CPU and WebGPU.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { startServer, ROOT } from "./server.mjs";
import { launch, openPage, answered, downloaded } from "./chromium.mjs";
import { pngSummary } from "./png.mjs";
import { axeViolations } from "./axe.mjs";

const reference = JSON.parse(readFileSync(join(ROOT, "tests/fixtures/layers_reference.json"), "utf8"));
const CASE = reference.cases.find((c) => c.model === "bert-gelu" && c.mask_positions.length === 1);

let server;
before(async () => (server = await startServer()));
after(() => server.close());

for (const webgpu of [false, true]) {
  describe(`layer by layer with WebGPU ${webgpu ? "on" : "off"}`, () => {
    let browser;
    before(async () => (browser = await launch({ webgpu })));
    after(() => browser.close());

    test("each blank's guesses read after every layer are transformers', the last row the answer", async () => {
      const backend = webgpu ? "&backend=webgpu" : "";
      const page = await openPage(browser, `${server.url}/?model=/tests/fixtures/bert-gelu/${backend}#text=${encodeURIComponent(CASE.text)}`);
      await answered(page);
      assert.equal(await page.$("table.layers"), null, "off until asked");
      await page.focus("#layers-toggle");
      await page.keyboard.press("Space");
      await answered(page, "table.layers");
      const rows = await page.$$eval("table.layers tbody tr", (trs) => trs.map((tr) => ({ name: tr.querySelector("th").textContent, cells: [...tr.querySelectorAll("td")].map((td) => ({ text: td.textContent, final: td.classList.contains("final-guess") })) })));
      assert.equal(rows.length, CASE.layers.length);
      assert.equal(rows[0].name, "the embeddings");
      assert.equal(rows.at(-1).name, `layer ${rows.length - 1} (the answer)`);
      rows.forEach((row, l) => {
        row.cells.forEach((cell, k) => {
          const percent = Number(cell.text.match(/([\d.]+)%$/)[1]);
          const theirs = CASE.layers[l][0][k][1] * 100;
          assert.ok(Math.abs(percent - theirs) <= 0.051, `layer ${l}, guess ${k + 1}: ${percent}% vs ${theirs}%`);
        });
      });
      // The last row is the answer list's head, and is marked.
      const answer = await page.textContent(".answer .prediction .word");
      assert.ok(rows.at(-1).cells[0].text.startsWith(`${answer} `), `${rows.at(-1).cells[0].text} vs ${answer}`);
      assert.ok(rows.at(-1).cells[0].final);
      // Exported: the numbers as JSON (every layer's guesses), the tables as a PNG.
      const json = JSON.parse((await downloaded(page, "#layers-json")).toString("utf8"));
      assert.equal(json.text, CASE.text);
      json.blanks[0].layers.forEach(({ guesses }, l) => assert.ok(Math.abs(guesses[0].score - CASE.layers[l][0][0][1]) <= 1e-4, `layer ${l}`));
      const png = pngSummary(await downloaded(page, "#layers-png"));
      assert.ok(png.width > 300 && png.distinctBytes > 8, JSON.stringify(png));
      assert.deepEqual(await axeViolations(page), []);
      // Off again: the tables go, and their exports.
      await page.click("#layers-toggle");
      await page.waitForFunction(() => !document.querySelector("table.layers"));
      assert.ok(await page.isHidden("#layers-exports"));
    });
  });
}
