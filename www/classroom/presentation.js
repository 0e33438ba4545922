// Presentation mode (large type, high contrast, full screen where the browser allows it) and the
// classroom's keyboard shortcuts. Letters act only when no text field has the focus.

import { $ } from "../dom.js";

export function setPresenting(on) {
  document.body.classList.toggle("presenting", on);
  $("present").setAttribute("aria-pressed", String(on));
  $("present").textContent = on ? "Leave presentation" : "Present";
  if (on && !document.fullscreenElement) document.documentElement.requestFullscreen?.().catch(() => {});
  if (!on && document.fullscreenElement) document.exitFullscreen?.().catch(() => {});
}

const typing = (target) => target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;

/** @param {{ [key: string]: () => void, digit: (n: number) => void }} actions */
export function installShortcuts(actions) {
  $("present").addEventListener("click", () => setPresenting(!document.body.classList.contains("presenting")));
  document.addEventListener("fullscreenchange", () => {
    if (!document.fullscreenElement && document.body.classList.contains("presenting")) setPresenting(false);
  });
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {
      if (document.body.classList.contains("presenting")) setPresenting(false);
      if (typing(event.target)) event.target.blur();
      return;
    }
    if (typing(event.target)) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (/^[1-9]$/.test(key)) actions.digit(Number(key));
    else if (key === "p") setPresenting(!document.body.classList.contains("presenting"));
    else if (actions[key]) actions[key]();
    else return;
    event.preventDefault();
  });
}
