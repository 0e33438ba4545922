// The live loss curve: training loss (mean over each call's steps) and held-out loss per step.

export function drawLossCurve(canvas, train, heldOut, totalSteps, { foreground = "#111827" } = {}) {
  const context = canvas.getContext("2d");
  const { width, height } = canvas;
  const pad = { left: 44, right: 10, top: 10, bottom: 24 };
  context.clearRect(0, 0, width, height);
  const all = [...train, ...heldOut].map((p) => p.loss);
  if (all.length === 0) return;
  const top = Math.max(...all) * 1.05;
  const x = (step) => pad.left + ((width - pad.left - pad.right) * step) / Math.max(1, totalSteps);
  const y = (loss) => height - pad.bottom - ((height - pad.top - pad.bottom) * loss) / top;
  context.strokeStyle = foreground;
  context.fillStyle = foreground;
  context.font = "12px system-ui, sans-serif";
  context.beginPath();
  context.moveTo(pad.left, pad.top);
  context.lineTo(pad.left, height - pad.bottom);
  context.lineTo(width - pad.right, height - pad.bottom);
  context.stroke();
  context.textAlign = "right";
  context.textBaseline = "middle";
  for (const loss of [0, top / 2, top]) context.fillText(loss.toFixed(1), pad.left - 4, y(loss));
  context.textAlign = "center";
  context.textBaseline = "top";
  context.fillText(`step (of ${totalSteps})`, (pad.left + width) / 2, height - pad.bottom + 6);
  const line = (points, colour) => {
    context.strokeStyle = colour;
    context.lineWidth = 2;
    context.beginPath();
    points.forEach((p, i) => (i ? context.lineTo(x(p.step), y(p.loss)) : context.moveTo(x(p.step), y(p.loss))));
    context.stroke();
  };
  line(train, "#2563eb");
  line(heldOut, "#dc2626");
}
