// The classroom's logic without a page: deck lines and their errors, a quiz round's scoring, the
// dice tally, share links, minimal pairs' scoring, the writing activity's dice, and the service worker's list of files (every file the pages load).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import { BUILT_IN_DECKS, checkDeck, itemsOf, parseLine, parseLines, withAnswer, withGap } from "../../www/classroom/decks.js";
import { QuizRound, normalizeWord, wordsOf } from "../../www/classroom/quiz.js";
import { DiceTally, corruptionLabel, expectedChosenShare } from "../../www/classroom/dice.js";
import { MAX_LINK_LENGTH, deckFromHash, shareLink } from "../../www/classroom/deck_store.js";
import { PAIR_SETS, PairRound, shownPair, timesAsLikely } from "../../www/classroom/pairs.js";
import { WritingRun, chances, draw, seededRandom, withMasks } from "../../www/classroom/writing.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

test("a deck line has one blank: one answer, several, or an open one", () => {
  assert.deepEqual(parseLine("the capital of france is [paris]."), { before: "the capital of france is ", after: ".", answers: ["paris"] });
  assert.deepEqual(parseLine("emma drinks [milk | tea] daily.").answers, ["milk", "tea"]);
  assert.deepEqual(parseLine("my favourite colour is [?].").answers, []);
  assert.equal(withGap(parseLine("a [b] c"), "__"), "a __ c");
  assert.equal(withAnswer(parseLine("a [b|x] c")), "a b c");
  assert.throws(() => parseLine("no blank here."), /exactly one blank.*has 0/);
  assert.throws(() => parseLine("[two] [blanks]"), /exactly one blank.*has 2/);
  assert.throws(() => parseLine("empty [] blank"), /write the answer inside the brackets/);
  assert.throws(() => parseLine("a [new york] trip"), /one word/);
  assert.throws(() => parseLines("# only notes"), /at least one sentence/);
});

test("a deck's notes are kept with it and never asked", () => {
  const lines = parseLines("# a note\n\n a [b] \n# another\nc [d]");
  assert.deepEqual(lines, ["# a note", "a [b]", "# another", "c [d]"]);
  assert.deepEqual(itemsOf(lines).map((i) => i.answers[0]), ["b", "d"]);
  assert.deepEqual(checkDeck({ title: "T", lines }).lines, lines, "notes survive a save, an export and a link");
  assert.equal(new QuizRound({ title: "T", prompt: "", lines }).items.length, 2);
});

test("a deck from a file or link is checked field by field", () => {
  assert.deepEqual(checkDeck({ title: " T ", lines: ["a [b]"] }), { title: "T", prompt: "", lines: ["a [b]"] });
  assert.throws(() => checkDeck([]), /not a clozelab deck/);
  assert.throws(() => checkDeck({ lines: ["a [b]"] }), /no title/);
  assert.throws(() => checkDeck({ title: "T", lines: "a [b]" }), /list of sentences/);
  assert.throws(() => checkDeck({ title: "T", lines: ["no blank"] }), /"no blank" needs exactly one blank/);
  assert.equal(checkDeck({ title: "T", lines: ["a [?]"], model: "google-bert/bert-base-uncased" }).model, "google-bert/bert-base-uncased");
  assert.throws(() => checkDeck({ title: "T", lines: ["a [?]"], model: "https://example.org/model/" }), /Hugging Face model id/, "a deck never names a URL to fetch from");
  for (const deck of BUILT_IN_DECKS) assert.deepEqual(checkDeck(deck), deck, deck.title);
});

