// The surprise panel: how expected each word of the sentence is to the model. Each word is hidden
// in turn (all its pieces) and guessed from the rest; its probability of being itself colours it —
// the less expected, the warmer — and its numbers show on hover or focus. The sentence's total,
// the sum of the words' log-probabilities (its pseudo-log-likelihood), is what comparing two
// sentences compares. The numbers come from the model's `score` (www/cloze_client.js).

import { downloadBlob, element, say, setChildren, within } from "./dom.js";
import { percent } from "./format.js";

/** A word's surprise, 0 (certain) to 1 (a probability of e⁻⁸ ≈ 0.03% or less), for its colour. */
const surprise = (logProb) => Math.min(1, Math.max(0, -logProb / 8));

/** Background for a surprise: pale yellow to orange, always dark enough text on top. */
const colour = (s) => `hsl(${45 - 25 * s}, 95%, ${94 - 42 * s}%)`;

/** "mat": 12.3% given the rest (log-probability −2.10); below a thousandth, "under 0.1%". */
export function describeWord(word) {
  const p = Math.exp(word.logProb);
  return `"${word.text}": ${p >= 0.0005 ? percent(p) : "under 0.1%"} given the rest (log-probability ${word.logProb.toFixed(2)})`;
}

/** The sentence's line: its total, its words' mean, and the most surprising word. */
export function describeSentence(result) {
  const words = result.words.length;
  const worst = result.words.reduce((a, b) => (b.logProb < a.logProb ? b : a));
  return `Pseudo-log-likelihood ${result.total.toFixed(2)} over ${words} word${words === 1 ? "" : "s"} (${(result.total / words).toFixed(2)} a word); the most surprising: ${describeWord(worst)}.`;
}

export class SurprisePanel {
  constructor(root) {
    this.$ = within(root);
    this.root = root;
    this.result = null; // { text, score }
    this.$("surprise-json").addEventListener("click", () => this.exportJson());
  }

  get wanted() {
    return this.root.open;
  }

  /** The scores of `text`, drawn over the sentence. */
  show(text, score) {
    this.result = { text, score };
    say(this.$("surprise-error"), null);
    const parts = [];
    let at = 0;
    for (const word of score.words) {
      const [start, end] = word.chars;
      if (start > at) parts.push(text.slice(at, start));
      const s = surprise(word.logProb);
      const span = element("span", {
        className: "surprise-word",
        tabIndex: 0,
        textContent: text.slice(start, end),
        title: describeWord(word),
      });
      span.setAttribute("aria-label", describeWord(word));
      span.dataset.logProb = word.logProb;
      span.style.background = colour(s);
      const readout = () => (this.$("surprise-readout").textContent = describeWord(word));
      span.addEventListener("mouseenter", readout);
      span.addEventListener("focus", readout);
      parts.push(span);
      at = Math.max(at, end);
    }
    if (at < text.length) parts.push(text.slice(at));
    setChildren(this.$("surprise-sentence"), parts);
    this.$("surprise-total").textContent = describeSentence(score);
    this.$("surprise-readout").textContent = "";
    this.$("surprise-json").disabled = false;
  }

  /** Nothing to show for `text`, and why. */
  fail(message) {
    this.result = null;
    setChildren(this.$("surprise-sentence"), []);
    this.$("surprise-total").textContent = "";
    this.$("surprise-readout").textContent = "";
    this.$("surprise-json").disabled = true;
    say(this.$("surprise-error"), message);
  }

  exportJson() {
    if (!this.result) return;
    const { text, score } = this.result;
    const json = JSON.stringify({ text, total: score.total, words: score.words.map(({ text, chars, logProb, pieces }) => ({ text, chars, logProb, probability: Math.exp(logProb), pieces })) }, null, 1);
    downloadBlob(new Blob([json], { type: "application/json" }), "clozelab-surprise.json");
  }
}
