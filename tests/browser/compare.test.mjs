// Two models side by side on the page, on the CPU and WebGPU: a BERT fixture first, the RoBERTa
// fixture second (another tokenizer, another mask token) — both columns are transformers' top-5
// for the sentence (tests/fixtures/layers_reference.py, its last layer), the words that moved are
// said, the memory of the two workers is shown, the JSON export carries both; a second model that
// fails to load is said in words while the first keeps answering; closing it clears the view; axe
// finds nothing serious.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { startServer, ROOT } from "./server.mjs";
import { launch, openPage, answered, downloaded } from "./chromium.mjs";
import { pngSummary } from "./png.mjs";
import { axeViolations } from "./axe.mjs";
import { pieceText } from "../../www/sentence.js";

const reference = JSON.parse(readFileSync(join(ROOT, "tests/fixtures/layers_reference.json"), "utf8")).cases;
const TEXT = "the [MASK] sat on the mat .";
/** transformers' final top-5 for `model` on TEXT: [{ word, score }]. */
function topFive(model) {
  const vocab = JSON.parse(readFileSync(join(ROOT, `tests/fixtures/${model}/tokenizer.json`), "utf8")).model.vocab;
  const byId = Object.fromEntries(Object.entries(vocab).map(([token, id]) => [id, token]));
  const found = reference.find((c) => c.model === model && c.text.startsWith("the "));
  return found.layers.at(-1)[0].map(([id, score]) => ({ word: pieceText(byId[id]), score }));
}

/** The side-by-side table's two columns: [{ word, score, marked, said }]. */
const columns = (page) =>
  page.$$eval("table.side-by-side tbody tr", (rows) =>
    [1, 2].map((c) =>
      rows.map((r) => r.children[c]).filter((td) => td.dataset.score).map((td) => ({ word: td.querySelector(".word").textContent, score: Number(td.dataset.score), marked: td.classList.contains("moved"), said: td.title })),
    ),
  );

let server;
before(async () => (server = await startServer()));
after(() => server.close());

for (const webgpu of [false, true]) {
  describe(`two models side by side with WebGPU ${webgpu ? "on" : "off"}`, () => {
    let browser;
    before(async () => (browser = await launch({ webgpu })));
    after(() => browser.close());

    test("both rankings are transformers', the moves said, the memory shown; a failed second load leaves the first working", { timeout: 300_000 }, async () => {
      const backend = webgpu ? "&backend=webgpu" : "";
      const page = await openPage(browser, `${server.url}/?model=/tests/fixtures/bert-gelu/${backend}#text=${encodeURIComponent(TEXT)}`);
      await answered(page);
      // Opened from the keyboard; the second model typed as a folder URL.
      await page.focus("#second summary");
      await page.keyboard.press("Enter");
      await page.selectOption("#second-preset", "");
      await page.fill("#second-source", "/tests/fixtures/roberta/");
      await page.press("#second-source", "Enter");
      await page.waitForFunction(() => /^Second model: \/tests\/fixtures\/roberta\/ — roberta/.test(document.getElementById("second-badge").textContent), null, { timeout: 120_000 });
      await page.waitForSelector("table.side-by-side tbody tr");
      const [first, second] = await columns(page);
      assert.equal(first.length, 10);
      for (const [mine, theirs, name] of [[first, topFive("bert-gelu"), "bert-gelu"], [second, topFive("roberta"), "roberta"]]) {
        theirs.forEach((t, i) => {
          assert.equal(mine[i].word, t.word, `${name}, guess ${i + 1}`);
          assert.ok(Math.abs(mine[i].score - t.score) <= 1e-4, `${name}, guess ${i + 1}: ${mine[i].score} vs ${t.score}`);
        });
      }
      // Every word's move, said from the two columns as this test reads them.
      const rank = (column, word) => column.findIndex((c) => c.word.toLowerCase() === word.toLowerCase()) + 1 || null;
      const ordinal = (n) => `${n}${["th", "st", "nd", "rd"][n % 10 > 3 || [11, 12, 13].includes(n % 100) ? 0 : n % 10]}`;
      for (const cell of [...first, ...second]) {
        const [a, b] = [rank(first, cell.word), rank(second, cell.word)];
        const said = a === null ? `new: not in the first model's top 10, ${ordinal(b)} in the second's` : b === null ? `gone: ${ordinal(a)} in the first model, not in the second's top 10` : a === b ? `${ordinal(a)} in both` : `${b < a ? "rose" : "fell"} from ${ordinal(a)} to ${ordinal(b)}`;
        assert.equal(cell.said, said, cell.word);
      }
      assert.ok([...first, ...second].filter((c) => c.marked).length <= 6, "at most three movers marked, counted in both columns");
      assert.match(await page.textContent("#second-compare"), /Their tokenizers differ: the first model reads this sentence as \d+ pieces, the second as \d+/);
      await page.waitForFunction(() => /^Memory: the first model's worker \d+ MB, the second's \d+ MB — \d+ MB together/.test(document.getElementById("second-memory").textContent));
      const json = JSON.parse((await downloaded(page, "#second-json")).toString("utf8"));
      assert.deepEqual(json.models, ["/tests/fixtures/bert-gelu/", "/tests/fixtures/roberta/"]);
      assert.deepEqual(json.blanks[0].second.map((c) => c.score), second.map((c) => c.score));
      const png = pngSummary(await downloaded(page, "#second-png"));
      assert.ok(png.width > 400 && png.height > 300 && png.distinctBytes > 8, JSON.stringify(png));
      assert.deepEqual(await axeViolations(page), []);

      // A second model that fails to load: said, the earlier second model kept, the first answering.
      await page.fill("#second-source", "/tests/fixtures/no-such-model/");
      await page.press("#second-source", "Enter");
      await page.waitForSelector("#second-error:not([hidden])", { timeout: 60_000 });
      assert.match(await page.textContent("#second-error"), /^\/tests\/fixtures\/no-such-model\/ did not load: .* — \/tests\/fixtures\/roberta\/ is still the second model\. The first model keeps working\.$/);
      await page.fill("#text", "the cat [MASK] on the mat .");
      await answered(page);
      await page.waitForFunction(() => document.querySelector("table.side-by-side caption")?.textContent.startsWith("Blank 1"));
      // Closed: the view is cleared, the first model still answers.
      await page.click("#second-close");
      await page.waitForFunction(() => document.getElementById("second-badge").textContent === "No second model loaded.");
      assert.equal(await page.$("table.side-by-side"), null);
      await page.fill("#text", TEXT);
      await answered(page);
      assert.deepEqual(page.log.filter((l) => l.startsWith("pageerror")), []);
      await page.close();
    });
  });
}
