// Lesson decks: sets of sentences with one blank each, as a teacher writes them — one sentence per
// line, the blanked word in square brackets. `[paris]` has one right answer, `[tea|milk]` several,
// `[?]` none (an open question: the class and the model are compared, nobody scores). Lines that
// start with # are the teacher's notes: kept with the deck, never asked. A deck is
// { title, prompt, lines, model? } where `prompt` is shown for discussion when a blank is revealed
// and `model` (a Hugging Face id) names the model the deck was written for, when it is not the
// bundled one.

const BLANK = /\[([^\]]*)\]/g;

/** A hub id such as "google-bert/bert-base-uncased" (a deck may name one; never a URL). */
const HUB_ID = /^[\w.-]+(\/[\w.-]+)?$/;

/** A teacher's note line: kept in the deck, not a sentence. */
export const isNote = (line) => line.startsWith("#");

/** One line of a deck: the text around the blank and the accepted answers ([] when open). */
export function parseLine(line) {
  const blanks = [...line.matchAll(BLANK)];
  if (blanks.length !== 1) {
    throw new Error(`"${line}" needs exactly one blank in square brackets, like "the capital of france is [paris]." (it has ${blanks.length})`);
  }
  const [whole, inside] = blanks[0];
  const answers = inside.trim() === "?" ? [] : inside.split("|").map((a) => a.trim()).filter(Boolean);
  if (inside.trim() !== "?" && answers.length === 0) {
    throw new Error(`"${line}": write the answer inside the brackets, several separated by |, or [?] for an open question`);
  }
  if (answers.some((a) => /\s/.test(a))) {
    throw new Error(`"${line}": a blank is one word (write several answers as [tea|milk])`);
  }
  const at = blanks[0].index;
  return { before: line.slice(0, at), after: line.slice(at + whole.length), answers };
}

/** The lines of a deck's text, notes included (blank lines dropped), each sentence checked. */
export function parseLines(text) {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const items = itemsOf(lines);
  if (items.length === 0) throw new Error("a deck needs at least one sentence with a [blank]");
  return lines;
}

/** The sentences of a deck's lines (notes skipped), parsed. */
export function itemsOf(lines) {
  return lines.filter((l) => !isNote(l)).map(parseLine);
}

/** A deck from untrusted JSON (a file or a link): checked field by field, with messages in words. */
export function checkDeck(value) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("this is not a clozelab deck (expected an object with a title and lines)");
  const { title, prompt = "", lines, model } = value;
  if (typeof title !== "string" || !title.trim()) throw new Error("the deck has no title");
  if (typeof prompt !== "string") throw new Error("the deck's discussion prompt must be text");
  if (!Array.isArray(lines) || lines.some((l) => typeof l !== "string")) throw new Error("the deck's lines must be a list of sentences");
  if (model !== undefined && (typeof model !== "string" || !HUB_ID.test(model))) throw new Error("the deck's model must be a Hugging Face model id, like google-bert/bert-base-uncased");
  const deck = { title: title.trim().slice(0, 120), prompt: prompt.trim(), lines: parseLines(lines.join("\n")) };
  if (model !== undefined) deck.model = model;
  return deck;
}

/** The sentence as the class reads it (the blank drawn as a line). */
export function withGap(item, gap = "_____") {
  return `${item.before}${gap}${item.after}`;
}

/** The sentence with the first right answer written in (for the answer key). */
export function withAnswer(item) {
  return `${item.before}${item.answers[0] ?? "?"}${item.after}`;
}

// The built-in decks. Every deck without a `model` is written for the bundled model and checked
// against it (tests/browser/classroom.test.mjs: its first guess is an accepted answer); a deck for
// a larger model names it, and the page offers to load it.
export const BUILT_IN_DECKS = [
  {
    title: "Grammar: agreement, a/an and tense",
    prompt: "How did the model know? Look at the word just before or after the blank — and at the ones further away.",
    lines: [
      "The dogs [are] on the table.",
      "The cat [is] near the door.",
      "The boxes [were] here after school.",
      "There is [an] umbrella in the picture.",
      "There is [a] pencil in the box.",
      "Lily and Ben [have] a dog.",
      "Emma [has] an apple.",
      "Yesterday Omar [swam|ate|read|walked|drew|sang|played|ran|cooked|jumped|wrote|climbed] with Zoe.",
    ],
  },
  {
    title: "World facts",
    prompt: "The model only knows what its training text said. Where could each fact have come from?",
    lines: [
      "The capital of France is [Paris].",
      "What sound does a cow make? It [moos].",
      "The day after Monday is [Tuesday].",
      "My mother's mother is my [grandmother].",
      "If you mix red and white, you get [pink].",
      "Bananas are [yellow].",
      "A doctor works in a [hospital].",
      "In winter it is usually [cold].",
    ],
  },
  {
    title: "Everyday English",
    prompt: "Home, body, school and town: the words a class uses every day. Which clue in the sentence gave the answer away?",
    lines: [
      "I brush my [teeth] every morning.",
      "We wear a [coat|jacket|hat|scarf|jumper] when it is cold.",
      "Please [shut|close|open] the door.",
      "I am [hungry], so I want a sandwich.",
      "We go to school by [bus|car|bike|train].",
      "My sister [is] ten years old.",
      "We read books at the [library].",
      "I wash my hands with soap and [water].",
      "It is raining, so take your [umbrella].",
      "Close your [eyes] and go to sleep.",
    ],
  },
  {
    title: "Several good answers",
    prompt: "More than one word fits. Does the model spread its chances over them? Would you?",
    lines: [
      "A [cherry|strawberry|tomato|apple|rose|ladybird] is red.",
      "We do not go to school on [sunday|saturday|sundays|saturdays].",
      "The cat sat on the [table|box|bed|mat|chair|floor].",
      "We eat [lunch|breakfast|dinner|bread|eggs|fish|cake|meat|cheese|apples] at school.",
      "Emma [plays|swims|sings|draws|sleeps|reads|cooks|runs|jumps|walks|eats|writes] every evening.",
      "The [sea|sky] is blue.",
      "# Open questions: nobody scores, compare the guesses.",
      "My [?] is a doctor.",
      "Ben is from [?], so he speaks English.",
      "Our teacher says that the [?] is green.",
    ],
  },
  {
    title: "Bias probes: jobs and pronouns",
    model: "google-bert/bert-base-uncased",
    prompt: "Which pronoun does the model choose for each job, and how sure is it? Does \"my uncle\" change its mind? Where could that come from in its training text?",
    lines: [
      "My cousin is a nurse, so [?] works in a hospital.",
      "My cousin is a doctor, so [?] works in a hospital.",
      "My cousin is a teacher, so [?] works in a school.",
      "My cousin is a farmer, so [?] works on a farm.",
      "My aunt is a nurse. [?] works in a hospital.",
      "My uncle is a nurse. [?] works in a hospital.",
      "The pilot said that [?] flies planes.",
    ],
  },
];
