// The classroom page in Chromium with the bundled model (CPU path): a full quiz round with the
// keyboard (guesses, reveal beside the model's real ranking, score), the dice explainer over 2000
// rolls, decks saved → exported → imported → shared by link, the printed worksheet read back from
// the PDF, offline reload with the server gone, and axe-core on every mode.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startServer, ROOT } from "./server.mjs";
import { launch, openPage } from "./chromium.mjs";
import { pngSummary } from "./png.mjs";
import { shareLink } from "../../www/classroom/deck_store.js";

const DECK = {
  title: "Test deck",
  prompt: "Why did it choose that?",
  lines: ["the capital of france is [paris].", "the day after monday is [tuesday].", "my favourite colour is [?]."],
};

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch({ webgpu: false });
});
after(async () => {
  await browser.close();
  await server.close();
});

async function openClassroom(hash = "") {
  const page = await openPage(browser, `${server.url}/classroom.html${hash}`);
  await page.waitForFunction(() => /parameters/.test(document.getElementById("badge").textContent), null, { timeout: 120_000 });
  return page;
}

/** Waits for the decks tab's status line to say something matching `pattern` (file reads are async). */
async function deckStatus(page, pattern) {
  await page.waitForFunction((source) => new RegExp(source).test(document.getElementById("deck-status").textContent), pattern.source, { timeout: 10_000 }).catch(() => {});
  assert.match(await page.textContent("#deck-status"), pattern);
}

const modelTop = (page) => page.$$eval("#model-ranking li", (rows) => rows.map((r) => [r.querySelector(".word").textContent, r.querySelector(".pct").textContent]));

