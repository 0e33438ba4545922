// "How BERT is trained": the MLM corruption rolled on a sentence by the project's own masking code
// (model.maskSample, the code the trainer uses), the last roll drawn token by token, running counts
// that converge on 15% chosen and 80/10/10, and notes tied to what the roll shows.

import { element, within } from "../dom.js";

export const RECIPE = { chosen: 15, mask: 80, random: 10, unchanged: 10 };

/** Running counts over rolls: tokens seen (special tokens excluded), chosen, and what they became. */
export class DiceTally {
  constructor() {
    this.tokens = 0;
    this.chosen = 0;
    this.mask = 0;
    this.random = 0;
    this.unchanged = 0;
    this.rolls = 0;
  }

  /** @param {{ tokens: string[], positions: number[], corruptions: string[] }} sample @param {number} specials */
  add(sample, specials) {
    this.rolls += 1;
    this.tokens += sample.tokens.length - specials;
    this.chosen += sample.positions.length;
    for (const kind of sample.corruptions) this[kind] += 1;
  }

  /** Shares in percent: chosen of tokens, each corruption of the chosen. */
  shares() {
    const of = (n, total) => (total ? (100 * n) / total : 0);
    return {
      chosen: of(this.chosen, this.tokens),
      mask: of(this.mask, this.chosen),
      random: of(this.random, this.chosen),
      unchanged: of(this.unchanged, this.chosen),
    };
  }
}

/**
 * The share of a sentence's ordinary tokens chosen on average, in percent. Every token is rolled on
 * its own (a `rate` chance), and when a roll chooses none, one token is picked anyway, so every
 * sentence teaches something: expected chosen = n·rate + (1 − rate)^n, well above 15% for short
 * sentences ("cows moo." has 3 tokens: 35.5%) and close to it for long ones.
 */
export function expectedChosenShare(tokens, rate = RECIPE.chosen / 100) {
  if (tokens <= 0) return 0;
  return (100 * (tokens * rate + (1 - rate) ** tokens)) / tokens;
}

/** What a chosen token became, as the roll shows it on screen: "paris → [MASK]", "cat → ##ing
 * (random)", "france — kept". */
export function corruptionLabel(original, shown, kind) {
  if (kind === "mask") return `${original} → ${shown}`;
  if (kind === "random") return `${original} → ${shown} (random)`;
  return `${original} — kept`;
}

const ROWS = [
  ["chosen", "chosen to be guessed", "of all tokens"],
  ["mask", "→ became [MASK]", "of the chosen"],
  ["random", "→ became a random token", "of the chosen"],
  ["unchanged", "→ stayed as they were", "of the chosen"],
];

export class DiceExplainer {
  constructor(root, model, onError) {
    this.$ = within(root);
    this.model = model;
    this.onError = onError;
    this.seed = crypto.getRandomValues(new Uint32Array(1))[0];
    this.busy = false;
    this.reset();
    this.$("dice-roll").addEventListener("click", () => this.roll(1));
    this.$("dice-roll-100").addEventListener("click", () => this.roll(100));
    this.$("dice-roll-1000").addEventListener("click", () => this.roll(1000));
    this.$("dice-reset").addEventListener("click", () => this.reset());
    this.$("dice-text").addEventListener("change", () => this.reset());
  }

  reset() {
    this.tally = new DiceTally();
    this.last = null;
    this.ordinary = null; // the sentence's ordinary tokens, once it is tokenized
    this.render();
  }

  async roll(times) {
    const model = this.model();
    if (!model) return this.onError("the model is still loading — roll again in a moment");
    const text = this.$("dice-text").value;
    if (!text.trim()) return this.onError("type a sentence to roll the dice on");
    if (this.busy) return;
    this.onError(null);
    this.busy = true;
    try {
      this.special = (await model.tokenize(text)).special;
      const specials = this.special.filter(Boolean).length;
      this.ordinary = this.special.length - specials;
      for (let i = 0; i < times; i++) {
        const sample = await model.maskSample(text, { seed: this.seed++ });
        this.tally.add(sample, specials);
        this.last = sample;
        if (i % 100 === 99) this.render();
      }
    } catch (error) {
      this.onError(error.message);
    } finally {
      this.busy = false;
      this.render();
    }
  }

