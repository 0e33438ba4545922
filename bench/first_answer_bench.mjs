// `make bench`: how long a visitor waits for the page's first answer with the bundled model on the
// CPU path — from navigation to the first ranked guess on screen, in a fresh browser profile (no
// cache, no service worker), the threaded build on a cross-origin-isolated page and the one-thread
// build on one that is not. Median of 3. Issue 21's target: ≤ 1.5 s on this 2-core machine.

import { startServer } from "../tests/browser/server.mjs";
import { launch, answered } from "../tests/browser/chromium.mjs";

const RUNS = 3;
const TARGET_MS = 1500;

for (const isolated of [true, false]) {
  const server = await startServer({ isolated });
  const times = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const browser = await launch({ webgpu: false });
      try {
        const page = await browser.newPage();
        await page.goto(`${server.url}/index.html?backend=cpu`);
        await answered(page);
        times.push(await page.evaluate(() => performance.now()));
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }
  times.sort((a, b) => a - b);
  const median = times[RUNS >> 1];
  console.log(
    `first answer on opening the page, CPU ${isolated ? "(threads)" : "(one thread)"}: ${median.toFixed(0)} ms ` +
      `(runs ${times.map((t) => t.toFixed(0)).join(", ")}) — target ≤ ${TARGET_MS} ms: ${median <= TARGET_MS ? "met" : "MISSED"}`,
  );
}
