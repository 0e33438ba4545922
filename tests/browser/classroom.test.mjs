// The classroom page in Chromium with the bundled model (CPU path): a full quiz round with the
// keyboard (guesses, reveal beside the model's real ranking, score), nothing that gives the answer
// away before the reveal, presentation mode measured on 1024×768 and 1280×800 screens, Esc one step
// at a time, every built-in deck against the model it runs with, the dice explainer over 2000 rolls
// with its labels and the expected share, decks saved → exported → imported → shared by link, the
// editor's New deck, notes, vocabulary warnings and "Use in the quiz", the printed worksheet read
// back from the PDF, offline reload with the server gone, and axe-core in every state.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startServer, ROOT } from "./server.mjs";
import { openPage, serveAndLaunch } from "./chromium.mjs";
import { pngSummary } from "./png.mjs";
import { axeViolations } from "./axe.mjs";
import { shareLink } from "../../www/classroom/deck_store.js";
import { BUILT_IN_DECKS, itemsOf } from "../../www/classroom/decks.js";
import { expectedChosenShare } from "../../www/classroom/dice.js";

const SCREENSHOTS = join(ROOT, "bench-results/screenshots");

const DECK = {
  title: "Test deck",
  prompt: "Why did it choose that?",
  lines: ["the capital of france is [paris].", "the day after monday is [tuesday].", "my favourite colour is [?]."],
};

const shared = serveAndLaunch();

async function openClassroom(hash = "") {
  const page = await openPage(shared.browser, `${shared.server.url}/classroom.html${hash}`);
  await page.waitForFunction(() => /parameters/.test(document.getElementById("badge").textContent), null, { timeout: 120_000 });
  return page;
}

/** Waits for the decks tab's status line to say something matching `pattern` (file reads are async). */
async function deckStatus(page, pattern) {
  await page.waitForFunction((source) => new RegExp(source).test(document.getElementById("deck-status").textContent), pattern.source, { timeout: 10_000 }).catch(() => {});
  assert.match(await page.textContent("#deck-status"), pattern);
}

const modelTop = (page) => page.$$eval("#model-ranking li", (rows) => rows.map((r) => [r.querySelector(".word").textContent, r.querySelector(".pct").textContent]));

const revealed = (page) => page.waitForFunction(() => document.querySelectorAll("#model-ranking .pct").length === 5, null, { timeout: 60_000 });

/** Whole-word, case-blind occurrences of `word` in `text`. */
const occurrences = (text, word) => (text.match(new RegExp(`(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`, "giu")) ?? []).length;

/**
 * What a projector would cut off: the page scrolls, or a shown element of the current activity
 * ends outside the window. Returns a list of problems, empty when everything fits.
 */
function overflow(page) {
  return page.evaluate(() => {
    const problems = [];
    const { innerWidth: width, innerHeight: height } = window;
    const root = document.documentElement;
    if (root.scrollHeight > height) problems.push(`the page is ${root.scrollHeight} px tall in a ${height} px window`);
    if (root.scrollWidth > width) problems.push(`the page is ${root.scrollWidth} px wide in a ${width} px window`);
    const panel = document.querySelector("[role=tabpanel]:not([hidden])");
    for (const node of [...panel.querySelectorAll("*"), document.getElementById("present")]) {
      const box = node.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(node).visibility === "hidden") continue;
      if (node.closest(".sr-only") || getComputedStyle(node).position === "absolute" && box.width <= 1) continue;
      if (box.bottom > height + 0.5 || box.right > width + 0.5 || box.top < -0.5) problems.push(`${node.tagName.toLowerCase()}#${node.id || node.className} ends at (${Math.round(box.right)}, ${Math.round(box.bottom)})`);
    }
    return problems.slice(0, 8);
  });
}

