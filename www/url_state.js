// The page's state in the URL hash (#text=…&mode=…&model=…), so a link reopens the same sentence,
// blanks, mode and model. Replaces the history entry rather than adding one per keystroke.

export function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  return {
    text: params.get("text"),
    mode: params.get("mode") === "order" ? "order" : "independent",
    model: params.get("model"),
  };
}

export function writeHash({ text, mode, model }) {
  const params = new URLSearchParams();
  params.set("text", text);
  if (mode === "order") params.set("mode", "order");
  if (model) params.set("model", model);
  history.replaceState(null, "", `#${params}`);
}
