// The model's home: a module Web Worker running the wasm ClozeModel, so the page never freezes.
// Messages mirror the JS API: {id, op: "fromUrl" | "fromFiles" | "call" | "drop" | "cancel" |
// "startTraining" | "trainer" | "dropTrainer", ...} and answers are {id, value} | {id, error} |
// {id, progress}. Trainers (www/cloze_client.js's Trainer) live here too, next to their model.
// Each model runs in the wasm build www/wasm_builds.js picks for it (threaded for the CPU).

import { buildFor } from "./wasm_builds.js";
import { modelStore } from "./hub.js";

const models = new Map();
const trainers = new Map();
const downloads = new Map();
let nextModel = 1;

function describe(model) {
  return { backend: model.backend, backendReason: model.backendReason ?? null, adapter: model.adapter ?? null, gpuKernels: model.gpuKernels ?? null, threads: model.threads ?? null, info: model.info };
}

async function handle(message) {
  const { id, op } = message;
  if (op === "fromUrl" || op === "fromFiles") {
    const controller = new AbortController();
    downloads.set(id, controller);
    try {
      // `cache` crosses from the page as a cache name; the loader takes hub.js's store for it.
      const { cache, ...rest } = message.options ?? {};
      const options = {
        ...rest,
        ...(cache ? { cache: modelStore(cache) } : {}),
        signal: controller.signal,
        onProgress: (progress) => postMessage({ id, progress }),
      };
      // 8-bit weights run on the CPU only: they take the CPU's build whatever the backend says.
      const module = await buildFor(message.options?.dtype === "q8" ? "cpu" : message.options?.backend);
      const model = op === "fromUrl"
        ? await module.ClozeModel.fromUrl(message.baseUrl, options)
        : await module.ClozeModel.fromFiles(message.files, options);
      const modelId = nextModel++;
      models.set(modelId, model);
      return { modelId, ...describe(model) };
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
    model.free();
    return true;
  }
  if (op === "call") {
    const value = await model[message.method](...message.args);
    const current = describe(model);
    return { value, backend: current.backend, backendReason: current.backendReason, gpuKernels: current.gpuKernels, threads: current.threads };
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
    postMessage({ id, value: await handle(event.data) });
  } catch (error) {
    // A wasm trap (a panic) leaves the instance unusable: say so, so the client can restart us.
    const fatal = error instanceof WebAssembly.RuntimeError;
    postMessage({ id, error: error?.message ?? String(error), fatal });
  }
};