test("a quiz round tallies guesses, scores class and model per blank, and skips open ones", () => {
  const round = new QuizRound({ title: "T", prompt: "", lines: ["the capital of france is [paris].", "I drink [tea|milk].", "my colour is [?]."] });
  assert.equal(normalizeWord("  Paris! "), "paris");
  round.addGuess("Paris");
  round.addGuess("rome");
  round.addGuess("paris.");
  assert.deepEqual(round.guesses(), [{ word: "paris", votes: 2 }, { word: "rome", votes: 1 }]);
  const first = round.reveal([{ word: "rome", score: 0.6 }, { word: "paris", score: 0.3 }]);
  assert.equal(first.classRight, true);
  assert.equal(first.modelRight, false);
  assert.equal(round.addGuess("late"), null, "no guesses after the reveal");
  round.next();
  round.addGuess("coffee");
  round.reveal([{ word: "Milk", score: 0.5 }]);
  assert.deepEqual(round.score, { class: 1, model: 1, asked: 2 });
  round.next();
  assert.equal(round.reveal([{ word: "blue", score: 0.9 }]).open, true);
  assert.deepEqual(round.score, { class: 1, model: 1, asked: 2 }, "an open blank scores nobody");
  assert.equal(round.next(), false);
  assert.equal(round.finished, true);
});

test("the words offered for blanking are the ones on screen, never the hidden answer", () => {
  const round = new QuizRound({ title: "T", prompt: "", lines: ["the dogs [are] on the table.", "my [?] is red."] });
  assert.deepEqual(wordsOf(round.item).map((w) => w.text), ["the", "dogs", "on", "the", "table"]);
  assert.equal(round.blankWord(3), true, "word 3 is 'on', counted without the blank");
  assert.deepEqual(round.item, { before: "the dogs are ", after: " the table.", answers: ["on"] });
  assert.deepEqual(wordsOf(round.item).map((w) => w.text), ["the", "dogs", "are", "the", "table"]);
  assert.equal(round.blankWord(9), false);
  round.next();
  assert.equal(round.blankWord(1), false, "an open blank has no word to write in");
});

test("the dice tally counts tokens without special ones and shares of the chosen", () => {
  const tally = new DiceTally();
  tally.add({ tokens: ["[CLS]", "a", "b", "c", "d", "[SEP]"], positions: [1, 3], corruptions: ["mask", "random"] }, 2);
  tally.add({ tokens: ["[CLS]", "a", "b", "c", "d", "[SEP]"], positions: [2], corruptions: ["unchanged"] }, 2);
  assert.deepEqual([tally.rolls, tally.tokens, tally.chosen, tally.mask, tally.random, tally.unchanged], [2, 8, 3, 1, 1, 1]);
  const shares = tally.shares();
  assert.equal(shares.chosen, 37.5);
  assert.ok(Math.abs(shares.mask - 100 / 3) < 1e-9);
});

test("the dice say what share to expect: at least one token is always chosen", () => {
  assert.ok(Math.abs(expectedChosenShare(3) - 35.47) < 0.01, "cows moo. (3 tokens)");
  assert.ok(Math.abs(expectedChosenShare(1) - 100) < 1e-9);
  assert.ok(expectedChosenShare(40) - 15 < 0.01 && expectedChosenShare(40) > 15);
  assert.equal(expectedChosenShare(0), 0);
  assert.equal(corruptionLabel("paris", "[MASK]", "mask"), "paris → [MASK]");
  assert.equal(corruptionLabel("cat", "##ing", "random"), "cat → ##ing (random)");
  assert.equal(corruptionLabel("france", "france", "unchanged"), "france — kept");
});

test("a share link carries the whole deck, accents included, and a damaged one says so", () => {
  const deck = { title: "Café", prompt: "Où?", lines: ["zoë lives in [paris]."] };
  const link = shareLink(deck, "http://127.0.0.1:8000/classroom.html");
  assert.deepEqual(deckFromHash(new URL(link).hash), deck);
  assert.equal(deckFromHash("#other=1"), null);
  assert.throws(() => deckFromHash(new URL(link).hash.slice(0, 20)), /damaged/);
});

