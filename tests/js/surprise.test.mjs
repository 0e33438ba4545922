// Comparing two sentences (www/surprise_panel.js): the words that differ are those outside the
// longest common subsequence, and the verdict names the preferred sentence and the margin.

import { test } from "node:test";
import assert from "node:assert/strict";

import { differingWords, ranking, verdict } from "../../www/surprise_panel.js";

test("the words two sentences do not share are the ones marked, case aside", () => {
  const a = "The keys to the cabinet are on the table .".split(" ");
  const b = "the keys to the cabinet is on the table .".split(" ");
  const [inA, inB] = differingWords(a, b);
  assert.deepEqual(a.filter((_, i) => inA[i]), ["are"]);
  assert.deepEqual(b.filter((_, i) => inB[i]), ["is"]);
  // A word left out on one side, another added on the other.
  const [x, y] = differingWords(["a", "big", "dog", "barks"], ["a", "dog", "barks", "loudly"]);
  assert.deepEqual(x, [false, true, false, false]);
  assert.deepEqual(y, [false, false, false, true]);
});

test("the verdict names the sentence with the higher total, the margin and the differing words", () => {
  const word = (text, logProb) => ({ text, logProb });
  const first = { total: -3.5, words: [word("keys", -1), word("are", -0.5), word("here", -2)] };
  const second = { total: -6.25, words: [word("keys", -1), word("is", -3.25), word("here", -2)] };
  const { text, inFirst, inSecond } = verdict(first, second);
  assert.deepEqual(inFirst, [false, true, false]);
  assert.deepEqual(inSecond, [false, true, false]);
  assert.equal(text, 'The model prefers the first sentence, by 2.75 in log-probability (-3.50 against -6.25). The words that differ: "are" (-0.50) against "is" (-3.25).');
  assert.match(verdict(second, first).text, /^The model prefers the other sentence, by 2\.75/);
});

test("several sentences are ranked by their totals, this sentence named among them", () => {
  const scored = (text, total) => ({ text, score: { total, words: [] } });
  const line = ranking([scored("the keys is here .", -9.5), scored("the keys are here .", -4.25), scored("keys the are here .", -15)]);
  assert.equal(line, 'Most natural to the model first: 1. "the keys are here ." -4.25; 2. "the keys is here ." (this sentence) -9.50; 3. "keys the are here ." -15.00 — the first two 5.25 apart in log-probability.');
});
