// The classroom page: the bundled model loads in the worker while the teacher picks a deck; six
// activities in tabs (guess first, minimal pairs, "can BERT write?", the dice of MLM training,
// decks, worksheet), presentation mode and shortcuts. Everything works offline once the service worker has stored the site.

import { ClozeClient } from "../cloze_client.js";
import { $, ask, downloadBlob, element, say } from "../dom.js";
import { parameters, whereItRuns } from "../format.js";
import { DEFAULT_HUB, hubModelUrl, MODEL_CACHE } from "../hub.js";
import { BUNDLED_MODEL, PRESETS, presetName } from "../presets.js";
import { unknownWordMessage, unknownWords } from "../vocabulary.js";
import { setUpThemeButton } from "../theme.js";
import { registerServiceWorker } from "../offline.js";
import { BUILT_IN_DECKS, isNote, itemsOf, parseLines } from "./decks.js";
import { deckFile, deckFileName, deckFromHash, deleteDeck, loadDecks, readDeckFile, saveDeck, shareLink } from "./deck_store.js";
import { QuizView } from "./quiz_view.js";
import { PAIR_SETS } from "./pairs.js";
import { PairsView } from "./pairs_view.js";
import { WritingView } from "./writing_view.js";
import { DiceExplainer } from "./dice.js";
import { renderWorksheet } from "./worksheet.js";
import { installShortcuts } from "./presentation.js";

let model = null;
const current = () => model;

const showError = (message) => say($("error"), message);

// ── the model ────────────────────────────────────────────────────────────────────────────────
// ?hub=<url> points hub ids at a mirror with the hub's layout (the tests use a local one).
const HUB = new URLSearchParams(location.search).get("hub") ?? DEFAULT_HUB;
// ?backend=webgpu (or cpu) chooses the backend as on the explore page; "auto" (the default) takes
// the faster where there is a GPU, and the CPU beside a software adapter.
const BACKEND = ["auto", "webgpu", "cpu"].find((b) => b === new URLSearchParams(location.search).get("backend")) ?? "auto";
/** What is loaded: BUNDLED_MODEL or the hub id a deck asked for. */
let modelSource = null;
let loading = 0;

const modelName = (source) => presetName(source) ?? source;

async function loadModel(source = BUNDLED_MODEL) {
  const mine = ++loading;
  $("badge").textContent = `loading ${modelName(source)}…`;
  try {
    const url = source === BUNDLED_MODEL ? BUNDLED_MODEL : hubModelUrl(source, HUB);
    const onProgress = ({ loaded, total }) => {
      if (mine === loading && total) $("badge").textContent = `loading ${modelName(source)}: ${(loaded / 1e6).toFixed(0)} of ${(total / 1e6).toFixed(0)} MB…`;
    };
    const next = await ClozeClient.fromUrl(url, { backend: BACKEND, onProgress, cache: source === BUNDLED_MODEL ? undefined : MODEL_CACHE });
    if (mine !== loading) return next.close();
    await model?.close();
    model = next;
    modelSource = source;
    showError(null);
    $("badge").textContent = `${modelName(source)} (${parameters(model.info.paramCount)} parameters) on ${whereItRuns(model)}`;
  } catch (error) {
    if (mine !== loading) return;
    $("badge").textContent = model ? `${modelName(modelSource)} (still loaded)` : "no model";
    showError(`${modelName(source)} did not load: ${error.message}`);
  } finally {
    if (mine === loading) {
      renderDeckModel();
      renderPairsModel();
      checkVocabulary();
      writing.reset();
    }
  }
}

/** An activity written for a larger model says so in `notice`, and offers to load it. */
function offerModel(notice, wanted, what) {
  notice.hidden = !wanted || wanted === modelSource;
  if (notice.hidden) return notice.replaceChildren();
  notice.replaceChildren(
    `This ${what} is for ${modelName(wanted)}: the small bundled model knows too little English for it. `,
    element("button", { type: "button", id: `${notice.id}-load`, textContent: `Load ${modelName(wanted)}`, title: PRESETS.find((p) => p.source === wanted)?.label ?? wanted, onclick: () => loadModel(wanted) }),
  );
}

const renderDeckModel = () => offerModel($("deck-model"), quiz.round?.deck.model, "deck");
const renderPairsModel = () => offerModel($("pairs-model"), pairs.round?.set.model, "set");

// ── decks ────────────────────────────────────────────────────────────────────────────────────
let linkDeck = null;
/** A deck run from the editor without saving it ("Use in the quiz"). */
let editorDeck = null;
/** Every deck on offer, [{ key, deck, kind }], as of the last refreshDeckSelects(). */
let decks = [];

function fillDeckSelect(select, chosen) {
  const options = decks.map(({ key, deck, kind }) => element("option", { value: key, textContent: `${deck.title} (${kind})` }));
  // The editor's picker can also start a new deck.
  if (select.id === "deck-pick") options.push(element("option", { value: "new", textContent: "a new deck…" }));
  select.replaceChildren(...options);
  if (chosen && [...select.options].some((o) => o.value === chosen)) select.value = chosen;
}