test("a long deck's link is made without overflowing the stack, and one too long for a link says so", () => {
  const lines = (n) => Array.from({ length: n }, (_, i) => `sentence number ${i} has a [blank].`);
  const medium = { title: "Medium", prompt: "", lines: lines(1_000) };
  const link = shareLink(medium, "http://127.0.0.1:8000/classroom.html");
  assert.ok(link.length > 40_000 && link.length <= MAX_LINK_LENGTH);
  assert.deepEqual(deckFromHash(new URL(link).hash), medium);
  assert.throws(() => shareLink({ title: "Huge", prompt: "", lines: lines(20_000) }, "http://127.0.0.1:8000/classroom.html"), /too long for a link \(\d+ thousand characters.*export it as a file/);
});

test("the service worker stores every file the two pages load", () => {
  const sw = readFileSync(join(ROOT, "sw.js"), "utf8");
  const listed = new Set([...sw.slice(sw.indexOf("const APP_FILES")).matchAll(/^\s+"([^"]+)",$/gm)].map((m) => m[1]));
  const walk = (dir) => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? (name === "models" ? [] : walk(join(dir, name))) : [join(dir, name)]));
  const pageFiles = walk(join(ROOT, "www")).filter((f) => /\.(js|css)$/.test(f)).map((f) => relative(ROOT, f));
  for (const file of [...pageFiles, "index.html", "classroom.html", "pkg/clozelab.js", "pkg/clozelab_bg.wasm"]) {
    assert.ok(listed.has(file), `${file} is missing from sw.js's APP_FILES`);
  }
  for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors"]) {
    assert.ok(sw.includes(`\`\${BUNDLED}${file}\``), `the bundled model's ${file} is not stored`);
  }
});

test("a minimal pair shows its natural sentence on either side, the same side every time", () => {
  const pairs = PAIR_SETS.filter((s) => !s.open).flatMap((s) => s.pairs);
  const sides = pairs.map((p) => shownPair(p).natural);
  assert.ok(sides.includes(0) && sides.includes(1), "the natural sentence is not always A, nor always B");
  for (const [i, pair] of pairs.entries()) {
    const { sentences, natural } = shownPair(pair);
    assert.equal(sentences[natural], pair[0]);
    assert.equal(sentences[1 - natural], pair[1]);
    assert.equal(shownPair(pair).natural, sides[i]);
  }
});

test("the scored pairs use only words the bundled model knows, and every pair differs", () => {
  const vocab = JSON.parse(readFileSync(join(ROOT, "www/models/clozelab-tiny-bert/tokenizer.json"), "utf8")).model.vocab;
  for (const set of PAIR_SETS) {
    for (const [a, b] of set.pairs) {
      assert.notEqual(a, b);
      if (set.model) continue;
      for (const word of `${a} ${b}`.toLowerCase().match(/[\p{L}\p{N}]+/gu)) assert.ok(word in vocab, `"${word}" (${set.title}) is not in the bundled model's vocabulary`);
    }
  }
});

test("a pairs round scores the class and the model against the natural sentence; open sets and own pairs score nobody", () => {
  const set = { title: "T", prompt: "", pairs: [["the dogs are here.", "the dogs is here."], ["a cat is here.", "a cat are here."]] };
  const round = new PairRound(set);
  const natural = round.item.natural;
  const scores = (preferA) => [{ total: preferA ? -5 : -9, words: [] }, { total: preferA ? -9 : -5, words: [] }];
  assert.equal(round.choose(2), false);
  assert.ok(round.choose(1 - natural) && round.choose(natural), "the class may change its mind before the reveal");
  const first = round.reveal(scores(natural === 0));
  assert.deepEqual([first.classRight, first.modelRight, first.modelPick, first.scored], [true, true, natural, true]);
  assert.equal(first.margin, natural === 0 ? 4 : -4);
  assert.equal(round.choose(1 - natural), false, "no change after the reveal");
  assert.deepEqual(round.score, { class: 1, model: 1, asked: 1 });
  round.next();
  const second = round.reveal(scores(round.item.natural === 1)); // the model prefers the wrong one, the class did not choose
  assert.deepEqual([second.classRight, second.modelRight], [false, false]);
  assert.deepEqual(round.score, { class: 1, model: 1, asked: 2 });
  assert.equal(round.next(), false);
  assert.ok(round.finished);

  const open = new PairRound({ ...set, open: true });
  open.choose(0);
  assert.equal(open.reveal(scores(true)).scored, false);
  assert.deepEqual(open.score, { class: 0, model: 0, asked: 0 });
  const own = new PairRound(set);
  own.own("my cat sleeps.", "my cat sleep.");
  assert.deepEqual(own.item.sentences, ["my cat sleeps.", "my cat sleep."]);
  own.reveal(scores(true));
  assert.deepEqual(own.score, { class: 0, model: 0, asked: 0 });
});

