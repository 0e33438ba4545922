// The "Which sounds right?" activity on the page: a minimal pair at a time, shown as A and B; the
// class chooses (a click, or the keys A and B), then the model's choice is revealed — each sentence
// scored word by word (www/surprise_panel.js draws them), the words that differ outlined with their
// probabilities, the margin in words — and the running score of class against model. An open set,
// or the teacher's own pair, asks which the model prefers and scores nobody.

import { downloadBlob, downloadJson, element, say, setChildren, within } from "../dom.js";
import { snapshotPng } from "../snapshot.js";
import { describeWord, differingWords, drawnWords } from "../surprise_panel.js";
import { PairRound, timesAsLikely } from "./pairs.js";

const SIDES = ["A", "B"];

/** The words that differ in one sentence, with their probabilities: `"is": 0.3% given the rest, …`. */
function differingList(score, marks) {
  const words = score.words.filter((_, i) => marks[i]);
  return words.length ? words.map(describeWord).join("; ") : "no word of its own (the same words in another order)";
}

export class PairsView {
  /** @param {() => object | null} model the loaded model, or null while it loads */
  constructor(root, model, onError) {
    this.$ = within(root);
    this.model = model;
    this.onError = onError;
    this.round = null;
    this.revealing = false;
    SIDES.forEach((_, side) => this.$(`pair-${side}`).addEventListener("click", () => this.choose(side)));
    this.$("pairs-reveal").addEventListener("click", () => this.reveal());
    this.$("pairs-next").addEventListener("click", () => this.next());
    this.$("pairs-restart").addEventListener("click", () => this.start(this.round.set));
    this.$("pairs-png").addEventListener("click", () => this.exportPng());
    this.$("pairs-json").addEventListener("click", () => this.exportJson());
    this.$("pairs-own").addEventListener("submit", (event) => {
      event.preventDefault();
      this.own();
    });
  }

  get inPlay() {
    const round = this.round;
    return Boolean(round) && !round.finished && (round.score.asked > 0 || round.vote !== null);
  }

  start(set) {
    this.round = new PairRound(set);
    this.render();
  }

  choose(side) {
    if (this.round?.choose(side)) this.render();
  }

  /** The teacher's own two sentences in place of the current pair (unscored). */
  own() {
    const [first, second] = ["pairs-own-a", "pairs-own-b"].map((id) => this.$(id).value.trim());
    if (!first || !second) return say(this.$("pairs-own-error"), "Write two sentences to compare.");
    if (first === second) return say(this.$("pairs-own-error"), "The two sentences are the same: change a word in one of them.");
    say(this.$("pairs-own-error"), null);
    if (this.round.finished) this.round.index = this.round.items.length - 1;
    this.round.own(first, second);
    this.render();
    this.reveal();
  }

  async reveal() {
    const round = this.round;
    const model = this.model();
    if (!round || round.finished || round.revealed || this.revealing) return;
    if (!model) return this.onError("the model is still loading — reveal again in a moment");
    const item = round.item;
    this.revealing = true;
    this.$("pairs-reveal").disabled = true;
    this.$("pairs-result").setAttribute("aria-busy", "true");
    try {
      // One after the other: the worker runs one request at a time anyway.
      const scores = [];
      for (const sentence of item.sentences) scores.push(await model.score(sentence));
      if (round === this.round && item === round.item) round.reveal(scores);
    } catch (error) {
      this.onError(`the model could not score the pair: ${error.message}`);
    } finally {
      this.revealing = false;
      this.$("pairs-result").removeAttribute("aria-busy");
      this.render();
    }
  }

  next() {
    if (!this.round || this.revealing) return;
    this.round.next();
    this.render();
  }