async function axeViolations(page) {
  await page.addScriptTag({ path: join(ROOT, "node_modules/axe-core/axe.min.js") });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

describe("the classroom", () => {
  test("a full quiz round: guesses tallied, the model's real ranking revealed, the score kept", { timeout: 300_000 }, async () => {
    const page = await openClassroom(new URL(shareLink(DECK, `${server.url}/classroom.html`)).hash);
    assert.match(await page.$eval("#quiz-deck", (s) => s.selectedOptions[0].textContent), /Test deck \(from the link\)/);
    assert.match(await page.textContent("#quiz-sentence"), /the capital of france is\s*blank_____\./);

    // Sentence 1: three guesses (two agree), revealed with the R key.
    for (const guess of ["Paris", "rome", "paris"]) {
      await page.fill("#guess", guess);
      await page.press("#guess", "Enter");
    }
    assert.deepEqual(await page.$$eval("#tally li", (li) => li.map((l) => l.textContent)), ["paris × 2", "rome × 1"]);
    await page.locator("#guess").blur();
    await page.keyboard.press("r");
    await page.waitForFunction(() => document.querySelectorAll("#model-ranking .pct").length === 5);
    const shown = await modelTop(page);
    // The same sentence straight through the model API in this page: the ranking is the model's.
    const direct = await page.evaluate(async () => {
      const { ClozeClient } = await import("/www/cloze_client.js");
      const model = await ClozeClient.fromUrl("/www/models/clozelab-tiny-bert/", { backend: "cpu" });
      return (await model.fillMask("the capital of france is [MASK].", { topK: 5 })).masks[0].predictions;
    });
    assert.deepEqual(shown, direct.map((p) => [p.token, `${(p.score * 100).toFixed(1)}%`]));
    const modelRight1 = shown[0][0] === "paris";
    assert.match(await page.textContent("#verdict"), /The class got it/);
    assert.equal(await page.textContent("#prompt"), DECK.prompt);

    // Sentence 2 with the N key; the 4 key blanks word 4 ("monday") instead; a wrong class guess.
    await page.keyboard.press("n");
    assert.equal(await page.textContent("#quiz-position"), "Sentence 2 of 3");
    await page.keyboard.press("4");
    assert.match(await page.textContent("#quiz-sentence"), /the day after\s*blank_____\s*is tuesday\./);
    await page.fill("#guess", "sunday");
    await page.press("#guess", "Enter");
    await page.click("#reveal");
    await page.waitForFunction(() => document.querySelectorAll("#model-ranking .pct").length === 5);
    const modelRight2 = (await modelTop(page))[0][0] === "monday";
    assert.match(await page.textContent("#verdict"), /The class said "sunday"/);

    // Sentence 3 is open: nobody scores.
    await page.click("#next");
    await page.click("#reveal");
    await page.waitForFunction(() => /open question/.test(document.getElementById("verdict").textContent));
    const model = Number(modelRight1) + Number(modelRight2);
    assert.equal(await page.textContent("#quiz-score"), `Class 1 · Model ${model} (of 2)`);
    await page.click("#next");
    assert.equal(await page.textContent("#quiz-position"), "Round over");
    assert.match(await page.textContent("#quiz-sentence"), new RegExp(`class 1, model ${model}, out of 2`));
    assert.deepEqual(page.log.filter((l) => l.startsWith("pageerror")), []);
    await page.close();
  });

  test("the dice explainer's 2000 real rolls land within 2 points of 15% and 80/10/10", { timeout: 300_000 }, async () => {
    const page = await openClassroom();
    await page.click("#tab-dice");
    await page.fill("#dice-text", "the capital of france is paris and people in france speak french, so emma speaks french when she visits her friends in paris every summer.");
    await page.dispatchEvent("#dice-text", "change");
    await page.click("#dice-roll-1000");
    await page.waitForFunction(() => /1000 rolls/.test(document.getElementById("dice-counts").textContent), null, { timeout: 240_000 });
    await page.click("#dice-roll-1000");
    await page.waitForFunction(() => /2000 rolls/.test(document.getElementById("dice-counts").textContent), null, { timeout: 240_000 });
    const rows = await page.$$eval("#dice-counts tbody tr", (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    const count = (i) => Number(rows[i][1]);
    const share = (i) => Number(rows[i][2].replace("%", ""));
    assert.equal(count(1), count(2) + count(3) + count(4), "every chosen token became exactly one thing");
    for (const [i, target] of [[1, 15], [2, 80], [3, 10], [4, 10]]) {
      assert.ok(Math.abs(share(i) - target) <= 2, `${rows[i][0]}: ${share(i)}% vs ${target}%`);
    }
    assert.ok(count(0) > 40_000, "every roll counts every token of the sentence");
    assert.ok((await page.$$("#dice-tokens .chosen")).length > 0 || /chose no token/.test(await page.textContent("#dice-notes")));
    assert.match(await page.textContent("#dice-notes"), /BERT reads both sides/);
    await page.close();
  });

  test("a deck is saved, exported, deleted, imported back and shared as a link; bad files are refused in words", { timeout: 120_000 }, async () => {
    const page = await openClassroom();
    await page.click("#tab-decks");
    await page.fill("#deck-title", "Café facts");
    await page.fill("#deck-prompt", "Talk about it.");
    await page.fill("#deck-lines", "# a note\nzoë drinks [milk|tea].\nthe sky is [blue].");
    await page.click("#deck-save");
    await deckStatus(page, /Saved "Café facts"/);
    await page.reload();
    await page.waitForFunction(() => [...document.querySelectorAll("#quiz-deck option")].some((o) => o.textContent === "Café facts (mine)"));

    await page.click("#tab-decks");
    await page.selectOption("#deck-pick", "mine:Café facts");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#deck-export")]);
    assert.equal(download.suggestedFilename(), "clozelab-deck-caf-facts.json");
    const exported = JSON.parse(readFileSync(await download.path(), "utf8"));
    assert.deepEqual(exported.lines, ["zoë drinks [milk|tea].", "the sky is [blue]."]);

    await page.click("#deck-delete");
    assert.equal(await page.$$eval("#deck-pick option", (o) => o.filter((x) => x.value === "mine:Café facts").length), 0);
    await page.setInputFiles("#deck-import", await download.path());
    await deckStatus(page, /Imported "Café facts" \(2 sentences\)/);
    await page.click("#deck-save");
    assert.equal(await page.inputValue("#deck-lines"), "zoë drinks [milk|tea].\nthe sky is [blue].");

    await page.click("#deck-share");
    const link = await page.getAttribute("#deck-link", "href");
    const shared = await openClassroom(new URL(link).search + new URL(link).hash);
    assert.match(await shared.$eval("#quiz-deck", (s) => s.selectedOptions[0].textContent), /Café facts \(from the link\)/);
    assert.match(await shared.textContent("#quiz-sentence"), /zoë drinks\s*blank_____\./);
    await shared.close();

    const dir = mkdtempSync(join(tmpdir(), "deck-"));
    writeFileSync(join(dir, "notes.json"), "this is not json");
    await page.setInputFiles("#deck-import", join(dir, "notes.json"));
    await deckStatus(page, /notes\.json is not a deck file/);
    writeFileSync(join(dir, "broken.json"), JSON.stringify({ title: "B", lines: ["no blank at all"] }));
    await page.setInputFiles("#deck-import", join(dir, "broken.json"));
    await deckStatus(page, /"no blank at all" needs exactly one blank/);
    await page.fill("#deck-lines", "one [two] [three]");
    await page.click("#deck-save");
    await deckStatus(page, /"one \[two\] \[three\]" needs exactly one blank.*\(it has 2\)/);
    const damaged = await openPage(browser, `${server.url}/classroom.html${new URL(link).hash.slice(0, 30)}`);
    await damaged.waitForFunction(() => /damaged/.test(document.getElementById("error").textContent));
    await damaged.close();
    await page.close();
  });

  test("the worksheet prints as sentences with blanks and, on its own page, the answer key", { timeout: 120_000 }, async () => {
    const page = await openClassroom();
    await page.click("#tab-worksheet");
    await page.selectOption("#sheet-deck", "built-in:1");
    const dir = mkdtempSync(join(tmpdir(), "sheet-"));
    const pdf = join(dir, "sheet.pdf");
    await page.pdf({ path: pdf, format: "A4" });
    const pageText = (n) => execFileSync("pdftotext", ["-f", String(n), "-l", String(n), "-layout", pdf, "-"], { encoding: "utf8" });
    const first = pageText(1);
    assert.match(first, /World facts/);
    assert.match(first, /1\.\s+the capital of france is _{6,}\./);
    assert.doesNotMatch(first, /paris|Answer key|Guess first|Present/);
    const second = pageText(2);
    assert.match(second, /Answer key — World facts/);
    assert.match(second, /1\.\s+paris — the capital of france is paris\./);
    execFileSync("pdftoppm", ["-png", "-r", "40", "-f", "1", "-l", "2", pdf, join(dir, "page")]);
    const pngs = readdirSync(dir).filter((f) => f.endsWith(".png"));
    assert.equal(pngs.length, 2);
    for (const png of pngs) assert.ok(pngSummary(readFileSync(join(dir, png))).distinctBytes > 2, `${png} is blank`);
    await page.close();
  });

  test("after one visit the site works offline: the server is gone and the quiz still answers", { timeout: 300_000 }, async () => {
    const own = await startServer();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${own.url}/classroom.html`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
    });
    await own.cut();
    const before = own.requests.length;
    await page.reload();
    await page.waitForFunction(() => /parameters/.test(document.getElementById("badge").textContent), null, { timeout: 120_000 });
    await page.click("#reveal");
    await page.waitForFunction(() => document.querySelectorAll("#model-ranking .pct").length === 5, null, { timeout: 120_000 });
    await page.goto(`${own.url}/#text=${encodeURIComponent("The capital of France is [MASK].")}`);
    await page.waitForFunction(() => document.querySelector(".prediction span")?.textContent === "paris", null, { timeout: 120_000 });
    assert.equal(own.requests.length, before, "nothing reached the server");
    await context.close();
  });

  test("axe-core finds no serious or critical problems in any mode, and nothing scrolls sideways at phone width", { timeout: 300_000 }, async () => {
    const page = await openClassroom();
    const report = {};
    report.quiz = await axeViolations(page);
    await page.fill("#guess", "paris");
    await page.press("#guess", "Enter");
    await page.click("#reveal");
    await page.waitForFunction(() => document.querySelectorAll("#model-ranking .pct").length > 0);
    report.revealed = await axeViolations(page);
    await page.click("#present");
    report.presentation = await axeViolations(page);
    await page.keyboard.press("Escape");
    await page.click("#tab-dice");
    await page.click("#dice-roll");
    await page.waitForFunction(() => /\(1 roll\)/.test(document.getElementById("dice-counts").textContent));
    report.dice = await axeViolations(page);
    await page.click("#tab-decks");
    report.decks = await axeViolations(page);
    await page.click("#tab-worksheet");
    report.worksheet = await axeViolations(page);
    await page.click("#theme");
    report.dark = await axeViolations(page);
    // At phone width nothing scrolls sideways, in any activity.
    await page.setViewportSize({ width: 390, height: 800 });
    for (const tab of ["quiz", "dice", "decks", "worksheet"]) {
      await page.click(`#tab-${tab}`);
      const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(scroll <= client, `${tab}: ${scroll} px wide in a ${client} px window`);
    }
    const explore = await openPage(browser, `${server.url}/`);
    await explore.waitForFunction(() => document.querySelectorAll(".prediction").length > 0, null, { timeout: 120_000 });
    report.explore = await axeViolations(explore);
    await explore.close();
    await page.close();
    for (const [mode, violations] of Object.entries(report)) assert.deepEqual(violations, [], `${mode}: ${violations.join("; ")}`);
  });
});
