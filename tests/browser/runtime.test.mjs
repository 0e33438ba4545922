// The browser runtime in real Chromium: WebGPU (SwiftShader) and the CPU fallback agree with the
// transformers reference and the native CLI; loading from a hub layout, the Cache API, files,
// cancelling, bad files, GPU loss and memory over many calls.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startServer, ROOT } from "./server.mjs";
import { launch, openPage } from "./chromium.mjs";

const reference = JSON.parse(readFileSync(join(ROOT, "tests/fixtures/reference.json"), "utf8"));
const scoreReference = JSON.parse(readFileSync(join(ROOT, "tests/fixtures/score_reference.json"), "utf8"));
const targetDir = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, ".cache/clozelab/target");
const cli = join(targetDir, "release/clozelab");

function nativeFillMask(model, text, topK) {
  const out = execFileSync(cli, ["fill-mask", "--model", join(ROOT, "tests/fixtures", model), "--top-k", String(topK), "--json", text]);
  return JSON.parse(out);
}

/** Ranks must agree where the reference has no near-tie; scores within `tolerance`. */
function assertMatchesTopK(masks, expected, tolerance, context) {
  assert.equal(masks.length, expected.length, `${context}: number of masks`);
  masks.forEach((mask, m) => {
    expected[m].forEach((entry, i) => {
      const ours = mask.predictions[i];
      const neighbours = [expected[m][i - 1], expected[m][i + 1]].filter(Boolean);
      if (neighbours.every((n) => Math.abs(n.score - entry.score) > 1e-4)) {
        assert.equal(ours.tokenId, entry.token_id, `${context}: mask ${m} rank ${i + 1}`);
      }
      const theirs = mask.predictions.find((p) => p.tokenId === entry.token_id) ?? ours;
      assert.ok(Math.abs(theirs.score - entry.score) <= tolerance, `${context}: mask ${m} ${entry.token} ${theirs.score} vs ${entry.score}`);
    });
  });
}

/**
 * Loads every fixture named in `cases` with the wasm API (`options`) and calls `method` on each of
 * its texts (with `args`): per fixture, how it loaded and the answers in the cases' order.
 */
function everyFixture(page, cases, options, method, ...args) {
  const models = [...new Set(cases.map((c) => c.model))];
  return page.evaluate(async ({ models, cases, options, method, args }) => {
    const { default: init, ClozeModel } = await import("/pkg/clozelab.js");
    await init();
    const out = {};
    for (const name of models) {
      const model = await ClozeModel.fromUrl(`/tests/fixtures/${name}/`, options);
      out[name] = { backend: model.backend, reason: model.backendReason, kernels: model.gpuKernels, info: model.info, answers: [] };
      for (const c of cases.filter((c) => c.model === name)) out[name].answers.push(await model[method](c.text, ...args));
      model.free();
    }
    return out;
  }, { models, cases: cases.map(({ model, text }) => ({ model, text })), options, method, args });
}

let server;
before(async () => {
  server = await startServer();
});
after(() => server.close());

