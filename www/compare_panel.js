// Two models side by side: a second model, loaded in a worker of its own (so neither waits for the
// other, and a failure of one leaves the other working), answers the same sentence; each blank
// shows both rankings, and the words whose rank moved most between them are marked — before and
// after fine-tuning, BERT against RoBERTa, tiny against base. Tokenizers may differ: the sentence
// is given to each model with its own mask token, and words (not pieces) are compared.

import { ClozeClient } from "./cloze_client.js";
import { predictBlanks } from "./blanks.js";
import { blanksOf, sentenceParts } from "./sentence.js";
import { downloadBlob, downloadJson, element, say, setChildren, within } from "./dom.js";
import { parameters, percent, whereItRuns } from "./format.js";
import { presetName } from "./presets.js";
import { snapshotPng } from "./snapshot.js";

/** How many guesses each model lists per blank. */
export const COMPARED = 10;
/** How many of the biggest movers are marked per blank (only moves of two places or more). */
const MARKED = 3;

const ordinal = (n) => `${n}${n % 10 === 1 && n % 100 !== 11 ? "st" : n % 10 === 2 && n % 100 !== 12 ? "nd" : n % 10 === 3 && n % 100 !== 13 ? "rd" : "th"}`;

/** A word as two models' rankings are compared: lower case, no piece marks. */
const key = (word) => word.toLowerCase();

/**
 * Every word of two rankings ([{ word, score }], best first) with its rank in each (1-based, null
 * when outside that list), how far it moved (positive: higher in the second; a word missing from
 * a list counts as one place below its end) and whether it is among the `marked` biggest movers
 * (two places or more).
 */
export function rankMoves(first, second, marked = MARKED) {
  const rankIn = (list) => new Map(list.map((c, i) => [key(c.word), i + 1]).reverse());
  const [inFirst, inSecond] = [rankIn(first), rankIn(second)];
  const words = [...new Set([...first, ...second].map((c) => key(c.word)))];
  const below = Math.max(first.length, second.length) + 1;
  const moves = words.map((word) => {
    const a = inFirst.get(word) ?? null;
    const b = inSecond.get(word) ?? null;
    return { word, first: a, second: b, moved: (a ?? below) - (b ?? below), marked: false };
  });
  [...moves].filter((m) => Math.abs(m.moved) >= 2).sort((x, y) => Math.abs(y.moved) - Math.abs(x.moved)).slice(0, marked).forEach((m) => (m.marked = true));
  return moves;
}

/** A move in words: "rose from 7th to 1st", "new: not in the first model's top 10", … */
export function describeMove({ first, second }, size = COMPARED) {
  if (first === null) return `new: not in the first model's top ${size}, ${ordinal(second)} in the second's`;
  if (second === null) return `gone: ${ordinal(first)} in the first model, not in the second's top ${size}`;
  if (first === second) return `${ordinal(first)} in both`;
  return `${second < first ? "rose" : "fell"} from ${ordinal(first)} to ${ordinal(second)}`;
}

const megabytes = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;

