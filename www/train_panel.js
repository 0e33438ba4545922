// The Train panel: the user's text, settings, Start / Pause / Resume / Stop, a live loss curve
// with held-out loss and accuracy, before/after predictions on a probe sentence, and the trained
// model as a zip download, kept in the browser's cache and loadable on the page.

import { drawLossCurve } from "./loss_curve.js";
import { zipFiles } from "./zip.js";
import { keepTrainedModel } from "./hub.js";
import { downloadBlob, within } from "./dom.js";
import { percent } from "./format.js";

const STEPS_PER_CALL = 5;
const EVALUATE_EVERY = 25;

/** The API's option names as the panel labels them, so a message names the box to change. */
const LABELS = { steps: "Steps", learningRate: "Learning rate", batchSize: "Batch size", seqLen: "Sequence length", maskRate: "Mask rate", maxGradNorm: "Clip gradients at", warmupSteps: "Warm-up steps" };

/** A training error in the panel's words: "batchSize must be …" → "Batch size must be …". */
export function inPanelWords(message) {
  return message?.replace(/\b(steps|learningRate|batchSize|seqLen|maskRate|maxGradNorm|warmupSteps)(?= must\b)/g, (name) => `"${LABELS[name]}"`) ?? message;
}

export class TrainPanel {
  /** `model()` gives the loaded ClozeClient; `useModel(url)` loads a folder URL on the page;
   * `onTrained()` is told when a run has ended with a model to keep. */
  constructor(root, { model, useModel, showError, onTrained = () => {} }) {
    this.$ = within(root);
    this.model = model;
    this.useModel = useModel;
    this.onTrained = onTrained;
    this.showError = (message) => showError(inPanelWords(message));
    this.trainer = null;
    this.state = "idle"; // idle | running | paused | stopped | finished
    this.$("train-start").addEventListener("click", () => this.start());
    this.$("train-pause").addEventListener("click", () => (this.state === "running" ? this.pause() : this.resume()));
    this.$("train-stop").addEventListener("click", () => this.stop());
    this.$("train-download").addEventListener("click", () => this.download());
    this.$("train-use").addEventListener("click", () => this.use());
    this.$("train-files").addEventListener("change", async (event) => {
      const texts = await Promise.all([...event.target.files].map((f) => f.text()));
      this.$("train-text").value = texts.join("\n\n");
      this.count();
    });
    this.$("train-text").addEventListener("input", () => this.count());
    addEventListener("beforeunload", (event) => {
      if (this.state !== "running" && this.state !== "paused") return;
      event.preventDefault(); // the browser asks before the tab closes mid-training
      event.returnValue = "";
    });
  }

  async count() {
    const model = this.model();
    if (!model) return;
    const text = this.$("train-text").value;
    const encoded = await model.tokenize(text.slice(0, 100_000));
    this.$("train-count").textContent = `${encoded.tokens.length - 2} tokens${text.length > 100_000 ? " in the first 100,000 characters" : ""}. A sample of how training will see it (chosen tokens: masked, replaced by a random token, or kept):`;
    const sample = await model.maskSample(text.split(/\n\s*\n/)[0].slice(0, 400), { seed: (this.rolls = (this.rolls ?? 0) + 1), maskRate: Number(this.$("train-mask").value) || 0.15 });
    const kinds = new Map(sample.positions.map((p, i) => [p, sample.corruptions[i]]));
    this.$("train-sample").replaceChildren(
      ...sample.corrupted.slice(1, -1).flatMap((token, i) => {
        const kind = kinds.get(i + 1);
        const span = Object.assign(document.createElement("span"), { textContent: token, className: kind ? `chosen ${kind}` : "" });
        if (kind) span.title = kind === "mask" ? `${sample.tokens[i + 1]} → masked` : kind === "random" ? `${sample.tokens[i + 1]} → a random token` : `${sample.tokens[i + 1]}, kept, still to be predicted`;
        return [span, " "];
      }),
    );
  }

  settings() {
    const number = (id) => Number(this.$(id).value);
    return { steps: number("train-steps"), learningRate: number("train-lr"), batchSize: number("train-batch"), seqLen: number("train-seq"), maskRate: number("train-mask"), maxGradNorm: number("train-clip") };
  }

  buttons() {
    const active = this.state === "running" || this.state === "paused";
    this.$("train-start").disabled = active;
    this.$("train-pause").disabled = !active;
    this.$("train-pause").textContent = this.state === "paused" ? "Resume" : "Pause";
    this.$("train-stop").disabled = !active;
    // A model to download or use exists once a run has been exported (stopped or finished), or on
    // demand while paused; a run that failed before its export has none.
    const usable = Boolean(this.trainer) && (this.state === "paused" || ((this.state === "stopped" || this.state === "finished") && Boolean(this.files)));
    this.$("train-download").disabled = !usable;
    this.$("train-use").disabled = !usable;
  }

