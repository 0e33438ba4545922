// Fine-tuning in the browser (WebGPU on and off) on the bundled model: a short text is learnt
// (held-out loss down by ≥ 40%, a word of the text becomes the top-1 for its blank), pausing does
// not change the curve, the exported folder loads back and predicts the same, a learning rate that
// blows up stops cleanly with the last good weights; every other family fine-tunes and exports too;
// and the Train panel does all of it on the page.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startServer, ROOT } from "./server.mjs";
import { launch, openPage } from "./chromium.mjs";

const MODEL = "/www/models/clozelab-tiny-bert/";
// Facts the bundled model's world gets wrong on purpose, so learning them shows.
const TEXT = Array.from({ length: 6 }, () =>
  ["the sky is green.", "the grass is purple.", "in winter it is usually hot.", "the capital of france is rome."].join("\n\n"),
).join("\n\n");
const PROBE = "the sky is [MASK].";
const SETTINGS = { steps: 100, batchSize: 8, learningRate: 2e-3, seqLen: 32 };
const targetDir = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, ".cache/clozelab/target");

/** `clozelab train` on TEXT, one report a step: [{ loss, gradNorm }] as the CLI prints them. */
function nativeCurve({ steps, batchSize, learningRate, seqLen, warmupSteps, seed }) {
  const dir = mkdtempSync(join(tmpdir(), "clozelab-curve-"));
  writeFileSync(join(dir, "text.txt"), TEXT);
  const out = execFileSync(join(targetDir, "release/clozelab"), [
    "train", "--model", join(ROOT, MODEL), "--text", join(dir, "text.txt"), "--out", join(dir, "out"),
    "--steps", String(steps), "--batch-size", String(batchSize), "--lr", String(learningRate),
    "--seq-len", String(seqLen), "--warmup", String(warmupSteps), "--seed", String(seed), "--report-every", "1",
  ], { encoding: "utf8" });
  return [...out.matchAll(/^step +\d+\/\d+ +loss (\S+) .*grad norm (\S+)/gm)].map((m) => ({ loss: Number(m[1]), gradNorm: Number(m[2]) }));
}

let server;
before(async () => (server = await startServer()));
after(() => server.close());

