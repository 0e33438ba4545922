// Which wasm build runs a model. The plain build (pkg/) has WebGPU and a one-thread CPU backend.
// The threaded build (pkg/threads/) is CPU-only — wgpu's WebGPU objects cannot live in shared
// memory — and shares burn's CPU kernels among Web Workers, one per core. It needs
// SharedArrayBuffer, so a cross-origin-isolated page (the COOP/COEP headers `make serve` sends);
// elsewhere, and if it fails to start, the plain build's CPU backend runs instead.

/** A promise made on first use, and made again if it failed. */
function once(start) {
  let promise = null;
  return () => (promise ??= start().catch((error) => {
    promise = null;
    throw error;
  }));
}

/** Threads for the pool: the cores the browser reports (it may round them), at most 16. */
function threadCount() {
  return Math.max(1, Math.min(self.navigator?.hardwareConcurrency || 1, 16));
}

function canUseThreads() {
  return self.crossOriginIsolated === true && threadCount() > 1;
}

const plain = once(async () => {
  const module = await import("../pkg/clozelab.js");
  await module.default();
  return module;
});

const threaded = once(async () => {
  const module = await import("../pkg/threads/clozelab.js");
  await module.default();
  await module.initThreadPool(threadCount());
  return module;
});

/** WebGPU's adapter, or null. */
async function adapter() {
  try {
    return (await self.navigator?.gpu?.requestAdapter()) ?? null;
  } catch {
    return null;
  }
}

/**
 * WebGPU's adapter as choosing a backend needs it, from one request: whether it is a GPU (a
 * fallback adapter — SwiftShader — runs GPU code on the CPU, slower than the CPU backend) and its
 * name in words that stay the same from visit to visit ("nvidia ampere", or "").
 */
export async function describeAdapter() {
  const found = await adapter();
  const info = found?.info;
  return {
    hardware: Boolean(found) && !(info?.isFallbackAdapter ?? found.isFallbackAdapter),
    name: info ? [info.vendor, info.architecture, info.device].filter(Boolean).join(" ") : "",
  };
}

/**
 * The build for a load that asks for `backend` ("auto" | "webgpu" | "cpu"): the threaded one for
 * the CPU when the page can have it (only then is an adapter asked for, to see whether "auto"
 * means the CPU: no adapter, or only a software one — unless `known`, describeAdapter()'s answer,
 * is given), the plain one otherwise.
 */
export async function buildFor(backend = "auto", known = null) {
  if (canUseThreads() && (backend === "cpu" || (backend === "auto" && !(known ?? (await describeAdapter())).hardware))) {
    try {
      return await threaded();
    } catch (error) {
      console.warn(`the multi-threaded CPU build did not start (${error?.message ?? error}); using one thread`);
    }
  }
  return plain();
}
