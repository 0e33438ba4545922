// The page: pick and load a model, write a sentence, click words to blank them, read ranked
// predictions (one pass, or filled in order), click one to write it in. The model runs in a
// worker; stale answers are dropped, so typing never waits for the model.

import { ClozeClient } from "./cloze_client.js";
import { DEFAULT_HUB, deleteCachedModel, hubModelUrl, isTrainedUrl, listCachedModels, MODEL_CACHE } from "./hub.js";
import { BUNDLED_MODEL, EXAMPLES, PRESETS, presetName } from "./presets.js";
import { blanksOf, maskWord, replacePart, sentenceParts } from "./sentence.js";
import { fillInOrder, predictBlanks } from "./blanks.js";
import { MAX_LINK_TEXT, readHash, writeHash } from "./url_state.js";
import { droppedFiles } from "./drop_folder.js";
import { AttentionPanel } from "./attention_panel.js";
import { SurprisePanel } from "./surprise_panel.js";
import { ComparePanel } from "./compare_panel.js";
import { TrainPanel } from "./train_panel.js";
import { $, ask, downloadBlob, downloadJson, element, say, setChildren } from "./dom.js";
import { snapshotPng } from "./snapshot.js";
import { parameters, percent, whereItRuns } from "./format.js";
import { setUpThemeButton } from "./theme.js";
import { isKnown, unknownWordMessage } from "./vocabulary.js";
import { registerServiceWorker } from "./offline.js";

const TOP_K = 5;
/** How many sentences the Surprise panel compares with the sentence at most. */
const MAX_COMPARED = 8;
/** How much of a very long text is drawn as clickable words, and as rows of the token table. */
const MAX_DRAWN_PARTS = 4_000;
const MAX_DRAWN_TOKENS = 2_000;
let model = null;
let modelSource = null;
/** The loaded model as a heading names it. */
let modelLabel = "";
let request = 0;
let loading = 0;
let downloads = null;
let lastLatency = null;
/** Words replaced by blanks, by blank number, so clicking a blank restores its word. */
let originals = [];

// Errors are said where they happened: loading a model (under the model form, kept until the next
// load), predicting (where the answer would be, cleared by the next good one) and training (in
// the Train panel, cleared by the next start).
const errorPlaces = { load: "error", predict: "predict-error", train: "train-error" };

function showError(message, kind = "load") {
  say($(errorPlaces[kind]), message);
}

// ── badge ──────────────────────────────────────────────────────────────────────────────────
function describeBackend() {
  if (!model) return;
  const latency = lastLatency === null ? "" : `, last answer ${lastLatency.toFixed(0)} ms`;
  const weights = model.info.dtype === "q8" ? ", 8-bit weights" : "";
  $("badge").textContent = `${model.info.modelType}, ${parameters(model.info.paramCount)} parameters${weights}, on ${whereItRuns(model)}${latency}`;
}

// ── loading ────────────────────────────────────────────────────────────────────────────────
// ?hub=<url> points hub ids at a mirror with the hub's layout (the tests use a local one).
const HUB = new URLSearchParams(location.search).get("hub") ?? DEFAULT_HUB;

function sourceUrl(source) {
  const text = source.trim();
  // A model kept from the Train panel lives only in the cache, under its own URL.
  if (/^(https?:|\.{0,2}\/)/.test(text)) return { url: text, cache: isTrainedUrl(text) ? MODEL_CACHE : undefined };
  return { url: hubModelUrl(text, HUB), cache: MODEL_CACHE };
}

// ── models kept in this browser ─────────────────────────────────────────────────────────────
/** A kept folder as a person reads it: the hub id, or when a trained model was kept. */
function keptName({ baseUrl, keptAt }) {
  if (isTrainedUrl(baseUrl)) return `trained here${keptAt ? ` on ${new Date(keptAt).toLocaleString()}` : ""}`;
  const hub = baseUrl.match(/\/([^/]+\/[^/]+|[^/]+)\/resolve\/main\/$/);
  return hub ? hub[1] : baseUrl;
}

const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