for (const webgpu of [true, false]) {
  describe(`training in the browser with WebGPU ${webgpu ? "on" : "off"}`, () => {
    let browser;
    let page;
    before(async () => {
      browser = await launch({ webgpu });
      page = await openPage(browser, `${server.url}/tests/browser/harness.html`);
    });
    after(() => browser.close());

    const inPage = (fn, arg) => page.evaluate(fn, { model: MODEL, backend: webgpu ? "webgpu" : "cpu", text: TEXT, probe: PROBE, settings: SETTINGS, ...arg });

    test("100 steps learn the text; pausing leaves the curve as it was; the export loads back the same", { timeout: 1_800_000 }, async () => {
      const out = await inPage(async ({ model: url, backend, text, probe, settings }) => {
        const model = await loadModel(url, { backend });
        const trainer = await model.startTraining(text, settings);
        const beforeTop = (await trainer.fillMask(probe, { topK: 1 })).masks[0].predictions[0].token;
        const first = await trainer.evaluate();
        const losses = [];
        const norms = [];
        for (let i = 0; i < 20; i++) {
          const progress = await trainer.advance(5);
          losses.push(progress.loss);
          norms.push(progress.gradNorm);
          if (i === 9) await new Promise((r) => setTimeout(r, 300)); // a pause: nothing runs
        }
        const last = await trainer.evaluate();
        const trained = await trainer.fillMask(probe, { topK: 5 });
        // A second run with the same settings, straight through the pause: the same curve.
        const again = await model.startTraining(text, settings);
        const straight = [];
        for (let i = 0; i < 12; i++) straight.push((await again.advance(5)).loss);
        const files = (await trainer.exportFiles()).map(([name, bytes]) => new File([bytes], name));
        const reloaded = await ClozeClient.fromFiles(files, { backend });
        const back = await reloaded.fillMask(probe, { topK: 5 });
        return { beforeTop, first, last, losses, norms, straight, trained: trained.masks[0].predictions, back: back.masks[0].predictions, backend: model.backend };
      });
      assert.equal(out.backend, webgpu ? "webgpu" : "cpu");
      assert.notEqual(out.beforeTop, "green");
      assert.ok(out.last.loss <= 0.6 * out.first.loss, `held-out loss ${out.first.loss} → ${out.last.loss}`);
      assert.equal(out.trained[0].token, "green", JSON.stringify(out.trained));
      // The gradient norm (before clipping) is reported with every call, and it is a real one.
      assert.ok(out.norms.every((n) => Number.isFinite(n) && n > 0), JSON.stringify(out.norms));
      assert.ok(new Set(out.norms).size > 1, JSON.stringify(out.norms));
      out.straight.forEach((_, i) => assert.ok(Math.abs(out.losses[i] - out.straight[i]) <= 1e-4 * Math.max(1, out.losses[i]), `call ${i}: ${out.losses[i]} vs ${out.straight[i]}`));
      out.back.forEach((p, i) => {
        assert.equal(p.token, out.trained[i].token);
        assert.ok(Math.abs(p.score - out.trained[i].score) <= 1e-4);
      });
    });

    test("every family fine-tunes in the tab and its export loads back predicting the same", { timeout: 600_000 }, async () => {
      const families = ["distilbert", "roberta", "electra", "albert", "deberta-v2", "deberta-v3", "modernbert"];
      const out = await inPage(async ({ backend, families }) => {
        const results = {};
        for (const name of families) {
          const model = await ClozeClient.fromUrl(`/tests/fixtures/${name}/`, { backend });
          const mask = model.info.maskToken;
          const text = Array.from({ length: 8 }, () => "the cat sat on the mat .\n\nthe dog ate the bone .").join("\n\n");
          const probe = `the cat ${mask} on the mat .`;
          const before = (await model.fillMask(probe, { topK: 3 })).masks[0].predictions;
          const trainer = await model.startTraining(text, { steps: 6, batchSize: 4, learningRate: 1e-2, seqLen: 16, warmupSteps: 0 });
          const progress = await trainer.advance(6);
          const trained = (await trainer.fillMask(probe, { topK: 3 })).masks[0].predictions;
          const files = (await trainer.exportFiles()).map(([file, bytes]) => new File([bytes], file));
          const reloaded = await ClozeClient.fromFiles(files, { backend });
          const back = (await reloaded.fillMask(probe, { topK: 3 })).masks[0].predictions;
          results[name] = { backend: model.backend, progress, before, trained, back, files: files.map((f) => f.name) };
        }
        return results;
      }, { families });
      for (const name of families) {
        const r = out[name];
        assert.equal(r.backend, webgpu ? "webgpu" : "cpu", name);
        assert.equal(r.progress.step, 6, name);
        assert.ok(Number.isFinite(r.progress.loss) && Number.isFinite(r.progress.gradNorm), `${name}: ${JSON.stringify(r.progress)}`);
        assert.notDeepEqual(r.trained, r.before, `${name}: training changed the model`);
        assert.ok(r.files.includes("config.json") && r.files.includes("model.safetensors"), `${name}: ${r.files}`);
        r.back.forEach((p, i) => {
          assert.equal(p.token, r.trained[i].token, name);
          assert.ok(Math.abs(p.score - r.trained[i].score) <= 1e-4, `${name}: ${p.score} vs ${r.trained[i].score}`);
        });
      }
    });

    // The wasm build runs its own SIMD kernels (GELU on four lanes) where the native one lets the
    // compiler vectorise: the same text, settings and seed must give the same batches and curve.
    test("training on the CPU in the tab follows the native CLI's curve step by step", { skip: webgpu && "WebGPU sums in another order" }, async () => {
      const settings = { steps: 6, batchSize: 8, learningRate: 2e-3, seqLen: 32, warmupSteps: 1, seed: 7 };
      const native = nativeCurve(settings);
      const tab = await inPage(async ({ model: url, backend, text, settings }) => {
        const model = await loadModel(url, { backend });
        const trainer = await model.startTraining(text, settings);
        const curve = [];
        for (let i = 0; i < settings.steps; i++) {
          const progress = await trainer.advance(1);
          curve.push({ loss: progress.loss, gradNorm: progress.gradNorm });
        }
        return curve;
      }, { settings });
      assert.equal(native.length, settings.steps, JSON.stringify(native));
      // The CLI prints the loss to 4 decimals and the norm to 2; the loss moves by ~0.1 a step.
      tab.forEach((step, i) => {
        const context = `step ${i + 1}: tab ${JSON.stringify(step)} vs CLI ${JSON.stringify(native[i])}`;
        assert.ok(Math.abs(step.loss - native[i].loss) <= 2e-4, context);
        assert.ok(Math.abs(step.gradNorm - native[i].gradNorm) <= 0.006 + 1e-3 * native[i].gradNorm, context);
      });
      assert.ok(Math.abs(native[0].loss - native.at(-1).loss) > 0.05, `the curve moves: ${JSON.stringify(native)}`);
    });

    test("the masking sample is the real corruption: over 2000 rolls 15% chosen, of those 80/10/10", async () => {
      const counts = await inPage(async ({ model: url, backend, text }) => {
        const model = await loadModel(url, { backend });
        const counts = { tokens: 0, chosen: 0, mask: 0, random: 0, unchanged: 0 };
        const sentence = text.split("\n\n").slice(0, 4).join(" ");
        for (let seed = 0; seed < 2000; seed++) {
          const sample = await model.maskSample(sentence, { seed });
          counts.tokens += sample.tokens.length - 2;
          counts.chosen += sample.positions.length;
          for (const kind of sample.corruptions) counts[kind] += 1;
          sample.positions.forEach((p, i) => {
            const same = sample.corrupted[p] === sample.tokens[p];
            if (sample.corruptions[i] === "mask") assert(sample.corrupted[p] === "[MASK]");
            if (sample.corruptions[i] === "unchanged") assert(same);
          });
        }
        function assert(ok) {
          if (!ok) throw new Error("a corruption does not match its kind");
        }
        return counts;
      });
      const share = (n, of) => (100 * n) / of;
      assert.ok(Math.abs(share(counts.chosen, counts.tokens) - 15) <= 2, JSON.stringify(counts));
      assert.ok(Math.abs(share(counts.mask, counts.chosen) - 80) <= 2, JSON.stringify(counts));
      assert.ok(Math.abs(share(counts.random, counts.chosen) - 10) <= 2, JSON.stringify(counts));
      assert.ok(Math.abs(share(counts.unchanged, counts.chosen) - 10) <= 2, JSON.stringify(counts));
    });

    test("a learning rate that blows up stops with a message and keeps the last good weights", { timeout: 600_000 }, async () => {
      const out = await inPage(async ({ model: url, backend, text, probe }) => {
        const model = await loadModel(url, { backend });
        const trainer = await model.startTraining(text, { steps: 40, batchSize: 8, learningRate: 1e4, warmupSteps: 0 });
        let message = null;
        for (let i = 0; i < 8 && !message; i++) {
          try {
            await trainer.advance(5);
          } catch (error) {
            message = error.message;
          }
        }
        const still = await trainer.fillMask(probe, { topK: 3 });
        return { message, scores: still.masks[0].predictions.map((p) => p.score) };
      });
      assert.match(out.message ?? "", /diverged.*lower the learning rate/);
      assert.ok(out.scores.every((s) => Number.isFinite(s) && s >= 0 && s <= 1), JSON.stringify(out.scores));
    });

    // The panel's logic does not depend on the backend, and SwiftShader trains slowly: CPU only.
    test("the Train panel: start, pause and resume, the curve, before/after, download and use", { timeout: 900_000, skip: webgpu && "the API tests above cover WebGPU" }, async () => {
      const panel = await openPage(browser, `${server.url}/?model=${MODEL}`);
      await panel.waitForFunction(() => document.getElementById("badge").textContent.includes("parameters"));
      await panel.click("#train summary");
      await panel.fill("#train-text", TEXT);
      await panel.waitForFunction(() => /\d+ tokens/.test(document.getElementById("train-count").textContent));
      await panel.fill("#train-steps", "60");
      await panel.fill("#train-lr", "0.002");
      await panel.fill("#train-seq", "32");
      await panel.fill("#train-probe", PROBE);
      await panel.click("#train-start");
      await panel.waitForFunction(() => /step (1[0-9]|[2-9][0-9])/.test(document.getElementById("train-status").textContent), null, { timeout: 600_000 });
      await panel.click("#train-pause");
      await panel.waitForFunction(() => document.getElementById("train-status").textContent.startsWith("paused at step"));
      const paused = await panel.textContent("#train-status");
      await panel.waitForTimeout(500);
      assert.equal(await panel.textContent("#train-status"), paused);
      assert.equal(await panel.isEnabled("#train-download"), true);
      await panel.click("#train-pause"); // resume
      await panel.waitForFunction(() => document.getElementById("train-status").textContent.startsWith("step 60 of 60"), null, { timeout: 600_000 });
      await panel.waitForSelector("#train-probes .probe >> nth=1");
      const after = await panel.$$eval("#train-probes .probe:nth-child(2) li", (li) => li.map((x) => x.textContent));
      assert.match(after[0], /^green — /);
      const [download] = await Promise.all([panel.waitForEvent("download"), panel.click("#train-download")]);
      assert.equal(download.suggestedFilename(), "clozelab-trained.zip");
      // Before and after, side by side: the trained model is offered first as the second model.
      await panel.click("#second summary");
      assert.equal(await panel.inputValue("#second-preset"), "trained");
      await panel.fill("#text", PROBE);
      await panel.click("#second-form button[type=submit]");
      await panel.waitForFunction(() => /^Second model: the model trained in this tab/.test(document.getElementById("second-badge").textContent), null, { timeout: 120_000 });
      await panel.waitForSelector("table.side-by-side tbody tr");
      const columns = await panel.$$eval("table.side-by-side tbody tr", (rows) => rows.map((r) => [...r.querySelectorAll("td .word")].map((w) => w.textContent)));
      assert.equal(columns[0][1], "green", "after: the trained model's first guess");
      assert.notEqual(columns[0][0], "green", "before: the model as loaded");
      await panel.click("#train-use");
      await panel.waitForFunction(() => document.getElementById("model-source").value.includes("/trained/"));
      await panel.fill("#text", PROBE);
      await panel.waitForFunction(() => document.querySelector(".answer .prediction .word")?.textContent === "green", null, { timeout: 120_000 });
    });
  });
}
