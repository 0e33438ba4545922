// The npm package `make pkg` writes: `npm pack` makes a tarball, which installs into a scratch
// project and runs — from a plain page with an import map, and bundled by Vite — giving the same
// fillMask answer as the site's own page.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { ROOT, startServer } from "./server.mjs";
import { launch, openPage } from "./chromium.mjs";

const TEXT = "The cat sat on the [MASK].";

/** fillMask(TEXT) on the CPU through the ClozeClient at `specifier`, in a page of `url`. */
async function answerIn(browser, url, specifier, modelUrl) {
  const page = await openPage(browser, url);
  const answer = await page.evaluate(async ({ specifier, modelUrl, text }) => {
    const { ClozeClient } = specifier === "bundle" ? window.clozelab : await import(specifier);
    const model = await ClozeClient.fromUrl(modelUrl, { backend: "cpu" });
    const result = await model.fillMask(text, { topK: 5 });
    await model.close();
    return { threads: model.threads, predictions: result.masks[0].predictions };
  }, { specifier, modelUrl, text: TEXT });
  await page.close();
  assert.deepEqual(page.log.filter((line) => /^(error|pageerror):/.test(line)), [], `console errors at ${url}`);
  return answer;
}

describe("the npm package", () => {
  let scratch;
  let browser;
  let tarball;
  let expected; // the site's own page's answer, which the packaged client must give
  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), "clozelab-package-"));
    const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", scratch], { cwd: join(ROOT, "pkg"), encoding: "utf8" }));
    tarball = packed[0];
    writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", join(scratch, tarball.filename)], { cwd: scratch, stdio: "pipe" });
    cpSync(join(ROOT, "www/models/clozelab-tiny-bert"), join(scratch, "model"), { recursive: true });
    browser = await launch({ webgpu: false });
    const site = await startServer();
    expected = await answerIn(browser, `${site.url}/tests/browser/harness.html`, "/www/cloze_client.js", "/www/models/clozelab-tiny-bert/").finally(() => site.close());
  });
  after(async () => {
    await browser.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  test("npm pack holds the client, its worker, its types and both wasm builds, as package.json exports them", () => {
    const files = tarball.files.map((f) => f.path);
    for (const file of ["package.json", "README.md", "cloze_client.js", "cloze_client.d.ts", "cloze_worker.js", "wasm_builds.js", "clozelab.js", "clozelab_bg.wasm", "clozelab.d.ts", "threads/clozelab.js", "threads/clozelab_bg.wasm"]) {
      assert.ok(files.includes(file), `${file} is not in the tarball`);
    }
    const manifest = JSON.parse(readFileSync(join(scratch, "node_modules/clozelab/package.json"), "utf8"));
    assert.equal(manifest.name, "clozelab");
    assert.match(manifest.version, /^\d+\.\d+\.\d+/);
    assert.equal(manifest.types, "./cloze_client.d.ts");
    for (const target of Object.values(manifest.exports).flatMap((e) => (typeof e === "string" ? [e] : Object.values(e)))) {
      assert.ok(files.includes(target.slice(2)), `exports names ${target}, which is not in the tarball`);
    }
    // Every relative import in the package's scripts and types resolves inside the package.
    for (const file of files.filter((f) => /\.(js|d\.ts)$/.test(f))) {
      const text = readFileSync(join(scratch, "node_modules/clozelab", file), "utf8");
      for (const [, target] of text.matchAll(/(?:from|import\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
        const resolved = join(file, "..", target).replace(/\.js$/, "");
        assert.ok(files.some((f) => f.replace(/\.(js|d\.ts)$/, "") === resolved || f.replace(/\.js$/, "") === resolved), `${file} imports ${target}, which is not in the package`);
      }
    }
    const readme = readFileSync(join(scratch, "node_modules/clozelab/README.md"), "utf8");
    const example = readme.match(/```js\n([\s\S]*?)```/)[1].trim().split("\n");
    assert.ok(example.length <= 10 && example[0].includes('from "clozelab"'), "the README's example");
  });

  test("its types check: a TypeScript consumer compiles against the installed package under --strict, and a misuse does not", () => {
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    const check = (source) => {
      writeFileSync(join(scratch, "check.ts"), source);
      try {
        execFileSync("node", [tsc, "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--lib", "es2022,esnext.disposable,dom", "check.ts"], { cwd: scratch, encoding: "utf8" });
        return "";
      } catch (error) {
        return String(error.stdout) || String(error);
      }
    };
    const good = `import { ClozeClient, type FillMaskResult, type Trainer } from "clozelab";
const model: ClozeClient = await ClozeClient.fromUrl("/model/", { backend: "cpu", onProgress: ({ file, loaded }) => console.log(file, loaded) });
const result: FillMaskResult = await model.fillMask("a [MASK].", { topK: 3 });
const best: string = result.masks[0].predictions[0].token;
const rows: Float32Array = (await model.fillMask("a [MASK].", { attentions: true })).attentions[0][0][0];
const trainer: Trainer = await model.startTraining("some text.", { steps: 2 });
const loss: number = (await trainer.advance(1)).loss;
const files: Array<[string, Uint8Array]> = await trainer.exportFiles();
console.log(best, rows.length, loss, files.length, model.info.vocabSize, model.threads);
`;
    assert.equal(check(good), "");
    assert.match(check(`import { ClozeClient } from "clozelab";\nconst model = await ClozeClient.fromUrl("/model/");\nconst n: number = (await model.fillMask("a [MASK].")).masks[0].predictions[0].token;\n`), /Type 'string' is not assignable to type 'number'/);
  });

  test("installed from its tarball, a plain page with an import map answers as the site's page does", { timeout: 180_000 }, async () => {
    writeFileSync(join(scratch, "index.html"), `<!doctype html><meta charset="utf-8"><title>scratch</title><link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "clozelab": "./node_modules/clozelab/cloze_client.js" } }</script>`);
    const plain = await startServer({ root: scratch });
    try {
      const packaged = await answerIn(browser, `${plain.url}/index.html`, "clozelab", "/model/");
      assert.equal(expected.predictions[0].token, "table");
      assert.deepEqual(packaged, expected);
    } finally {
      await plain.close();
    }
  });

  test("bundled by Vite, the package runs in Chromium and gives the same answer", { timeout: 300_000 }, async () => {
    const app = join(scratch, "app");
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, "index.html"), `<!doctype html><meta charset="utf-8"><title>bundled</title><link rel="icon" href="data:,"><script type="module" src="./main.js"></script>`);
    writeFileSync(join(app, "main.js"), `import { ClozeClient } from "clozelab";\nwindow.clozelab = { ClozeClient };\n`);
    const { build } = await import("vite");
    await build({ root: app, logLevel: "warn", worker: { format: "es" }, build: { outDir: join(scratch, "bundled"), emptyOutDir: true } });
    const emitted = readdirSync(join(scratch, "bundled"), { recursive: true }).map(String);
    assert.ok(emitted.some((f) => f.endsWith(".wasm")), `no wasm emitted: ${emitted.join(", ")}`);
    cpSync(join(scratch, "model"), join(scratch, "bundled/model"), { recursive: true });
    const bundled = await startServer({ root: join(scratch, "bundled") });
    try {
      const page = `${bundled.url}/index.html`;
      const fromBundle = await answerIn(browser, page, "bundle", "/model/");
      assert.deepEqual(fromBundle, expected);
      assert.ok(!bundled.requests.some((r) => r.includes("node_modules")), "the bundle reaches into node_modules");
    } finally {
      await bundled.close();
    }
  });
});
