// The attention arithmetic behind the views, on small hand-checked cases.

import { test } from "node:test";
import assert from "node:assert/strict";

import { meanOverHeads, mergeIntoWords, rollout, tokenGroups, view } from "../../www/attention_math.js";

const close = (actual, expected, tolerance = 1e-12) =>
  actual.flat().forEach((value, i) => assert.ok(Math.abs(value - expected.flat()[i]) <= tolerance, `${actual} vs ${expected}`));

// Two layers, two heads, two tokens.
const A = [
  [
    [[1, 0], [0.5, 0.5]],
    [[0, 1], [0.5, 0.5]],
  ],
  [
    [[0.5, 0.5], [1, 0]],
    [[0.5, 0.5], [0, 1]],
  ],
];

test("the mean over heads averages each cell", () => {
  close(meanOverHeads(A[0]), [[0.5, 0.5], [0.5, 0.5]]);
});

test("rollout adds the residual, renormalises rows and multiplies layers (worked by hand)", () => {
  // Layer 0: mean [[.5,.5],[.5,.5]] + I = [[1.5,.5],[.5,1.5]] → rows / 2 = [[.75,.25],[.25,.75]].
  close(rollout(A, 0), [[0.75, 0.25], [0.25, 0.75]]);
  // Layer 1: mean [[.5,.5],[.5,.5]] → the same [[.75,.25],[.25,.75]]; product with layer 0:
  // [[.75·.75+.25·.25, .75·.25+.25·.75], …] = [[.625,.375],[.375,.625]].
  close(rollout(A), [[0.625, 0.375], [0.375, 0.625]]);
  for (const row of rollout(A)) assert.ok(Math.abs(row[0] + row[1] - 1) < 1e-12);
});

test("merging pieces into words sums attended pieces and averages attending ones", () => {
  const m = [
    [0.1, 0.2, 0.7],
    [0.3, 0.3, 0.4],
    [0.5, 0.25, 0.25],
  ];
  // Word 0 = token 0, word 1 = tokens 1 and 2.
  const merged = mergeIntoWords(m, [[0], [1, 2]]);
  close(merged, [[0.1, 0.9], [(0.3 + 0.5) / 2, (0.7 + 0.5) / 2]]);
  for (const row of merged) assert.ok(Math.abs(row.reduce((a, b) => a + b) - 1) < 1e-12);
});

test("token groups follow the words and can hide special tokens", () => {
  const encoded = {
    tokens: ["[CLS]", "straw", "##berries", "are", "[SEP]"],
    special: [true, false, false, false, true],
    words: [
      { text: "strawberries", chars: [0, 12], tokens: [1, 3] },
      { text: "are", chars: [13, 16], tokens: [3, 4] },
    ],
  };
  assert.deepEqual(tokenGroups(encoded), { groups: [[0], [1], [2], [3], [4]], labels: encoded.tokens });
  assert.deepEqual(tokenGroups(encoded, { merge: true, hideSpecial: true }), {
    groups: [[1, 2], [3]],
    labels: ["strawberries", "are"],
  });
  const m = encoded.tokens.map((_, i) => encoded.tokens.map((_, j) => (i === j ? 1 : 0)));
  assert.deepEqual(view(m, [[1], [3]], false), [[1, 0], [0, 1]]);
});
