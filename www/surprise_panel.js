// The surprise panel: how expected each word of the sentence is to the model. Each word is hidden
// in turn (all its pieces) and guessed from the rest; its probability of being itself colours it —
// the less expected, the warmer — and its numbers show on hover or focus. The sentence's total,
// the sum of the words' log-probabilities (its pseudo-log-likelihood), is what comparing
// sentences compares (two: which is preferred and by how much; more: their ranking). The numbers come from the model's `score` (www/cloze_client.js).

import { downloadBlob, downloadJson, element, say, setChildren, within } from "./dom.js";
import { percent } from "./format.js";
import { snapshotPng } from "./snapshot.js";

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

/**
 * Which words of `a` and of `b` (arrays of strings) are not in their longest common subsequence:
 * the words that make two sentences differ (where several subsequences are as long, words are
 * matched as early as they can be in `a`). Answers two arrays of booleans.
 */
export function differingWords(a, b) {
  const same = (x, y) => x.toLowerCase() === y.toLowerCase();
  const table = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i][j] = same(a[i], b[j]) ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const [inA, inB] = [a.map(() => true), b.map(() => true)];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (same(a[i], b[j])) {
      inA[i++] = false;
      inB[j++] = false;
    } else if (table[i + 1][j] > table[i][j + 1]) i++;
    else j++;
  }
  return [inA, inB];
}

/** Which of two scored sentences the model prefers, by how much, and the words that differ. */
export function verdict(first, second) {
  const margin = first.total - second.total;
  const [inFirst, inSecond] = differingWords(first.words.map((w) => w.text), second.words.map((w) => w.text));
  const listed = (score, marks) => score.words.filter((_, i) => marks[i]).map((w) => `"${w.text}" (${w.logProb.toFixed(2)})`).join(", ") || "none";
  const which = margin >= 0 ? "the first sentence" : "the other sentence";
  return {
    inFirst,
    inSecond,
    text: `The model prefers ${which}, by ${Math.abs(margin).toFixed(2)} in log-probability (${first.total.toFixed(2)} against ${second.total.toFixed(2)}). The words that differ: ${listed(first, inFirst)} against ${listed(second, inSecond)}.`,
  };
}

/**
 * `text` with its scored words as coloured, focusable spans (the warmer, the less expected;
 * `differs[i]` outlines word `i`); `readout(word)` is called when a word is hovered or focused.
 */
