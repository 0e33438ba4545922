// Which words a model knows: a word the tokenizer splits into several pieces (or maps to its
// unknown token) is not in the model's vocabulary. The page says so when such a word is blanked
// (the blank becomes one mask per piece, predicted piece by piece) and the deck editor warns about
// such words before a lesson.

import { pieceText } from "./sentence.js";

const UNKNOWN_TOKENS = new Set(["[UNK]", "<unk>"]);

/** A sentence in words about an unknown word ("mat is not a word this model knows: …"). */
export function unknownWordMessage({ word, pieces }) {
  if (pieces.length === 1) return `"${word}" is not a word this model knows: it reads as ${pieces[0]}.`;
  return `"${word}" is not a word this model knows: it would be ${pieces.length} pieces (${pieces.map(pieceText).join(" · ")}).`;
}

/** Whether a run of tokens spells a word the model has as one known token. */
export function isKnown(tokens) {
  return tokens.length === 1 && !UNKNOWN_TOKENS.has(tokens[0]);
}

/**
 * The words of `words` (strings) that the model does not have as one token, each with the pieces
 * it reads as: [{ word, pieces }], in the order given, each word once. One tokenizer call.
 */
export async function unknownWords(model, words) {
  const unique = [...new Set(words.filter((w) => /[\p{L}\p{N}]/u.test(w)))];
  if (unique.length === 0) return [];
  const encoded = await model.tokenize(unique.join(" "));
  return encoded.words
    .map((w) => ({ word: w.text, pieces: encoded.tokens.slice(w.tokens[0], w.tokens[1]) }))
    .filter(({ pieces }) => !isKnown(pieces));
}
