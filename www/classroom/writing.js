// "Can BERT write?": a row of blanks filled one at a time by a masked language model, as state
// without a page. Each step asks the model for every blank still open (one pass), takes one blank
// — the one it is surest of, or the leftmost — and draws its word from the model's likeliest whole
// words, sharpened or flattened by a temperature, with a seeded random generator so a class can
// replay a run.

import { fillStep } from "../blanks.js";

/** How many of the model's likeliest words a step draws from. */
export const CANDIDATES = 20;

/** The most blanks a run may have (each step is one pass of the model). */
export const MAX_BLANKS = 16;

/** A seeded generator of numbers in [0, 1) (mulberry32): the same seed, the same numbers. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The chances each candidate ([{ score }], best first) gets at `temperature`: 0 gives the first
 * all of it; 1 keeps the model's own proportions (renormalised over the candidates); higher
 * flattens them, lower sharpens them.
 */
export function chances(candidates, temperature) {
  if (temperature <= 0) return candidates.map((_, i) => (i === 0 ? 1 : 0));
  const logits = candidates.map((c) => Math.log(Math.max(c.score, 1e-30)) / temperature);
  const top = Math.max(...logits);
  const weights = logits.map((l) => Math.exp(l - top));
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / sum);
}

/** The index drawn from `weights` (summing to 1) by one number of `random`. */
export function draw(weights, random) {
  const roll = random();
  let sum = 0;
  for (const [i, w] of weights.entries()) {
    sum += w;
    if (roll < sum) return i;
  }
  return weights.length - 1;
}

/** The text with its runs of three or more underscores as the model's mask token. */
export function withMasks(text, maskToken) {
  return text.replace(/_{3,}/g, maskToken);
}

export class WritingRun {
  /**
   * @param {string} text the start, each blank written as ___
   * @param {{ maskToken: string, order?: "confident" | "left", temperature?: number, seed?: number }} options
   */
  constructor(text, { maskToken, order = "confident", temperature = 0, seed = 1 }) {
    this.start = text;
    this.text = withMasks(text, maskToken);
    const blanks = this.text.split(maskToken).length - 1;
    if (blanks === 0) throw new Error("write a blank as ___ (three underscores) where the model should write a word");
    if (blanks > MAX_BLANKS) throw new Error(`${blanks} blanks is more than this activity fills (${MAX_BLANKS} at most)`);
    this.order = order;
    this.temperature = temperature;
    this.seed = seed;
    this.random = seededRandom(seed);
    /** Blank numbers (left to right, from 0) still open, in their order in the text. */
    this.open = Array.from({ length: blanks }, (_, i) => i);
    /** [{ blank, word, token, score, chance, candidates, text }] */
    this.steps = [];
  }

  get done() {
    return this.open.length === 0;
  }

  /** Fills one blank with `model` and answers the step (null when every blank is filled). */
  async step(model) {
    if (this.done) return null;
    let chance = 1;
    const step = await fillStep(model, this.text, {
      order: this.order,
      topK: CANDIDATES,
      wholeWords: true,
      pick: (candidates) => {
        const weights = chances(candidates, this.temperature);
        const i = draw(weights, this.random);
        chance = weights[i];
        return i;
      },
    });
    const blank = this.open.splice(step.mask, 1)[0];
    this.text = step.text;
    const done = { blank, token: step.chosen.token, score: step.chosen.score, chance, candidates: step.candidates, text: step.text };
    this.steps.push(done);
    return done;
  }
}