  render() {
    const shares = this.tally.shares();
    const counts = { chosen: this.tally.chosen, mask: this.tally.mask, random: this.tally.random, unchanged: this.tally.unchanged };
    const recipe = (key, of) => {
      if (key !== "chosen" || this.ordinary === null) return `${RECIPE[key]}% ${of}`;
      return `${RECIPE[key]}% ${of} (${expectedChosenShare(this.ordinary).toFixed(1)}% expected for ${this.ordinary} tokens)`;
    };
    this.$("dice-counts").tBodies[0].replaceChildren(
      element("tr", {}, element("th", { scope: "row", textContent: `tokens rolled (${this.tally.rolls} roll${this.tally.rolls === 1 ? "" : "s"})` }), element("td", { textContent: String(this.tally.tokens) }), element("td"), element("td")),
      ...ROWS.map(([key, label, of]) =>
        element(
          "tr",
          { className: `kind-${key}` },
          element("th", { scope: "row", textContent: label }),
          element("td", { textContent: String(counts[key]) }),
          element("td", { className: "share", textContent: this.tally.tokens ? `${shares[key].toFixed(1)}%` : "–" }, element("span", { className: "bar", style: `--share:${Math.min(100, shares[key]).toFixed(1)}%` })),
          element("td", { textContent: recipe(key, of) }),
        ),
      ),
    );
    this.renderRoll();
  }

  renderRoll() {
    const sample = this.last;
    if (!sample) {
      this.$("dice-tokens").textContent = "Roll the dice to see what the model is shown.";
      this.$("dice-notes").replaceChildren();
      return;
    }
    const chosen = new Map(sample.positions.map((p, i) => [p, sample.corruptions[i]]));
    // Every chosen token says what became of it on screen (a projector shows no tooltips).
    this.$("dice-tokens").replaceChildren(
      ...sample.corrupted.flatMap((token, i) => {
        const kind = chosen.get(i);
        const text = kind ? corruptionLabel(sample.tokens[i], token, kind) : token;
        return [element("span", { className: `token${kind ? ` chosen ${kind}` : ""}`, textContent: text }), " "];
      }),
    );
    this.$("dice-notes").replaceChildren(...notes(sample, chosen, this.special));
  }
}

/** Plain-language notes about this roll: both sides of context, and why not always [MASK]. */
function notes(sample, chosen, special) {
  const inner = (from, to = sample.tokens.length) => sample.tokens.slice(from, to).filter((_, i) => !special[from + i]).join(" ");
  if (sample.positions.length === 0) {
    return [element("p", { textContent: "This sentence has no word to choose: type one with some words in it." })];
  }
  // The chosen token nearest the middle: it has words on both sides to talk about.
  const middle = sample.tokens.length / 2;
  const at = sample.positions.reduce((best, p) => (Math.abs(p - middle) < Math.abs(best - middle) ? p : best));
  const kind = chosen.get(at);
  const left = inner(0, at) || "(nothing)";
  const right = inner(at + 1) || "(nothing)";
  const word = sample.tokens[at];
  const why = {
    mask: `It was replaced by [MASK], so the model must guess "${word}" from the words around it.`,
    random: `It was replaced by "${sample.corrupted[at]}", a random token: the model must notice that it does not fit and still answer "${word}".`,
    unchanged: `It was left as "${word}" — but the model is still asked what belongs there, so it cannot assume that only [MASK] positions matter.`,
  }[kind];
  return [
    element("p", {}, element("strong", { textContent: `Position ${at}: ` }), why),
    element("p", {}, element("strong", { textContent: "BERT reads both sides: " }), `"${left}" ◂ ? ▸ "${right}". `, "A left-to-right model (like the GPT family) would only see ", element("q", { textContent: left }), " when it guesses, and never the words after the blank."),
    element("p", { textContent: "Why not always [MASK]? In use the model answers from real words — in the quiz only the blank is [MASK], every other word is real. Asking about some random and some unchanged tokens too means any word might be tested, so it learns to check every word it reads, not only the masks." }),
  ];
}
