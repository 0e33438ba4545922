// The head view: the tokens twice, attending on the left and attended on the right, joined by
// lines as strong as the attention, one colour per head (BertViz's layout, drawn on a canvas).

export const HEAD_COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#be185d", "#65a30d", "#4f46e5", "#b45309", "#0d9488", "#c026d3"];

export const headColour = (head) => HEAD_COLOURS[head % HEAD_COLOURS.length];

const ROW = 22;
const MARGIN = 8;
const GAP = 160;

/** Canvas size and the label column width for `labels`. */
export function headViewLayout(context, labels) {
  context.font = "14px system-ui, sans-serif";
  const width = Math.ceil(Math.max(40, ...labels.map((l) => context.measureText(l).width))) + 12;
  return { width: 2 * width + GAP + 2 * MARGIN, height: labels.length * ROW + 2 * MARGIN, column: width };
}

/** The token row under a point, and on which side, or null. */
export function tokenAt(layout, labels, x, y) {
  const row = Math.floor((y - MARGIN) / ROW);
  if (row < 0 || row >= labels.length) return null;
  if (x < MARGIN + layout.column) return { side: "from", index: row };
  if (x > MARGIN + layout.column + GAP) return { side: "to", index: row };
  return null;
}

/**
 * Draws the lines of `matrices` (one [from][to] matrix per visible head, with its colour) above
 * `threshold`, only those of `focus` ({ side, index }) when given.
 */
export function drawHeadView(canvas, labels, matrices, { threshold = 0, focus = null, foreground = "#111827" } = {}) {
  const context = canvas.getContext("2d");
  const layout = headViewLayout(context, labels);
  canvas.width = layout.width;
  canvas.height = layout.height;
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.font = "14px system-ui, sans-serif";
  context.textBaseline = "middle";
  const y = (i) => MARGIN + i * ROW + ROW / 2;
  const left = MARGIN + layout.column;
  const right = left + GAP;
  context.globalCompositeOperation = "source-over";
  for (const { matrix, colour } of matrices) {
    context.strokeStyle = colour;
    context.lineWidth = 2;
    for (let i = 0; i < labels.length; i++) {
      if (focus?.side === "from" && focus.index !== i) continue;
      for (let j = 0; j < labels.length; j++) {
        if (focus?.side === "to" && focus.index !== j) continue;
        const weight = matrix[i][j];
        if (weight <= threshold) continue;
        context.globalAlpha = Math.min(1, weight);
        context.beginPath();
        context.moveTo(left + 4, y(i));
        context.lineTo(right - 4, y(j));
        context.stroke();
      }
    }
  }
  context.globalAlpha = 1;
  context.fillStyle = foreground;
  labels.forEach((label, i) => {
    const highlighted = focus && focus.index === i;
    context.font = `${highlighted ? "bold " : ""}14px system-ui, sans-serif`;
    context.textAlign = "right";
    context.fillText(label, left - 4, y(i));
    context.textAlign = "left";
    context.fillText(label, right + 4, y(i));
  });
  return layout;
}
