// Counts what reaches WebGPU from a page: installed (by page.evaluate) before anything makes a GPU
// device, it wraps WebGPU's own methods — GPUDevice, GPUQueue, the compute pass encoder, GPUBuffer —
// so the figures are what the browser was really asked to do, whatever library asked. Used by the
// tests of the GPU path and by `make bench` (bench/gpu_counts.mjs).

/** Installed in the page before anything makes a GPU device: counts every call that reaches WebGPU. */
export function installCounters() {
  const counts = { pipelines: 0, dispatches: 0, bindGroups: 0, submits: 0, commandBuffers: 0, readbacks: 0, readBytes: 0, writes: 0, writeBytes: 0, buffers: 0 };
  const wrap = (proto, name, count) => {
    const original = proto?.[name];
    if (!original) return;
    proto[name] = function (...args) {
      count.call(this, ...args);
      return original.apply(this, args);
    };
  };
  wrap(globalThis.GPUDevice?.prototype, "createComputePipeline", () => counts.pipelines++);
  wrap(globalThis.GPUDevice?.prototype, "createComputePipelineAsync", () => counts.pipelines++);
  wrap(globalThis.GPUDevice?.prototype, "createBindGroup", () => counts.bindGroups++);
  wrap(globalThis.GPUDevice?.prototype, "createBuffer", () => counts.buffers++);
  wrap(globalThis.GPUComputePassEncoder?.prototype, "dispatchWorkgroups", () => counts.dispatches++);
  wrap(globalThis.GPUComputePassEncoder?.prototype, "dispatchWorkgroupsIndirect", () => counts.dispatches++);
  wrap(globalThis.GPUQueue?.prototype, "submit", (buffers) => {
    counts.submits++;
    counts.commandBuffers += buffers?.length ?? 0;
  });
  wrap(globalThis.GPUQueue?.prototype, "writeBuffer", (buffer, offset, data, dataOffset, size) => {
    counts.writes++;
    counts.writeBytes += size ?? data?.byteLength ?? 0;
  });
  wrap(globalThis.GPUBuffer?.prototype, "mapAsync", function (mode, offset, size) {
    if (mode & GPUMapMode.READ) {
      counts.readbacks++;
      counts.readBytes += size ?? this.size - (offset ?? 0);
    }
  });
  // Dispatches by kernel: a pipeline is named by its shader's entry point — and, for the
  // hand-written kernels (all "main"), the names of what they bind — and a hash of its code.
  const names = new WeakMap();
  const byKernel = {};
  const createModule = GPUDevice.prototype.createShaderModule;
  GPUDevice.prototype.createShaderModule = function (descriptor) {
    const module = createModule.call(this, descriptor);
    const code = descriptor.code ?? "";
    let entry = code.match(/@compute[^]*?fn\s+(\w+)/)?.[1] ?? "?";
    if (entry === "main") entry += `(${[...code.matchAll(/var<storage[^>]*>\s+(\w+)/g)].map((m) => m[1]).join(",")})`;
    const hash = [...code].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7).toString(16).slice(0, 5);
    names.set(module, `${entry}#${hash}`);
    return module;
  };
  const createPipeline = GPUDevice.prototype.createComputePipeline;
  GPUDevice.prototype.createComputePipeline = function (descriptor) {
    const pipeline = createPipeline.call(this, descriptor);
    names.set(pipeline, names.get(descriptor.compute?.module) ?? descriptor.label ?? "?");
    return pipeline;
  };
  let current = "?";
  wrap(globalThis.GPUComputePassEncoder?.prototype, "setPipeline", (pipeline) => (current = names.get(pipeline) ?? "?"));
  wrap(globalThis.GPUComputePassEncoder?.prototype, "dispatchWorkgroups", () => (byKernel[current] = (byKernel[current] ?? 0) + 1));
  globalThis.gpuCounts = counts;
  globalThis.gpuByKernel = byKernel;
}
