// Two models side by side, without a page: every word of both rankings gets its rank in each, how
// far it moved, and the biggest movers (two places or more) are marked and said in words.

import { test } from "node:test";
import assert from "node:assert/strict";

import { describeMove, rankMoves } from "../../www/compare_panel.js";

const ranking = (...words) => words.map((word, i) => ({ word, score: 1 / (i + 2) }));

test("each word's rank in both lists and how far it moved", () => {
  const moves = rankMoves(ranking("paris", "lyon", "rome", "berlin"), ranking("Rome", "paris", "madrid", "lyon"));
  const by = Object.fromEntries(moves.map((m) => [m.word, m]));
  assert.deepEqual(Object.keys(by), ["paris", "lyon", "rome", "berlin", "madrid"], "words compared without case, each once");
  assert.deepEqual([by.paris.first, by.paris.second, by.paris.moved], [1, 2, -1]);
  assert.deepEqual([by.rome.first, by.rome.second, by.rome.moved], [3, 1, 2]);
  assert.deepEqual([by.berlin.first, by.berlin.second, by.berlin.moved], [4, null, -1], "a word missing counts as one below the end");
  assert.deepEqual([by.madrid.first, by.madrid.second, by.madrid.moved], [null, 3, 2]);
  assert.deepEqual(moves.filter((m) => m.marked).map((m) => m.word).sort(), ["lyon", "madrid", "rome"], "only moves of two places or more are marked (paris and berlin moved one)");
});

test("at most three movers are marked, the biggest", () => {
  const first = ranking("a", "b", "c", "d", "e", "f", "g", "h");
  const second = ranking("h", "g", "f", "e", "d", "c", "b", "a");
  const marked = rankMoves(first, second).filter((m) => m.marked).map((m) => m.word);
  assert.equal(marked.length, 3);
  assert.ok(marked.includes("a") && marked.includes("h"), "the two that moved seven places");
});

test("a move said in words", () => {
  assert.equal(describeMove({ first: 7, second: 1 }), "rose from 7th to 1st");
  assert.equal(describeMove({ first: 2, second: 13 }), "fell from 2nd to 13th");
  assert.equal(describeMove({ first: 3, second: 3 }), "3rd in both");
  assert.equal(describeMove({ first: null, second: 22 }, 25), "new: not in the first model's top 25, 22nd in the second's");
  assert.equal(describeMove({ first: 11, second: null }), "gone: 11th in the first model, not in the second's top 10");
});
