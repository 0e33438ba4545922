// Debian's Chromium driven by playwright-core, headless, with WebGPU (SwiftShader) on or off.

import { after, before } from "node:test";
import { chromium } from "playwright-core";

import { startServer } from "./server.mjs";

const BASE_ARGS = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** @param {{ webgpu: boolean }} options */
export function launch({ webgpu }) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: webgpu ? [...BASE_ARGS, "--enable-unsafe-webgpu"] : BASE_ARGS,
  });
}

/** A page that fails the test on uncaught errors and keeps the console for messages. */
export async function openPage(browser, url) {
  const page = await browser.newPage();
  const log = [];
  page.on("console", (message) => log.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => log.push(`pageerror: ${error.message}`));
  page.log = log;
  await page.goto(url);
  return page;
}

/**
 * A test server and one Chromium shared by a whole test file: started before its tests, closed
 * after them. Returns { server, browser }, filled in once the file's `before` hook has run.
 */
export function serveAndLaunch({ webgpu = false } = {}) {
  const shared = {};
  before(async () => {
    shared.server = await startServer();
    shared.browser = await launch({ webgpu });
  });
  after(async () => {
    await shared.browser.close();
    await shared.server.close();
  });
  return shared;
}

/**
 * Waits until the page shows its answers for the sentence now in the box — not the answers still
 * on screen from the sentence before, nor while a newer draw is pending — and `selector` (an
 * answer's row by default) is among them.
 */
export function answered(page, selector = ".answer .prediction") {
  return page.waitForFunction((selector) => {
    const predictions = document.getElementById("predictions");
    return predictions.dataset.text === document.getElementById("text").value && !predictions.hasAttribute("aria-busy") && predictions.querySelector(selector) !== null;
  }, selector);
}

/** Clicks `selector` and answers the file it downloads, as a Buffer. */
export async function downloaded(page, selector) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  return Object.assign(Buffer.concat(chunks), { name: download.suggestedFilename() });
}