export class ComparePanel {
  /**
   * @param {{ model: () => object | null, name: () => string, trained: () => boolean, keptTrained: () => Promise<string>, sourceUrl: (source: string) => { url: string, cache?: string }, presets: { source: string, label: string }[], backend: () => string }} page
   */
  constructor(root, page) {
    this.$ = within(root);
    this.root = root;
    this.page = page;
    this.second = null;
    this.secondName = null;
    this.loading = 0;
    this.downloads = null;
    this.result = null;
    this.fillPresets();
    this.$("second-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.loadChosen();
    });
    this.$("second-preset").addEventListener("change", () => {
      const chosen = this.$("second-preset").value;
      if (chosen && chosen !== "trained") this.$("second-source").value = chosen;
    });
    this.$("second-close").addEventListener("click", () => this.close());
    this.$("second-json").addEventListener("click", () => this.exportJson());
    this.$("second-png").addEventListener("click", async () => {
      if (this.result) downloadBlob(await snapshotPng(this.$("second-compare"), `Two models side by side — ${this.result.sentence}`), "clozelab-two-models.png");
    });
  }

  get wanted() {
    return this.root.open;
  }

  /** The presets, with the model trained in this tab first when there is one ("before / after"). */
  fillPresets() {
    const chosen = this.$("second-preset").value;
    this.$("second-preset").replaceChildren(
      ...(this.page.trained() ? [element("option", { value: "trained", textContent: "the model trained in this tab (after fine-tuning)" })] : []),
      ...this.page.presets.map((p) => element("option", { value: p.source, textContent: p.label })),
      element("option", { value: "", textContent: "another model (type its URL or hub id below)" }),
    );
    if (this.page.trained()) this.$("second-preset").value = "trained";
    else if ([...this.$("second-preset").options].some((o) => o.value === chosen)) this.$("second-preset").value = chosen;
  }

  /** A run in the Train panel has ended: its model is offered (and chosen) as the second. */
  offerTrained() {
    this.fillPresets();
    this.$("second-source").value = "";
  }

  async loadChosen() {
    const chosen = this.$("second-preset").value;
    try {
      if (chosen === "trained") {
        const url = await this.page.keptTrained();
        return this.load(url, "the model trained in this tab", { cache: this.page.sourceUrl(url).cache });
      }
      const source = this.$("second-source").value.trim() || chosen;
      if (!source) throw new Error("choose a model, or type its folder URL or hub id");
      const { url, cache } = this.page.sourceUrl(source);
      this.load(url, presetName(source) ?? source, { cache });
    } catch (error) {
      say(this.$("second-error"), error.message);
    }
  }

  async load(url, name, { cache }) {
    const mine = ++this.loading;
    this.downloads?.abort();
    this.downloads = new AbortController();
    say(this.$("second-error"), null);
    this.$("second-badge").textContent = `loading ${name}…`;
    const onProgress = ({ file, loaded, total }) => {
      if (mine === this.loading && total) this.$("second-badge").textContent = `loading ${name}: ${file} ${(loaded / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB…`;
    };
    try {
      const next = await ClozeClient.fromUrl(url, { backend: this.page.backend(), cache, onProgress, signal: this.downloads.signal, ownWorker: true });
      if (mine !== this.loading) return next.close();
      await this.second?.close();
      this.second = next;
      this.secondName = name;
      this.describe();
      this.onLoaded?.();
    } catch (error) {
      if (mine !== this.loading) return;
      this.describe();
      say(this.$("second-error"), `${name} did not load: ${error.message}${this.second ? ` — ${this.secondName} is still the second model` : ""}. The first model keeps working.`);
    }
  }

  async close() {
    this.loading++;
    this.downloads?.abort();
    await this.second?.close();
    this.second = null;
    this.secondName = null;
    this.result = null;
    say(this.$("second-error"), null);
    this.describe();
    setChildren(this.$("second-compare"), []);
    this.$("second-memory").textContent = "";
  }

  describe() {
    const second = this.second;
    this.$("second-close").disabled = !second;
    this.$("second-json").disabled = !second || !this.result;
    this.$("second-png").disabled = !second || !this.result;
    this.$("second-badge").textContent = second
      ? `Second model: ${this.secondName} — ${second.info.modelType}, ${parameters(second.info.paramCount)} parameters, on ${whereItRuns(second)}, in a worker of its own.`
      : "No second model loaded.";
  }

  /** Memory of the two workers (each its own wasm memory; GPU buffers where on WebGPU). */
  async showMemory() {
    const first = this.page.model();
    if (!first || !this.second) return;
    const [a, b] = await Promise.all([first.memoryUsage(), this.second.memoryUsage()]).catch(() => [null, null]);
    if (!a || !b) return;
    const gpu = a.gpuBytesReserved + b.gpuBytesReserved;
    this.$("second-memory").textContent = `Memory: the first model's worker ${megabytes(a.wasmBytes)}, the second's ${megabytes(b.wasmBytes)} — ${megabytes(a.wasmBytes + b.wasmBytes)} together${gpu ? `, and ${megabytes(gpu)} of GPU buffers` : ""}.`;
  }

  /** Both models' rankings of every blank of `sentence` (written with the first model's mask token). */
  async show(sentence, stale) {
    const first = this.page.model();
    const second = this.second;
    if (!this.wanted || !first || !second) return;
    say(this.$("second-predict-error"), null);
    this.$("second-compare").setAttribute("aria-busy", "true");
    try {
      const theirs = sentence.split(first.info.maskToken).join(second.info.maskToken);
      const [a, b] = await Promise.all([rankings(first, sentence), rankings(second, theirs)]);
      if (stale() || second !== this.second) return;
      this.result = { sentence, first: a, second: b };
      this.render();
      await this.showMemory();
    } catch (error) {
      if (!stale()) {
        this.result = null;
        setChildren(this.$("second-compare"), []);
        say(this.$("second-predict-error"), `The two models could not be compared on this sentence: ${error.message}`);
      }
    } finally {
      this.$("second-compare").removeAttribute("aria-busy");
      this.describe();
    }
  }

  render() {
    const { first, second } = this.result;
    const notes = [];
    if (first.tokens.join("\u0000") !== second.tokens.join("\u0000")) {
      notes.push(`Their tokenizers differ: the first model reads this sentence as ${first.tokens.length} pieces, the second as ${second.tokens.length} — the words are compared, not the pieces.`);
    }
    if (first.answers.length !== second.answers.length) {
      notes.push(`The models see ${first.answers.length} and ${second.answers.length} blanks: the pieces of a blank differ between their vocabularies, so only the first ${Math.min(first.answers.length, second.answers.length)} are compared.`);
    }
    if (first.answers.length === 0) notes.push("No blank yet: blank a word in the sentence to compare the two models' guesses.");
    const count = Math.min(first.answers.length, second.answers.length);
    setChildren(this.$("second-compare"), [
      ...notes.map((n) => element("p", { className: "notice", textContent: n })),
      ...Array.from({ length: count }, (_, i) => this.blankTable(i, first.answers[i].candidates, second.answers[i].candidates)),
    ]);
  }

  blankTable(index, first, second) {
    const moves = new Map(rankMoves(first, second).map((m) => [m.word, m]));
    const cell = (candidate) => {
      if (!candidate) return element("td");
      const move = moves.get(key(candidate.word));
      const td = element("td", { className: move.marked ? "moved" : "" }, element("span", { className: "word", textContent: candidate.word }), ` ${percent(candidate.score)}`);
      td.dataset.score = candidate.score;
      if (move.marked) {
        td.append(element("span", { className: "move", textContent: move.moved > 0 ? " ↑" : " ↓", ariaHidden: "true" }));
        td.append(element("span", { className: "sr-only", textContent: ` (${describeMove(move)})` }));
      }
      td.title = describeMove(move);
      return td;
    };
    const rows = Math.max(first.length, second.length);
    return element(
      "table",
      { className: "side-by-side" },
      element("caption", { textContent: `Blank ${index + 1}: the two rankings (the biggest moves marked ↑ rose, ↓ fell in the second model)` }),
      element("thead", {}, element("tr", {}, element("th", { scope: "col", textContent: "rank" }), element("th", { scope: "col", textContent: this.page.name() }), element("th", { scope: "col", textContent: this.secondName }))),
      element("tbody", {}, ...Array.from({ length: rows }, (_, r) => element("tr", {}, element("th", { scope: "row", textContent: String(r + 1) }), cell(first[r]), cell(second[r])))),
    );
  }

  exportJson() {
    if (!this.result) return;
    const { sentence, first, second } = this.result;
    const blanks = Math.min(first.answers.length, second.answers.length);
    const json = {
      sentence,
      models: [this.page.name(), this.secondName],
      blanks: Array.from({ length: blanks }, (_, i) => ({
        first: first.answers[i].candidates,
        second: second.answers[i].candidates,
        moves: rankMoves(first.answers[i].candidates, second.answers[i].candidates),
      })),
    };
    downloadJson(json, "clozelab-two-models.json");
  }
}

/** One model's top words for each blank of `text`, and its pieces. */
async function rankings(model, text) {
  const encoded = await model.tokenize(text);
  const blanks = blanksOf(sentenceParts(text, encoded.words, model.info.maskToken));
  if (blanks.length === 0) return { tokens: encoded.tokens, answers: [] };
  const { answers } = await predictBlanks(model, text, blanks, COMPARED);
  return { tokens: encoded.tokens, answers: answers.map((a) => ({ candidates: a.candidates.map(({ word, score }) => ({ word, score })) })) };
}
