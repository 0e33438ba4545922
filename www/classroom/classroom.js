// The classroom page: the bundled model loads in the worker while the teacher picks a deck; four
// activities in tabs (guess first, the dice of MLM training, decks, worksheet), presentation mode
// and shortcuts. Everything works offline once the service worker has stored the site.

import { ClozeClient } from "../cloze_client.js";
import { $, element } from "../dom.js";
import { BUNDLED_MODEL } from "../presets.js";
import { setUpThemeButton } from "../theme.js";
import { registerServiceWorker } from "../offline.js";
import { BUILT_IN_DECKS, parseLines } from "./decks.js";
import { deckFile, deckFileName, deckFromHash, deleteDeck, loadDecks, readDeckFile, saveDeck, shareLink } from "./deck_store.js";
import { QuizView } from "./quiz_view.js";
import { DiceExplainer } from "./dice.js";
import { renderWorksheet } from "./worksheet.js";
import { installShortcuts } from "./presentation.js";

let model = null;
const current = () => model;

function showError(message) {
  $("error").hidden = !message;
  $("error").textContent = message ?? "";
}

// ── the model ────────────────────────────────────────────────────────────────────────────────
async function loadModel() {
  try {
    model = await ClozeClient.fromUrl(BUNDLED_MODEL, { backend: "auto" });
    const where = model.backend === "webgpu" ? "WebGPU" : "CPU";
    $("badge").textContent = `clozelab-tiny-bert (${(model.info.paramCount / 1e6).toFixed(1)} M parameters) on ${where}`;
  } catch (error) {
    $("badge").textContent = "no model";
    showError(`The model did not load: ${error.message}`);
  }
}

// ── decks ────────────────────────────────────────────────────────────────────────────────────
let linkDeck = null;
/** Every deck on offer, [{ key, deck, kind }], as of the last refreshDeckSelects(). */
let decks = [];

function fillDeckSelect(select, chosen) {
  select.replaceChildren(...decks.map(({ key, deck, kind }) => element("option", { value: key, textContent: `${deck.title} (${kind})` })));
  if (chosen && decks.some((d) => d.key === chosen)) select.value = chosen;
}

const deckOf = (key) => decks.find((d) => d.key === key);

/** Re-reads the saved decks (after a save or delete) and redraws the three deck pickers. */
function refreshDeckSelects(chosen) {
  decks = [
    ...BUILT_IN_DECKS.map((deck, i) => ({ key: `built-in:${i}`, deck, kind: "built-in" })),
    ...loadDecks().map((deck) => ({ key: `mine:${deck.title}`, deck, kind: "mine" })),
    ...(linkDeck ? [{ key: "link", deck: linkDeck, kind: "from the link" }] : []),
  ];
  for (const id of ["quiz-deck", "deck-pick", "sheet-deck"]) fillDeckSelect($(id), chosen ?? $(id).value);
}

function showDeckInEditor(key) {
  const { deck, kind } = deckOf(key);
  $("deck-pick").value = key;
  $("deck-title").value = deck.title;
  $("deck-prompt").value = deck.prompt;
  $("deck-lines").value = deck.lines.join("\n");
  $("deck-delete").disabled = kind !== "mine";
}

function deckFromEditor() {
  const title = $("deck-title").value.trim();
  if (!title) throw new Error("give the deck a title");
  return { title, prompt: $("deck-prompt").value.trim(), lines: parseLines($("deck-lines").value) };
}

function deckStatus(message, isError = false) {
  $("deck-status").textContent = message;
  $("deck-status").classList.toggle("error-text", isError);
}

function editorAction(action) {
  return async () => {
    try {
      await action();
    } catch (error) {
      deckStatus(error.message, true);
    }
  };
}