const deckOf = (key) => decks.find((d) => d.key === key);

/** Re-reads the saved decks (after a save or delete) and redraws the three deck pickers. */
function refreshDeckSelects(chosen) {
  decks = [
    ...BUILT_IN_DECKS.map((deck, i) => ({ key: `built-in:${i}`, deck, kind: "built-in" })),
    ...loadDecks().map((deck) => ({ key: `mine:${deck.title}`, deck, kind: "mine" })),
    ...(linkDeck ? [{ key: "link", deck: linkDeck, kind: "from the link" }] : []),
    ...(editorDeck ? [{ key: "editor", deck: editorDeck, kind: "from the editor, not saved" }] : []),
  ];
  for (const id of ["quiz-deck", "deck-pick", "sheet-deck"]) fillDeckSelect($(id), chosen ?? $(id).value);
}

function showDeckInEditor(key) {
  const { deck, kind } = deckOf(key) ?? { deck: { title: "", prompt: "", lines: [] }, kind: "new" };
  $("deck-pick").value = key;
  $("deck-title").value = deck.title;
  $("deck-prompt").value = deck.prompt;
  $("deck-lines").value = deck.lines.join("\n");
  $("deck-delete").disabled = kind !== "mine";
  editorModel = deck.model;
  checkVocabulary();
}

/** The model the deck in the editor was written for (kept from the deck it was opened from). */
let editorModel;

function deckFromEditor() {
  const title = $("deck-title").value.trim();
  if (!title) throw new Error("give the deck a title");
  const deck = { title, prompt: $("deck-prompt").value.trim(), lines: parseLines($("deck-lines").value) };
  if (editorModel) deck.model = editorModel;
  return deck;
}