test("the margin between two sentences is said as how many times as likely", () => {
  assert.equal(timesAsLikely(0.01), "about as likely");
  assert.equal(timesAsLikely(-Math.log(2.5)), "2.5 times as likely");
  assert.equal(timesAsLikely(Math.log(1234)), "1,234 times as likely");
  assert.equal(timesAsLikely(20), "over a million times as likely");
});

test("writing draws its words with a seeded generator and a temperature", () => {
  const a = seededRandom(7);
  const b = seededRandom(7);
  const drawn = Array.from({ length: 5 }, () => a());
  assert.deepEqual(drawn, Array.from({ length: 5 }, () => b()), "the same seed gives the same numbers");
  assert.notDeepEqual(drawn, Array.from({ length: 5 }, seededRandom(8)));
  const many = Array.from({ length: 20_000 }, seededRandom(1));
  assert.ok(many.every((x) => x >= 0 && x < 1));
  assert.ok(Math.abs(many.reduce((s, x) => s + x, 0) / many.length - 0.5) < 0.01);

  const candidates = [{ score: 0.5 }, { score: 0.3 }, { score: 0.1 }];
  assert.deepEqual(chances(candidates, 0), [1, 0, 0], "temperature 0: always the likeliest");
  const own = chances(candidates, 1);
  [0.5 / 0.9, 0.3 / 0.9, 0.1 / 0.9].forEach((p, i) => assert.ok(Math.abs(own[i] - p) < 1e-12, "temperature 1: the model's chances, over the candidates"));
  const sharp = chances(candidates, 0.5);
  const flat = chances(candidates, 2);
  assert.ok(sharp[0] > own[0] && own[0] > flat[0] && flat[2] > own[2], "lower sharpens, higher flattens");
  assert.ok(Math.abs(flat.reduce((s, p) => s + p, 0) - 1) < 1e-12);

  const random = seededRandom(3);
  const counts = [0, 0, 0];
  for (let i = 0; i < 30_000; i++) counts[draw(own, random)] += 1;
  counts.forEach((c, i) => assert.ok(Math.abs(c / 30_000 - own[i]) < 0.01, `drawn ${c} times for a chance of ${own[i]}`));
});

test("a writing run needs blanks, written as three underscores or the mask token", () => {
  assert.equal(withMasks("emma ___ ___ .", "[MASK]"), "emma [MASK] [MASK] .");
  assert.equal(withMasks("a __ b", "[MASK]"), "a __ b", "two underscores are not a blank");
  const run = new WritingRun("the ___ is [MASK] .", { maskToken: "[MASK]" });
  assert.deepEqual(run.open, [0, 1]);
  assert.throws(() => new WritingRun("no blanks here", { maskToken: "[MASK]" }), /write a blank as ___/);
  assert.throws(() => new WritingRun("___ ".repeat(17), { maskToken: "[MASK]" }), /17 blanks is more than this activity fills \(16 at most\)/);
});

test("a round's score line and outcome read the same in every activity", () => {
  const round = new PairRound({ title: "T", prompt: "", pairs: [["a b.", "b a."], ["c d.", "d c."]] });
  assert.equal(round.scoreLine, "Class 0 · Model 0");
  round.count(true, false);
  round.count(true, true);
  assert.equal(round.scoreLine, "Class 2 · Model 1 (of 2)");
  assert.equal(round.outcome, "The class wins: class 2, model 1, out of 2.");
  const quiz = new QuizRound({ title: "T", prompt: "", lines: ["a [b]."] });
  quiz.count(false, true);
  assert.equal(quiz.outcome, "The model wins: class 0, model 1, out of 1.");
});
