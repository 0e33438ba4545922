// A part of the page as a PNG, for the views drawn in HTML (the layer tables, the surprise heatmap,
// two models side by side, the classroom's pairs and writing): every box's background and outline
// and every word of text painted onto a canvas where the page lays them out, at twice the pixels.
// Enough for tables, coloured words and plain text — what these views are made of. Several parts
// of the page are stacked one under the other, whatever lies between them on the page.

const SCALE = 2;
const PADDING = 16;
/** Space between two parts stacked in one picture. */
const GAP = 12;

/** The text nodes under `root`, in document order. */
function textNodes(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) found.push(node);
  return found;
}

const transparent = (colour) => !colour || colour === "transparent" || /^rgba\(.*,\s*0\)$/.test(colour);

/** The canvas font of an element's computed style. */
const fontOf = (style) => `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;

/** Paints `roots` (an element or several, stacked; a `title` line above) onto a canvas; answers a
 * PNG blob. */
export async function snapshotPng(roots, title = "") {
  roots = [roots].flat();
  const titleHeight = title ? 28 : 0;
  // Each part's place on the page, and where it goes in the picture.
  let below = PADDING + titleHeight;
  const parts = roots.map((root) => {
    const rect = root.getBoundingClientRect();
    const part = { root, rect, y: below };
    below += rect.height + GAP;
    return part;
  });
  const width = Math.max(...parts.map((p) => p.rect.width));
  const canvas = document.createElement("canvas");
  canvas.width = Math.ceil((width + 2 * PADDING) * SCALE);
  canvas.height = Math.ceil((below - GAP + PADDING) * SCALE);
  const context = canvas.getContext("2d");
  context.scale(SCALE, SCALE);
  const page = getComputedStyle(document.body);
  context.fillStyle = transparent(page.backgroundColor) ? "#fff" : page.backgroundColor;
  context.fillRect(0, 0, canvas.width, canvas.height);
  if (title) {
    context.font = `600 16px ${page.fontFamily}`;
    context.fillStyle = page.color;
    context.textBaseline = "top";
    context.fillText(title, PADDING, PADDING);
  }
  /** A box on the page, in the picture of `part`. */
  const at = (part, rect) => ({ x: rect.left - part.rect.left + PADDING, y: rect.top - part.rect.top + part.y, width: rect.width, height: rect.height });
  const visible = (element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== "hidden" && !element.closest(".sr-only");
  // Boxes first (document order: a cell's colour over its row's), then the words on top.
  for (const [part, element] of parts.flatMap((part) => [part.root, ...part.root.querySelectorAll("*")].map((e) => [part, e]))) {
    if (!visible(element)) continue;
    const style = getComputedStyle(element);
    const { x, y, width, height } = at(part, element.getBoundingClientRect());
    if (!transparent(style.backgroundColor)) {
      context.fillStyle = style.backgroundColor;
      context.fillRect(x, y, width, height);
    }
    if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) {
      const offset = parseFloat(style.outlineOffset) || 0;
      context.strokeStyle = style.outlineColor;
      context.lineWidth = parseFloat(style.outlineWidth);
      context.strokeRect(x - offset, y - offset, width + 2 * offset, height + 2 * offset);
    }
    if (parseFloat(style.borderBottomWidth) > 0 && style.borderBottomStyle !== "none") {
      context.fillStyle = style.borderBottomColor;
      context.fillRect(x, y + height - parseFloat(style.borderBottomWidth), width, parseFloat(style.borderBottomWidth));
    }
  }
  const range = document.createRange();
  for (const [part, node] of parts.flatMap((part) => textNodes(part.root).map((n) => [part, n]))) {
    const parent = node.parentElement;
    if (!visible(parent)) continue;
    const style = getComputedStyle(parent);
    context.font = fontOf(style);
    context.fillStyle = style.color;
    context.textBaseline = "middle";
    for (const word of node.textContent.matchAll(/\S+/g)) {
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      const { x, y, height } = at(part, rect);
      context.fillText(word[0], x, y + height / 2);
    }
  }
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the browser could not make the PNG"))), "image/png"));
}
