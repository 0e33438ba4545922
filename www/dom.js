// Small DOM helpers shared by the pages.

export const $ = (id) => document.getElementById(id);

/** An element with properties and children: element("li", { className: "x" }, "text", child). */
export function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** Replaces `node`'s children with `children`, any number of them (one spread of a very long list
 * would overflow the call stack). */
export function setChildren(node, children) {
  node.replaceChildren();
  for (let at = 0; at < children.length; at += 10_000) node.append(...children.slice(at, at + 10_000));
}

/** A panel's own `$`: an element inside `root` by its id (the root itself by its own id), so a
 * panel looks only inside the part of the page it is given. */
export const within = (root) => (id) => (root.id === id ? root : root.querySelector(`#${id}`));

/** Says `message` in `place` (an error line: hidden when there is nothing to say). */
export function say(place, message) {
  place.hidden = !message;
  place.textContent = message ?? "";
}

/** Offers `blob` to the visitor as a download called `name`. */
export function downloadBlob(blob, name) {
  const link = element("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** Offers `value` as a JSON file called `name` (`replacer` and `space` as JSON.stringify takes them). */
export function downloadJson(value, name, replacer = null, space = 1) {
  downloadBlob(new Blob([JSON.stringify(value, replacer, space)], { type: "application/json" }), name);
}

/**
 * Asks a yes/no question in a modal dialog (keyboard: Tab between the answers, Enter, Esc for no);
 * resolves to true for `yes`. A dialog in the page rather than `confirm()`, so full screen stays.
 */
export function ask(question, { yes = "Yes", no = "Cancel" } = {}) {
  const yesButton = element("button", { type: "submit", value: "yes", textContent: yes });
  const dialog = element(
    "dialog",
    { className: "ask" },
    element("form", { method: "dialog" }, element("p", { textContent: question }), element("div", { className: "ask-buttons" }, yesButton, element("button", { type: "submit", value: "no", textContent: no }))),
  );
  dialog.setAttribute("aria-label", question);
  document.body.append(dialog);
  dialog.showModal();
  yesButton.focus();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(dialog.returnValue === "yes");
    });
  });
}
