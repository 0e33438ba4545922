// Debian's Chromium driven by playwright-core, headless, with WebGPU (SwiftShader) on or off.

import { chromium } from "playwright-core";

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
