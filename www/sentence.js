// The sentence as words and blanks. Pure functions over the text and the tokenizer's word spans
// (`tokenize(text).words`: { text, chars: [start, end], tokens: [first, last + 1] }), so masking a
// word, unmasking it and writing a prediction in are plain string edits the URL can hold.

/** A word's characters that make it clickable: letters or digits (punctuation stays text). */
const WORDLIKE = /[\p{L}\p{N}]/u;

/**
 * The sentence as a sequence of parts: `{ kind: "text", text }` between words, `{ kind: "word",
 * text, start, end, pieces, tokens: [first, last + 1] }` and `{ kind: "blank", start, end, pieces, index }` — a blank is a run
 * of adjacent mask tokens (one word of several pieces), numbered left to right.
 */
export function sentenceParts(text, words, maskToken) {
  const parts = [];
  let at = 0;
  let blanks = 0;
  for (const word of words) {
    const [start, end] = word.chars;
    const pieces = word.tokens[1] - word.tokens[0];
    if (start > at) parts.push({ kind: "text", text: text.slice(at, start) });
    const last = parts[parts.length - 1];
    if (word.text === maskToken) {
      if (last?.kind === "blank" && last.end === start) {
        last.end = end;
        last.pieces += pieces;
      } else parts.push({ kind: "blank", start, end, pieces, index: blanks++ });
    } else if (WORDLIKE.test(word.text)) {
      parts.push({ kind: "word", text: word.text, start, end, pieces, tokens: word.tokens });
    } else parts.push({ kind: "text", text: word.text });
    at = Math.max(at, end);
  }
  if (at < text.length) parts.push({ kind: "text", text: text.slice(at) });
  return parts;
}

/** The text with `part` replaced by `replacement`. */
export function replacePart(text, part, replacement) {
  return text.slice(0, part.start) + replacement + text.slice(part.end);
}

/** Whole-word masking: every piece of the word becomes a mask token. */
export function maskWord(text, word, maskToken) {
  return replacePart(text, word, maskToken.repeat(word.pieces));
}

/** A token as it reads in a word: WordPiece `##` continuation and SentencePiece/BPE space marks off. */
export function pieceText(token) {
  return token.replace(/^##/, "").replace(/^[▁Ġ]/, "");
}

/** Pieces joined into the word they spell. */
export function joinPieces(tokens) {
  return tokens.map(pieceText).join("");
}

/** The blanks of a sentence in order. */
export function blanksOf(parts) {
  return parts.filter((p) => p.kind === "blank");
}
