// The "Can BERT write?" activity on the page: the teacher writes a start with blanks (___), picks
// the order, a temperature and a seed, and the model fills the blanks one step at a time; each step
// shows which blank it took, the word drawn and the words it was drawn from.

import { downloadBlob, downloadJson, element, say, setChildren, within } from "../dom.js";
import { snapshotPng } from "../snapshot.js";
import { percent } from "../format.js";
import { pieceText } from "../sentence.js";
import { CANDIDATES, WritingRun, withMasks } from "./writing.js";

/** Candidates listed under a step (it was drawn from CANDIDATES). */
const LISTED = 5;

export function temperatureLabel(t) {
  if (t <= 0) return "0 — always its likeliest word";
  if (t < 1) return `${t.toFixed(1)} — bolder towards its likeliest words`;
  if (t === 1) return "1 — the model's own chances";
  return `${t.toFixed(1)} — flatter: surprising words more often`;
}

export class WritingView {
  /** @param {() => object | null} model the loaded model, or null while it loads */
  constructor(root, model, onError) {
    this.$ = within(root);
    this.model = model;
    this.onError = onError;
    this.run = null;
    this.busy = false;
    this.$("writing-step").addEventListener("click", () => this.fill(1));
    this.$("writing-all").addEventListener("click", () => this.fill(Infinity));
    this.$("writing-reset").addEventListener("click", () => this.reset());
    this.$("writing-temperature").addEventListener("input", () => this.showTemperature());
    this.$("writing-png").addEventListener("click", async () => {
      if (this.run?.steps.length) downloadBlob(await snapshotPng([this.$("writing-sentence"), this.$("writing-steps")], "Can BERT write?"), "clozelab-writing.png");
    });
    this.$("writing-json").addEventListener("click", () => this.exportJson());
    // A change of the start or the settings starts the run again (the steps so far used the old ones).
    for (const id of ["writing-text", "writing-order", "writing-temperature", "writing-seed"]) this.$(id).addEventListener("change", () => this.reset());
    this.showTemperature();
  }

  showTemperature() {
    this.$("writing-temperature-value").textContent = temperatureLabel(Number(this.$("writing-temperature").value));
  }

  settings() {
    const seed = Number(this.$("writing-seed").value);
    if (!Number.isInteger(seed) || seed < 0) throw new Error("the seed is a whole number, 0 or more");
    return { order: this.$("writing-order").value, temperature: Number(this.$("writing-temperature").value), seed };
  }

  /** A fresh run of the start as written (null when it cannot be one: the message says why). */
  newRun() {
    const model = this.model();
    say(this.$("writing-error"), null);
    if (!model) return null;
    try {
      return new WritingRun(this.$("writing-text").value, { maskToken: model.info.maskToken, ...this.settings() });
    } catch (error) {
      say(this.$("writing-error"), error.message);
      return null;
    }
  }

  reset() {
    if (this.busy) return;
    this.run = this.newRun();
    this.render();
  }

  /** Fills up to `steps` blanks, drawing after each. */
  async fill(steps) {
    if (this.busy) return;
    const model = this.model();
    if (!model) return this.onError("the model is still loading — try again in a moment");
    if (!this.run || this.run.done) this.run = this.newRun();
    if (!this.run) return this.render();
    this.busy = true;
    this.$("writing-sentence").setAttribute("aria-busy", "true");
    this.render();
    const run = this.run;
    try {
      for (let i = 0; i < steps && !run.done && run === this.run; i++) {
        await run.step(model);
        this.render();
      }
    } catch (error) {
      say(this.$("writing-error"), `the model could not fill the blank: ${error.message}`);
    } finally {
      this.busy = false;
      this.$("writing-sentence").removeAttribute("aria-busy");
      this.render();
    }
  }

  exportJson() {
    const run = this.run;
    if (!run?.steps.length) return;
    const json = {
      start: run.start,
      order: run.order,
      temperature: run.temperature,
      seed: run.seed,
      steps: run.steps.map(({ blank, token, score, chance, candidates, text }) => ({ blank: blank + 1, word: pieceText(token), score, chance, candidates, text })),
    };
    downloadJson(json, "clozelab-writing.json");
  }

  render() {
    const run = this.run;
    for (const id of ["writing-step", "writing-all"]) this.$(id).disabled = this.busy || Boolean(run?.done);
    this.$("writing-reset").disabled = this.busy;
    this.$("writing-png").disabled = this.$("writing-json").disabled = this.busy || !run?.steps.length;
    if (!run) {
      setChildren(this.$("writing-sentence"), []);
      setChildren(this.$("writing-steps"), []);
      this.$("writing-status").textContent = "";
      return;
    }
    // The start with its blanks, each filled one marked with its step's number.
    const model = this.model();
    const segments = withMasks(run.start, model?.info.maskToken ?? "[MASK]").split(model?.info.maskToken ?? "[MASK]");
    const filled = new Map(run.steps.map((s, i) => [s.blank, { word: pieceText(s.token), step: i + 1 }]));
    const parts = [segments[0]];
    segments.slice(1).forEach((segment, blank) => {
      const f = filled.get(blank);
      parts.push(
        f
          ? element("mark", { className: "written", title: `step ${f.step}` }, f.word, element("sup", { textContent: String(f.step), ariaLabel: `step ${f.step}` }))
          : element("span", { className: "gap" }, element("span", { className: "sr-only", textContent: "blank" }), element("span", { ariaHidden: "true", textContent: "___" })),
        segment,
      );
    });
    setChildren(this.$("writing-sentence"), parts);
    setChildren(
      this.$("writing-steps"),
      run.steps.map((s) =>
        element(
          "li",
          {},
          `blank ${s.blank + 1} → `,
          element("strong", { textContent: pieceText(s.token) }),
          ` (the model: ${percent(s.score)}${run.temperature > 0 ? `; its chance at this temperature: ${percent(s.chance)}` : ""}) — from `,
          s.candidates.slice(0, LISTED).map((c) => `${pieceText(c.token)} ${percent(c.score)}`).join(", "),
          s.candidates.length > LISTED ? ", …" : "",
        ),
      ),
    );
    const left = run.open.length;
    this.$("writing-status").textContent = run.done
      ? `Done in ${run.steps.length} step${run.steps.length === 1 ? "" : "s"}, one pass of the model each. Read it aloud: is it a sentence someone would write?`
      : `${left} blank${left === 1 ? "" : "s"} to fill; each step takes a word from the model's ${CANDIDATES} likeliest whole words.`;
  }
}
