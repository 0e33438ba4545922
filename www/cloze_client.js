// The page's handle on a model running in the Web Worker (www/cloze_worker.js). Same API as the
// wasm ClozeModel — fromUrl, fromFiles, backend, info, tokenize, fillMask — with promises, plus
// cancelling a download through an AbortSignal. If the wasm instance dies (a trap), the worker is
// replaced and the model reloaded from where it came, so the page keeps working.

class WorkerLink {
  constructor() {
    this.pending = new Map();
    this.nextId = 1;
    this.start();
  }

  start() {
    // Written out in one expression, as bundlers (Vite, webpack) recognise a worker to bundle.
    this.worker = new Worker(new URL("./cloze_worker.js", import.meta.url), { type: "module" });
    this.worker.onmessage = (event) => this.receive(event.data);
    this.worker.onerror = (event) => this.failAll(`the model worker failed: ${event.message ?? "unknown error"}`);
  }

  receive({ id, value, error, progress, fatal }) {
    const entry = this.pending.get(id);
    if (!entry) return;
    if (progress) return entry.onProgress?.(progress);
    this.pending.delete(id);
    if (error !== undefined) {
      const failure = new Error(error);
      failure.fatal = Boolean(fatal);
      entry.reject(failure);
    } else entry.resolve(value);
  }

  failAll(message) {
    for (const entry of this.pending.values()) entry.reject(Object.assign(new Error(message), { fatal: true }));
    this.pending.clear();
  }

  restart() {
    this.worker.terminate();
    this.failAll("the model worker was restarted");
    this.start();
  }

  request(message, { onProgress, signal, transfer = [] } = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      if (signal) {
        if (signal.aborted) return this.post({ op: "cancel", target: id });
        signal.addEventListener("abort", () => this.post({ op: "cancel", target: id }), { once: true });
      }
      this.worker.postMessage({ id, ...message }, transfer);
    });
  }

  post(message) {
    this.worker.postMessage({ id: this.nextId++, ...message });
  }
}

// Models share one worker unless loaded with `ownWorker: true` (a second model on the page: it
// then neither waits for the first's requests nor goes down with it).
let sharedLink = null;
const shared = () => (sharedLink ??= new WorkerLink());

// Which of WebGPU and the CPU answered faster, per model shape and adapter (www/calibrate.js):
// kept in the page's storage, as the worker has none that lasts.
const CALIBRATIONS = "clozelab.calibrations";

function rememberedCalibrations() {
  try {
    const stored = JSON.parse(localStorage.getItem(CALIBRATIONS) ?? "{}");
    return { sources: stored.sources ?? {}, shapes: stored.shapes ?? {} };
  } catch {
    return { sources: {}, shapes: {} };
  }
}

function remember({ backend, gpuMs, cpuMs, shape, source }) {
  const stored = rememberedCalibrations();
  stored.shapes[shape] = { backend, gpuMs, cpuMs };
  stored.sources[source] = shape;
  try {
    localStorage.setItem(CALIBRATIONS, JSON.stringify(stored));
  } catch {
    // Storage full or refused (a private window): the next load measures again.
  }
}

export class ClozeClient {
  /**
   * `backend: "auto"` (the default) with a GPU at hand loads the model on WebGPU and on the CPU,
   * measures both and keeps the faster, remembered per model shape and adapter; `calibrate: true`
   * does so on a software adapter too, `"again"` measures anew whatever was remembered.
   * `ownWorker: true` runs the model in a worker of its own (closed with it).
   * @param {string} baseUrl @param {{backend?: string, dtype?: "fp32" | "q8", calibrate?: boolean | "again", ownWorker?: boolean, onProgress?: Function, signal?: AbortSignal, cache?: string}} options
   */
  static async fromUrl(baseUrl, options = {}) {
    return ClozeClient.load({ op: "fromUrl", baseUrl: new URL(baseUrl, location.href).href }, options);
  }

  /** @param {FileList | File[]} files */
  static async fromFiles(files, options = {}) {
    return ClozeClient.load({ op: "fromFiles", files: Array.from(files) }, options);
  }

  static async load(source, { onProgress, signal, ownWorker = false, ...options }) {
    // Checked here too: the worker passes its own callback on to the wasm loader.
    if (onProgress != null && typeof onProgress !== "function") throw new TypeError("onProgress must be a function");
    if (typeof ownWorker !== "boolean") throw new TypeError(`ownWorker must be true or false, not ${JSON.stringify(ownWorker)}`);
    const link = ownWorker ? new WorkerLink() : shared();
    try {
      const answer = await link.request({ ...source, options: { ...options, calibrations: rememberedCalibrations() } }, { onProgress, signal });
      if (answer.calibration && !answer.calibration.remembered) remember(answer.calibration);
      return new ClozeClient(link, ownWorker, source, options, answer);
    } catch (error) {
      if (ownWorker) link.worker.terminate();
      throw error;
    }
  }

  constructor(link, ownWorker, source, options, answer) {
    this.link = link;
    this.ownWorker = ownWorker;
    this.source = source;
    this.options = options;
    this.apply(answer);
    /** Called with (backend, reason) when the model moves to another backend. */
    this.onBackendChange = null;
  }

