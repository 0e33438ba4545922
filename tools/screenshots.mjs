// Retakes the screenshots the README shows (docs/*.png) with the bundled model in headless
// Chromium, so that they can be made again whenever the bundled model changes:
//
//   node tools/screenshots.mjs              every screenshot
//   node tools/screenshots.mjs surprise     one (or several) by name: screenshot, layers, surprise,
//                                           two-models, classroom-pairs, classroom-writing,
//                                           classroom, classroom-dice
//
// Each view is driven as the browser tests drive it (tests/browser/*.test.mjs), waiting for the
// page's real states — answers shown, nothing busy — and never for a fixed time. For each picture
// one line is printed with what it shows and the figures in it that the README's alt text quotes,
// read from the page, so the alt texts can be brought up to date from this output.

import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { startServer, ROOT } from "../tests/browser/server.mjs";
import { answered, launch, openPage } from "../tests/browser/chromium.mjs";
import { PAIR_SETS } from "../www/classroom/pairs.js";

/** Waits are for states, but on a busy machine a state can take minutes to come. */
const TIMEOUT = 20 * 60_000;
/** The classroom's pictures are of presentation mode on a projector. */
const PROJECTOR = { width: 1024, height: 768 };

// What the views show (the sentences the README's alt texts quote).
const MAIN_SENTENCE = "The capital of France is [MASK]."; // the page's own default sentence
const LAYERS_SENTENCE = "The day after Monday is [MASK]."; // one of the page's examples
const SURPRISE = ["The cat sits on the mat.", "The cat sit on the mat."];
const TRAIN = { text: "the sky is green.", steps: 40, probe: "the sky is [MASK]." };
const PAIR = ["The box of apples is on the table.", "The box of apples are on the table."];
const QUIZ = { deck: "World facts", sentence: "What sound does a cow make?", guesses: ["moos", "barks", "moos", "moo", "moos", "says"] };

// ── shared setup ────────────────────────────────────────────────────────────────────────────────

let server;
const browsers = {};

/** One Chromium per kind (with WebGPU or without), launched when first needed. */
async function browserWith({ webgpu }) {
  browsers[webgpu] ??= await launch({ webgpu });
  return browsers[webgpu];
}

/** A page at `path` on the test server, its waits as long as a busy machine needs. */
async function open(path, { webgpu = false, viewport = null } = {}) {
  const page = await openPage(await browserWith({ webgpu }), "about:blank");
  page.setDefaultTimeout(TIMEOUT);
  page.setDefaultNavigationTimeout(TIMEOUT);
  if (viewport) await page.setViewportSize(viewport);
  await page.goto(`${server.url}/${path}`);
  await page.waitForFunction(() => /parameters/.test(document.getElementById("badge").textContent));
  return page;
}

/** The explore page with `sentence` in the box, answered. */
async function openExplore(sentence, options = {}) {
  const page = await open(`index.html${options.query ?? ""}#text=${encodeURIComponent(sentence)}`, options);
  await answered(page, sentence.includes("[MASK]") ? ".answer .prediction" : ".hint");
  return page;
}

/** The classroom in presentation mode on a 1024×768 projector, on the tab `tab`. */
async function openClassroom(tab) {
  const page = await open("classroom.html", { viewport: PROJECTOR });
  await page.click(`#tab-${tab}`);
  return page;
}

/** Presentation mode, from its key (as a teacher starts it; no button left in focus). */
async function present(page) {
  await page.evaluate(() => document.activeElement?.blur()); // letters act outside form fields
  await page.keyboard.press("p");
  await page.waitForFunction(() => document.body.classList.contains("presenting"));
}

/** No focus ring or hover left from driving the page, then the picture: the element or the page. */
async function shoot(page, name, selector = null, { fullPage = false } = {}) {
  await page.evaluate(() => document.activeElement?.blur());
  await page.mouse.move(0, page.viewportSize().height - 1);
  const png = selector ? await page.locator(selector).screenshot() : await page.screenshot({ fullPage });
  writeFileSync(join(ROOT, "docs", `${name}.png`), png);
  const errors = page.log.filter((line) => line.startsWith("pageerror") || line.startsWith("error"));
  if (errors.length) console.error(`  (${name}: the page logged ${errors.join(" | ")})`);
  await page.close();
}

