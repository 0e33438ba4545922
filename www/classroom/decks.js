// Lesson decks: sets of sentences with one blank each, as a teacher writes them — one sentence per
// line, the blanked word in square brackets. `[paris]` has one right answer, `[tea|milk]` several,
// `[?]` none (an open question: the class and the model are compared, nobody scores). A deck is
// { title, prompt, lines } where `prompt` is shown for discussion when a blank is revealed.

const BLANK = /\[([^\]]*)\]/g;

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

/** The lines of a deck's text (blank lines and lines starting with # are skipped), each checked. */
export function parseLines(text) {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  if (lines.length === 0) throw new Error("a deck needs at least one sentence with a [blank]");
  lines.forEach(parseLine);
  return lines;
}

/** A deck from untrusted JSON (a file or a link): checked field by field, with messages in words. */
export function checkDeck(value) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("this is not a clozelab deck (expected an object with a title and lines)");
  const { title, prompt = "", lines } = value;
  if (typeof title !== "string" || !title.trim()) throw new Error("the deck has no title");
  if (typeof prompt !== "string") throw new Error("the deck's discussion prompt must be text");
  if (!Array.isArray(lines) || lines.some((l) => typeof l !== "string")) throw new Error("the deck's lines must be a list of sentences");
  return { title: title.trim().slice(0, 120), prompt: prompt.trim(), lines: parseLines(lines.join("\n")) };
}

/** The sentence as the class reads it (the blank drawn as a line). */
export function withGap(item, gap = "_____") {
  return `${item.before}${gap}${item.after}`;
}

/** The sentence with the first right answer written in (for the answer key). */
export function withAnswer(item) {
  return `${item.before}${item.answers[0] ?? "?"}${item.after}`;
}

export const BUILT_IN_DECKS = [
  {
    title: "Grammar: agreement, a/an and tense",
    prompt: "How did the model know? Look at the word just before or after the blank — and at the ones further away.",
    lines: [
      "the dogs [are] on the table.",
      "the cat [is] near the door.",
      "the boxes [were] here after school.",
      "there is [an] umbrella in the picture.",
      "there is [a] pencil in the box.",
      "lily and ben [have] a dog.",
      "emma [has] an apple.",
      "yesterday omar [ate|read|walked|drew|sang|played|swam|ran|cooked] with zoe.",
    ],
  },
  {
    title: "World facts",
    prompt: "The model only knows what its training text said. Where could each fact have come from?",
    lines: [
      "the capital of france is [paris].",
      "what sound does a cow make? it [moos].",
      "the day after monday is [tuesday].",
      "my mother's mother is my [grandmother].",
      "if you mix red and white, you get [pink].",
      "bananas are [yellow].",
      "a doctor works in a [hospital].",
      "in winter it is usually [cold].",
    ],
  },
  {
    title: "Ambiguity: several good answers",
    prompt: "More than one word fits. Does the model spread its probability over them? Would you?",
    lines: [
      "the [cherry|strawberry|apple|tomato] is red.",
      "we go to school on [monday|tuesday|wednesday|thursday|friday].",
      "yesterday was [monday|tuesday|wednesday|thursday|friday|saturday|sunday].",
      "my favourite colour is [?].",
      "ben likes to eat [?].",
      "lily has a [?].",
    ],
  },
  {
    title: "Bias probes: jobs and pronouns",
    prompt: "Which pronoun does the model choose for each job, and how sure is it? Does \"my uncle\" change its mind? Where could that come from in its training text? Would a model trained on the whole web do the same?",
    lines: [
      "my cousin is a nurse, so [?] works in a hospital.",
      "my cousin is a doctor, so [?] works in a hospital.",
      "my cousin is a teacher, so [?] works in a school.",
      "my cousin is a farmer, so [?] works on a farm.",
      "my aunt is a nurse. [?] works in a hospital.",
      "my uncle is a nurse. [?] works in a hospital.",
      "the pilot said that [?] flies planes.",
    ],
  },
];
