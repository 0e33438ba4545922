// A teacher's own decks: kept in this browser (localStorage), exported to and imported from a
// .json file, and shared as a link that carries the whole deck in its hash (nothing is uploaded).

import { checkDeck } from "./decks.js";

const KEY = "clozelab.decks";

export function loadDecks() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "[]");
    return Array.isArray(saved) ? saved.flatMap((d) => { try { return [checkDeck(d)]; } catch { return []; } }) : [];
  } catch {
    return [];
  }
}

/** Saves `deck` (replacing one with the same title); returns every saved deck. */
export function saveDeck(deck) {
  const decks = loadDecks().filter((d) => d.title !== deck.title);
  decks.push(checkDeck(deck));
  localStorage.setItem(KEY, JSON.stringify(decks));
  return decks;
}

export function deleteDeck(title) {
  const decks = loadDecks().filter((d) => d.title !== title);
  localStorage.setItem(KEY, JSON.stringify(decks));
  return decks;
}

export function deckFileName(deck) {
  const slug = deck.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "deck";
  return `clozelab-deck-${slug}.json`;
}

export function deckFile(deck) {
  return new Blob([JSON.stringify({ clozelabDeck: 1, ...deck }, null, 2) + "\n"], { type: "application/json" });
}

/** Reads a deck file, with a message in words for anything that is not one. */
export async function readDeckFile(file) {
  let value;
  try {
    value = JSON.parse(await file.text());
  } catch {
    throw new Error(`${file.name} is not a deck file (it is not JSON)`);
  }
  return checkDeck(value);
}

/** Base64url of any length: the bytes go to btoa in slices (one spread of a large deck's bytes
 * would overflow the call stack). */
function toBase64Url(bytes) {
  let binary = "";
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
const fromBase64Url = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

/** The longest share link made: longer ones break in mail and chat programs (and browsers). */
export const MAX_LINK_LENGTH = 64_000;

/** A link to this page that opens `deck`; a deck too large for a link is refused in words. */
export function shareLink(deck, base = location.href) {
  const url = new URL(base);
  url.hash = `deck=${toBase64Url(new TextEncoder().encode(JSON.stringify(deck)))}`;
  if (url.href.length > MAX_LINK_LENGTH) {
    throw new Error(`this deck is too long for a link (${Math.round(url.href.length / 1000)} thousand characters; a link holds up to ${MAX_LINK_LENGTH / 1000} thousand): export it as a file and send the file instead`);
  }
  return url.href;
}

/** The deck a link carries, or null when it carries none; throws when it carries a broken one. */
export function deckFromHash(hash = location.hash) {
  const encoded = new URLSearchParams(hash.slice(1)).get("deck");
  if (!encoded) return null;
  let value;
  try {
    value = JSON.parse(new TextDecoder().decode(fromBase64Url(encoded)));
  } catch {
    throw new Error("the deck in this link is damaged (was it cut short when it was copied?)");
  }
  return checkDeck(value);
}