const sameDeck = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Words of the editor's sentences (answers included) that the loaded model does not know. */
async function checkVocabulary() {
  const note = $("deck-vocab");
  const lines = $("deck-lines").value.split("\n").filter((l) => l.trim() && !isNote(l.trim()));
  if (!model || lines.length === 0) return note.replaceChildren();
  const words = lines.flatMap((line) => [...line.replace(/[[\]|?]/g, " ").matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0]));
  const text = $("deck-lines").value;
  try {
    const unknown = await unknownWords(model, words);
    if ($("deck-lines").value !== text) return; // typed on meanwhile: a newer check follows
    note.replaceChildren(
      ...(unknown.length
        ? [element("strong", { textContent: `${unknown.length} word${unknown.length === 1 ? " is" : "s are"} not in ${modelName(modelSource)}'s vocabulary: ` }), element("ul", {}, ...unknown.slice(0, 20).map((u) => element("li", { textContent: unknownWordMessage(u) }))), unknown.length > 20 ? `… and ${unknown.length - 20} more.` : "", " A blank on such a word is several pieces the model must guess one by one, and it rarely gets them."]
        : [`Every word is in ${modelName(modelSource)}'s vocabulary.`]),
    );
    note.classList.toggle("warning", unknown.length > 0);
  } catch (error) {
    note.textContent = error.message;
  }
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
$("deck-new").addEventListener("click", () => {
  showDeckInEditor("new");
  deckStatus("A new deck: give it a title and write its sentences.");
  $("deck-title").focus();
});
let vocabularyTimer = 0;
$("deck-lines").addEventListener("input", () => {
  clearTimeout(vocabularyTimer);
  vocabularyTimer = setTimeout(checkVocabulary, 300);
});
$("deck-save").addEventListener("click", editorAction(async () => {
  const deck = deckFromEditor();
  if (BUILT_IN_DECKS.some((d) => d.title === deck.title)) throw new Error("that title belongs to a built-in deck — give yours another one");
  const key = `mine:${deck.title}`;
  if (deckOf(key) && $("deck-pick").value !== key && !(await ask(`You already have a deck called "${deck.title}". Replace it with this one?`, { yes: "Replace it", no: "Cancel" }))) {
    return deckStatus("Not saved: give this deck another title to keep both.");
  }
  saveDeck(deck);
  refreshDeckSelects();
  showDeckInEditor(`mine:${deck.title}`);
  deckStatus(`Saved "${deck.title}" in this browser.`);
}));
$("deck-export").addEventListener("click", editorAction(() => {
  const deck = deckFromEditor();
  downloadBlob(deckFile(deck), deckFileName(deck));
  deckStatus(`Exported "${deck.title}" as ${deckFileName(deck)}.`);
}));
$("deck-import").addEventListener("change", editorAction(async () => {
  const file = $("deck-import").files[0];
  $("deck-import").value = "";
  if (!file) return;
  const deck = await readDeckFile(file);
  showDeckInEditor("new");
  $("deck-title").value = deck.title;
  $("deck-prompt").value = deck.prompt;
  $("deck-lines").value = deck.lines.join("\n");
  editorModel = deck.model;
  checkVocabulary();
  const sentences = itemsOf(deck.lines).length;
  deckStatus(`Imported "${deck.title}" (${sentences} sentence${sentences === 1 ? "" : "s"}) — press Save to keep it in this browser.`);
}));
$("deck-share").addEventListener("click", editorAction(async () => {
  $("deck-link").hidden = true; // a failed share leaves no older deck's link behind
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
// Runs what the editor holds: the picked deck if it is unchanged, else the edited text as it is.
$("deck-use").addEventListener("click", editorAction(async () => {
  const deck = deckFromEditor();
  let key = $("deck-pick").value;
  if (!deckOf(key) || !sameDeck(deckOf(key).deck, deck)) {
    editorDeck = deck;
    key = "editor";
    refreshDeckSelects();
  }
  if (await switchQuizDeck(key)) selectTab("tab-quiz");
}));

// ── activities ───────────────────────────────────────────────────────────────────────────────
const quiz = new QuizView($("quiz"), current, showError);
const dice = new DiceExplainer($("dice"), current, showError);
const pairs = new PairsView($("pairs"), current, showError);
const writing = new WritingView($("writing"), current, showError);
/** The deck the quiz runs (a key of `decks`). */
let quizKey = null;

function startQuiz(key) {
  quizKey = key;
  $("quiz-deck").value = key;
  quiz.start(deckOf(key).deck);
  renderDeckModel();
}

/** Whether to start `title` in place of `view`'s round: yes when nothing is in play, else the
 * teacher is asked first (the round's score would be thrown away). */
async function mayLeaveRound(view, title, what) {
  if (!view.inPlay) return true;
  const { score } = view.round;
  return ask(`Start "${title}"? This round's score (class ${score.class}, model ${score.model}) will be reset.`, { yes: `Start the new ${what}`, no: "Keep playing" });
}

/** Starts another deck in the quiz, asking first when that would throw away a round in play. */
async function switchQuizDeck(key) {
  if (key !== quizKey && !(await mayLeaveRound(quiz, deckOf(key).deck.title, "deck"))) {
    $("quiz-deck").value = quizKey;
    return false;
  }
  startQuiz(key);
  return true;
}

$("quiz-deck").addEventListener("change", () => switchQuizDeck($("quiz-deck").value));

$("pairs-set").replaceChildren(...PAIR_SETS.map((set, i) => element("option", { value: String(i), textContent: set.open ? `${set.title} (unscored)` : set.title })));
let pairsKey = "0";
function startPairs(key) {
  pairsKey = key;
  $("pairs-set").value = key;
  pairs.start(PAIR_SETS[Number(key)]);
  renderPairsModel();
}
$("pairs-set").addEventListener("change", async () => {
  const key = $("pairs-set").value;
  if (!(await mayLeaveRound(pairs, PAIR_SETS[Number(key)].title, "set"))) return ($("pairs-set").value = pairsKey);
  startPairs(key);
});
const showSheet = () => renderWorksheet($("sheet"), deckOf($("sheet-deck").value).deck);
$("sheet-deck").addEventListener("change", showSheet);
$("sheet-print").addEventListener("click", () => print());
$("sheet-key").addEventListener("click", () => {
  const shown = $("sheet-key").getAttribute("aria-pressed") !== "true";
  $("sheet-key").setAttribute("aria-pressed", String(shown));
  $("sheet-key").textContent = shown ? "Hide the answer key" : "Show the answer key";
  $("sheet").classList.toggle("key-shown", shown);
});

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

tabs.forEach((tab) => {
  tab.addEventListener("click", () => selectTab(tab.id));
  tab.addEventListener("keydown", (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    const shown = tabs.filter((t) => getComputedStyle(t).display !== "none"); // presentation hides some
    const next = shown[(shown.indexOf(tab) + step + shown.length) % shown.length];
    selectTab(next.id);
    next.focus();
  });
});

/** A shortcut acts in its activity, which it brings into view first. */
const inTab = (tab, action) => () => {
  selectTab(tab);
  action();
};
const inQuiz = (action) => inTab("tab-quiz", action);
/** N and R act on the pairs when they are shown, else on the quiz. */
const inPairsOrQuiz = (onPairs, onQuiz) => () => (document.body.dataset.activity === "pairs" ? onPairs() : inQuiz(onQuiz)());

installShortcuts({
  n: inPairsOrQuiz(() => pairs.next(), () => quiz.next()),
  r: inPairsOrQuiz(() => pairs.reveal(), () => quiz.reveal()),
  g: inQuiz(() => $("guess").focus()),
  a: inTab("tab-pairs", () => pairs.choose(0)),
  b: inTab("tab-pairs", () => pairs.choose(1)),
  w: inTab("tab-writing", () => writing.fill(1)),
  d: () => {
    selectTab("tab-dice");
    dice.roll(1);
  },
  digit: (n) => inQuiz(() => quiz.blankWord(n))(),
}, (presenting) => {
  // The projector shows the class's activities; decks and worksheets are prepared outside it.
  if (presenting && !["quiz", "pairs", "writing", "dice"].includes(document.body.dataset.activity)) selectTab("tab-quiz");
  // The explanation of "Can BERT write?" is read before or after; on the projector it is one line
  // to open when the class gets to it.
  if (presenting) $("writing-why").open = false;
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
startQuiz($("quiz-deck").value);
startPairs("0");
showSheet();
selectTab("tab-quiz");
loadModel();