  async start() {
    const model = this.model();
    if (!model) return this.showError("load a model first");
    this.showError(null);
    await this.trainer?.close();
    this.trainer = null;
    this.files = null;
    this.savedUrl = null;
    this.progress = null;
    // Nothing of the previous run stays on screen as if it were this one's.
    this.$("train-status").textContent = "starting…";
    this.$("train-progress").value = 0;
    this.$("train-probes").replaceChildren();
    this.$("train-curve").getContext("2d").clearRect(0, 0, this.$("train-curve").width, this.$("train-curve").height);
    try {
      this.settingsUsed = this.settings();
      this.trainer = await model.startTraining(this.$("train-text").value, this.settingsUsed);
    } catch (error) {
      return this.showError(error.message);
    }
    this.train = [];
    this.heldOut = [];
    this.tokens = 0;
    this.seconds = 0;
    this.probe = this.$("train-probe").value.trim();
    this.before = this.probe ? await this.trainer.fillMask(this.probe, { topK: 5 }).catch((e) => ({ error: e.message })) : null;
    const first = await this.trainer.evaluate();
    if (first) this.heldOut.push({ step: 0, loss: first.loss, accuracy: first.accuracy });
    this.state = "running";
    this.loop();
  }

  async loop() {
    this.buttons();
    const trainer = this.trainer;
    while (this.state === "running" && trainer === this.trainer) {
      const started = performance.now();
      let progress;
      try {
        progress = await trainer.advance(STEPS_PER_CALL);
      } catch (error) {
        this.state = "stopped";
        this.showError(error.message);
        break;
      }
      this.seconds += (performance.now() - started) / 1000;
      this.train.push({ step: progress.step, loss: progress.loss });
      this.progress = progress;
      if (progress.step % EVALUATE_EVERY === 0 || progress.step >= progress.steps) {
        const evaluation = await trainer.evaluate();
        if (evaluation) this.heldOut.push({ step: progress.step, ...evaluation });
      }
      if (progress.step >= progress.steps) this.state = "finished";
      this.render();
    }
    this.buttons();
    if (this.state === "finished" || this.state === "stopped") await this.finish();
  }

  /** Pauses after the steps in flight; the status says "paused at step N" once they are done. */
  pause() {
    this.state = "paused";
    this.buttons();
  }

  resume() {
    this.state = "running";
    this.loop();
  }

  stop() {
    const wasPaused = this.state === "paused";
    this.state = "stopped";
    if (wasPaused) this.finish();
    this.buttons();
  }

  render() {
    const p = this.progress;
    if (!p) return;
    this.$("train-progress").value = p.step / p.steps;
    const rate = this.seconds > 0 ? p.tokens / this.seconds : 0;
    const left = p.step > 0 ? (this.seconds / p.step) * (p.steps - p.step) : 0;
    const held = this.heldOut.at(-1);
    this.$("train-status").textContent =
      `${this.state === "paused" ? "paused at " : ""}step ${p.step} of ${p.steps} · loss ${p.loss.toFixed(3)}` +
      (held ? ` · held-out loss ${held.loss.toFixed(3)}, accuracy ${percent(held.accuracy)}` : "") +
      ` · gradient norm ${p.gradNorm.toFixed(2)} · ${rate.toFixed(0)} tokens/s · ${left.toFixed(0)} s left`;
    drawLossCurve(this.$("train-curve"), this.train, this.heldOut, p.steps, { foreground: getComputedStyle(document.body).color });
  }

  async finish() {
    this.buttons();
    this.render();
    if (this.probe) {
      const after = await this.trainer.fillMask(this.probe, { topK: 5 }).catch((e) => ({ error: e.message }));
      this.$("train-probes").replaceChildren(table("Before", this.before), table("After", after));
    }
    try {
      this.files = await this.trainer.exportFiles();
      this.savedUrl = null;
      this.onTrained();
    } catch (error) {
      this.showError(error.message);
    }
    this.buttons();
  }

  async download() {
    const files = this.state === "paused" ? await this.trainer.exportFiles() : this.files;
    downloadBlob(zipFiles(files, "clozelab-trained"), "clozelab-trained.zip");
  }

  /** Whether a run has ended with a model to keep. */
  get trained() {
    return Boolean(this.files);
  }

  /** The trained model kept in the browser, as a folder URL (kept once per export: asking again
   * gives the same copy); while paused, the weights so far. */
  async kept() {
    if (this.state === "paused") {
      this.files = await this.trainer.exportFiles();
      this.savedUrl = null;
    }
    if (!this.files) throw new Error("no model has been trained in this tab yet");
    this.savedUrl ??= await keepTrainedModel(this.files);
    return this.savedUrl;
  }

  /** Keeps the model in the browser and loads it. */
  async use() {
    try {
      if (this.state !== "paused" && !this.files) return;
      this.useModel(await this.kept());
    } catch (error) {
      this.showError(error.message);
    }
  }
}

function table(title, result) {
  const box = document.createElement("div");
  box.className = "probe";
  const heading = document.createElement("h3");
  heading.textContent = title;
  box.append(heading);
  if (!result || result.error) {
    box.append(result?.error ?? "");
    return box;
  }
  const list = document.createElement("ol");
  for (const p of result.masks[0]?.predictions ?? []) {
    const item = document.createElement("li");
    item.textContent = `${p.token.replace(/^##/, "")} — ${percent(p.score)}`;
    list.append(item);
  }
  box.append(list);
  return box;
}
