// The page: load a model (folder URL, hub id or local folder), then predict every mask in the
// sentence as it is typed (debounced; stale answers are dropped). The model runs in a worker.

import { ClozeClient } from "./cloze_client.js";
import { hubModelUrl, MODEL_CACHE } from "./hub.js";

const $ = (id) => document.getElementById(id);
let model = null;
let request = 0;
let downloads = null;

function showError(message) {
  $("error").hidden = !message;
  $("error").textContent = message ?? "";
}

function describeBackend() {
  const where = model.backend === "webgpu" ? `WebGPU${model.adapter ? ` (${model.adapter})` : ""}` : `CPU${model.backendReason ? ` — ${model.backendReason}` : ""}`;
  const count = model.info.paramCount;
  const params = count >= 1e6 ? `${(count / 1e6).toFixed(1)} M` : `${(count / 1e3).toFixed(1)} k`;
  $("badge").textContent = `${model.info.modelType}, ${params} parameters, on ${where}`;
}

async function load(loader) {
  showError(null);
  downloads?.abort();
  downloads = new AbortController();
  const bar = $("progress");
  bar.hidden = false;
  const onProgress = ({ file, loaded, total }) => {
    bar.querySelector("progress").value = total ? loaded / total : 0;
    bar.querySelector("span").textContent = `${file}: ${(loaded / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB`;
  };
  try {
    const next = await loader({ backend: $("model-backend").value, onProgress, signal: downloads.signal });
    await model?.close();
    model = next;
    model.onBackendChange = describeBackend;
    describeBackend();
    predict();
  } catch (error) {
    showError(error.message);
  } finally {
    bar.hidden = true;
  }
}

function sourceUrl(source) {
  const text = source.trim();
  if (/^(https?:|\.{0,2}\/)/.test(text)) return { url: text, cache: undefined };
  return { url: hubModelUrl(text), cache: MODEL_CACHE };
}

async function predict() {
  if (!model) return;
  const mine = ++request;
  try {
    const result = await model.fillMask($("text").value, { topK: 5 });
    if (mine !== request) return; // a newer sentence is already on its way
    showError(null);
    render(result);
  } catch (error) {
    if (mine === request) showError(error.message);
  }
}

function render(result) {
  const box = $("predictions");
  box.replaceChildren(
    ...result.masks.map((mask, index) => {
      const section = document.createElement("div");
      section.className = "mask";
      const title = document.createElement("h3");
      title.textContent = `Blank ${index + 1} (token ${mask.position})`;
      section.append(title);
      for (const p of mask.predictions) {
        const row = document.createElement("div");
        row.className = "prediction";
        const word = document.createElement("span");
        word.textContent = p.token;
        const bar = document.createElement("span");
        bar.className = "bar";
        bar.style.width = `${Math.max(1, p.score * 100)}%`;
        const score = document.createElement("span");
        score.className = "score";
        score.textContent = `${(p.score * 100).toFixed(1)}%`;
        row.append(word, bar, score);
        section.append(row);
      }
      return section;
    }),
  );
}

let typing = 0;
$("text").addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(predict, 150);
});
$("model-form").addEventListener("submit", (event) => {
  event.preventDefault();
  try {
    const { url, cache } = sourceUrl($("model-source").value);
    load((options) => ClozeClient.fromUrl(url, { ...options, cache }));
  } catch (error) {
    showError(error.message);
  }
});
$("model-files").addEventListener("change", (event) => load((options) => ClozeClient.fromFiles(event.target.files, options)));
$("cancel").addEventListener("click", () => downloads?.abort());

const initial = new URLSearchParams(location.search).get("model");
if (initial) {
  $("model-source").value = initial;
  $("model-form").requestSubmit();
}