const texts = (page, selector) => page.$$eval(selector, (nodes) => nodes.map((n) => n.textContent.trim()));
/** A prediction row as it reads on the page: "paris 98.7%". */
const rows = (page, selector) => page.$$eval(selector, (nodes) => nodes.map((n) => [...n.children].map((c) => c.textContent.trim()).filter(Boolean).join(" ")));
const fail = (message) => {
  throw new Error(message);
};

// ── the explore page ────────────────────────────────────────────────────────────────────────────

/** The whole page on WebGPU: the default sentence, its guesses, the head view of where the blank looks. */
async function screenshot() {
  const page = await openExplore(MAIN_SENTENCE, { webgpu: true, query: "?backend=webgpu" });
  // "where it looks": opens the Attention panel on the last layer, the blank's lines pinned.
  await page.click(".answer .look");
  await page.waitForFunction(() => document.getElementById("attention-canvas").dataset.focus === "from [MASK]");
  const badge = await page.textContent("#badge");
  if (!/on WebGPU/.test(badge)) fail(`the page is not on WebGPU: ${badge}`);
  const layer = await page.$eval("#attention-layer", (s) => s.selectedOptions[0].textContent);
  const guesses = await rows(page, ".answer .prediction");
  await shoot(page, "screenshot", null, { fullPage: true });
  return `the page (${badge}): "${MAIN_SENTENCE}" → ${guesses.join(", ")}; the head view of ${layer}, from [MASK]`;
}

/** One blank's guesses and, under them, its answer read after the embeddings and each layer. */
async function layers() {
  const page = await openExplore(LAYERS_SENTENCE);
  await page.check("#layers-toggle");
  await answered(page, "table.layers");
  const table = await page.$$eval("table.layers tbody tr", (trs) =>
    trs.map((tr) => `${tr.querySelector("th").textContent}: ${[...tr.querySelectorAll("td")].map((td) => (td.classList.contains("final-guess") ? `[${td.textContent}]` : td.textContent)).join(", ")}`),
  );
  await shoot(page, "layers", ".answer");
  return `layer by layer for "${LAYERS_SENTENCE}" (the final guess in [brackets] where it is outlined) — ${table.join("; ")}`;
}

/** The Surprise panel: a sentence and its minimal pair, each word shaded, the verdict. */
async function surprise() {
  const [sentence, other] = SURPRISE;
  const page = await openExplore(sentence);
  await page.click("#surprise summary");
  await page.waitForFunction((text) => document.getElementById("surprise-sentence").textContent === text, sentence);
  await page.fill("#compare-text", other);
  await page.waitForFunction(() => document.getElementById("compare-verdict").textContent.startsWith("The model prefers"));
  const total = await page.textContent("#surprise-total");
  const verdict = await page.textContent("#compare-verdict");
  await shoot(page, "surprise", "#surprise");
  return `the Surprise panel: "${sentence}" against "${other}" — ${total} ${verdict}`;
}

/** The bundled model before and after a short fine-tune in the Train panel, side by side. */
async function twoModels() {
  const page = await openExplore(TRAIN.probe);
  await page.click("#train summary");
  await page.fill("#train-text", TRAIN.text);
  await page.fill("#train-steps", String(TRAIN.steps));
  await page.fill("#train-probe", TRAIN.probe);
  await page.click("#train-start");
  await page.waitForFunction((steps) => document.getElementById("train-status").textContent.startsWith(`step ${steps} of ${steps}`), TRAIN.steps);
  // Once the run is exported, the trained model is offered (and chosen) as the second model.
  await page.waitForFunction(() => document.getElementById("second-preset").value === "trained");
  const status = await page.textContent("#train-status");
  await page.click("#second summary");
  await page.click("#second-form button[type=submit]");
  await page.waitForFunction(() => /^Second model: the model trained in this tab/.test(document.getElementById("second-badge").textContent));
  await page.waitForFunction(() => {
    const view = document.getElementById("second-compare");
    return view.querySelector("table.side-by-side tbody tr") && !view.hasAttribute("aria-busy") && /^Memory:/.test(document.getElementById("second-memory").textContent);
  });
  // A cell as it reads on screen, "green 100.0% ↑" (without the move said for screen readers).
  const cells = (selector) => page.$$eval(selector, (tds) => tds.map((td) => [...td.childNodes].filter((n) => !n.classList?.contains("sr-only")).map((n) => n.textContent).join("")));
  const [before, after] = await cells("table.side-by-side tbody tr:first-child td");
  const moved = await cells("table.side-by-side td.moved");
  const memory = await page.textContent("#second-memory");
  await shoot(page, "two-models", "#second");
  return `two models on "${TRAIN.probe}": the bundled model before and after ${TRAIN.steps} steps on "${TRAIN.text}" (${status.split(" · ").slice(0, 2).join(", ")}) — ${before} before, ${after} after; marked: ${moved.join(", ")}; ${memory}`;
}

