// Predicting the blanks of a sentence with a loaded model (www/cloze_client.js).
//
// - `predictBlanks`: one pass for every mask (the transformers pipeline's "independent" mode). A
//   blank of several pieces is then completed piece by piece: each of the first piece's top
//   candidates is written in and the next piece predicted, greedily, and the pieces are shown
//   joined with the product of their probabilities.
// - `fillStep`: fill one mask (the surest, or the first) with a chosen candidate; `fillInOrder`:
//   the surest mask with its best guess, run again, repeat; every step is kept.

import { joinPieces, pieceText } from "./sentence.js";

/** Character span of every mask token in `text`, in order. */
async function maskSpans(model, text) {
  const encoded = await model.tokenize(text);
  const mask = model.info.maskToken;
  return encoded.tokens.flatMap((token, i) => (token === mask ? [encoded.offsets[i]] : []));
}

function writeIn(text, [start, end], token) {
  return text.slice(0, start) + pieceText(token) + text.slice(end);
}

/** The most likely rest of a blank whose first masks are already written in (greedy). */
async function completePieces(model, text, firstMask, remaining) {
  const pieces = [];
  let score = 1;
  for (let i = 0; i < remaining; i++) {
    const result = await model.fillMask(text, { topK: 1 });
    const best = result.masks[firstMask].predictions[0];
    pieces.push(best.token);
    score *= best.score;
    const spans = await maskSpans(model, text);
    text = writeIn(text, spans[firstMask], best.token);
  }
  return { pieces, score };
}

/**
 * Predictions for every blank of `text` (`blanks`: parts from sentenceParts, left to right).
 * Returns [{ blank, candidates: [{ word, score, pieces }], position }] (the token position of the
 * blank's first mask) and the pass's raw result (with attentions when asked for).
 */
export async function predictBlanks(model, text, blanks, topK, attentions = false, layers = false) {
  const result = await model.fillMask(text, { topK, attentions, layers });
  let firstMask = 0;
  const answers = [];
  for (const blank of blanks) {
    const first = result.masks[firstMask];
    if (!first) break;
    let candidates = first.predictions.map((p) => ({ word: pieceText(p.token), score: p.score, pieces: [p.token] }));
    if (blank.pieces > 1) {
      const spans = await maskSpans(model, text);
      candidates = [];
      for (const p of first.predictions) {
        const rest = await completePieces(model, writeIn(text, spans[firstMask], p.token), firstMask, blank.pieces - 1);
        const pieces = [p.token, ...rest.pieces];
        candidates.push({ word: joinPieces(pieces), score: p.score * rest.score, pieces });
      }
      candidates.sort((a, b) => b.score - a.score);
    }
    // Layer by layer, when asked: the first piece's guesses from every hidden state.
    const formed = first.layers?.map(({ layer, predictions }) => ({ layer, guesses: predictions.map((p) => ({ word: pieceText(p.token), score: p.score })) }));
    answers.push({ blank, candidates, position: first.position, layers: formed ?? null });
    firstMask += blank.pieces;
  }
  return { answers, result };
}

/** A prediction that can stand as a word of its own: not a word's continuation ("##ing"), not a
 * special token ("[UNK]", "<pad>"). */
const wholeWord = (token) => !token.startsWith("##") && !/^\[.*\]$|^<.*>$/.test(token) && pieceText(token) !== "";

/**
 * Fills one mask of `text` and answers the step: which mask (its index among those left), the
 * candidates it was chosen from ([{ token, score }], best first), the chosen one and the text
 * after. `order`: "confident" (the mask whose best guess is surest) or "left" (the first);
 * `pick(candidates)` chooses the index of a candidate (default: the first, the most likely);
 * `wholeWords` keeps only candidates that are words of their own. `options` go to fillMask.
 */
export async function fillStep(model, text, { order = "confident", topK = 1, pick = () => 0, wholeWords = false, ...options } = {}) {
  const result = await model.fillMask(text, { topK, ...options });
  const candidatesOf = (m) => (wholeWords ? m.predictions.filter((p) => wholeWord(p.token)) : m.predictions);
  const lists = result.masks.map(candidatesOf);
  if (lists.some((l) => l.length === 0)) throw new Error(`none of the model's ${topK} likeliest pieces for a blank is a word of its own`);
  let mask = 0;
  if (order === "confident") lists.forEach((l, i) => l[0].score > lists[mask][0].score && (mask = i));
  const candidates = lists[mask].map(({ token, score }) => ({ token, score }));
  const chosen = candidates[pick(candidates)];
  const spans = await maskSpans(model, text);
  return { mask, candidates, chosen, text: writeIn(text, spans[mask], chosen.token), result };
}

/**
 * Fills the masks one at a time, most confident first. Returns the steps — which mask (numbered
 * in the original sentence), the token, its probability and the text after — the final text, and
 * the first pass's result (with attentions when asked for).
 */
export async function fillInOrder(model, text, attentions = false) {
  const steps = [];
  let first = null;
  const remaining = (await maskSpans(model, text)).map((_, i) => i);
  while (remaining.length > 0) {
    const step = await fillStep(model, text, { attentions: attentions && !first });
    first ??= step.result;
    text = step.text;
    steps.push({ mask: remaining.splice(step.mask, 1)[0], token: step.chosen.token, score: step.chosen.score, text });
  }
  return { steps, text, first };
}
