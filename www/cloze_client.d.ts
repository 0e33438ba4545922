// Types of www/cloze_client.js, the API the npm package exports: a model in a Web Worker, with the
// wasm ClozeModel's methods as promises. Options and results are the wasm build's own types,
// generated from the Rust structs that make them (pkg/clozelab.d.ts): only the worker's own
// surface is written here.

import type {
  Encoded,
  FillMaskResult,
  LoadOptions,
  MaskSample,
  MaskSampleOptions,
  MemoryUsage,
  ModelInfo,
  ScoreResult,
  TrainEvaluation,
  TrainInfo,
  TrainOptions,
  TrainProgress,
  TrainerFillMaskOptions,
} from "../pkg/clozelab.js";

export type {
  Corruption,
  Encoded,
  FillMaskResult,
  LoadOptions,
  MaskPredictions,
  MaskSample,
  MaskSampleOptions,
  MemoryUsage,
  ModelInfo,
  Prediction,
  ScoreResult,
  TrainEvaluation,
  TrainInfo,
  TrainOptions,
  TrainProgress,
  TrainerFillMaskOptions,
  WordScore,
  WordSpan,
} from "../pkg/clozelab.js";

/** The wasm loader's options, and the worker's own: whether "auto" measures WebGPU against the CPU. */
export interface ClientLoadOptions extends LoadOptions {
  /**
   * "auto" measures WebGPU against the CPU where a hardware adapter exists, remembering the faster
   * per model shape and adapter; `true` measures on a software adapter too, `"again"` forgets what
   * was remembered.
   */
  calibrate?: boolean | "again";
  /**
   * Runs the model in a Web Worker of its own (closed with it), so it neither waits for other
   * models' requests nor fails with them — a second model beside the first. Default: false, one
   * worker shared by every model.
   */
  ownWorker?: boolean;
}

/** How "auto" chose between WebGPU and the CPU, when it measured. */
export interface Calibration {
  backend: "webgpu" | "cpu";
  /** Median milliseconds of an answer to a short sentence on each. */
  gpuMs: number;
  cpuMs: number;
  /** Whether this was remembered from an earlier load rather than measured now. */
  remembered: boolean;
}

/** The wasm `fillMask`'s options, with attentions always as nested rows (the client unpacks them). */
export interface FillMaskOptions {
  /** How many predictions per mask (default 5). */
  topK?: number;
  /** Also return every layer's attention probabilities: `attentions[layer][head][from][to]`. */
  attentions?: boolean;
}

/** `attentions` as rows of one Float32Array, when `{ attentions: true }` was asked. */
export interface FillMaskWithAttentions extends Omit<FillMaskResult, "attentions" | "attentionShape"> {
  attentions: Float32Array[][][];
}

export declare class ClozeClient {
  /** Downloads a Hugging Face-layout folder (config.json, tokenizer, weights) and loads it in the worker. */
  static fromUrl(baseUrl: string | URL, options?: ClientLoadOptions): Promise<ClozeClient>;
  /** Loads a model folder from files (a file picker, a dropped folder). */
  static fromFiles(files: FileList | File[], options?: ClientLoadOptions): Promise<ClozeClient>;

  /** "webgpu" or "cpu": where the model runs now (it moves to the CPU if the GPU is lost). */
  readonly backend: string;
  /** Why the model runs where it does, in words, or null. */
  readonly backendReason: string | null;
  /** How "auto" chose the backend when it measured both, else null. */
  readonly calibration: Calibration | null;
  /** The WebGPU adapter's name, or null. */
  readonly adapter: string | null;
  /** Which kernels WebGPU runs: "software" (written for a software adapter) or "hardware"; null on the CPU. */
  readonly gpuKernels: "software" | "hardware" | null;
  /** CPU threads the model's kernels share (null on WebGPU). */
  readonly threads: number | null;
  readonly info: ModelInfo;
  /** Called with (backend, reason) when the model moves to another backend. */
  onBackendChange: ((backend: string, reason: string | null) => void) | null;

  /** Tokens, ids, character offsets and word spans of `text`. */
  tokenize(text: string): Promise<Encoded>;
  /** Ranked predictions for every mask token in `text`. */
  fillMask(text: string, options?: FillMaskOptions & { attentions?: false }): Promise<FillMaskResult>;
  fillMask(text: string, options: FillMaskOptions & { attentions: true }): Promise<FillMaskWithAttentions>;
  /** How natural `text` is: each word's log-probability given the rest (masked, all its pieces), and their sum. */
  score(text: string): Promise<ScoreResult>;
  /** A training run on a copy of this model; `text`: paragraphs split by blank lines. */
  startTraining(text: string, options?: TrainOptions): Promise<Trainer>;
  /** One roll of masked-LM corruption (15%: 80% [MASK], 10% random, 10% kept) over `text`. */
  maskSample(text: string, options?: MaskSampleOptions): Promise<MaskSample>;
  /** Bytes the model holds: wasm memory, and GPU memory in use and reserved. */
  memoryUsage(): Promise<MemoryUsage>;
  /** Destroys the GPU device as a lost device would (to try the fallback to the CPU). */
  simulateGpuLoss(): Promise<void>;
  /** Frees the model in the worker (and ends the worker, for a model with one of its own). */
  close(): Promise<boolean>;
}

export declare class Trainer {
  readonly info: TrainInfo;
  /** Runs `steps` optimiser steps; resolves with the last one's figures. */
  advance(steps: number): Promise<TrainProgress>;
  /** Loss and accuracy on the held-out slice, or null when the text had none. */
  evaluate(): Promise<TrainEvaluation | null>;
  /** Predictions with the weights as trained so far. */
  fillMask(text: string, options?: TrainerFillMaskOptions): Promise<FillMaskResult>;
  /** The trained model as a Hugging Face folder: [file name, bytes] pairs. */
  exportFiles(): Promise<Array<[string, Uint8Array]>>;
  close(): Promise<boolean>;
}