  render() {
    const round = this.round;
    this.$("pairs-score").textContent = round.scoreLine;
    if (round.finished) return this.renderEnd();
    const { sentences, open, natural } = round.item;
    const revealed = round.revealed;
    this.$("pairs-position").textContent = `Pair ${round.index + 1} of ${round.items.length}`;
    this.$("pairs-question").textContent = open ? "Which will the model prefer?" : "Which sounds right?";
    sentences.forEach((sentence, side) => {
      const button = this.$(`pair-${side}`);
      button.setAttribute("aria-pressed", String(round.vote === side));
      button.disabled = Boolean(revealed);
      button.classList.toggle("right", Boolean(revealed?.scored) && natural === side);
      button.classList.toggle("model-pick", revealed?.modelPick === side);
      button.querySelector(".pair-text").textContent = sentence;
      button.setAttribute("aria-label", `${SIDES[side]}: ${sentence}${round.vote === side ? " (the class's choice)" : ""}`);
    });
    this.$("pairs-reveal").disabled = Boolean(revealed) || this.revealing;
    this.$("pairs-png").disabled = this.$("pairs-json").disabled = !revealed;
    if (!revealed) {
      setChildren(this.$("pairs-result"), []);
      this.$("pairs-verdict").textContent = round.vote === null ? "" : `The class chose ${SIDES[round.vote]}.`;
      this.$("pairs-prompt").hidden = true;
      return;
    }
    this.renderRevealed(sentences, revealed, natural);
  }

  renderRevealed(sentences, revealed, natural) {
    const { scores, margin, modelPick, scored } = revealed;
    const [inA, inB] = differingWords(scores[0].words.map((w) => w.text), scores[1].words.map((w) => w.text));
    const marks = [inA, inB];
    setChildren(
      this.$("pairs-result"),
      sentences.map((sentence, side) =>
        element(
          "div",
          { className: side === modelPick ? "pair-scored model-pick" : "pair-scored" },
          element("span", { className: "pair-side", textContent: SIDES[side] }),
          element("p", { className: "pair-words" }, ...drawnWords(sentence, scores[side], { differs: marks[side], readout: (word) => (this.$("pairs-readout").textContent = describeWord(word)) })),
          element("p", { className: "pair-total", textContent: `log-probability ${scores[side].total.toFixed(2)} · where they differ: ${differingList(scores[side], marks[side])}` }),
        ),
      ),
    );
    this.$("pairs-readout").textContent = "";
    const choice = `The model chooses ${SIDES[modelPick]}: it finds it ${timesAsLikely(margin)} as ${SIDES[1 - modelPick]} (${scores[modelPick].total.toFixed(2)} against ${scores[1 - modelPick].total.toFixed(2)} in log-probability).`;
    const who = (right, pick) => (pick === null ? "the class did not choose" : right ? "right" : "wrong");
    this.$("pairs-verdict").textContent = scored
      ? `${choice} ${SIDES[natural]} is the natural one: the class was ${who(revealed.classRight, revealed.classPick)}, the model was ${revealed.modelRight ? "right" : "wrong"}.`
      : `${choice} Nobody scores: ${revealed.classPick === null ? "the class did not guess" : `the class guessed ${SIDES[revealed.classPick]}${revealed.classPick === modelPick ? ", as the model chose" : ""}`}.`;
    this.$("pairs-prompt").hidden = !this.round.set.prompt;
    this.$("pairs-prompt").textContent = this.round.set.prompt;
  }

  renderEnd() {
    this.$("pairs-position").textContent = "Round over";
    this.$("pairs-question").textContent = this.round.score.asked
      ? this.round.outcome
      : "Every pair asked.";
    for (const side of [0, 1]) {
      this.$(`pair-${side}`).disabled = true;
      this.$(`pair-${side}`).querySelector(".pair-text").textContent = "";
    }
    setChildren(this.$("pairs-result"), []);
    this.$("pairs-verdict").textContent = "Press \"New round\" to play the set again, or pick another set.";
    this.$("pairs-prompt").hidden = true;
    this.$("pairs-reveal").disabled = true;
    this.$("pairs-png").disabled = this.$("pairs-json").disabled = true;
  }

  async exportPng() {
    if (!this.round?.revealed) return;
    downloadBlob(await snapshotPng([this.$("pairs-verdict"), this.$("pairs-result")], this.round.set.title), "clozelab-pair.png");
  }

  exportJson() {
    const revealed = this.round?.revealed;
    if (!revealed) return;
    const { sentences, natural } = this.round.item;
    const json = {
      set: this.round.set.title,
      sentences: sentences.map((text, side) => ({ side: SIDES[side], text, total: revealed.scores[side].total, words: revealed.scores[side].words.map(({ text, logProb }) => ({ text, logProb })) })),
      natural: natural === null ? null : SIDES[natural],
      modelChoice: SIDES[revealed.modelPick],
      classChoice: revealed.classPick === null ? null : SIDES[revealed.classPick],
    };
    downloadJson(json, "clozelab-pair.json");
  }
}
