// Attention arithmetic for the views, on plain arrays: `attentions[layer][head][from][to]` as
// fillMask(text, { attentions: true }) returns them (each row a probability distribution over the
// tokens attended to).

/** Mean over the heads of one layer: [from][to]. */
export function meanOverHeads(layer) {
  const heads = layer.length;
  return layer[0].map((row, i) => row.map((_, j) => layer.reduce((sum, head) => sum + head[i][j], 0) / heads));
}

function multiply(a, b) {
  return a.map((row) => b[0].map((_, j) => row.reduce((sum, value, k) => sum + value * b[k][j], 0)));
}

/**
 * Attention rollout (Abnar & Zuidema 2020) from the input up to layer `upTo` (0-based, inclusive):
 * each layer's head-mean with the residual identity added and its rows renormalised,
 * Ã = norm(A + I), multiplied from the first layer up: R = Ã_upTo ⋯ Ã_0. Row i of R: how much
 * token i at that layer draws on each input token.
 */
export function rollout(attentions, upTo = attentions.length - 1) {
  let result = null;
  for (let layer = 0; layer <= upTo; layer++) {
    const mixed = meanOverHeads(attentions[layer]).map((row, i) => {
      const withResidual = row.map((value, j) => value + (i === j ? 1 : 0));
      const total = withResidual.reduce((a, b) => a + b, 0);
      return withResidual.map((value) => value / total);
    });
    result = result ? multiply(mixed, result) : mixed;
  }
  return result;
}

/**
 * Token runs → words: `groups` lists each word's token indices. A merged row is the mean of the
 * attending pieces' rows, and a merged column the sum over the attended pieces, so rows still
 * sum to 1.
 */
export function mergeIntoWords(matrix, groups) {
  return groups.map((from) =>
    groups.map((to) => from.reduce((sum, i) => sum + to.reduce((s, j) => s + matrix[i][j], 0), 0) / from.length),
  );
}

/**
 * Token groups for the views: one group per token, or (`merge`) one per word, special tokens on
 * their own; `hideSpecial` drops the special tokens (their rows and columns are not shown; the
 * other rows are not renormalised, so what is shown is what the model gave the visible tokens).
 */
export function tokenGroups(encoded, { merge = false, hideSpecial = false } = {}) {
  const groups = [];
  const labels = [];
  const wordOf = new Map();
  encoded.words.forEach((word, w) => {
    for (let t = word.tokens[0]; t < word.tokens[1]; t++) wordOf.set(t, w);
  });
  encoded.tokens.forEach((token, t) => {
    if (hideSpecial && encoded.special[t]) return;
    const word = wordOf.get(t);
    const last = groups.length - 1;
    if (merge && word !== undefined && last >= 0 && wordOf.get(groups[last][0]) === word) {
      groups[last].push(t);
      labels[last] = encoded.words[word].text;
    } else {
      groups.push([t]);
      labels.push(merge && word !== undefined ? encoded.words[word].text : token);
    }
  });
  return { groups, labels };
}

/** The rows and columns of `groups` (merged or picked out) from a [seq][seq] matrix. */
export function view(matrix, groups, merge) {
  return merge ? mergeIntoWords(matrix, groups) : groups.map(([i]) => groups.map(([j]) => matrix[i][j]));
}