export function drawnWords(text, score, { differs = [], readout = () => {} } = {}) {
  const parts = [];
  let at = 0;
  for (const [i, word] of score.words.entries()) {
    const [start, end] = word.chars;
    if (start > at) parts.push(text.slice(at, start));
    const span = element("span", {
      className: differs[i] ? "surprise-word differs" : "surprise-word",
      tabIndex: 0,
      textContent: text.slice(start, end),
      title: describeWord(word),
    });
    span.setAttribute("aria-label", describeWord(word));
    span.dataset.logProb = word.logProb;
    span.style.background = colour(surprise(word.logProb));
    span.addEventListener("mouseenter", () => readout(word));
    span.addEventListener("focus", () => readout(word));
    parts.push(span);
    at = Math.max(at, end);
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

/**
 * Several sentences ranked by their totals, most natural to the model first: `sentences` is
 * [{ text, score }], the first the sentence in the box. Answers the line that says it.
 */
export function ranking(sentences) {
  const ranked = sentences.map((s, i) => ({ ...s, mine: i === 0 })).sort((a, b) => b.score.total - a.score.total);
  const listed = ranked.map((s, i) => `${i + 1}. "${s.text}"${s.mine ? " (this sentence)" : ""} ${s.score.total.toFixed(2)}`).join("; ");
  const gap = ranked[0].score.total - ranked[1].score.total;
  return `Most natural to the model first: ${listed} — the first two ${gap.toFixed(2)} apart in log-probability.`;
}

export class SurprisePanel {
  constructor(root) {
    this.$ = within(root);
    this.root = root;
    this.result = null; // { text, score }
    this.$("surprise-json").addEventListener("click", () => this.exportJson());
    this.$("surprise-png").addEventListener("click", () => this.exportPng());
  }

  get wanted() {
    return this.root.open;
  }

  /** The scores of `text`, drawn over the sentence. */
  show(text, score) {
    this.result = { text, score };
    this.others = null;
    say(this.$("surprise-error"), null);
    setChildren(this.$("surprise-sentence"), this.drawn(text, score));
    this.$("surprise-total").textContent = describeSentence(score);
    this.$("surprise-readout").textContent = "";
    this.$("surprise-json").disabled = false;
    this.$("surprise-png").disabled = false;
    this.compareWith(null);
  }

  /** The other sentences of a comparison ([{ text, score }], or none: `null` or []), drawn with
   * the words that differ from this sentence outlined, and the verdict (two sentences) or the
   * ranking (more). */
  compareWith(others) {
    this.others = others?.length ? others : null;
    say(this.$("compare-error"), null);
    if (!this.others || !this.result) {
      setChildren(this.$("compare-sentence"), []);
      this.$("compare-verdict").textContent = "";
      return;
    }
    const mine = this.result;
    // One other sentence: the verdict (which marks the words too); several: their ranking.
    const single = this.others.length === 1 ? verdict(mine.score, this.others[0].score) : null;
    const marks = single ? [[single.inFirst, single.inSecond]] : this.others.map((other) => differingWords(mine.score.words.map((w) => w.text), other.score.words.map((w) => w.text)));
    // This sentence's words outlined where they differ from any of the others.
    const inMine = mine.score.words.map((_, i) => marks.some(([inFirst]) => inFirst[i]));
    setChildren(this.$("surprise-sentence"), this.drawn(mine.text, mine.score, inMine));
    setChildren(
      this.$("compare-sentence"),
      this.others.map((other, i) => {
        const line = element("p", { className: "compare-line" }, ...this.drawn(other.text, other.score, marks[i][1]));
        line.setAttribute("aria-label", `Other sentence ${i + 1}, each word coloured by how surprising it is`);
        return line;
      }),
    );
    this.$("compare-verdict").textContent = single ? single.text : ranking([mine, ...this.others]);
  }

  /** The other sentence could not be scored. */
  failOther(message) {
    this.compareWith(null);
    say(this.$("compare-error"), message);
  }

  drawn(text, score, differs = []) {
    return drawnWords(text, score, { differs, readout: (word) => (this.$("surprise-readout").textContent = describeWord(word)) });
  }

  /** Nothing to show for `text`, and why. */
  fail(message) {
    this.result = null;
    this.compareWith(null);
    setChildren(this.$("surprise-sentence"), []);
    this.$("surprise-total").textContent = "";
    this.$("surprise-readout").textContent = "";
    this.$("surprise-json").disabled = true;
    this.$("surprise-png").disabled = true;
    say(this.$("surprise-error"), message);
  }

  /** The sentence's heatmap (and the other sentence's, when comparing) as a PNG. */
  async exportPng() {
    if (!this.result) return;
    const views = this.others ? [this.$("surprise-view"), this.$("compare-view")] : [this.$("surprise-view")];
    downloadBlob(await snapshotPng(views, "How surprising each word is to the model"), "clozelab-surprise.png");
  }

  exportJson() {
    if (!this.result) return;
    const { text, score } = this.result;
    const words = (s) => s.words.map(({ text, chars, logProb, pieces }) => ({ text, chars, logProb, probability: Math.exp(logProb), pieces }));
    const others = this.others ? { others: this.others.map((o) => ({ text: o.text, total: o.score.total, words: words(o.score) })) } : {};
    downloadJson({ text, total: score.total, words: words(score), ...others }, "clozelab-surprise.json");
  }
}