describe("the classroom", () => {
  test("a full quiz round: guesses tallied, the model's real ranking revealed, the score kept", { timeout: 300_000 }, async () => {
    const page = await openClassroom(new URL(shareLink(DECK, `${shared.server.url}/classroom.html`)).hash);
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

  test("nothing on screen gives the answer away before the reveal, in either mode", { timeout: 120_000 }, async () => {
    const deck = { title: "Leak check", prompt: "", lines: ["the cow says [moo] in the morning.", "the dogs [are] on the table.", "my mother's mother is my [grandmother]."] };
    const page = await openClassroom(new URL(shareLink(deck, `${shared.server.url}/classroom.html`)).hash);
    for (const presenting of [false, true]) {
      if (presenting) await page.click("#restart");
      if (presenting) await page.keyboard.press("p");
      for (const [i, item] of itemsOf(deck.lines).entries()) {
        const visible = await page.evaluate(() => document.body.innerText);
        assert.equal(occurrences(visible, item.answers[0]), 0, `sentence ${i + 1} shows "${item.answers[0]}" before the reveal${presenting ? " (presenting)" : ""}:\n${visible}`);
        // Blanking another word (its number key) hides that word instead, and shows none of it.
        if (i === 0) {
          await page.keyboard.press("3");
          assert.equal(occurrences(await page.evaluate(() => document.body.innerText), "says"), 0, "the newly blanked word is on screen");
          assert.match(await page.textContent("#quiz-sentence"), /the cow\s*blank_____\s*moo in the morning\./);
        }
        await page.keyboard.press("r");
        await revealed(page);
        await page.keyboard.press("n");
      }
    }
    await page.close();
  });

  for (const [width, height] of [[1024, 768], [1280, 800]]) {
    test(`presentation mode fits a ${width}×${height} projector at every step, the score large`, { timeout: 240_000 }, async () => {
      // The built-in deck with the longest discussion prompt, a class with many different guesses.
      const longest = BUILT_IN_DECKS.reduce((a, b) => (b.prompt.length > a.prompt.length ? b : a));
      const page = await openClassroom(new URL(shareLink({ ...longest, model: undefined }, `${shared.server.url}/classroom.html`)).hash);
      await page.setViewportSize({ width, height });
      await page.click("#present");
      assert.ok(await page.evaluate(() => document.body.classList.contains("presenting")));
      mkdirSync(SCREENSHOTS, { recursive: true });
      const check = async (step) => {
        assert.deepEqual(await overflow(page), [], `${step} at ${width}×${height}`);
        writeFileSync(join(SCREENSHOTS, `classroom-present-${width}x${height}-${step}.png`), await page.screenshot());
      };
      await check("question");
      for (const guess of ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "bravo"]) {
        await page.fill("#guess", guess);
        await page.press("#guess", "Enter");
      }
      await page.keyboard.press("Escape");
      await page.keyboard.press("r");
      await revealed(page);
      assert.equal(await page.textContent("#prompt"), longest.prompt);
      await check("revealed");
      // The score is readable from the back: large, not the smallest text on screen.
      const sizes = await page.evaluate(() => Object.fromEntries(["quiz-score", "quiz-sentence", "model-ranking", "verdict"].map((id) => [id, parseFloat(getComputedStyle(document.getElementById(id)).fontSize)])));
      assert.ok(sizes["quiz-score"] >= 36 && sizes["quiz-score"] >= sizes["model-ranking"] && sizes["quiz-score"] >= sizes.verdict, JSON.stringify(sizes));
      for (let i = 0; i < itemsOf(longest.lines).length; i++) await page.keyboard.press("n");
      assert.equal(await page.textContent("#quiz-position"), "Round over");
      await check("round-over");
      await page.keyboard.press("d");
      await page.waitForFunction(() => /\(1 roll\)/.test(document.getElementById("dice-counts").textContent));
      await check("dice");
      await page.close();
    });
  }

  test("Esc leaves the guess box first and presentation only the second time; letters type in the box", { timeout: 120_000 }, async () => {
    const page = await openClassroom();
    await page.keyboard.press("p");
    const presenting = () => page.evaluate(() => document.body.classList.contains("presenting"));
    assert.ok(await presenting());
    await page.keyboard.press("g");
    assert.equal(await page.evaluate(() => document.activeElement.id), "guess");
    await page.keyboard.type("paris");
    await page.keyboard.press("Enter");
    await page.keyboard.type("r");
    assert.equal(await page.inputValue("#guess"), "r", "in the box, R is a letter");
    assert.equal(await page.$$eval("#model-ranking .pct", (p) => p.length), 0);
    await page.keyboard.press("Escape");
    assert.ok(await presenting(), "the first Esc only leaves the box");
    assert.notEqual(await page.evaluate(() => document.activeElement.id), "guess");
    await page.keyboard.press("r");
    await revealed(page);
    assert.ok(await presenting());
    await page.keyboard.press("Escape");
    assert.ok(!(await presenting()), "the second Esc leaves presentation");
    await page.close();
  });

  test("every built-in deck's answer is the first guess of the model it is written for, or the deck offers to load that model", { timeout: 300_000 }, async () => {
    const page = await openClassroom(`?hub=${encodeURIComponent(`${shared.server.url}/hub`)}`);
    const misses = await page.evaluate(async () => {
      const { BUILT_IN_DECKS, itemsOf } = await import("/www/classroom/decks.js");
      const { modelRanking } = await import("/www/classroom/quiz_view.js");
      const { normalizeWord } = await import("/www/classroom/quiz.js");
      const { ClozeClient } = await import("/www/cloze_client.js");
      const model = await ClozeClient.fromUrl("/www/models/clozelab-tiny-bert/", { backend: "cpu" });
      const found = [];
      for (const deck of BUILT_IN_DECKS.filter((d) => !d.model)) {
        for (const item of itemsOf(deck.lines).filter((i) => i.answers.length)) {
          const top = (await modelRanking(model, item)).map((c) => normalizeWord(c.word));
          if (!item.answers.some((a) => top[0] === normalizeWord(a))) found.push(`${deck.title}: "${item.before}[${item.answers.join("|")}]${item.after}" → ${top.join(", ")}`);
        }
      }
      return found;
    });
    assert.deepEqual(misses, []);
    assert.ok(BUILT_IN_DECKS.filter((d) => !d.model).length >= 3, "most built-in decks run with the bundled model");
    // A deck written for a larger model says so and offers to load it (from the hub: here the local mirror).
    for (const [i, deck] of BUILT_IN_DECKS.entries()) {
      if (!deck.model) continue;
      assert.ok(itemsOf(deck.lines).every((item) => item.answers.length === 0), `${deck.title}: a deck for another model is open (nobody scores)`);
      await page.selectOption("#quiz-deck", `built-in:${i}`);
      await page.waitForSelector("#deck-model:not([hidden])");
      assert.match(await page.textContent("#deck-model"), /This deck is for BERT-base/);
      const before = shared.server.requests.length;
      await page.click("#deck-model-load");
      await page.waitForFunction(() => /did not load|loading/.test(document.getElementById("badge").textContent + document.getElementById("error").textContent));
      await page.waitForFunction(() => !/^loading/.test(document.getElementById("badge").textContent), null, { timeout: 30_000 });
      assert.ok(shared.server.requests.slice(before).some((r) => r === `/hub/${deck.model}/resolve/main/config.json`), shared.server.requests.slice(before).join(" "));
      // The mirror has no such model: said in words, and the bundled model keeps answering.
      assert.match(await page.textContent("#error"), /did not load/);
      assert.match(await page.textContent("#badge"), /clozelab-tiny-bert/);
    }
    await page.close();
  });

  test("changing deck mid-round asks first; the editor's New deck, notes and Use in the quiz do what they say", { timeout: 120_000 }, async () => {
    const page = await openClassroom();
    await page.fill("#guess", "paris");
    await page.press("#guess", "Enter");
    await page.click("#reveal");
    await revealed(page);
    const score = await page.textContent("#quiz-score");
    assert.match(score, /of 1/);
    await page.selectOption("#quiz-deck", "built-in:1");
    await page.waitForSelector("dialog.ask[open]");
    assert.match(await page.textContent("dialog.ask"), /will be reset/);
    await page.click("dialog.ask >> text=Keep playing");
    await page.waitForFunction(() => document.getElementById("quiz-deck").value === "built-in:0", null, { timeout: 5_000 });
    assert.equal(await page.textContent("#quiz-score"), score, "keeping the round keeps the score");
    await page.selectOption("#quiz-deck", "built-in:1");
    await page.click("dialog.ask >> text=Start the new deck");
    await page.waitForFunction(() => document.getElementById("quiz-score").textContent === "Class 0 · Model 0", null, { timeout: 5_000 });
    assert.equal(await page.inputValue("#quiz-deck"), "built-in:1");

    await page.click("#tab-decks");
    await page.click("#deck-new");
    assert.deepEqual([await page.inputValue("#deck-title"), await page.inputValue("#deck-lines")], ["", ""]);
    await page.fill("#deck-title", "Notes kept");
    await page.fill("#deck-lines", "# say this one slowly\nthe cow says [moo].\n# and this one\nthe day after monday is [tuesday].");
    await page.click("#deck-save");
    await deckStatus(page, /Saved "Notes kept"/);
    await page.reload();
    await page.waitForFunction(() => /parameters/.test(document.getElementById("badge").textContent), null, { timeout: 60_000 });
    await page.click("#tab-decks");
    await page.selectOption("#deck-pick", "mine:Notes kept");
    assert.equal(await page.inputValue("#deck-lines"), "# say this one slowly\nthe cow says [moo].\n# and this one\nthe day after monday is [tuesday].");
    // Edited and not saved: "Use in the quiz" runs the text in the editor, notes skipped.
    await page.fill("#deck-lines", "# edited\nthe capital of france is [paris].");
    await page.click("#deck-use");
    assert.equal(await page.getAttribute("#tab-quiz", "aria-selected"), "true");
    assert.match(await page.textContent("#quiz-sentence"), /the capital of france is\s*blank_____\./);
    assert.equal(await page.textContent("#quiz-position"), "Sentence 1 of 1");
    // An imported file is what the quiz runs too (not the deck picked before it).
    await page.click("#tab-decks");
    const dir = mkdtempSync(join(tmpdir(), "deck-"));
    writeFileSync(join(dir, "imported.json"), JSON.stringify({ title: "Imported", lines: ["bees make [honey]."] }));
    await page.setInputFiles("#deck-import", join(dir, "imported.json"));
    await deckStatus(page, /Imported "Imported" \(1 sentence\)/);
    await page.click("#deck-use");
    assert.match(await page.textContent("#quiz-sentence"), /bees make\s*blank_____\./);
    await page.close();
  });

  test("the deck editor names the words the loaded model does not know", { timeout: 120_000 }, async () => {
    const page = await openClassroom();
    await page.click("#tab-decks");
    await page.click("#deck-new");
    await page.fill("#deck-lines", "my cousin is an [archaeologist].\nthe cow says [moo].");
    await page.waitForFunction(() => /vocabulary/.test(document.getElementById("deck-vocab").textContent), null, { timeout: 10_000 });
    const note = await page.textContent("#deck-vocab");
    assert.match(note, /"archaeologist" is not a word this model knows: it would be \d pieces/);
    assert.doesNotMatch(note, /"moo"|"cow"/);
    await page.fill("#deck-lines", "the cow says [moo].");
    await page.waitForFunction(() => /Every word/.test(document.getElementById("deck-vocab").textContent), null, { timeout: 10_000 });
    await page.close();
  });

  test("the dice explainer's 2000 real rolls land within 2 points of the expected share and 80/10/10, every chosen token labelled on screen", { timeout: 300_000 }, async () => {
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
    const tokens = count(0) / 2000;
    const expected = expectedChosenShare(tokens);
    assert.match(rows[1][3], new RegExp(`${expected.toFixed(1)}% expected for ${tokens} tokens`));
    for (const [i, target] of [[1, expected], [2, 80], [3, 10], [4, 10]]) {
      assert.ok(Math.abs(share(i) - target) <= 2, `${rows[i][0]}: ${share(i)}% vs ${target}%`);
    }
    assert.ok(count(0) > 40_000, "every roll counts every token of the sentence");
    // Each chosen token says on screen what became of it; the others are plain tokens.
    const labels = await page.$$eval("#dice-tokens .chosen", (spans) => spans.map((s) => [s.className, s.textContent]));
    assert.ok(labels.length > 0);
    for (const [kind, label] of labels) {
      const pattern = kind.includes("mask") ? /^\S+ → \[MASK\]$/ : kind.includes("random") ? /^\S+ → \S+ \(random\)$/ : /^\S+ — kept$/;
      assert.match(label, pattern, kind);
    }
    assert.match(await page.textContent("#dice-notes"), /BERT reads both sides/);
    assert.doesNotMatch(await page.textContent("#dice-notes"), /text has no \[MASK\]/, "the note must not contradict the quiz, which uses [MASK]");
    assert.match(await page.textContent("#dice"), /If the rolls choose no token at all, one is picked anyway/);

    // A short sentence: at least one token is always chosen, so far more than 15% — as the page says.
    await page.fill("#dice-text", "cows moo.");
    await page.dispatchEvent("#dice-text", "change");
    await page.click("#dice-roll-1000");
    await page.waitForFunction(() => /1000 rolls/.test(document.getElementById("dice-counts").textContent), null, { timeout: 240_000 });
    const short = await page.$$eval("#dice-counts tbody tr", (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    assert.match(short[1][3], /35\.5% expected for 3 tokens/);
    assert.ok(Math.abs(Number(short[1][2].replace("%", "")) - 35.5) <= 3.5, short[1].join(" | "));
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
    assert.deepEqual(exported.lines, ["# a note", "zoë drinks [milk|tea].", "the sky is [blue]."]);

    await page.click("#deck-delete");
    assert.equal(await page.$$eval("#deck-pick option", (o) => o.filter((x) => x.value === "mine:Café facts").length), 0);
    await page.setInputFiles("#deck-import", await download.path());
    await deckStatus(page, /Imported "Café facts" \(2 sentences\)/);
    await page.click("#deck-save");
    assert.equal(await page.inputValue("#deck-lines"), "# a note\nzoë drinks [milk|tea].\nthe sky is [blue].");

    await page.click("#deck-share");
    const link = await page.getAttribute("#deck-link", "href");
    const linked = await openClassroom(new URL(link).search + new URL(link).hash);
    assert.match(await linked.$eval("#quiz-deck", (s) => s.selectedOptions[0].textContent), /Café facts \(from the link\)/);
    assert.match(await linked.textContent("#quiz-sentence"), /zoë drinks\s*blank_____\./);
    await linked.close();

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
    const damaged = await openPage(shared.browser, `${shared.server.url}/classroom.html${new URL(link).hash.slice(0, 30)}`);
    await damaged.waitForFunction(() => /damaged/.test(document.getElementById("error").textContent));
    await damaged.close();
    await page.close();
  });

  test("the worksheet prints, with margins, as sentences with blanks and, on its own page, the answer key — hidden in the preview", { timeout: 120_000 }, async () => {
    const page = await openClassroom();
    await page.click("#tab-worksheet");
    await page.selectOption("#sheet-deck", "built-in:1");
    const onScreen = () => page.evaluate(() => document.getElementById("sheet").innerText);
    assert.match(await onScreen(), /The capital of France is _{6,}\./, "sentences keep their capital letters");
    assert.doesNotMatch(await onScreen(), /Answer key|Paris/, "the preview does not show the key");
    await page.click("#sheet-key");
    assert.match(await onScreen(), /Answer key — World facts/);
    await page.click("#sheet-key");
    assert.doesNotMatch(await onScreen(), /Answer key/);
    const dir = mkdtempSync(join(tmpdir(), "sheet-"));
    const pdf = join(dir, "sheet.pdf");
    await page.pdf({ path: pdf, format: "A4" });
    const pageText = (n) => execFileSync("pdftotext", ["-f", String(n), "-l", String(n), "-layout", pdf, "-"], { encoding: "utf8" });
    const first = pageText(1);
    assert.match(first, /World facts/);
    assert.match(first, /1\.\s+The capital of France is _{6,}\./);
    assert.doesNotMatch(first, /Paris|Answer key|Guess first|Present/);
    const second = pageText(2);
    assert.match(second, /Answer key — World facts/);
    assert.match(second, /1\.\s+Paris — The capital of France is Paris\./);
    // Page margins: no word closer than 14 mm (40 pt) to any edge of an A4 page (595 × 842 pt).
    const boxes = [...execFileSync("pdftotext", ["-bbox", pdf, "-"], { encoding: "utf8" }).matchAll(/xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
    assert.ok(boxes.length > 20);
    for (const [x0, y0, x1, y1] of boxes) assert.ok(x0 >= 40 && y0 >= 40 && x1 <= 555 && y1 <= 802, `a word at ${[x0, y0, x1, y1]} is in the page margin`);
    execFileSync("pdftoppm", ["-png", "-r", "40", "-f", "1", "-l", "2", pdf, join(dir, "page")]);
    const pngs = readdirSync(dir).filter((f) => f.endsWith(".png"));
    assert.equal(pngs.length, 2);
    for (const png of pngs) assert.ok(pngSummary(readFileSync(join(dir, png))).distinctBytes > 2, `${png} is blank`);
    await page.close();
  });

  test("after one visit the site works offline: the server is gone and the quiz still answers", { timeout: 300_000 }, async () => {
    const own = await startServer();
    const context = await shared.browser.newContext();
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

  test("axe-core finds nothing moderate, serious or critical in any state — light and dark, normal and presentation, every tab — and nothing scrolls sideways at phone width", { timeout: 600_000 }, async () => {
    const page = await openClassroom();
    const report = {};
    await page.fill("#guess", "paris");
    await page.press("#guess", "Enter");
    for (const theme of ["light", "dark"]) {
      if (theme === "dark") await page.click("#theme");
      for (const presenting of [false, true]) {
        if (presenting) await page.click("#present");
        const tabs = presenting ? ["quiz", "pairs", "writing", "dice"] : ["quiz", "pairs", "writing", "dice", "decks", "worksheet"];
        for (const tab of tabs) {
          await page.click(`#tab-${tab}`);
          if (tab === "quiz" && theme === "light" && !presenting) {
            report["quiz, question"] = await axeViolations(page);
            await page.click("#reveal");
            await revealed(page);
          }
          if (tab === "pairs" && theme === "light" && !presenting) {
            report["pairs, question"] = await axeViolations(page);
            await page.click("#pair-1");
            await page.click("#pairs-reveal");
            await page.waitForSelector("#pairs-result .pair-scored", { timeout: 60_000 });
          }
          if (tab === "writing" && theme === "light" && !presenting) {
            await page.click("#writing-step");
            await page.waitForSelector("#writing-steps li", { timeout: 60_000 });
          }
          if (tab === "dice" && theme === "light" && !presenting) {
            await page.click("#dice-roll");
            await page.waitForFunction(() => /\(1 roll\)/.test(document.getElementById("dice-counts").textContent));
          }
          if (tab === "worksheet" && theme === "dark") await page.click("#sheet-key");
          report[`${tab}, ${theme}${presenting ? ", presenting" : ""}`] = await axeViolations(page);
        }
        if (presenting) await page.click("#present");
      }
    }
    // A question asked in a dialog (changing deck mid-round).
    await page.click("#tab-quiz");
    await page.selectOption("#quiz-deck", "built-in:1");
    await page.waitForSelector("dialog.ask[open]");
    report["dialog"] = await axeViolations(page);
    await page.keyboard.press("Escape");
    // At phone width nothing scrolls sideways, in any activity.
    await page.setViewportSize({ width: 390, height: 800 });
    for (const tab of ["quiz", "pairs", "writing", "dice", "decks", "worksheet"]) {
      await page.click(`#tab-${tab}`);
      const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(scroll <= client, `${tab}: ${scroll} px wide in a ${client} px window`);
    }
    await page.close();
    for (const [state, violations] of Object.entries(report)) assert.deepEqual(violations, [], `${state}: ${violations.join("; ")}`);
  });
});
