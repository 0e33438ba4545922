// The model's home: a module Web Worker running the wasm ClozeModel, so the page never freezes.
// Messages mirror the JS API: {id, op: "fromUrl" | "fromFiles" | "call" | "drop" | "cancel" |
// "startTraining" | "trainer" | "dropTrainer", ...} and answers are {id, value} | {id, error} |
// {id, progress}. Trainers (www/cloze_client.js's Trainer) live here too, next to their model.
// Each model runs in the wasm build www/wasm_builds.js picks for it (threaded for the CPU).

import { buildFor, describeAdapter } from "./wasm_builds.js";
import { loadFaster } from "./calibrate.js";
import { calibrationReason } from "./format.js";
import { modelStore } from "./hub.js";

const models = new Map();
/** How "auto" chose each model's backend, when it measured (www/calibrate.js). */
const calibrations = new Map();
const trainers = new Map();
const downloads = new Map();
let nextModel = 1;

function describe(model, modelId) {
  // The measured choice explains the backend for as long as the model stays on it (a lost GPU
  // moves it to the CPU with the wasm model's own reason).
  const calibration = calibrations.get(modelId);
  const measured = calibration?.backend === model.backend ? calibration : null;
  const reason = measured?.backend === "cpu" ? calibrationReason(measured) : model.backendReason ?? null;
  return { backend: model.backend, backendReason: reason, calibration: measured, adapter: model.adapter ?? null, gpuKernels: model.gpuKernels ?? null, threads: model.threads ?? null, info: model.info };
}

/** The wasm loader's "no option …; its options are …" names its own; the worker takes `calibrate` too. */
function withWorkerOptions(error) {
  const message = error?.message ?? "";
  return /has no option .*; its options are /.test(message) ? new Error(`${message}, calibrate`) : error;
}

/** A source as the page will know it again: the URL, or the files' names and sizes. */
function sourceOf(message) {
  return message.op === "fromUrl" ? message.baseUrl : message.files.map((f) => `${f.name}:${f.size}`).join(",");
}

async function handle(message) {
  const { id, op } = message;
  if (op === "fromUrl" || op === "fromFiles") {
    const controller = new AbortController();
    downloads.set(id, controller);
    try {
      // `cache` crosses from the page as a cache name; the loader takes hub.js's store for it.
      // `calibrate` and `calibrations` are this worker's (the choice between WebGPU and the CPU).
      const { cache, calibrate, calibrations: remembered, ...rest } = message.options ?? {};
      const options = {
        ...rest,
        ...(cache ? { cache: modelStore(cache) } : {}),
        signal: controller.signal,
        onProgress: (progress) => postMessage({ id, progress }),
      };
      const load = async (module, backend = options.backend) => {
        const chosen = backend === undefined ? options : { ...options, backend };
        try {
          return await (op === "fromUrl" ? module.ClozeModel.fromUrl(message.baseUrl, chosen) : module.ClozeModel.fromFiles(message.files, chosen));
        } catch (error) {
          throw withWorkerOptions(error);
        }
      };
      // 8-bit weights run on the CPU only: they take the CPU's build whatever the backend says.
      const backend = rest.dtype === "q8" ? "cpu" : rest.backend ?? "auto";
      let model;
      let calibration = null;
      // "auto" with a GPU (or asked to measure even a software one): the faster of the two here.
      // `calibrate: true` counts any adapter; `"again"` also forgets what was measured before.
      const gpu = backend === "auto" ? await describeAdapter() : null;
      if (gpu && (calibrate === true || calibrate === "again" || gpu.hardware)) {
        const onStage = (stage) => postMessage({ id, progress: { stage } });
        ({ model, calibration } = await loadFaster(load, { source: sourceOf(message), adapter: gpu.name, remembered, fresh: calibrate === "again", onStage }));
      } else {
        model = await load(await buildFor(backend, gpu));
      }
      const modelId = nextModel++;
      models.set(modelId, model);
      if (calibration) calibrations.set(modelId, calibration);
      return { modelId, ...describe(model, modelId) };
    } finally {
      downloads.delete(id);
    }
  }
  if (op === "cancel") {
    downloads.get(message.target)?.abort();
    return true;
  }
  if (op === "trainer" || op === "dropTrainer") {
    const trainer = trainers.get(message.trainerId);
    if (!trainer) throw new Error("this training run was closed");
    if (op === "dropTrainer") {
      trainers.delete(message.trainerId);
      trainer.free();
      return true;
    }
    return trainer[message.method](...message.args);
  }
  const model = models.get(message.modelId);
  if (!model) throw new Error("this model was closed");
  if (op === "drop") {
    models.delete(message.modelId);
    calibrations.delete(message.modelId);
    model.free();
    return true;
  }
  if (op === "call") {
    const value = await model[message.method](...message.args);
    const current = describe(model, message.modelId);
    return { value, backend: current.backend, backendReason: current.backendReason, calibration: current.calibration, gpuKernels: current.gpuKernels, threads: current.threads };
  }
  if (op === "startTraining") {
    const trainer = model.startTraining(message.text, message.options ?? {});
    const trainerId = nextModel++;
    trainers.set(trainerId, trainer);
    return { trainerId, info: trainer.info };
  }
  if (op === "memoryUsage") return model.memoryUsage();
  if (op === "simulateGpuLoss") return model.simulateGpuLoss();
  throw new Error(`unknown operation ${op}`);
}

self.onmessage = async (event) => {
  const { id } = event.data;
  try {
    const value = await handle(event.data);
    // Attention maps (one Float32Array in a buffer of its own, megabytes for a large model) move to
    // the page, not copied; a view into anything larger (wasm memory) would be copied.
    const maps = value?.value?.attentions;
    const own = maps instanceof Float32Array && maps.buffer instanceof ArrayBuffer && maps.byteLength === maps.buffer.byteLength;
    postMessage({ id, value }, own ? [maps.buffer] : []);
  } catch (error) {
    // A wasm trap (a panic) leaves the instance unusable: say so, so the client can restart us.
    const fatal = error instanceof WebAssembly.RuntimeError;
    postMessage({ id, error: error?.message ?? String(error), fatal });
  }
};