async function renderKept() {
  const kept = await listCachedModels().catch(() => []);
  $("kept-models").hidden = kept.length === 0;
  $("kept-summary").textContent = `Models kept in this browser (${kept.length}, ${megabytes(kept.reduce((n, k) => n + k.bytes, 0))})`;
  setChildren($("kept-list"), kept.map((folder) => {
    const name = keptName(folder);
    return element("li", {},
      element("span", { className: "kept-name", textContent: name }),
      ` — ${megabytes(folder.bytes)}${folder.keptAt && !isTrainedUrl(folder.baseUrl) ? `, kept ${new Date(folder.keptAt).toLocaleDateString()}` : ""} `,
      element("button", { type: "button", textContent: "Load", ariaLabel: `load ${name}`, onclick: () => {
        $("model-preset").value = "";
        $("model-source").value = folder.baseUrl;
        loadSource(folder.baseUrl);
      } }),
      " ",
      element("button", { type: "button", textContent: "Delete", ariaLabel: `delete ${name} from this browser`, onclick: async () => {
        if (!(await ask(`Delete ${name} (${megabytes(folder.bytes)}) from this browser?`, { yes: "Delete it", no: "Keep it" }))) return;
        await deleteCachedModel(folder.baseUrl);
        renderKept();
      } }),
    );
  }));
}

// Loads a model; a newer load cancels this one's downloads, and only the newest touches the page.
async function load(loader, source = null, label = source) {
  const mine = ++loading;
  showError(null);
  downloads?.abort();
  downloads = new AbortController();
  const bar = $("progress");
  bar.hidden = false;
  bar.querySelector("span").textContent = "starting…";
  const onProgress = ({ file, loaded, total, stage }) => {
    if (mine !== loading) return;
    if (stage) {
      // Compiling the GPU's kernels: no bytes to count, so the bar runs without a value.
      bar.querySelector("progress").removeAttribute("value");
      bar.querySelector("span").textContent = `${stage}…`;
      return;
    }
    bar.querySelector("progress").value = total ? loaded / total : 0;
    bar.querySelector("span").textContent = `${file}: ${(loaded / 1e6).toFixed(1)} of ${megabytes(total)}`;
  };
  try {
    const next = await loader({ backend: $("model-backend").value, dtype: $("model-dtype").value, onProgress, signal: downloads.signal });
    if (mine !== loading) return next.close();
    await model?.close();
    model = next;
    modelSource = source;
    modelLabel = label;
    lastLatency = null;
    model.onBackendChange = describeBackend;
    describeBackend();
    saveState();
    update();
    renderKept();
  } catch (error) {
    if (mine === loading) showError(error.message);
  } finally {
    if (mine === loading) bar.hidden = true;
  }
}

function loadSource(source) {
  try {
    const { url, cache } = sourceUrl(source);
    const label = isTrainedUrl(source) ? "the model trained in this tab" : presetName(source.trim()) ?? source.trim();
    load((options) => ClozeClient.fromUrl(url, { ...options, cache }), source === BUNDLED_MODEL ? null : source.trim(), label);
  } catch (error) {
    showError(error.message);
  }
}

function loadFiles(files) {
  if (files.length === 0) return showError("nothing to load: pick or drop a model folder");
  load((options) => ClozeClient.fromFiles(files, options), null, "the model from your files");
}

// ── the sentence ───────────────────────────────────────────────────────────────────────────
const text = () => $("text").value;
const mode = () => document.querySelector("input[name=mode]:checked").value;

function setText(value) {
  $("text").value = value;
  update();
}

function saveState() {
  const kept = writeHash({ text: text(), mode: mode(), model: modelSource });
  $("link-note").hidden = kept;
  $("link-note").textContent = kept ? "" : `This text is too long for the page's link (${text().length.toLocaleString("en")} characters; a link keeps up to ${MAX_LINK_TEXT.toLocaleString("en")}): a link to this page opens with the same model, but not this text.`;
}

/** Marks the answers as about to change (a draw is waiting or running), for screen readers and tests. */
function busy(yes) {
  if (yes) $("predictions").setAttribute("aria-busy", "true");
  else $("predictions").removeAttribute("aria-busy");
}

/** Re-tokenizes, redraws the clickable sentence and the tokens, then predicts — all for the one
 *  sentence in the box when it starts; a newer edit or draw makes it stop without drawing. */
