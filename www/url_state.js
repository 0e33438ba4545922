// The page's state in the URL hash (#text=…&mode=…&model=…), so a link reopens the same sentence,
// blanks, mode and model. Replaces the history entry rather than adding one per keystroke. A text
// longer than MAX_LINK_TEXT is left out of the link (the page says so).

export function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  return {
    text: params.get("text"),
    mode: params.get("mode") === "order" ? "order" : "independent",
    model: params.get("model"),
  };
}

/** The longest text the link keeps: a pasted page of text would make a link no one can send. */
export const MAX_LINK_TEXT = 2_000;

/** Writes the state into the hash; returns false when the text was too long to keep there. */
export function writeHash({ text, mode, model }) {
  const params = new URLSearchParams();
  const kept = text.length <= MAX_LINK_TEXT;
  if (kept) params.set("text", text);
  if (mode === "order") params.set("mode", "order");
  if (model) params.set("model", model);
  history.replaceState(null, "", `#${params}`);
  return kept;
}