  apply({ modelId, backend, backendReason, calibration, adapter, gpuKernels, threads, info }) {
    this.modelId = modelId;
    this.backend = backend;
    this.backendReason = backendReason;
    /** When "auto" measured WebGPU against the CPU: `{ backend, gpuMs, cpuMs, remembered }`, else null. */
    this.calibration = calibration ?? null;
    this.adapter = adapter;
    /** "software" or "hardware": which kernels WebGPU runs (null on the CPU). */
    this.gpuKernels = gpuKernels;
    /** CPU threads the model's kernels share (null on WebGPU). */
    this.threads = threads;
    this.info = info;
  }

  async call(method, ...args) {
    try {
      const answer = await this.link.request({ op: "call", modelId: this.modelId, method, args });
      if (answer.backend !== this.backend) {
        this.backend = answer.backend;
        this.backendReason = answer.backendReason;
        this.calibration = answer.calibration ?? null;
        this.gpuKernels = answer.gpuKernels;
        this.threads = answer.threads;
        this.onBackendChange?.(this.backend, this.backendReason);
      }
      return answer.value;
    } catch (error) {
      if (error.fatal) await this.recover(error);
      throw error;
    }
  }

  /** After the wasm instance died: a fresh worker, the model reloaded from its source. */
  async recover(error) {
    this.link.restart();
    const answer = await this.link.request({ ...this.source, options: { ...this.options, calibrations: rememberedCalibrations() } });
    this.apply(answer);
    this.backendReason = `the model crashed (${error.message}) and was reloaded`;
    this.onBackendChange?.(this.backend, this.backendReason);
  }

  tokenize(text) {
    return this.call("tokenize", text);
  }

  /**
   * Predictions for every mask; with `{ attentions: true }` also `attentions[layer][head][from]`
   * as Float32Array rows (views into one buffer the worker posts: much cheaper than nested arrays).
   */
  async fillMask(text, options = {}) {
    const attentions = options?.attentions;
    if (attentions !== undefined && typeof attentions !== "boolean") {
      throw new TypeError(`fillMask option attentions: invalid value: ${JSON.stringify(attentions)}, expected true or false`);
    }
    if (!attentions) return this.call("fillMask", text, options);
    const result = await this.call("fillMask", text, { ...options, attentions: "flat" });
    const [layers, heads, rows, cols] = result.attentionShape;
    const flat = result.attentions;
    result.attentions = Array.from({ length: layers }, (_, l) =>
      Array.from({ length: heads }, (_, h) =>
        Array.from({ length: rows }, (_, i) => flat.subarray(((l * heads + h) * rows + i) * cols, ((l * heads + h) * rows + i + 1) * cols)),
      ),
    );
    delete result.attentionShape;
    return result;
  }

  /** How natural `text` is to the model: each word's log-probability given the rest, and their sum. */
  score(text) {
    return this.call("score", text);
  }

  /** A training run on a copy of this model (see Trainer); `text`: paragraphs split by blank lines. */
  async startTraining(text, options = {}) {
    const { trainerId, info } = await this.link.request({ op: "startTraining", modelId: this.modelId, text, options });
    return new Trainer(this.link, trainerId, info);
  }

  /** One roll of MLM corruption over `text` with the real masking code: `{ seed, maskRate }`. */
  maskSample(text, options = {}) {
    return this.call("maskSample", text, options);
  }

  /** Bytes held by the model's worker: its wasm memory, and GPU buffers in use and reserved. */
  memoryUsage() {
    return this.link.request({ op: "memoryUsage", modelId: this.modelId });
  }

  simulateGpuLoss() {
    return this.link.request({ op: "simulateGpuLoss", modelId: this.modelId });
  }

  /** Frees the model in the worker (and the worker, when it had one of its own). */
  async close() {
    if (!this.ownWorker) return this.link.request({ op: "drop", modelId: this.modelId });
    this.link.worker.terminate();
    this.link.failAll("the model was closed");
    return true;
  }
}

/**
 * A masked-LM training run in the worker: `advance(steps)` → { step, steps, loss, learningRate,
 * tokens }, `evaluate()` → { loss, accuracy } | null (held-out slice), `fillMask(text, { topK })`
 * with the weights so far, `exportFiles()` → [[name, Uint8Array]] (a Hugging Face folder).
 */
export class Trainer {
  constructor(link, trainerId, info) {
    this.link = link;
    this.trainerId = trainerId;
    this.info = info;
  }

  call(method, ...args) {
    return this.link.request({ op: "trainer", trainerId: this.trainerId, method, args });
  }

  advance(steps) {
    return this.call("advance", steps);
  }

  evaluate() {
    return this.call("evaluate");
  }

  /** Predictions with the weights as trained so far: `{ topK }`. */
  fillMask(text, options = {}) {
    return this.call("fillMask", text, options);
  }

  exportFiles() {
    return this.call("exportFiles");
  }

  close() {
    return this.link.request({ op: "dropTrainer", trainerId: this.trainerId });
  }
}
