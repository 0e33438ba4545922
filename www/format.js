// How both pages say numbers and where a model runs, so the page and the classroom agree.

/** A probability as a percentage: 0.4567 → "45.7%". */
export const percent = (score, digits = 1) => `${(score * 100).toFixed(digits)}%`;

/** A parameter count as people read it: "4.4 M", "880.0 k". */
export const parameters = (count) => (count >= 1e6 ? `${(count / 1e6).toFixed(1)} M` : `${(count / 1e3).toFixed(1)} k`);

/**
 * Why "auto" chose the backend it measured faster (www/calibrate.js), in words: "the CPU answered
 * 2.0× faster than WebGPU here (…)", or without its subject "3.1× faster than the CPU here (…)".
 */
export function calibrationReason({ backend, gpuMs, cpuMs, remembered }, { subject = true } = {}) {
  const [faster, slower] = backend === "cpu" ? ["the CPU", "WebGPU"] : ["WebGPU", "the CPU"];
  const ratio = backend === "cpu" ? gpuMs / cpuMs : cpuMs / gpuMs;
  const when = remembered ? "measured on an earlier visit" : "measured as the model loaded";
  return `${subject ? `${faster} answered ` : ""}${ratio.toFixed(1)}× faster than ${slower} here (${when})`;
}

/**
 * Where a loaded ClozeClient runs: "WebGPU (adapter)" — with how much faster than the CPU, when
 * that was measured — or "CPU (2 threads) — why not the GPU".
 */
export function whereItRuns(client) {
  if (client.backend === "webgpu") {
    const measured = client.calibration ? ` — ${calibrationReason(client.calibration, { subject: false })}` : "";
    return `WebGPU${client.adapter ? ` (${client.adapter})` : ""}${measured}`;
  }
  const threads = client.threads > 1 ? ` (${client.threads} threads)` : "";
  return `CPU${threads}${client.backendReason ? ` — ${client.backendReason}` : ""}`;
}