// ── the classroom, in presentation mode at 1024×768 ─────────────────────────────────────────────

/** "Which sounds right?": the class chose A, then the model's choice revealed, word by word. */
async function classroomPairs() {
  const set = PAIR_SETS.findIndex((s) => s.pairs.some((p) => p[0] === PAIR[0] && p[1] === PAIR[1]));
  if (set < 0) fail(`no built-in pair set has ${JSON.stringify(PAIR)}`);
  const page = await openClassroom("pairs");
  await page.selectOption("#pairs-set", String(set));
  await page.evaluate(() => document.activeElement?.blur()); // letters act outside form fields
  // Skipped up to the pair, unasked (the set is chosen before presenting: it hides the pickers).
  while (!(await texts(page, ".pair-choice .pair-text")).includes(PAIR[0])) {
    if ((await page.textContent("#pairs-position")) === "Round over") fail(`"${PAIR[0]}" is not in its set`);
    await page.keyboard.press("n");
  }
  await present(page);
  await page.keyboard.press("a");
  await page.keyboard.press("r");
  await page.waitForFunction(() => document.querySelectorAll("#pairs-result .pair-scored").length === 2 || /could not score/.test(document.getElementById("error").textContent));
  const sides = await page.$$eval("#pairs-result .pair-scored", (divs) =>
    divs.map((d) => ({ words: [...d.querySelectorAll(".surprise-word")].map((w) => ({ text: w.textContent, logProb: Number(w.dataset.logProb) })), total: d.querySelector(".pair-total").textContent })),
  );
  if (sides.length !== 2) fail(await page.textContent("#error"));
  const position = await page.textContent("#pairs-position");
  const score = await page.textContent("#pairs-score");
  const verdict = await page.textContent("#pairs-verdict");
  const sentences = await texts(page, ".pair-choice .pair-text");
  await shoot(page, "classroom-pairs");
  // The words both sentences share, by how much less surprising each is in B than in A.
  const shared = sides[0].words
    .map((w, i) => ({ text: w.text, gain: sides[1].words[i]?.text === w.text ? sides[1].words[i].logProb - w.logProb : null }))
    .filter((w) => w.gain !== null && Math.abs(w.gain) >= 0.005) // those that change at 2 decimals
    .sort((a, b) => Math.abs(b.gain) - Math.abs(a.gain));
  const shift = shared.map((w) => `"${w.text}" ${w.gain > 0 ? "+" : ""}${w.gain.toFixed(2)}`).join(", ");
  return `Which sounds right? (${position}, ${score}): A "${sentences[0]}" / B "${sentences[1]}" — ${verdict} A: ${sides[0].total}; B: ${sides[1].total}; the shared words, log-probability in B minus in A: ${shift}`;
}

/** "Can BERT write?": the default start filled at temperature 0, the surest blank first. */
async function classroomWriting() {
  const page = await openClassroom("writing");
  await present(page);
  const start = await page.inputValue("#writing-text");
  const order = await page.$eval("#writing-order", (s) => s.selectedOptions[0].textContent);
  await page.keyboard.press("w");
  await page.waitForFunction(() => document.querySelectorAll("#writing-steps li").length === 1);
  await page.click("#writing-all");
  await page.waitForFunction(() => /^Done in/.test(document.getElementById("writing-status").textContent) || !document.getElementById("writing-error").hidden);
  if (!(await page.isHidden("#writing-error"))) fail(await page.textContent("#writing-error"));
  const sentence = await page.$eval("#writing-sentence", (p) => {
    const copy = p.cloneNode(true);
    copy.querySelectorAll("sup").forEach((s) => s.remove()); // the step numbers
    return copy.textContent.replace(/\s+/g, " ").trim();
  });
  const steps = await page.$$eval("#writing-steps li", (items) => items.map((li) => li.textContent.replace(/ — from .*/, "")));
  const folded = !(await page.$eval("#writing-why", (d) => d.open));
  await shoot(page, "classroom-writing");
  return `Can BERT write? "${start}" (${order}) → "${sentence}" in ${steps.length} steps: ${steps.join("; ")}; the explanation ${folded ? "folded to one line" : "open"}`;
}