async function update() {
  saveState();
  if (!model) return;
  const mine = ++request;
  const sentence = text();
  const stale = () => mine !== request || text() !== sentence;
  busy(true);
  try {
    const encoded = await model.tokenize(sentence);
    if (stale()) return;
    const parts = sentenceParts(sentence, encoded.words, model.info.maskToken);
    renderWords(parts, encoded);
    renderTokens(encoded);
    const blanks = blanksOf(parts);
    originals.length = blanks.length;
    if (blanks.length === 0) {
      showError(null, "predict");
      showPredictions(sentence, element("p", { className: "hint", textContent: `No blank yet: click a word above, or type ${model.info.maskToken}.` }));
      showLayerExports(null);
      $("steps").hidden = true;
      await lookFurther(sentence, stale);
      return;
    }
    const started = performance.now();
    const attentions = attention.wanted;
    let pass;
    if (mode() === "order") {
      const { steps, first } = await fillInOrder(model, sentence, attentions);
      if (stale()) return;
      renderSteps(steps, blanks);
      pass = first;
    } else {
      const { answers, result } = await predictBlanks(model, sentence, blanks, TOP_K, attentions, $("layers-toggle").checked);
      if (stale()) return;
      renderAnswers(answers);
      pass = result;
    }
    if (attentions) attention.show(sentence, encoded, pass.attentions);
    lastLatency = performance.now() - started;
    describeBackend();
    showError(null, "predict");
    await lookFurther(sentence, stale);
  } catch (error) {
    if (!stale()) showError(error.message, "predict");
  } finally {
    if (mine === request) busy(false);
  }
}

/** The open panels that look further at the sentence: its surprise, and a second model's answers
 *  (in the second model's own worker, at the same time). */
function lookFurther(sentence, stale) {
  return Promise.all([showSurprise(sentence, stale), compare.show(sentence, stale)]);
}

/** The surprise panel's scores of `sentence` — and of the sentence it is compared with — when the
 *  panel is open and the sentence current. */
async function showSurprise(sentence, stale) {
  if (!surprise.wanted) return;
  try {
    const score = await model.score(sentence);
    if (stale()) return;
    surprise.show(sentence, score);
  } catch (error) {
    if (!stale()) surprise.fail(error.message);
    return;
  }
  await compareSurprise(stale);
}

/** The comparison sentences' scores beside the sentence's (one a line; none when the box is empty). */
async function compareSurprise(stale = () => false) {
  const typed = $("compare-text").value;
  const lines = typed.split("\n").map((l) => l.trim()).filter(Boolean).slice(0, MAX_COMPARED);
  const current = () => !stale() && $("compare-text").value === typed;
  if (lines.length === 0) return surprise.compareWith(null);
  const others = [];
  for (const line of lines) {
    try {
      others.push({ text: line, score: await model.score(line) });
    } catch (error) {
      if (current()) surprise.failOther(lines.length > 1 ? `"${line}": ${error.message}` : error.message);
      return;
    }
  }
  if (current()) surprise.compareWith(others);
}

/** Runs `edit` only if the sentence is still the one the clicked element was drawn for. */
function onCurrent(drawnFor, edit) {
  return () => {
    if (text() === drawnFor) edit();
  };
}

/** Says, under the sentence, that a word just blanked is not one the model knows (or nothing). */
function noteWord(message) {
  $("word-note").hidden = !message;
  $("word-note").textContent = message ?? "";
}

function renderWords(parts, encoded) {
  const drawnFor = text();
  $("words").dataset.text = drawnFor;
  // A pasted book is drawn only as far as a sentence can sensibly be clicked (the model reads
  // less than that anyway); the rest is counted.
  const drawn = parts.slice(0, MAX_DRAWN_PARTS);
  const rest = parts.length - drawn.length;
  setChildren($("words"), [
    ...drawn.map((part) => {
      if (part.kind === "text") return part.text;
      if (part.kind === "word") {
        return element("button", {
          type: "button",
          className: "word",
          textContent: part.text,
          title: part.pieces > 1 ? `blank out "${part.text}" (${part.pieces} pieces)` : `blank out "${part.text}"`,
          onclick: onCurrent(drawnFor, () => {
            const index = parts.filter((p) => p.kind === "blank" && p.start < part.start).length;
            originals.splice(index, 0, part.text);
            const pieces = encoded.tokens.slice(...part.tokens);
            noteWord(isKnown(pieces) ? null : `${unknownWordMessage({ word: part.text, pieces })} The blank is one mask per piece, guessed piece by piece — a known word would be a fairer test.`);
            setText(maskWord(text(), part, model.info.maskToken));
          }),
        });
      }
      return element("button", {
        type: "button",
        className: "blank",
        textContent: `blank ${part.index + 1}`,
        title: originals[part.index] ? `restore "${originals[part.index]}"` : "fill with the top prediction",
        onclick: onCurrent(drawnFor, () => restoreBlank(part)),
      });
    }),
    ...(rest > 0 ? [element("span", { className: "hint", textContent: ` … and ${rest.toLocaleString("en")} more words and gaps, not drawn` })] : []),
  ]);
}

