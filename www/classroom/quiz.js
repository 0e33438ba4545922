// A quiz round over a deck, as state without a page: the class's guesses for the current blank are
// tallied; on reveal the class's most common guess and the model's top word are each scored
// against the deck's answers (open blanks score nobody), and the round keeps the running score.

import { itemsOf } from "./decks.js";
import { Round } from "./round.js";

/** A guess or a predicted word as it is compared: lower case, no surrounding punctuation. */
export function normalizeWord(word) {
  return word.toLowerCase().trim().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
}

export class QuizRound extends Round {
  constructor(deck) {
    super(itemsOf(deck.lines));
    this.deck = deck;
  }

  startItem() {
    this.tally = new Map();
    this.revealed = null;
  }

  /** Adds one guess (several classmates may give the same word); returns the normalised word. */
  addGuess(guess) {
    const word = normalizeWord(guess);
    if (!word || this.revealed) return null;
    this.tally.set(word, (this.tally.get(word) ?? 0) + 1);
    return word;
  }

  /** The class's guesses, most votes first (ties in the order they were first given). */
  guesses() {
    return [...this.tally].map(([word, votes]) => ({ word, votes })).sort((a, b) => b.votes - a.votes);
  }

  /** Scores the blank against the model's ranking ([{ word, score }], best first). */
  reveal(modelRanking) {
    if (this.revealed) return this.revealed;
    const accepted = this.item.answers.map(normalizeWord);
    const classPick = this.guesses()[0]?.word ?? null;
    const modelPick = modelRanking[0] ? normalizeWord(modelRanking[0].word) : null;
    const open = accepted.length === 0;
    const classRight = !open && classPick !== null && accepted.includes(classPick);
    const modelRight = !open && modelPick !== null && accepted.includes(modelPick);
    if (!open) this.count(classRight, modelRight);
    this.revealed = { open, accepted, classPick, modelPick, classRight, modelRight, modelRanking };
    return this.revealed;
  }

  /** Blanks another word of the current sentence instead (shortcut "blank word N"): the blank's
   * answer is written in and word N becomes the answer. Not for an open blank, which has no word
   * to write in. */
  blankWord(number) {
    if (this.item.answers.length === 0) return false;
    const chosen = wordsOf(this.item)[number - 1];
    if (!chosen) return false;
    const full = filledIn(this.item);
    this.items[this.index] = {
      before: full.slice(0, chosen.start),
      after: full.slice(chosen.end),
      answers: [chosen.text],
    };
    this.startItem();
    return true;
  }
}

/** The item's sentence with its first answer in the blank (nothing, for an open blank). */
export function filledIn(item) {
  return item.before + (item.answers[0] ?? "") + item.after;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The words the class can see — the sentence's words around the blank, never the hidden answer
 * (letters and digits, as the tokenizers split them: "mother's" is "mother" and "s") — with their
 * spans in the sentence as `filledIn` writes it. */
export function wordsOf(item) {
  const found = (text, offset) => [...text.matchAll(WORD)].map((m) => ({ text: m[0], start: offset + m.index, end: offset + m.index + m[0].length }));
  return [...found(item.before, 0), ...found(item.after, item.before.length + (item.answers[0] ?? "").length)];
}
