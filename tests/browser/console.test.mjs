// A normal visit leaves the console clean: no error, no failed request — a 404 for a file the
// loader only probed was one (special_tokens_map.json, which the bundled model has no need of) — on
// WebGPU and on the CPU, on both pages, from the first load to the first answer.

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { serveAndLaunch } from "./chromium.mjs";

/** Everything a visit to `url` puts in red: console errors, uncaught errors, failed requests. */
async function problemsOf(browser, url, ready) {
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (message) => message.type() === "error" && problems.push(`console: ${message.text()}`));
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  // A request that never got an answer (refused, blocked by COEP, …). Not net::ERR_ABORTED: the
  // DevTools protocol reports some of the worker's downloads so under the threaded build although
  // their bytes arrive whole (the model loads from them) and nothing reaches the console.
  page.on("requestfailed", (request) => request.failure()?.errorText !== "net::ERR_ABORTED" && problems.push(`failed: ${request.url()} (${request.failure()?.errorText})`));
  page.on("response", (response) => response.status() >= 400 && problems.push(`HTTP ${response.status()}: ${response.url()}`));
  await page.goto(url);
  await ready(page);
  // The service worker stores the site meanwhile: closing the page before it is done would cut
  // its downloads short (reported as failed requests, though nobody sees them).
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.close();
  return problems;
}

const answered = (page) => page.waitForSelector(".prediction", { timeout: 120_000 });
const quizReady = (page) => page.waitForFunction(() => /parameters/.test(document.getElementById("badge").textContent), null, { timeout: 120_000 });

for (const webgpu of [true, false]) {
  describe(`the console on a normal visit with WebGPU ${webgpu ? "on" : "off"}`, () => {
    const shared = serveAndLaunch({ webgpu });

    test("the explore page loads the bundled model and answers with nothing in red", { timeout: 180_000 }, async () => {
      assert.deepEqual(await problemsOf(shared.browser, `${shared.server.url}/`, answered), []);
    });

    test("the classroom loads its model with nothing in red", { timeout: 180_000 }, async () => {
      assert.deepEqual(await problemsOf(shared.browser, `${shared.server.url}/classroom.html`, quizReady), []);
    });
  });
}