for (const webgpu of [true, false]) {
  const expectedBackend = webgpu ? "webgpu" : "cpu";
  describe(`with WebGPU ${webgpu ? "on" : "off"}`, () => {
    let browser;
    let page;
    before(async () => {
      browser = await launch({ webgpu });
      page = await openPage(browser, `${server.url}/tests/browser/harness.html?backend=${webgpu ? "webgpu" : "auto"}`);
    });
    after(() => browser.close());

    // On WebGPU, twice: the kernels SwiftShader gets by itself (written for a CPU), and the kernels
    // a real GPU gets (burn's), forced onto SwiftShader so the path users' GPUs take is under test.
    for (const gpuKernels of webgpu ? ["auto", "hardware"] : ["auto"]) {
    const path = webgpu ? `${expectedBackend} (${gpuKernels === "auto" ? "software" : gpuKernels} kernels)` : expectedBackend;
    test(`the wasm API loads every fixture (BERT, DistilBERT, RoBERTa, ELECTRA, ALBERT, DeBERTa-v2/v3, ModernBERT) on ${path} and matches transformers and the native CLI, attention maps included`, async () => {
      const models = [...new Set(reference.cases.map((c) => c.model))];
      const results = await everyFixture(page, reference.cases, { backend: webgpu ? "webgpu" : "auto", gpuKernels }, "fillMask", { topK: 10, attentions: true });

      for (const name of models) {
        const result = results[name];
        assert.equal(result.backend, expectedBackend, `${name}: ${result.reason}`);
        assert.equal(result.kernels, webgpu ? (gpuKernels === "auto" ? "software" : gpuKernels) : undefined, `${name}: the kernels that ran`);
        if (!webgpu) assert.match(result.reason, /adapter|WebGPU/);
        const cases = reference.cases.filter((c) => c.model === name);
        assert.equal(result.info.modelType, cases[0].model_type);
        assert.equal(result.info.maskToken, cases[0].model_type === "roberta" ? "<mask>" : "[MASK]");
        cases.forEach((c, i) => {
          const run = result.answers[i];
          assert.deepEqual(Object.keys(run), ["modelType", "backend", "tokens", "inputIds", "masks", "attentions"]);
          // Every layer's maps (ModernBERT's local layers: exactly zero outside the window).
          const ours = run.attentions.flat(3);
          const theirs = c.attentions.flat(3);
          assert.equal(ours.length, theirs.length, `${name}: attention size`);
          const worst = Math.max(...ours.map((v, j) => Math.abs(v - theirs[j])));
          assert.ok(worst <= 1e-4, `${name} ${path}: attentions differ by ${worst}`);
          theirs.forEach((v, j) => v === 0 && assert.equal(ours[j], 0, `${name}: a blocked attention is ${ours[j]}`));
          assert.deepEqual(run.tokens, c.tokens);
          assert.deepEqual(run.inputIds, c.input_ids);
          assertMatchesTopK(run.masks, c.top_k, 1e-4, `${name} ${path} vs transformers`);
          const native = nativeFillMask(name, c.text, 10);
          assert.deepEqual(native.tokens, run.tokens);
          run.masks.forEach((mask, m) => {
            mask.predictions.forEach((p, k) => {
              const n = native.masks[m].predictions[k];
              assert.ok(Math.abs(p.score - n.score) <= 1e-4, `${name}: browser ${p.score} vs CLI ${n.score}`);
            });
          });
        });
      }
    });

    test(`score gives every family's pseudo-log-likelihoods as transformers does on ${path}, in one batched pass per sentence`, async () => {
      const models = [...new Set(scoreReference.cases.map((c) => c.model))];
      const results = await everyFixture(page, scoreReference.cases, { backend: webgpu ? "webgpu" : "auto", gpuKernels }, "score");
      for (const name of models) {
        scoreReference.cases.filter((c) => c.model === name).forEach((c, i) => {
          const ours = results[name].answers[i];
          assert.deepEqual(ours.tokens, c.tokens, `${name}: tokens`);
          assert.deepEqual(ours.words.map((w) => w.tokens), c.words.map((w) => w.tokens), `${name}: words`);
          ours.words.forEach((w, j) => {
            w.pieces.forEach((p, k) => assert.ok(Math.abs(p - c.words[j].pieces[k]) <= 1e-4, `${name} ${path} ${w.text}: ${p} vs ${c.words[j].pieces[k]}`));
            assert.equal(c.text.slice(...w.chars), w.text, `${name}: the word's span in the text`);
          });
          assert.ok(Math.abs(ours.total - c.total) <= 1e-4 * c.tokens.length, `${name} ${path}: total ${ours.total} vs ${c.total}`);
        });
      }
    });
    }

    test(webgpu ? "\"auto\" treats SwiftShader, a software adapter, as no GPU: the CPU runs, and says why" : "\"auto\" without a WebGPU adapter runs the CPU, and says why", async () => {
      const out = await page.evaluate(async () => {
        const { default: init, ClozeModel } = await import("/pkg/clozelab.js");
        await init();
        const model = await ClozeModel.fromUrl("/tests/fixtures/bert-gelu/", { backend: "auto" });
        const client = await loadModel("/tests/fixtures/bert-gelu/", { backend: "auto" });
        const out = { backend: model.backend, reason: model.backendReason, client: client.backend, clientReason: client.backendReason, threads: client.threads };
        model.free();
        await client.close();
        return out;
      });
      assert.equal(out.backend, "cpu");
      assert.equal(out.client, "cpu");
      for (const reason of [out.reason, out.clientReason]) {
        assert.match(reason, webgpu ? /only WebGPU adapter is a software one, slower than the CPU here/ : /no GPU adapter|no WebGPU/);
      }
      // The worker client takes the threaded CPU build for it (the harness is cross-origin isolated).
      assert.ok(out.threads > 1, `the CPU runs on ${out.threads} thread(s)`);
    });

    if (webgpu) test("\"auto\" asked to measure loads on WebGPU and the CPU, keeps the one that answered faster, says by how much, and the next load goes straight to it", async () => {
      const weights = () => server.requests.filter((p) => p === "/tests/fixtures/bert-gelu/model.safetensors").length;
      const before = weights();
      const first = await page.evaluate(async () => {
        localStorage.removeItem("clozelab.calibrations");
        const stages = [];
        const client = await loadModel("/tests/fixtures/bert-gelu/", { backend: "auto", calibrate: "again", onProgress: (p) => p.stage && stages.push(p.stage) });
        const answer = await client.fillMask("the [MASK] sat on the mat .", { topK: 3 });
        const { whereItRuns } = await import("/www/format.js");
        const out = { backend: client.backend, said: whereItRuns(client), calibration: client.calibration, stages, answer, stored: JSON.parse(localStorage.getItem("clozelab.calibrations")) };
        await client.close();
        return out;
      });
      const { gpuMs, cpuMs } = first.calibration;
      assert.ok(gpuMs > 0 && cpuMs > 0, JSON.stringify(first.calibration));
      assert.equal(first.backend, cpuMs < gpuMs ? "cpu" : "webgpu", "the backend that answered faster");
      assert.equal(first.calibration.remembered, false);
      assert.ok(first.stages.includes("measuring WebGPU and the CPU"), first.stages.join(", "));
      const ratio = (first.backend === "cpu" ? gpuMs / cpuMs : cpuMs / gpuMs).toFixed(1);
      // The badge's words: the CPU's reason, or WebGPU's margin.
      const margin = `${ratio.replace(".", "\\.")}× faster than ${first.backend === "cpu" ? "WebGPU" : "the CPU"} here \\(measured as the model loaded\\)`;
      assert.match(first.said, new RegExp(first.backend === "cpu" ? `^CPU .*— the CPU answered ${margin}$` : `^WebGPU.* — ${margin}$`));
      assert.equal(first.answer.masks[0].predictions.length, 3);
      assert.equal(weights() - before, 2, "the weights were loaded once for each backend");
      // Remembered per shape and adapter, in the page's storage.
      const [shape] = Object.keys(first.stored.shapes);
      assert.match(shape, /^bert \/ 2×32 \//);
      assert.equal(first.stored.shapes[shape].backend, first.backend);

      const second = await page.evaluate(async () => {
        const stages = [];
        const client = await loadModel("/tests/fixtures/bert-gelu/", { backend: "auto", calibrate: true, onProgress: (p) => p.stage && stages.push(p.stage) });
        const out = { backend: client.backend, reason: client.backendReason, calibration: client.calibration, stages };
        await client.close();
        return out;
      });
      assert.equal(second.backend, first.backend);
      assert.equal(second.calibration.remembered, true);
      assert.ok(!second.stages.includes("measuring WebGPU and the CPU"), second.stages.join(", "));
      assert.equal(weights() - before, 3, "the remembered choice loads the weights once");
      if (second.backend === "cpu") assert.match(second.reason, /measured on an earlier visit/);
    });

    test("dtype q8 holds the Linear weights in 8 bits on the CPU and answers as transformers does; asked of WebGPU it is refused before any download", async () => {
      const cases = reference.cases.filter((c) => c.model === "bert-gelu" || c.model === "distilbert");
      const answers = await page.evaluate(async (cases) => {
        const answers = [];
        for (const c of cases) {
          const model = await loadModel(`/tests/fixtures/${c.model}/`, { dtype: "q8", backend: "auto" });
          const result = await model.fillMask(c.text, { topK: 5 });
          answers.push({ backend: model.backend, dtype: model.info.dtype, top: result.masks.map((m) => m.predictions.map((p) => p.tokenId)) });
          await model.close();
        }
        return answers;
      }, cases);
      const asked = (since) => server.requests.slice(since).filter((path) => path.startsWith("/tests/fixtures/"));
      let since = server.requests.length;
      const refusals = await page.evaluate(async () => {
        const message = (promise) => promise.then(() => null, (e) => e.message);
        return {
          webgpu: await message(loadModel("/tests/fixtures/bert-gelu/", { dtype: "q8", backend: "webgpu" })),
          unknown: await message(loadModel("/tests/fixtures/bert-gelu/", { dtype: "int4", backend: "auto" })),
        };
      });
      const fetchedForRefusals = asked(since);
      // XLM-R large's config alone (tests/fixtures/too-large/): refused once it is read, before
      // any tokenizer or weights file is asked for.
      since = server.requests.length;
      const tooLarge = await page.evaluate(() => loadModel("/tests/fixtures/too-large/", { backend: "auto" }).then(() => null, (e) => e.message));
      const out = { answers, refused: refusals.webgpu, unknown: refusals.unknown, fetched: fetchedForRefusals, tooLarge, asked: asked(since) };
      let same = 0, masks = 0;
      for (const [i, c] of cases.entries()) {
        assert.equal(out.answers[i].backend, "cpu");
        assert.equal(out.answers[i].dtype, "q8");
        for (const [m, top] of out.answers[i].top.entries()) {
          masks += 1;
          if (top[0] === c.top_k[m][0].token_id) same += 1;
          const overlap = top.filter((id) => c.top_k[m].slice(0, 5).some((e) => e.token_id === id)).length;
          assert.ok(overlap >= 3, `${c.model} ${c.text} mask ${m}: top-5 overlap ${overlap}`);
        }
      }
      assert.ok(same >= masks - 1, `top-1 the same on ${same} of ${masks} masks`);
      assert.match(out.refused, /8-bit weights \(dtype q8\) run on the CPU only, not on wgpu: choose the CPU, or dtype fp32/);
      assert.match(out.unknown, /unknown dtype "int4": choose fp32 or q8/);
      assert.deepEqual(out.fetched, [], "nothing downloaded for a refused load");
      assert.match(out.tooLarge, /^config\.json: this model needs about 6\.7 GB to load as fp32 \(560 million weights\), more than the 4\.3 GB this tab can hold: pick a smaller model$/);
      assert.deepEqual(out.asked, ["/tests/fixtures/too-large/config.json"]);
    });

    test("the worker client loads from a hub layout, caches it, and a second load makes no request", async () => {
      const answer = await page.evaluate(async () => {
        const { hubModelUrl, MODEL_CACHE, listCachedModels, clearModelCache } = await import("/www/hub.js");
        await clearModelCache();
        const url = hubModelUrl("clozelab-test/bert-gelu", `${location.origin}/hub`);
        const progress = [];
        const first = await loadModel(url, { cache: MODEL_CACHE, onProgress: (p) => progress.push(p) });
        const before = await first.fillMask("the [MASK] sat on the mat .", { topK: 3 });
        return { url, backend: first.backend, before, progress, cached: await listCachedModels() };
      });
      assert.equal(answer.backend, expectedBackend);
      const files = answer.progress.filter((p) => p.loaded === p.total && p.total > 0).map((p) => p.file);
      assert.ok(files.includes("config.json") && files.includes("model.safetensors"), JSON.stringify(files));
      const weights = answer.progress.filter((p) => p.file === "model.safetensors");
      assert.ok(weights.at(-1).total === readFileSync(join(ROOT, "tests/fixtures/bert-gelu/model.safetensors")).length);
      assert.equal(answer.cached.length, 1);
      assert.equal(answer.cached[0].baseUrl, answer.url);

      const hubRequests = () => server.requests.filter((p) => p.startsWith("/hub/")).length;
      const firstCount = hubRequests();
      assert.ok(firstCount >= 4, `first load fetched ${firstCount} files`);
      const second = await page.evaluate(async (url) => {
        const { MODEL_CACHE } = await import("/www/hub.js");
        const model = await loadModel(url, { cache: MODEL_CACHE });
        return model.fillMask("the [MASK] sat on the mat .", { topK: 3 });
      }, answer.url);
      assert.equal(hubRequests(), firstCount, "the second load was served from the Cache API");
      assert.deepEqual(second.masks, answer.before.masks);

      const left = await page.evaluate(async (url) => {
        const { deleteCachedModel, listCachedModels } = await import("/www/hub.js");
        await deleteCachedModel(url);
        return listCachedModels();
      }, answer.url);
      assert.equal(left.length, 0);
    });

    test("fromFiles loads a safetensors folder and a pytorch_model.bin folder", async () => {
      for (const folder of ["bert-gelu", "bert-gelu-bin"]) {
        const dir = join(ROOT, "tests/fixtures", folder);
        await page.setInputFiles("#files", readdirSync(dir).map((name) => join(dir, name)));
        const result = await page.evaluate(async () => {
          const model = await ClozeClient.fromFiles(document.getElementById("files").files);
          return model.fillMask("the [MASK] sat on the mat .", { topK: 10 });
        });
        const expected = reference.cases.find((c) => c.model === folder && c.text === "the [MASK] sat on the mat .");
        assertMatchesTopK(result.masks, expected.top_k, 1e-4, `fromFiles ${folder}`);
      }
    });

    test("bad files reject with a clear message and the worker stays usable", async () => {
      const scratch = mkdtempSync(join(tmpdir(), "clozelab-bad-"));
      const good = join(ROOT, "tests/fixtures/bert-gelu");
      const weights = readFileSync(join(good, "model.safetensors"));
      writeFileSync(join(scratch, "model.safetensors"), weights.subarray(0, weights.length / 2));
      for (const name of ["config.json", "tokenizer.json"]) copyFileSync(join(good, name), join(scratch, name));
      const truncated = readdirSync(scratch).map((name) => join(scratch, name));

      const cases = [
        [truncated, /model\.safetensors: .*cut short/],
        [[join(good, "config.json"), join(good, "model.safetensors")], /no tokenizer: neither tokenizer\.json, vocab\.txt, vocab\.json \+ merges\.txt, nor spm\.model/],
        [[join(good, "tokenizer.json"), join(good, "model.safetensors")], /config\.json/],
      ];
      for (const [files, pattern] of cases) {
        await page.setInputFiles("#files", files);
        const message = await page.evaluate(async () => {
          try {
            await ClozeClient.fromFiles(document.getElementById("files").files);
            return "loaded";
          } catch (error) {
            return error.message;
          }
        });
        assert.match(message, pattern);
      }
      const broken = await page.evaluate(async () => {
        const model = await loadModel("/tests/fixtures/bert-gelu/");
        const errors = [];
        for (const text of ["no mask here", "", "[MASK] ".repeat(80)]) {
          await model.fillMask(text).catch((error) => errors.push(error.message));
        }
        const ok = await model.fillMask("the [MASK] sat on the mat .");
        return { errors, ok: ok.masks.length };
      });
      assert.equal(broken.ok, 1, "the worker still answers after the bad files");
      assert.match(broken.errors[0], /no \[MASK\]/);
      assert.match(broken.errors[1], /empty/);
      assert.match(broken.errors[2], /82 tokens long, 18 more than this model's limit of 64/);
    });

    test("a misspelled or mistyped option is refused with the option it was meant to be, and the model keeps answering", async () => {
      const out = await page.evaluate(async () => {
        const errors = {};
        const refused = (name, promise) => promise.then(() => null, (error) => (errors[name] = error.message));
        await refused("load", ClozeClient.fromUrl("/tests/fixtures/bert-gelu/", { backnd: "cpu" }));
        const model = await loadModel("/tests/fixtures/bert-gelu/");
        await refused("fillMask", model.fillMask("the [MASK] sat on the mat .", { topk: 3 }));
        await refused("maskSample", model.maskSample("the cat sat on the mat .", { mask_rate: 0.2 }));
        await refused("startTraining", model.startTraining("the cat sat on the mat .", { step: 2 }));
        await refused("topKType", model.fillMask("the [MASK] sat on the mat .", { topK: "three" }));
        await refused("attentionsWord", model.fillMask("the [MASK] sat on the mat .", { attentions: "all" }));
        await refused("notAnObject", model.fillMask("the [MASK] sat on the mat .", 3));
        await refused("progressType", ClozeClient.fromUrl("/tests/fixtures/bert-gelu/", { onProgress: "loud" }));
        const ok = await model.fillMask("the [MASK] sat on the mat .", { topK: 2 });
        return { errors, predictions: ok.masks[0].predictions.length };
      });
      assert.match(out.errors.load, /fromUrl has no option "backnd"; its options are backend, gpuKernels, dtype, onProgress, signal, cache, calibrate$/);
      assert.match(out.errors.fillMask, /fillMask has no option "topk" \(did you mean topK\?\)/);
      assert.match(out.errors.maskSample, /maskSample has no option "mask_rate" \(did you mean maskRate\?\)/);
      assert.match(out.errors.startTraining, /startTraining has no option "step"; its options are steps, /);
      assert.deepEqual(Object.keys(out.errors).sort(), ["attentionsWord", "fillMask", "load", "maskSample", "notAnObject", "progressType", "startTraining", "topKType"], JSON.stringify(out.errors));
      assert.match(out.errors.topKType, /fillMask option topK: invalid type: string "three", expected a number/);
      assert.match(out.errors.attentionsWord, /fillMask option attentions: invalid value: "all", expected true or false/);
      assert.match(out.errors.notAnObject, /the options of fillMask must be an object like \{ topK, attentions, layers \}/);
      assert.match(out.errors.progressType, /onProgress must be a function/);
      assert.equal(out.predictions, 2);
    });

    test("a download can be cancelled", async () => {
      const message = await page.evaluate(async () => {
        const controller = new AbortController();
        const loading = ClozeClient.fromUrl("/slow/tests/fixtures/bert-gelu/", { signal: controller.signal });
        setTimeout(() => controller.abort(), 300);
        try {
          await loading;
          return "loaded";
        } catch (error) {
          return error.message;
        }
      });
      assert.match(message, /cancelled/);
    });

    test("500 fillMask calls do not grow wasm or GPU memory without bound", async () => {
      const usage = await page.evaluate(async () => {
        const model = await loadModel("/tests/fixtures/bert-gelu/");
        const texts = ["the [MASK] sat on the mat .", "Zoë [MASK] the Café [MASK]."];
        for (let i = 0; i < 50; i++) await model.fillMask(texts[i % 2], { attentions: i % 5 === 0 });
        const warm = await model.memoryUsage();
        for (let i = 50; i < 500; i++) await model.fillMask(texts[i % 2], { attentions: i % 5 === 0 });
        return { warm, end: await model.memoryUsage() };
      });
      const grew = usage.end.wasmBytes - usage.warm.wasmBytes;
      assert.ok(grew <= 2 * 1024 * 1024, `wasm memory grew by ${grew} bytes over 450 calls`);
      const gpuGrew = usage.end.gpuBytesReserved - usage.warm.gpuBytesReserved;
      assert.ok(gpuGrew <= 1024 * 1024, `GPU pool grew by ${gpuGrew} bytes over 450 calls`);
      if (webgpu) assert.ok(usage.end.gpuBytesReserved > 0, "the GPU pool is measured");
    });
  });
}

describe("losing the GPU", () => {
  // On both kernel paths: SwiftShader's own (software) and the one a real GPU takes (hardware).
  for (const gpuKernels of ["auto", "hardware"]) {
    test(`with ${gpuKernels === "auto" ? "software" : "hardware"} kernels the model is rebuilt on the CPU from the bytes in memory, and says so — between answers and mid-answer`, async () => {
      const browser = await launch({ webgpu: true });
      try {
        // One page each: a wasm instance has one GPU device, and a lost one stays lost.
        const lose = async (midAnswer) => (await openPage(browser, `${server.url}/tests/browser/harness.html`)).evaluate(async ({ gpuKernels, midAnswer }) => {
          const text = "the [MASK] sat on the mat .";
          const model = await loadModel("/tests/fixtures/bert-gelu/", { backend: "webgpu", gpuKernels });
          const changes = [];
          model.onBackendChange = (backend, reason) => changes.push({ backend, reason });
          const before = await model.fillMask(text, { topK: 3 });
          const kernelsBefore = model.gpuKernels;
          let afterLoss;
          if (midAnswer) {
            // The device is destroyed while the worker awaits this answer's readback.
            const pending = model.fillMask(text, { topK: 3 });
            await model.simulateGpuLoss();
            afterLoss = await pending;
          } else {
            await model.simulateGpuLoss();
            afterLoss = await model.fillMask(text, { topK: 3 });
          }
          const again = await model.fillMask(text, { topK: 3 });
          const out = { kernelsBefore, before, afterLoss, again, backend: model.backend, kernels: model.gpuKernels, reason: model.backendReason, changes };
          await model.close();
          return out;
        }, { gpuKernels, midAnswer });
        const result = { between: await lose(false), mid: await lose(true) };
        for (const [when, r] of Object.entries(result)) {
          assert.equal(r.kernelsBefore, gpuKernels === "auto" ? "software" : "hardware", when);
          assert.equal(r.backend, "cpu", when);
          assert.equal(r.kernels, null, when);
          assert.match(r.reason, /GPU/, when);
          assert.equal(r.changes.length, 1, `${when}: ${JSON.stringify(r.changes)}`);
          const ids = (answer) => answer.masks.map((m) => m.predictions.map((p) => p.tokenId));
          assert.deepEqual(ids(r.afterLoss), ids(r.before), when);
          assert.deepEqual(ids(r.again), ids(r.before), when);
        }
      } finally {
        await browser.close();
      }
    });
  }
});
