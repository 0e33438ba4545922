// A deck as a printable cloze worksheet: the sentences with blanks to fill in, then the answer key
// on a page of its own (the print stylesheet in classroom.css prints only this). On screen the key
// stays hidden until the teacher asks for it, so a projected preview gives nothing away.

import { element } from "../dom.js";
import { itemsOf, withAnswer, withGap } from "./decks.js";

export function renderWorksheet(container, deck) {
  const items = itemsOf(deck.lines);
  container.replaceChildren(
    element(
      "section",
      { className: "sheet-questions" },
      element("h2", { textContent: deck.title }),
      element("p", { className: "sheet-name", textContent: "Name: ______________________   Date: ____________" }),
      element("p", { textContent: "Fill in each blank with one word that fits." }),
      element("ol", {}, ...items.map((item) => element("li", { textContent: withGap(item, "______________") }))),
    ),
    element(
      "section",
      { className: "sheet-key" },
      element("h2", { textContent: `Answer key — ${deck.title}` }),
      element(
        "ol",
        {},
        ...items.map((item) =>
          element("li", {}, element("strong", { textContent: item.answers.length ? item.answers.join(" / ") : "open: any word that fits — discuss" }), element("span", { className: "key-sentence", textContent: ` — ${withAnswer(item)}` })),
        ),
      ),
      deck.prompt ? element("p", { className: "prompt", textContent: `To discuss: ${deck.prompt}` }) : "",
    ),
  );
}