/** "Guess first": the class's guesses tallied beside the model's revealed ranking, the score. */
async function classroom() {
  const page = await openClassroom("quiz");
  const deck = await page.$$eval("#quiz-deck option", (options, title) => options.find((o) => o.textContent.startsWith(title))?.value, QUIZ.deck);
  if (!deck) fail(`no deck "${QUIZ.deck}"`);
  await page.selectOption("#quiz-deck", deck);
  await present(page);
  // Skipped up to the sentence, unasked.
  while (!(await page.textContent("#quiz-sentence")).startsWith(QUIZ.sentence)) {
    if ((await page.textContent("#quiz-position")) === "Round over") fail(`"${QUIZ.sentence}" is not in the deck`);
    await page.keyboard.press("n");
  }
  await page.keyboard.press("g");
  for (const guess of QUIZ.guesses) {
    await page.keyboard.type(guess);
    await page.keyboard.press("Enter");
  }
  await page.keyboard.press("Escape"); // out of the guess box: R reveals
  await page.keyboard.press("r");
  await page.waitForFunction(() => document.querySelectorAll("#model-ranking .pct").length === 5);
  const position = await page.textContent("#quiz-position");
  const tally = await texts(page, "#tally li");
  const ranking = await rows(page, "#model-ranking li");
  const score = await page.textContent("#quiz-score");
  const verdict = await page.textContent("#verdict");
  await shoot(page, "classroom");
  return `Guess first (${QUIZ.deck}, ${position}): the class ${tally.join(", ")}; the model ${ranking.join(", ")}; ${verdict} Score: ${score}`;
}

/** "How BERT is trained": the last roll labelled token by token, the counts against the recipe. */
async function classroomDice() {
  const page = await openClassroom("quiz");
  await present(page);
  const rolls = () => page.$eval("#dice-counts tbody tr", (tr) => Number(tr.querySelector("th").textContent.match(/\((\d+) rolls?\)/)?.[1] ?? 0));
  await page.keyboard.press("d"); // to the dice, one roll
  await page.waitForFunction(() => /\(1 roll\)/.test(document.getElementById("dice-counts").textContent));
  await page.click("#dice-roll-100");
  await page.waitForFunction(() => /\(101 rolls\)/.test(document.getElementById("dice-counts").textContent));
  // Once more until the last roll shows a [MASK] too, not only kept or random tokens.
  for (let i = 0; i < 30 && !(await page.$("#dice-tokens .chosen.mask")); i++) {
    const done = (await rolls()) + 1;
    await page.keyboard.press("d");
    await page.waitForFunction((n) => new RegExp(`\\(${n} rolls\\)`).test(document.getElementById("dice-counts").textContent), done);
  }
  const sentence = await page.inputValue("#dice-text");
  const labels = await texts(page, "#dice-tokens .chosen");
  const counts = await page.$$eval("#dice-counts tbody tr", (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim()).filter(Boolean).join(" ")));
  await shoot(page, "classroom-dice");
  return `How BERT is trained, "${sentence}": the last roll ${labels.map((l) => `"${l}"`).join(", ")}; ${counts.join("; ")}`;
}

// ── run ─────────────────────────────────────────────────────────────────────────────────────────

const SHOTS = {
  screenshot,
  layers,
  surprise,
  "two-models": twoModels,
  "classroom-pairs": classroomPairs,
  "classroom-writing": classroomWriting,
  classroom,
  "classroom-dice": classroomDice,
};

const asked = process.argv.slice(2).map((name) => name.replace(/^docs\//, "").replace(/\.png$/, ""));
const unknown = asked.filter((name) => !SHOTS[name]);
if (unknown.length) {
  console.error(`no screenshot named ${unknown.join(", ")}; the screenshots: ${Object.keys(SHOTS).join(", ")}`);
  process.exit(2);
}

server = await startServer();
let failed = 0;
try {
  // One view at a time.
  for (const name of asked.length ? asked : Object.keys(SHOTS)) {
    try {
      console.log(`docs/${name}.png: ${await SHOTS[name]()}`);
    } catch (error) {
      failed += 1;
      console.error(`docs/${name}.png: not taken — ${error.message}`);
    }
  }
} finally {
  for (const browser of Object.values(browsers)) await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
