// "auto" with a GPU at hand: WebGPU or the CPU, chosen by which answers faster on this machine
// for this model — a GPU is not always faster (an integrated one, a small model, a busy driver).
// The model is loaded on both, each answers a short sentence a few times, the faster is kept
// and the other freed. The choice is remembered per model shape and adapter (the page keeps it
// in localStorage), so the next load of that model, or of another of its shape, goes straight to
// the faster one.

import { buildFor } from "./wasm_builds.js";

/** Timed answers per backend (after one untimed): the median is compared. */
const ROUNDS = 3;

/** Median milliseconds of `ROUNDS` answers to a short sentence. */
async function timeAnswers(model) {
  const text = `the ${model.info.maskToken} sat on the mat while the dog slept by the door.`;
  await model.fillMask(text, { topK: 5 });
  const times = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await model.fillMask(text, { topK: 5 });
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[ROUNDS >> 1];
}

/** What makes two models equally fast on one adapter: their shape and weights' type. */
function shapeOf(info, adapter) {
  return [info.modelType, `${info.layers}×${info.hidden}`, `${info.heads} heads`, `${info.vocabSize} words`, info.dtype, adapter || "a GPU"].join(" / ");
}

/**
 * Loads the model, with `load(module, backend)`, on whichever of WebGPU and the CPU answers it
 * faster: the one remembered for its source and adapter (`remembered`: the page's
 * `{ sources: {source: shape}, shapes: {shape: {backend, gpuMs, cpuMs}} }`) unless `fresh`, else
 * both, measured. Answers `{ model, calibration }`, `calibration` being `{ backend, gpuMs, cpuMs,
 * measuringMs, shape, source, remembered }` — or null where WebGPU did not load (the CPU runs, as "auto" would).
 */
export async function loadFaster(load, { source, adapter, remembered = {}, fresh = false, onStage }) {
  const sourceKey = `${source} on ${adapter || "a GPU"}`;
  const shape = remembered.sources?.[sourceKey];
  const known = !fresh && shape ? remembered.shapes?.[shape] : null;
  if (known && (known.backend === "cpu" || known.backend === "webgpu")) {
    const model = await load(await buildFor(known.backend), known.backend);
    return { model, calibration: { ...known, shape, source: sourceKey, remembered: true } };
  }
  let gpu;
  try {
    gpu = await load(await buildFor("webgpu"), "webgpu");
  } catch {
    return { model: await load(await buildFor("auto"), "auto"), calibration: null };
  }
  let cpu;
  try {
    onStage?.("loading on the CPU too, to compare");
    cpu = await load(await buildFor("cpu"), "cpu");
  } catch {
    return { model: gpu, calibration: null };
  }
  onStage?.("measuring WebGPU and the CPU");
  const start = performance.now();
  const gpuMs = await timeAnswers(gpu);
  const cpuMs = await timeAnswers(cpu);
  const measuringMs = performance.now() - start;
  const backend = cpuMs < gpuMs ? "cpu" : "webgpu";
  const [model, other] = backend === "cpu" ? [cpu, gpu] : [gpu, cpu];
  other.free();
  return {
    model,
    calibration: { backend, gpuMs, cpuMs, measuringMs, shape: shapeOf(model.info, adapter), source: sourceKey, remembered: false },
  };
}
