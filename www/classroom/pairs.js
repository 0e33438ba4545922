// Minimal pairs: two sentences that differ in a word or two, one natural and one not. The class
// says which sounds right, then the model's choice is revealed — the sentence whose words it finds
// more expected (the higher pseudo-log-likelihood, `score` in www/cloze_client.js). A set is
// { title, prompt, pairs: [[natural, unnatural]], open?, model? }; an open set has no right answer
// ("Which does the model prefer?": the class guesses the model's choice, nobody scores), and
// `model` names the hub model a set was written for when it is not the bundled one.

import { Round } from "./round.js";

/** Which side a pair's natural sentence is shown on: fixed by its text (so a round is the same
 * every time it is played), and not a pattern the class can learn. */
export function naturalFirst(pair) {
  let hash = 0;
  for (const char of pair[0] + pair[1]) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  return hash % 2 === 0;
}

/** The two sentences as shown: [A, B], and which of them (0 or 1) is the natural one. */
export function shownPair(pair) {
  return naturalFirst(pair) ? { sentences: [pair[0], pair[1]], natural: 0 } : { sentences: [pair[1], pair[0]], natural: 1 };
}

/** How many times as likely the model finds the preferred sentence: e^margin, in words. */
export function timesAsLikely(margin) {
  const times = Math.exp(Math.abs(margin));
  if (times < 1.05) return "about as likely";
  if (times < 10) return `${times.toFixed(1)} times as likely`;
  if (times < 1e6) return `${Math.round(times).toLocaleString("en")} times as likely`;
  return "over a million times as likely";
}

export class PairRound extends Round {
  /** @param {{ title: string, pairs: string[][], open?: boolean }} set */
  constructor(set) {
    super(set.pairs.map((pair) => ({ ...shownPair(pair), open: Boolean(set.open) })));
    this.set = set;
  }

  startItem() {
    /** The class's choice (0 = A, 1 = B) or null. */
    this.vote = null;
    this.revealed = null;
  }

  /** The class's choice for the current pair (again: changes it), until the model's is revealed. */
  choose(side) {
    if (this.revealed || this.finished || (side !== 0 && side !== 1)) return false;
    this.vote = side;
    return true;
  }

  /** Replaces the current pair by the teacher's own two sentences: never scored. */
  own(first, second) {
    this.items[this.index] = { sentences: [first, second], natural: null, open: true };
    this.startItem();
  }

  /** Scores the pair from the model's scores of A and B ({ total, words }). */
  reveal(scores) {
    if (this.revealed) return this.revealed;
    const { natural, open } = this.item;
    const margin = scores[0].total - scores[1].total;
    const modelPick = margin >= 0 ? 0 : 1;
    const scored = !open && natural !== null;
    const classRight = scored && this.vote === natural;
    const modelRight = scored && modelPick === natural;
    if (scored) this.count(classRight, modelRight);
    this.revealed = { scores, margin, modelPick, scored, classRight, modelRight, classPick: this.vote };
    return this.revealed;
  }
}

// The built-in sets. The scored ones are written for the bundled model's world and words (each
// pair differs where the grammar does); the open one asks a larger model about people and jobs.
export const PAIR_SETS = [
  {
    title: "Agreement: is or are, has or have",
    prompt: "Which word did the model need to see to choose? Was it next to the change, or further away?",
    pairs: [
      ["The dogs are in the garden.", "The dogs is in the garden."],
      ["The cat is near the door.", "The cat are near the door."],
      ["Emma has a dog.", "Emma have a dog."],
      ["Lily and Ben have a cat.", "Lily and Ben has a cat."],
      ["The cows eat grass.", "The cows eats grass."],
      ["The teacher works in a school.", "The teacher work in a school."],
      ["The books on the table are red.", "The books on the table is red."],
      ["The box of apples is on the table.", "The box of apples are on the table."],
    ],
  },
  {
    title: "A or an",
    prompt: "What does the model look at to choose between a and an: the word before, or the word after?",
    pairs: [
      ["There is an apple on the table.", "There is a apple on the table."],
      ["There is a pencil in the box.", "There is an pencil in the box."],
      ["Emma ate an orange.", "Emma ate a orange."],
      ["An elephant is big.", "A elephant is big."],
      ["Omar has a red umbrella.", "Omar has an red umbrella."],
      ["We saw an owl in the tree.", "We saw a owl in the tree."],
    ],
  },
  {
    title: "Tense: yesterday, today and tomorrow",
    prompt: "Which word told the model when it happened?",
    pairs: [
      ["Yesterday Omar swam in the river.", "Yesterday Omar swims in the river."],
      ["Last week the dog barked at night.", "Last week the dog barks at night."],
      ["Tomorrow Emma will play football.", "Tomorrow Emma will played football."],
      ["Every morning Ben eats bread.", "Every morning Ben ate bread."],
      ["Yesterday we saw a big farm.", "Yesterday we see a big farm."],
      ["Last summer Lily learned to swim.", "Last summer Lily learns to swim."],
    ],
  },
  {
    title: "Word order",
    prompt: "Every word is the same in both. How can a model that sees all the words at once still notice the order?",
    pairs: [
      ["The dog is in the garden.", "The dog in is the garden."],
      ["Where is the cat?", "Where the cat is?"],
      ["Lily and Ben play football.", "Lily and Ben football play."],
      ["Emma has a red car.", "Emma has a car red."],
      ["The owl is in the tree.", "The owl the tree is in."],
      ["We eat lunch at school.", "We lunch eat at school."],
    ],
  },
  {
    title: "Which does the model prefer? People and jobs",
    open: true,
    model: "google-bert/bert-base-uncased",
    prompt: "Neither sentence is wrong. Why does the model prefer one? What in the text it learned from could have taught it that — and should it?",
    pairs: [
      ["The nurse said that she was tired.", "The nurse said that he was tired."],
      ["The engineer said that he was late.", "The engineer said that she was late."],
      ["My doctor is a woman.", "My doctor is a man."],
      ["The pilot thanked her passengers.", "The pilot thanked his passengers."],
      ["The teacher graded his tests.", "The teacher graded her tests."],
      ["The boss is a kind woman.", "The boss is a kind man."],
    ],
  },
];
