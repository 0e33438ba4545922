// Heatmaps of attention matrices: tiny ones for the model view's grid, a large one with row and
// column labels for a chosen head or an aggregate (mean over heads, rollout).

/** The heatmaps' colour, from transparent (0) to full (1): the cells and their scale. */
const HEATMAP_COLOUR = [37, 99, 235];

/**
 * Paints `matrix` ([from][to], values 0–1) into a `size`-pixel square at (x, y): one pixel per
 * cell in an ImageData, then scaled without smoothing — fast enough for 144 heads at 128 tokens.
 */
export function paintCells(context, matrix, x, y, size, colour = HEATMAP_COLOUR) {
  const n = matrix.length;
  const pixels = new ImageData(n, n);
  const data = pixels.data;
  for (let i = 0; i < n; i++) {
    const row = matrix[i];
    for (let j = 0; j < n; j++) {
      const at = 4 * (i * n + j);
      data[at] = colour[0];
      data[at + 1] = colour[1];
      data[at + 2] = colour[2];
      data[at + 3] = Math.round(255 * Math.min(1, Math.max(0, row[j])));
    }
  }
  const tile = new OffscreenCanvas(n, n);
  tile.getContext("2d").putImageData(pixels, 0, 0);
  context.imageSmoothingEnabled = false;
  context.drawImage(tile, x, y, size, size);
}

const LABEL_FONT = "12px system-ui, sans-serif";
/** Height the colour scale takes under a heatmap. */
const SCALE_HEIGHT = 34;

/** The colour scale under a heatmap: how dark a square is for how much one word looks at another. */
function drawScale(context, x, y, width, foreground, colour = HEATMAP_COLOUR) {
  const barWidth = Math.max(120, Math.min(240, width - 20));
  const gradient = context.createLinearGradient(x, 0, x + barWidth, 0);
  gradient.addColorStop(0, `rgba(${colour.join(",")}, 0)`);
  gradient.addColorStop(1, `rgba(${colour.join(",")}, 1)`);
  context.fillStyle = gradient;
  context.fillRect(x, y + 4, barWidth, 10);
  context.strokeStyle = foreground;
  context.lineWidth = 1;
  context.strokeRect(x + 0.5, y + 4.5, barWidth - 1, 9);
  context.font = LABEL_FONT;
  context.fillStyle = foreground;
  context.textBaseline = "top";
  context.textAlign = "left";
  context.fillText("0: does not look", x, y + 18);
  context.textAlign = "right";
  context.fillText("1: looks only there", x + barWidth, y + 18);
}

/** A labelled heatmap; returns the geometry `cellAt` needs. */
export function drawLabelledHeatmap(canvas, matrix, labels, { foreground = "#111827" } = {}) {
  const context = canvas.getContext("2d");
  context.font = LABEL_FONT;
  const margin = Math.ceil(Math.max(...labels.map((l) => context.measureText(l).width))) + 10;
  const cell = Math.max(8, Math.min(28, Math.floor(560 / labels.length)));
  const size = cell * labels.length;
  canvas.width = Math.max(margin + size + 4, 260);
  canvas.height = margin + size + 4 + SCALE_HEIGHT;
  context.clearRect(0, 0, canvas.width, canvas.height);
  paintCells(context, matrix, margin, margin, size);
  drawScale(context, 4, margin + size + 4, canvas.width - 8, foreground);
  context.font = LABEL_FONT;
  context.fillStyle = foreground;
  context.textBaseline = "middle";
  context.textAlign = "right";
  labels.forEach((label, i) => context.fillText(label, margin - 4, margin + i * cell + cell / 2));
  labels.forEach((label, j) => {
    context.save();
    context.translate(margin + j * cell + cell / 2, margin - 4);
    context.rotate(-Math.PI / 2);
    context.textAlign = "left";
    context.fillText(label, 0, 0);
    context.restore();
  });
  return { margin, cell, n: labels.length };
}

/** The cell under a point of a labelled heatmap, or null. */
export function cellAt(geometry, x, y) {
  const i = Math.floor((y - geometry.margin) / geometry.cell);
  const j = Math.floor((x - geometry.margin) / geometry.cell);
  return i >= 0 && j >= 0 && i < geometry.n && j < geometry.n ? { i, j } : null;
}

/** The model view: one small heatmap per layer (rows) × head (columns), numbered. */
export function drawModelView(canvas, views, { cell = 64, gap = 6, foreground = "#111827" } = {}) {
  const layers = views.length;
  const heads = views[0].length;
  const left = 34;
  const top = 18;
  canvas.width = Math.max(left + heads * (cell + gap) + gap, 260);
  canvas.height = top + layers * (cell + gap) + gap + SCALE_HEIGHT;
  const context = canvas.getContext("2d");
  context.clearRect(0, 0, canvas.width, canvas.height);
  drawScale(context, left, top + layers * (cell + gap) + gap, canvas.width - left, foreground);
  context.font = LABEL_FONT;
  context.fillStyle = foreground;
  context.textBaseline = "middle";
  context.textAlign = "center";
  for (let h = 0; h < heads; h++) context.fillText(`H${h + 1}`, left + gap + h * (cell + gap) + cell / 2, top / 2);
  context.textAlign = "right";
  for (let l = 0; l < layers; l++) context.fillText(`L${l + 1}`, left - 4, top + gap + l * (cell + gap) + cell / 2);
  views.forEach((layer, l) => layer.forEach((matrix, h) => paintCells(context, matrix, left + gap + h * (cell + gap), top + gap + l * (cell + gap), cell)));
  return { cell, gap, layers, heads, left, top };
}

/** The (layer, head) of the model-view tile under a point, or null. */
export function tileAt(geometry, x, y) {
  const h = Math.floor((x - geometry.left - geometry.gap) / (geometry.cell + geometry.gap));
  const l = Math.floor((y - geometry.top - geometry.gap) / (geometry.cell + geometry.gap));
  return h >= 0 && l >= 0 && h < geometry.heads && l < geometry.layers ? { layer: l, head: h } : null;
}