function restoreBlank(part) {
  const word = originals[part.index] ?? document.querySelector(`.answer[data-blank="${part.index}"] .prediction .word`)?.textContent;
  if (!word) return;
  originals.splice(part.index, 1);
  setText(replacePart(text(), part, word));
}

function writeIn(part, word) {
  originals.splice(part.index, 1);
  setText(replacePart(text(), part, word));
}

function renderTokens(encoded) {
  const rest = encoded.tokens.length - MAX_DRAWN_TOKENS;
  setChildren($("tokens").querySelector("tbody"), [
    ...encoded.tokens.slice(0, MAX_DRAWN_TOKENS).map((token, i) => {
      const kind = token === model.info.maskToken ? "mask" : encoded.special[i] ? "special" : token.startsWith("##") ? "continuation" : "word start";
      return element("tr", { className: kind }, element("td", { textContent: i }), element("td", { textContent: token }), element("td", { textContent: encoded.inputIds[i] }), element("td", { textContent: kind }));
    }),
    ...(rest > 0 ? [element("tr", {}, element("td", { colSpan: 4, className: "hint", textContent: `… and ${rest.toLocaleString("en")} more tokens` }))] : []),
  ]);
}

function predictionRow(candidate, onChoose) {
  const word = element("span", { className: "word", textContent: candidate.word });
  const bar = element("span", { className: "bar" });
  bar.style.width = `${Math.max(1, candidate.score * 100)}%`;
  const score = element("span", { className: "score", textContent: percent(candidate.score) });
  const pieces = candidate.pieces.length > 1 ? ` (pieces ${candidate.pieces.join(" ")})` : "";
  return element("button", {
    type: "button",
    className: "prediction",
    title: `write "${candidate.word}" into the sentence${pieces}`,
    onclick: onChoose,
  }, word, bar, score);
}

/** Puts the answers for the sentence `drawnFor` on the page, marked with that sentence. */
function showPredictions(drawnFor, ...children) {
  $("predictions").replaceChildren(...children);
  $("predictions").dataset.text = drawnFor;
}

/** The answers on screen with their layer-by-layer guesses (for the exports), or null. */
let layerAnswers = null;

/** Keeps `answers` of the sentence on screen for the layer exports, shown when they have layers. */
function showLayerExports(answers) {
  layerAnswers = answers?.[0]?.layers ? { text: text(), answers } : null;
  $("layers-exports").hidden = !layerAnswers;
}

function renderAnswers(answers) {
  const drawnFor = text();
  $("steps").hidden = true;
  showLayerExports(answers);
  showPredictions(drawnFor,
    ...answers.map(({ blank, candidates, position, layers }) => {
      const answer = element("div", { className: "answer" },
        element("h3", {},
          element("span", { className: "title", textContent: `Blank ${blank.index + 1}${blank.pieces > 1 ? ` (${blank.pieces} pieces, predicted piece by piece)` : ""}` }),
          element("button", { type: "button", className: "look", textContent: "where it looks", title: "show what this blank attends to", onclick: () => showAttentionOf(position) })),
        ...candidates.map((c) => predictionRow(c, onCurrent(drawnFor, () => writeIn(blank, c.word)))),
        ...(layers ? [layerTable(layers)] : []),
      );
      answer.dataset.blank = blank.index; // restoreBlank finds a blank's top guess by it
      return answer;
    }),
  );
}