$("deck-pick").addEventListener("change", () => showDeckInEditor($("deck-pick").value));
$("deck-save").addEventListener("click", editorAction(() => {
  const deck = deckFromEditor();
  if (BUILT_IN_DECKS.some((d) => d.title === deck.title)) throw new Error("that title belongs to a built-in deck — give yours another one");
  saveDeck(deck);
  refreshDeckSelects();
  showDeckInEditor(`mine:${deck.title}`);
  deckStatus(`Saved "${deck.title}" in this browser.`);
}));
$("deck-export").addEventListener("click", editorAction(() => {
  const deck = deckFromEditor();
  const link = element("a", { href: URL.createObjectURL(deckFile(deck)), download: deckFileName(deck) });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  deckStatus(`Exported "${deck.title}" as ${deckFileName(deck)}.`);
}));
$("deck-import").addEventListener("change", editorAction(async () => {
  const file = $("deck-import").files[0];
  $("deck-import").value = "";
  if (!file) return;
  const deck = await readDeckFile(file);
  $("deck-title").value = deck.title;
  $("deck-prompt").value = deck.prompt;
  $("deck-lines").value = deck.lines.join("\n");
  deckStatus(`Imported "${deck.title}" (${deck.lines.length} sentences) — press Save to keep it in this browser.`);
}));
$("deck-share").addEventListener("click", editorAction(async () => {
  const url = shareLink(deckFromEditor(), new URL("classroom.html", location.href).href);
  $("deck-link").hidden = false;
  $("deck-link").href = url;
  $("deck-link").textContent = "The share link (opens this deck)";
  try {
    await navigator.clipboard.writeText(url);
    deckStatus("The share link is copied: paste it in an email or a chat. The whole deck is inside the link.");
  } catch {
    deckStatus("Copy the share link below: the whole deck is inside it.");
  }
}));
$("deck-delete").addEventListener("click", editorAction(() => {
  const { deck, kind } = deckOf($("deck-pick").value);
  if (kind !== "mine") throw new Error("built-in decks cannot be deleted");
  deleteDeck(deck.title);
  refreshDeckSelects("built-in:0");
  showDeckInEditor("built-in:0");
  deckStatus(`Deleted "${deck.title}".`);
}));
$("deck-use").addEventListener("click", editorAction(() => {
  const key = $("deck-pick").value;
  $("quiz-deck").value = key;
  quiz.start(deckOf(key).deck);
  selectTab("tab-quiz");
}));

// ── activities ───────────────────────────────────────────────────────────────────────────────
const quiz = new QuizView(current, showError);
const dice = new DiceExplainer(current, showError);

$("quiz-deck").addEventListener("change", () => quiz.start(deckOf($("quiz-deck").value).deck));
$("sheet-deck").addEventListener("change", () => renderWorksheet($("sheet"), deckOf($("sheet-deck").value).deck));
$("sheet-print").addEventListener("click", () => print());

// ── tabs ─────────────────────────────────────────────────────────────────────────────────────
const tabs = [...document.querySelectorAll("[role=tab]")];

function selectTab(id) {
  for (const tab of tabs) {
    const selected = tab.id === id;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(tab.getAttribute("aria-controls")).hidden = !selected;
  }
  document.body.dataset.activity = $(id).getAttribute("aria-controls");
}

tabs.forEach((tab, i) => {
  tab.addEventListener("click", () => selectTab(tab.id));
  tab.addEventListener("keydown", (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    const next = tabs[(i + step + tabs.length) % tabs.length];
    selectTab(next.id);
    next.focus();
  });
});

/** A quiz shortcut brings the quiz into view first. */
const inQuiz = (action) => () => {
  selectTab("tab-quiz");
  action();
};

installShortcuts({
  n: inQuiz(() => quiz.next()),
  r: inQuiz(() => quiz.reveal()),
  g: inQuiz(() => $("guess").focus()),
  d: () => {
    selectTab("tab-dice");
    dice.roll(1);
  },
  digit: (n) => inQuiz(() => quiz.blankWord(n))(),
});

// ── start ────────────────────────────────────────────────────────────────────────────────────
setUpThemeButton($("theme"));
registerServiceWorker();
try {
  linkDeck = deckFromHash();
} catch (error) {
  showError(error.message);
}
refreshDeckSelects(linkDeck ? "link" : "built-in:0");
showDeckInEditor($("deck-pick").value);
quiz.start(deckOf($("quiz-deck").value).deck);
renderWorksheet($("sheet"), deckOf($("sheet-deck").value).deck);
selectTab("tab-quiz");
loadModel();
