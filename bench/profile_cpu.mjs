// Where a fill-mask pass on the browser's CPU path spends its time, on every thread: V8's sampling
// profiler in the page, the model's worker and each of rayon's Web Workers (Chromium's DevTools
// protocol, attached to every worker as it starts), while one model answers the same text
// repeatedly. Prints, per thread and summed, the functions with the most self time, and how long
// each thread sat idle. Function names need a module with its name section: build one with
//   wasm-bindgen --target web --out-dir pkg/threads --out-name clozelab $THREADS_WASM
// (make pkg's command without --remove-name-section; make pkg puts the shipped one back).
//
// Usage: [CALLS=20] node --experimental-websocket bench/profile_cpu.mjs [model folder] [tokens] [fp32|q8] [--one-thread]
//   e.g. bench-results/models/bert-base 16 q8. The profiles are kept in bench-results/prof/.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

import { startServer, ROOT } from "../tests/browser/server.mjs";

const [folder = "bench-results/models/bert-base", tokensArg = "128", dtype = "fp32"] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const tokens = Number(tokensArg);
const isolated = !process.argv.includes("--one-thread");
const CALLS = Number(process.env.CALLS ?? 20);
const PORT = 9333;

const server = await startServer({ isolated });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", `--remote-debugging-port=${PORT}`],
});

/** The DevTools protocol over one WebSocket, every target in flat sessions. */
async function devtools() {
  const { webSocketDebuggerUrl } = await (await fetch(`http://127.0.0.1:${PORT}/json/version`)).json();
  const socket = new WebSocket(webSocketDebuggerUrl);
  await new Promise((done) => socket.addEventListener("open", done, { once: true }));
  let next = 1;
  const waiting = new Map();
  const listeners = [];
  socket.addEventListener("message", ({ data }) => {
    const message = JSON.parse(data);
    if (message.id && waiting.has(message.id)) {
      const { resolve, reject } = waiting.get(message.id);
      waiting.delete(message.id);
      message.error ? reject(new Error(JSON.stringify(message.error))) : resolve(message.result);
    } else if (message.method) {
      for (const listener of listeners) listener(message);
    }
  });
  return {
    send(method, params = {}, sessionId) {
      const id = next++;
      socket.send(JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) }));
      return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
    },
    on(listener) {
      listeners.push(listener);
    },
    close: () => socket.close(),
  };
}

const cdp = await devtools();
const sessions = new Map(); // sessionId → { type, url }
cdp.on(async (message) => {
  if (message.method !== "Target.attachedToTarget") return;
  const { sessionId, targetInfo } = message.params;
  sessions.set(sessionId, { type: targetInfo.type, url: targetInfo.url });
  // Workers the worker starts (rayon's pool) are attached too.
  await cdp.send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: false, flatten: true }, sessionId).catch(() => {});
  await cdp.send("Profiler.enable", {}, sessionId).catch(() => {});
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 }, sessionId).catch(() => {});
});
await cdp.send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: false, flatten: true });
const page = await browser.newPage();
await page.goto(`${server.url}/tests/browser/harness.html?backend=cpu`);

const words = Array.from({ length: tokens - 2 }, (_, i) => (i === tokens >> 1 ? "[MASK]" : `w${(i * 7919) % 30000}`));
const text = words.join(" ");
await page.evaluate(
  async ({ url, dtype, text }) => {
    window.model = await window.loadModel(url, { backend: "cpu", dtype });
    for (let i = 0; i < 3; i++) await window.model.fillMask(text, { topK: 5 });
  },
  { url: `/${folder.replace(/\/?$/, "/")}`, dtype, text },
);
const threads = await page.evaluate(() => window.model.threads);
const profiled = [...sessions].filter(([, s]) => s.type === "page" || s.type === "worker");
for (const [id] of profiled) await cdp.send("Profiler.start", {}, id).catch(() => {});
const elapsed = await page.evaluate(
  async ({ text, calls }) => {
    const start = performance.now();
    for (let i = 0; i < calls; i++) await window.model.fillMask(text, { topK: 5 });
    return (performance.now() - start) / calls;
  },
  { text, calls: CALLS },
);
mkdirSync(join(ROOT, "bench-results/prof"), { recursive: true });
const total = new Map();
const report = [];
for (const [id, { type, url }] of profiled) {
  let profile;
  try {
    ({ profile } = await cdp.send("Profiler.stop", {}, id));
  } catch {
    continue;
  }
  const name = `${type}-${url.split("/").pop() || "page"}-${id.slice(0, 6)}`;
  writeFileSync(join(ROOT, "bench-results/prof", `${name}.cpuprofile`), JSON.stringify(profile));
  // Self time per function from the samples' time deltas.
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  profile.samples.forEach((nodeId, i) => {
    const frame = byNode.get(nodeId).callFrame;
    const key = frame.functionName || `(anonymous ${frame.url.split("/").pop()}:${frame.lineNumber})`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const sum = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = (self.get("(idle)") ?? 0) + (self.get("(program)") ?? 0);
  report.push({ name, sum, idle, self });
  for (const [key, ms] of self) if (key !== "(idle)") total.set(key, (total.get(key) ?? 0) + ms);
}
console.log(`${folder} ${tokens} tokens ${dtype}, ${threads} thread(s): ${elapsed.toFixed(1)} ms a call (${CALLS} calls, under the profiler)`);
const top = (self, count, sum) =>
  [...self]
    .filter(([key]) => key !== "(idle)")
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, ms]) => `    ${((100 * ms) / sum).toFixed(1).padStart(5)}%  ${(ms / CALLS).toFixed(2).padStart(8)} ms/call  ${key.slice(0, 110)}`)
    .join("\n");
for (const { name, sum, self } of report) {
  const busy = sum - (self.get("(idle)") ?? 0);
  if (busy / CALLS < 0.5) continue;
  console.log(`\n${name}: busy ${(busy / CALLS).toFixed(1)} ms/call of ${(sum / CALLS).toFixed(1)} (idle ${((self.get("(idle)") ?? 0) / CALLS).toFixed(1)})`);
  console.log(top(self, 12, busy));
}
const busyAll = [...total.values()].reduce((a, b) => a + b, 0);
console.log(`\nall threads: busy ${(busyAll / CALLS).toFixed(1)} ms/call`);
console.log(top(total, 30, busyAll));
cdp.close();
await browser.close();
await server.close();