/** How a blank's guess formed: the model's head read at every layer, its three best each, the
 *  final guess marked wherever it appears, so a learner sees it rise. */
function layerTable(layers) {
  const final = layers.at(-1)?.guesses[0]?.word;
  const last = layers.length - 1;
  return element("table", { className: "layers" },
    element("caption", { textContent: "How the guess formed: the model's answer read after every layer" }),
    element("thead", {}, element("tr", {}, element("th", { scope: "col", textContent: "read after" }), ...[1, 2, 3].map((rank) => element("th", { scope: "col", textContent: `guess ${rank}` })))),
    element("tbody", {}, ...layers.map(({ layer, guesses }) =>
      element("tr", {},
        element("th", { scope: "row", textContent: layer === 0 ? "the embeddings" : layer === last ? `layer ${layer} (the answer)` : `layer ${layer}` }),
        ...guesses.slice(0, 3).map((g) => {
          const cell = element("td", { className: g.word === final ? "final-guess" : "", textContent: `${g.word} ${percent(g.score)}` });
          cell.style.setProperty("--strength", String(g.score));
          return cell;
        }),
      ))),
  );
}

function renderSteps(steps, blanks) {
  showLayerExports(null);
  showPredictions(text(),
    element("p", { className: "hint", textContent: "Each step fills the blank the model is surest of, then runs again." }),
    element("p", { className: "result", textContent: steps.at(-1)?.text ?? text() }),
    element("button", { type: "button", textContent: "Use this sentence", onclick: () => { originals = []; setText(steps.at(-1).text); } }),
  );
  const maskCounts = blanks.map((b) => b.pieces);
  const blankOf = (mask) => {
    let seen = 0;
    for (const [i, count] of maskCounts.entries()) {
      seen += count;
      if (mask < seen) return i;
    }
    return maskCounts.length - 1;
  };
  $("steps").replaceChildren(
    ...steps.map((s, i) => element("li", { className: "step", textContent: `step ${i + 1}: blank ${blankOf(s.mask) + 1} ← "${s.token}" (${percent(s.score)}) — ${s.text}` })),
  );
  $("steps").hidden = false;
}

$("layers-png").addEventListener("click", async () => {
  const tables = [...document.querySelectorAll("#predictions table.layers")];
  if (tables.length) downloadBlob(await snapshotPng(tables, `How each guess formed, layer by layer — ${layerAnswers?.text ?? ""}`), "clozelab-layers.png");
});
$("layers-json").addEventListener("click", () => {
  if (!layerAnswers) return;
  const json = {
    text: layerAnswers.text,
    blanks: layerAnswers.answers.map(({ blank, candidates, layers }) => ({ blank: blank.index + 1, answer: candidates, layers: layers.map(({ layer, guesses }) => ({ layer, guesses })) })),
  };
  downloadJson(json, "clozelab-layers.json");
});

// ── attention ──────────────────────────────────────────────────────────────────────────────
const attention = new AttentionPanel($("attention"));
let pinAfterUpdate = null;

async function showAttentionOf(position) {
  if (!attention.wanted) {
    pinAfterUpdate = position;
    $("attention").open = true; // the toggle event runs update(), which pins it
  } else attention.pin(position);
  $("attention").scrollIntoView({ block: "nearest" });
}

// Opened by its heading, the panel shows the first blank's lines: one word's lines read far better
// than every token's at once.
$("attention").addEventListener("toggle", async () => {
  if (!$("attention").open) return;
  await update();
  const firstMask = attention.data?.encoded.tokens.indexOf(model?.info.maskToken) ?? -1;
  const pin = pinAfterUpdate ?? attention.pinnedToken ?? (firstMask >= 0 ? firstMask : null);
  if (pin !== null) attention.pin(pin);
  pinAfterUpdate = null;
});

// ── surprise ───────────────────────────────────────────────────────────────────────────────
const surprise = new SurprisePanel($("surprise"));
$("surprise").addEventListener("toggle", () => {
  if ($("surprise").open) update();
});
let comparing = 0;
$("compare-text").addEventListener("input", () => {
  clearTimeout(comparing);
  comparing = setTimeout(() => model && surprise.result && compareSurprise(), 150);
});

