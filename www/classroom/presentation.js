// Presentation mode (large type, high contrast, full screen where the browser allows it) and the
// classroom's keyboard shortcuts. Letters act only when no text field has the focus. Esc does one
// thing at a time: in a text field it leaves the field (so "type guesses → Esc → R" reveals), and
// only a second Esc leaves presentation.

import { $ } from "../dom.js";

const presenting = () => document.body.classList.contains("presenting");

/** Calls `onChange(on)` whenever presentation starts or stops. */
let onChange = () => {};

export function setPresenting(on) {
  document.body.classList.toggle("presenting", on);
  $("present").setAttribute("aria-pressed", String(on));
  $("present").textContent = on ? "Leave presentation" : "Present";
  if (on && !document.fullscreenElement) {
    // While full screen, the keyboard lock lets Esc reach the page (a long press still leaves full
    // screen), so the first Esc can leave the guess box instead of the whole presentation.
    document.documentElement.requestFullscreen?.().then(() => navigator.keyboard?.lock?.(["Escape"])).catch(() => {});
  }
  if (!on && document.fullscreenElement) document.exitFullscreen?.().catch(() => {});
  onChange(on);
}

const typing = (target) => target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;

/** @param {{ [key: string]: () => void, digit: (n: number) => void }} actions @param {(on: boolean) => void} changed */
export function installShortcuts(actions, changed = () => {}) {
  onChange = changed;
  $("present").addEventListener("click", () => setPresenting(!presenting()));
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (event.key === "Escape") {
      // An open dialog handles its own Esc.
      if (document.querySelector("dialog[open]")) return;
      if (typing(event.target)) event.target.blur();
      else if (presenting()) setPresenting(false);
      else return;
      event.preventDefault();
      return;
    }
    if (typing(event.target)) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (/^[1-9]$/.test(key)) actions.digit(Number(key));
    else if (key === "p") setPresenting(!presenting());
    else if (actions[key]) actions[key]();
    else return;
    event.preventDefault();
  });
}
