// The "Guess first" activity on the page: one sentence of the deck at a time with its blank, the
// class's guesses tallied as they are typed, then the model's ranking revealed beside them and the
// running score of class against model.

import { element, within } from "../dom.js";
import { percent } from "../format.js";
import { predictBlanks } from "../blanks.js";
import { blanksOf, sentenceParts } from "../sentence.js";
import { QuizRound, filledIn, wordsOf } from "./quiz.js";

const TOP_K = 5;
/** The class's most common guesses listed (the rest are counted in one line), as many as the model shows. */
const TALLY_SHOWN = 5;

/** The model's ranking of whole words for an item's blank (a blank of several pieces is completed). */
export async function modelRanking(model, item) {
  const mask = model.info.maskToken;
  let pieces = 1;
  if (item.answers.length > 0) {
    const encoded = await model.tokenize(filledIn(item));
    const word = encoded.words.find((w) => w.chars[0] === item.before.length);
    pieces = word ? word.tokens[1] - word.tokens[0] : 1;
  }
  const masked = item.before + mask.repeat(pieces) + item.after;
  const { words } = await model.tokenize(masked);
  const blanks = blanksOf(sentenceParts(masked, words, mask));
  const { answers } = await predictBlanks(model, masked, blanks.slice(0, 1), TOP_K);
  return answers[0].candidates.map(({ word, score }) => ({ word, score }));
}

/** The answers written into the revealed sentence: the first three (the tallies mark the rest). */
function shownAnswers(answers) {
  return answers.length > 3 ? `${answers.slice(0, 3).join(" / ")} / …` : answers.join(" / ");
}

export class QuizView {
  /** @param {() => object | null} model the loaded model, or null while it loads */
  constructor(root, model, onError) {
    this.$ = within(root);
    this.model = model;
    this.onError = onError;
    this.round = null;
    this.revealing = false;
    this.$("guess-form").addEventListener("submit", (event) => {
      event.preventDefault();
      if (this.round?.addGuess(this.$("guess").value)) this.render();
      this.$("guess").value = "";
    });
    this.$("reveal").addEventListener("click", () => this.reveal());
    this.$("next").addEventListener("click", () => this.next());
    this.$("restart").addEventListener("click", () => this.start(this.round.deck));
  }

  /** A round is in play once anything was guessed or scored and it is not over. */
  get inPlay() {
    const round = this.round;
    return Boolean(round) && !round.finished && (round.score.asked > 0 || round.tally.size > 0);
  }

  start(deck) {
    this.round = new QuizRound(deck);
    this.render();
  }

  async reveal() {
    const round = this.round;
    const model = this.model();
    if (!round || round.finished || round.revealed || this.revealing) return;
    if (!model) return this.onError("the model is still loading — reveal again in a moment");
    this.revealing = true;
    this.$("reveal").disabled = true;
    try {
      const ranking = await modelRanking(model, round.item);
      if (round === this.round) round.reveal(ranking);
    } catch (error) {
      this.onError(error.message);
    } finally {
      this.revealing = false;
      this.render();
    }
  }

  next() {
    if (!this.round || this.revealing) return;
    this.round.next();
    this.render();
  }

  blankWord(number) {
    if (this.round && !this.round.finished && !this.revealing && this.round.blankWord(number)) this.render();
  }

  render() {
    const round = this.round;
    this.$("quiz-score").textContent = round.scoreLine;
    if (round.finished) return this.renderEnd();
    const item = round.item;
    this.$("quiz-position").textContent = `Sentence ${round.index + 1} of ${round.items.length}`;
    this.$("quiz-sentence").replaceChildren(item.before, element("span", { className: "gap" }, element("span", { className: "sr-only", textContent: "blank" }), element("span", { ariaHidden: "true", textContent: "_____" })), item.after);
    // Only the words the class can see are offered (never the hidden answer).
    const words = wordsOf(item);
    this.$("quiz-words").replaceChildren(
      ...(words.length && item.answers.length ? ["Blank another word: ", ...words.map((w, i) => element("button", { type: "button", className: "word-number", onclick: () => this.blankWord(i + 1), ariaLabel: `blank word ${i + 1}, ${w.text}` }, element("kbd", { textContent: String(i + 1) }), ` ${w.text}`))] : []),
    );
    const guesses = round.guesses();
    const revealed = round.revealed;
    const shown = guesses.slice(0, TALLY_SHOWN);
    const rest = guesses.slice(TALLY_SHOWN);
    const restVotes = rest.reduce((sum, g) => sum + g.votes, 0);
    this.$("tally").replaceChildren(
      ...(guesses.length
        ? shown.map((g) => element("li", { className: revealed && revealed.accepted.includes(g.word) ? "right" : "" }, `${g.word} `, element("span", { className: "votes", textContent: `× ${g.votes}` })))
        : [element("li", { className: "hint", textContent: "no guesses yet" })]),
      ...(rest.length ? [element("li", { className: "more", textContent: `and ${rest.length} more word${rest.length === 1 ? "" : "s"} (${restVotes} guess${restVotes === 1 ? "" : "es"})${revealed && rest.some((g) => revealed.accepted.includes(g.word)) ? " ✓ among them" : ""}` })] : []),
    );
    this.$("guess").disabled = Boolean(revealed);
    this.$("reveal").disabled = Boolean(revealed) || this.revealing;
    if (!revealed) {
      this.$("model-ranking").replaceChildren(element("li", { className: "hint", textContent: "hidden until you reveal it" }));
      this.$("verdict").textContent = "";
      this.$("prompt").hidden = true;
      return;
    }
    this.$("model-ranking").replaceChildren(
      ...revealed.modelRanking.map((c) =>
        element(
          "li",
          { className: revealed.accepted.includes(c.word.toLowerCase()) ? "right" : "" },
          element("span", { className: "word", textContent: c.word }),
          element("span", { className: "bar", style: `--share:${percent(c.score)}` }),
          element("span", { className: "pct", textContent: percent(c.score) }),
        ),
      ),
    );
    this.$("quiz-sentence").replaceChildren(item.before, element("mark", { className: "answer", textContent: revealed.open ? "?" : shownAnswers(item.answers) }), item.after);
    this.$("verdict").textContent = revealed.open
      ? "An open question: no single right answer, nobody scores."
      : `${revealed.classRight ? "The class got it" : revealed.classPick ? `The class said "${revealed.classPick}"` : "The class gave no guess"}; ${revealed.modelRight ? "the model got it" : `the model said "${revealed.modelPick}"`}.`;
    this.$("prompt").hidden = !round.deck.prompt;
    this.$("prompt").textContent = round.deck.prompt;
  }

  renderEnd() {
    this.$("quiz-position").textContent = "Round over";
    this.$("quiz-sentence").textContent = this.round.outcome;
    this.$("quiz-words").replaceChildren();
    this.$("tally").replaceChildren();
    this.$("model-ranking").replaceChildren();
    this.$("verdict").textContent = "Press \"New round\" to play the deck again, or pick another deck.";
    this.$("prompt").hidden = true;
    this.$("guess").disabled = true;
    this.$("reveal").disabled = true;
  }
}