// ── training ───────────────────────────────────────────────────────────────────────────────
const train = new TrainPanel($("train"), {
  model: () => model,
  showError: (message) => showError(message, "train"),
  useModel: (url) => {
    $("model-preset").value = "";
    $("model-source").value = url;
    loadSource(url);
  },
  onTrained: () => compare.offerTrained(),
});

// ── a second model ─────────────────────────────────────────────────────────────────────────
const compare = new ComparePanel($("second"), {
  model: () => model,
  name: () => modelLabel,
  trained: () => train.trained,
  keptTrained: () => train.kept(),
  sourceUrl,
  presets: PRESETS,
  backend: () => $("model-backend").value,
});
compare.onLoaded = update;
$("second").addEventListener("toggle", () => {
  if ($("second").open) update();
});

// ── wiring ─────────────────────────────────────────────────────────────────────────────────
let typing = 0;
$("text").addEventListener("input", () => {
  noteWord(null);
  clearTimeout(typing);
  request++; // a draw under way is for the old sentence: it stops without drawing
  busy(true);
  typing = setTimeout(update, 150);
});
for (const radio of document.querySelectorAll("input[name=mode]")) radio.addEventListener("change", update);
$("layers-toggle").addEventListener("change", update);

$("examples").append(...EXAMPLES.map(({ text: example }) => element("button", { type: "button", className: "example", textContent: example, onclick: () => { originals = []; noteWord(null); setText(example); } })));

$("model-preset").append(
  ...PRESETS.map((p) => element("option", { value: p.source, textContent: p.label })),
  element("option", { value: "", textContent: "another model (type its URL or hub id below)" }),
);
$("model-preset").addEventListener("change", () => {
  if (!$("model-preset").value) return $("model-source").focus();
  $("model-source").value = $("model-preset").value;
  loadSource($("model-source").value);
});
$("model-form").addEventListener("submit", (event) => {
  event.preventDefault();
  loadSource($("model-source").value);
});
$("model-files").addEventListener("change", (event) => loadFiles([...event.target.files]));
$("cancel").addEventListener("click", () => downloads?.abort());
document.addEventListener("dragover", (event) => {
  event.preventDefault();
  document.body.classList.add("dropping");
});
document.addEventListener("dragleave", () => document.body.classList.remove("dropping"));
document.addEventListener("drop", async (event) => {
  event.preventDefault();
  document.body.classList.remove("dropping");
  loadFiles(await droppedFiles(event.dataTransfer));
});

setUpThemeButton($("theme"));
registerServiceWorker();

// Start: the state in the hash, the model in ?model= (older links) or the hash, else the bundled one.
const state = readHash();
if (state.text !== null) $("text").value = state.text;
document.querySelector(`input[name=mode][value=${state.mode}]`).checked = true;
const query = new URLSearchParams(location.search);
// ?backend=webgpu (or cpu) chooses the backend as the select does: "auto" treats a software
// adapter (SwiftShader) as no GPU, so this is how to ask for WebGPU there anyway.
if (["auto", "webgpu", "cpu"].includes(query.get("backend"))) $("model-backend").value = query.get("backend");
// ?dtype=q8 loads 8-bit weights, as the Weights select does.
if (["fp32", "q8"].includes(query.get("dtype"))) $("model-dtype").value = query.get("dtype");
const linked = state.model ?? query.get("model") ?? BUNDLED_MODEL;
start(linked);

/** The host a model source downloads from, when it is neither this page's nor the hub's (a link
 * may name a folder URL, or point hub ids at another server with ?hub=). */
function foreignHost(source) {
  let url;
  try {
    url = new URL(sourceUrl(source).url, location.href);
  } catch {
    return null; // not a source at all: loading it says so
  }
  return url.origin === location.origin || url.origin === new URL(DEFAULT_HUB).origin ? null : url.host;
}

// A link can name any folder URL: one on another host is loaded only once the visitor agrees.
async function start(source) {
  const host = foreignHost(source);
  if (host && !(await ask(`This link loads a model from ${host}, a site other than this one. Load it?`, { yes: `Load it from ${host}`, no: "No, use the bundled model" }))) {
    source = BUNDLED_MODEL;
  }
  $("model-source").value = source;
  $("model-preset").value = PRESETS.some((p) => p.source === source) ? source : "";
  loadSource(source);
}
