// How both pages say numbers and where a model runs, so the page and the classroom agree.

/** A probability as a percentage: 0.4567 → "45.7%". */
export const percent = (score, digits = 1) => `${(score * 100).toFixed(digits)}%`;

/** A parameter count as people read it: "4.4 M", "880.0 k". */
export const parameters = (count) => (count >= 1e6 ? `${(count / 1e6).toFixed(1)} M` : `${(count / 1e3).toFixed(1)} k`);

/** Where a loaded ClozeClient runs: "WebGPU (adapter)", or "CPU (2 threads) — why not the GPU". */
export function whereItRuns(client) {
  if (client.backend === "webgpu") return `WebGPU${client.adapter ? ` (${client.adapter})` : ""}`;
  const threads = client.threads > 1 ? ` (${client.threads} threads)` : "";
  return `CPU${threads}${client.backendReason ? ` — ${client.backendReason}` : ""}`;
}
