// The site `make dist` builds, as a static host serves it: only what the pages load, every text and
// wasm file precompressed, wasm named by its content, _headers for hosts that read them — and on a
// host that sends no headers at all, the service worker makes the pages cross-origin isolated, so
// the CPU model runs on every core, hub downloads from another origin still work, and the site
// still answers once the server is gone.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { get } from "node:http";
import { join, relative } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

import { ROOT, startServer } from "./server.mjs";
import { launch } from "./chromium.mjs";

const DIST = join(ROOT, "dist");

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [relative(DIST, join(dir, entry.name))]));

/** tools/serve.py over dist/ on a free port; `headers: false` sends no COOP/COEP, as GitHub Pages. */
function serveDist({ headers }) {
  const child = spawn("python3", [join(ROOT, "tools/serve.py"), "--root", DIST, ...(headers ? [] : ["--no-headers"]), "127.0.0.1", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`tools/serve.py exited with ${code}`)));
    child.stdout.on("data", (chunk) => {
      const port = String(chunk).match(/127\.0\.0\.1:(\d+)/)?.[1];
      const stopped = () => child.exitCode !== null || child.signalCode !== null;
      if (port) resolve({ url: `http://127.0.0.1:${port}`, stop: () => (stopped() ? Promise.resolve() : new Promise((done) => (child.once("exit", done), child.kill()))) });
    });
  });
}

/** A raw GET (no decoding): { status, headers, body }. */
function fetchRaw(url, headers = {}) {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

describe("the site from make dist", () => {
  const files = walk(DIST);
  const wasm = files.filter((f) => f.endsWith(".wasm"));

  test("holds only what the pages load, with the wasm named by its content and referenced by that name", () => {
    for (const path of ["index.html", "classroom.html", "sw.js", "_headers", "www/app.js", "www/cloze_worker.js", "www/models/clozelab-tiny-bert/model.safetensors"]) {
      assert.ok(files.includes(path), `${path} is missing from dist/`);
    }
    const outside = files.filter((f) => !/^(index\.html|classroom\.html|sw\.js|_headers|www\/|pkg\/)/.test(f.replace(/\.(br|gz)$/, "")));
    assert.deepEqual(outside, [], "dist/ holds files the site does not serve");
    assert.ok(!files.some((f) => /\.(rs|py|mjs|d\.ts|tsv)$/.test(f) || f.startsWith("pkg/package.json")), "sources, tests or package files in dist/");
    assert.deepEqual(wasm.map((f) => f.replace(/\.[0-9a-f]{12}\.wasm$/, ".wasm")).sort(), ["pkg/clozelab_bg.wasm", "pkg/threads/clozelab_bg.wasm"]);
    const sw = readFileSync(join(DIST, "sw.js"), "utf8");
    assert.match(sw, /const RELEASE = "[0-9a-f]{12}";/, "the service worker's cache is not versioned");
    for (const file of wasm) {
      const glue = readFileSync(join(DIST, file.replace(/clozelab_bg\.[0-9a-f]{12}\.wasm$/, "clozelab.js")), "utf8");
      const name = file.split("/").pop();
      assert.ok(glue.includes(`'${name}'`), `the glue does not load ${name}`);
      assert.ok(sw.includes(`"${file}"`), `the service worker does not keep ${file}`);
    }
  });

  test("every text and wasm file has a brotli and a gzip copy that decompress to it", () => {
    const compressible = files.filter((f) => /\.(html|js|css|json|wasm)$/.test(f));
    assert.ok(compressible.length > 40, `only ${compressible.length} files`);
    for (const file of compressible) {
      const original = readFileSync(join(DIST, file));
      if (original.length < 100) continue; // too small to gain: kept as it is
      assert.ok(existsSync(join(DIST, `${file}.br`)) && existsSync(join(DIST, `${file}.gz`)), `${file} is not precompressed`);
      assert.ok(brotliDecompressSync(readFileSync(join(DIST, `${file}.br`))).equals(original), `${file}.br is not ${file}`);
      assert.ok(gunzipSync(readFileSync(join(DIST, `${file}.gz`))).equals(original), `${file}.gz is not ${file}`);
    }
  });

  test("_headers isolates every page and caches the hashed wasm for a year", () => {
    const headers = readFileSync(join(DIST, "_headers"), "utf8");
    assert.match(headers, /^\/\*\n(\s+.+\n)*\s+Cross-Origin-Opener-Policy: same-origin\n(\s+.+\n)*/m);
    assert.match(headers, /Cross-Origin-Embedder-Policy: require-corp/);
    for (const file of wasm) assert.match(headers, new RegExp(`^/${file.replace(/\./g, "\\.")}\\n  Content-Type: application/wasm\\n  Cache-Control: public, max-age=31536000, immutable$`, "m"));
  });

  describe("served by tools/serve.py", () => {
    let site;
    before(async () => (site = await serveDist({ headers: true })));
    after(() => site.stop());

    test("answers with brotli, gzip or the plain file as the request allows, and the _headers rules", async () => {
      const file = wasm.find((f) => !f.includes("threads"));
      const original = readFileSync(join(DIST, file));
      const br = await fetchRaw(`${site.url}/${file}`, { "accept-encoding": "gzip, deflate, br" });
      assert.equal(br.headers["content-encoding"], "br");
      assert.equal(br.headers["content-type"], "application/wasm");
      assert.equal(br.headers["vary"], "Accept-Encoding");
      assert.equal(br.headers["cache-control"], "public, max-age=31536000, immutable");
      assert.equal(br.headers["cross-origin-embedder-policy"], "require-corp");
      assert.ok(brotliDecompressSync(br.body).equals(original));
      const gz = await fetchRaw(`${site.url}/${file}`, { "accept-encoding": "gzip" });
      assert.equal(gz.headers["content-encoding"], "gzip");
      assert.ok(gunzipSync(gz.body).equals(original));
      const plain = await fetchRaw(`${site.url}/${file}`, { "accept-encoding": "br;q=0, identity" });
      assert.equal(plain.headers["content-encoding"], undefined);
      assert.ok(plain.body.equals(original));
      const page = await fetchRaw(`${site.url}/`, { "accept-encoding": "br" });
      assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
      assert.equal(page.headers["cross-origin-opener-policy"], "same-origin");
      assert.equal((await fetchRaw(`${site.url}/_headers`)).status, 404);
      assert.equal((await fetchRaw(`${site.url}/../Cargo.toml`)).status, 404);
    });
  });

  describe("on a host that sends no COOP/COEP", () => {
    let site;
    let hub;
    let browser;
    before(async () => {
      site = await serveDist({ headers: false });
      hub = await startServer(); // a second origin with the hub's layout
      browser = await launch({ webgpu: false });
    });
    after(async () => {
      await browser.close();
      await hub.close();
      await site.stop();
    });

    test("the service worker isolates the page: the CPU model runs on every core, the hub downloads, and offline it still answers", { timeout: 300_000 }, async () => {
      const raw = await fetchRaw(`${site.url}/`);
      assert.equal(raw.headers["cross-origin-opener-policy"], undefined, "this server was meant to send no COOP");
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems = [];
      page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
      page.on("pageerror", (error) => problems.push(error.message));
      await page.goto(`${site.url}/`);
      // The first visit is not isolated; once the service worker controls the page, it reloads.
      await page.waitForFunction(() => self.crossOriginIsolated && navigator.serviceWorker.controller, null, { timeout: 120_000 }).catch(async () => {
        await page.waitForLoadState();
        await page.waitForFunction(() => self.crossOriginIsolated && navigator.serviceWorker.controller, null, { timeout: 60_000 });
      });
      await page.waitForFunction(() => /CPU \(\d+ threads\)/.test(document.getElementById("badge").textContent), null, { timeout: 120_000 });
      await page.waitForSelector(".prediction");
      const badge = await page.textContent("#badge");
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      assert.ok(cores > 1, "this test needs a machine with more than one core");
      assert.match(badge, new RegExp(`CPU \\(${Math.min(cores, 16)} threads\\)`));

      const fromHub = await page.evaluate(async (url) => {
        const { ClozeClient } = await import("./www/cloze_client.js");
        const model = await ClozeClient.fromUrl(url, { backend: "cpu" });
        const answer = await model.fillMask("the capital of france is [MASK].", { topK: 3 });
        await model.close();
        return { threads: model.threads, isolated: self.crossOriginIsolated, tokens: answer.masks[0].predictions.map((p) => p.token) };
      }, `${hub.url}/hub/test-org/bert-gelu/resolve/main/`);
      assert.equal(fromHub.isolated, true);
      assert.ok(fromHub.threads > 1, `the hub model ran on ${fromHub.threads} thread(s)`);
      assert.equal(fromHub.tokens.length, 3);
      assert.ok(hub.requests.includes("/hub/test-org/bert-gelu/resolve/main/model.safetensors"), "the hub was not asked");

      await site.stop();
      await page.reload();
      await page.waitForFunction(() => /parameters/.test(document.getElementById("badge").textContent), null, { timeout: 120_000 });
      await page.fill("#text", "the capital of france is [MASK].");
      await page.waitForFunction(() => [...document.querySelectorAll(".prediction span:first-child")].some((s) => s.textContent === "paris"), null, { timeout: 60_000 });
      assert.equal(await page.evaluate(() => self.crossOriginIsolated), true, "offline, the page lost its isolation");
      assert.deepEqual(problems, []);
      await context.close();
    });
  });
});
