// The attention panel: head view, model view, mean over heads and rollout, all from the
// attentions of the pass that made the predictions. Options hide special tokens or merge pieces
// into words; the view exports as PNG and the numbers as JSON.

import { meanOverHeads, rollout, tokenGroups, view } from "./attention_math.js";
import { drawHeadView, headColour, tokenAt } from "./head_view.js";
import { cellAt, drawLabelledHeatmap, drawModelView, tileAt } from "./heatmap.js";
import { downloadBlob, downloadJson, within } from "./dom.js";


export class AttentionPanel {
  constructor(root) {
    this.$ = within(root);
    this.data = null; // { text, encoded, attentions }
    this.hidden = new Set(); // heads switched off in the head view
    this.hovered = null; // { side, index } of the token under the pointer
    this.pinnedToken = null; // a blank's token position, from its "where it looks" button
    this.geometry = null;
    this.opened = null; // { layer, head } opened large from the model view
    for (const id of ["attention-layer", "attention-kind", "attention-merge", "attention-hide-special", "attention-threshold"]) {
      this.$(id).addEventListener("input", () => this.draw());
    }
    const canvas = this.$("attention-canvas");
    canvas.addEventListener("mousemove", (event) => this.hover(event));
    canvas.addEventListener("mouseleave", () => {
      this.hovered = null;
      this.$("attention-readout").textContent = "";
      this.draw();
    });
    canvas.addEventListener("click", (event) => this.click(event));
    this.$("attention-png").addEventListener("click", () => this.exportPng());
    this.$("attention-json").addEventListener("click", () => this.exportJson());
  }

  get wanted() {
    return this.$("attention").open;
  }

  /** New attentions from a pass over `text` (encoded as the model tokenized it). */
  show(text, encoded, attentions) {
    const layersChanged = this.data?.attentions.length !== attentions.length || this.data?.attentions[0].length !== attentions[0].length;
    this.data = { text, encoded, attentions };
    if (layersChanged) {
      this.hidden.clear();
      this.opened = null;
      this.$("attention-layer").replaceChildren(...attentions.map((_, l) => Object.assign(document.createElement("option"), { value: l, textContent: `layer ${l + 1}` })));
      // The last layer first: the one the answer is read from, and far tidier than layer 1's tangle.
      this.$("attention-layer").value = String(attentions.length - 1);
    }
    this.renderHeads();
    this.draw();
  }

  /** Keeps only the lines of token `index` (a blank's position), or clears with null. */
  pin(index) {
    this.pinnedToken = index;
    this.draw();
  }

  /** What the head view shows the lines of: the hovered token, else the pinned one. */
  get focus() {
    if (this.hovered) return this.hovered;
    return this.pinnedToken === null ? null : { side: "from", index: this.groupOf(this.pinnedToken) };
  }

  groupOf(token) {
    const found = this.groups().groups.findIndex((g) => g.includes(token));
    return found < 0 ? 0 : found;
  }

  groups() {
    return tokenGroups(this.data.encoded, { merge: this.$("attention-merge").checked, hideSpecial: this.$("attention-hide-special").checked });
  }

  renderHeads() {
    const heads = this.data.attentions[0].length;
    this.$("attention-heads").replaceChildren(
      ...Array.from({ length: heads }, (_, h) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "head";
        button.textContent = `${h + 1}`;
        button.style.setProperty("--head", headColour(h));
        button.setAttribute("aria-pressed", String(!this.hidden.has(h)));
        button.title = "click: show or hide this head; double-click: only this head";
        button.addEventListener("click", () => {
          this.hidden.has(h) ? this.hidden.delete(h) : this.hidden.add(h);
          this.renderHeads();
          this.draw();
        });
        button.addEventListener("dblclick", () => {
          this.hidden = new Set(Array.from({ length: heads }, (_, k) => k).filter((k) => k !== h));
          this.renderHeads();
          this.draw();
        });
        return button;
      }),
    );
  }

  /** The matrices the current settings show: [{ matrix, colour, head }]. */
  visible() {
    const { groups } = this.groups();
    const merge = this.$("attention-merge").checked;
    const layer = Number(this.$("attention-layer").value);
    const kind = this.$("attention-kind").value;
    const attentions = this.data.attentions;
    if (kind === "mean") return [{ matrix: view(meanOverHeads(attentions[layer]), groups, merge), colour: "#2563eb" }];
    if (kind === "rollout") return [{ matrix: view(rollout(attentions, layer), groups, merge), colour: "#2563eb" }];
    return attentions[layer].flatMap((head, h) => (this.hidden.has(h) ? [] : [{ matrix: view(head, groups, merge), colour: headColour(h), head: h }]));
  }

  draw() {
    if (!this.data) return;
    const started = performance.now();
    const canvas = this.$("attention-canvas");
    const foreground = getComputedStyle(document.body).color;
    const { groups, labels } = this.groups();
    const merge = this.$("attention-merge").checked;
    const kind = this.$("attention-kind").value;
    this.kind = kind;
    this.$("attention-heads").hidden = kind !== "head";
    this.$("attention-threshold-label").hidden = kind !== "head";
    if (kind === "head") {
      this.geometry = drawHeadView(canvas, labels, this.visible(), { threshold: Number(this.$("attention-threshold").value), focus: this.focus, foreground });
    } else if (kind === "model" && !this.opened) {
      this.geometry = drawModelView(canvas, this.data.attentions.map((layer) => layer.map((head) => view(head, groups, merge))), { foreground });
    } else {
      const matrix = kind === "model" ? view(this.data.attentions[this.opened.layer][this.opened.head], groups, merge) : this.visible()[0].matrix;
      this.geometry = drawLabelledHeatmap(canvas, matrix, labels, { foreground });
      this.heatmap = matrix;
    }
    this.labels = labels;
    canvas.dataset.drawMs = (performance.now() - started).toFixed(1);
    canvas.dataset.focus = this.focus ? `${this.focus.side} ${labels[this.focus.index]}` : "";
    [this.$("attention-caption").textContent, this.$("attention-caption").title] = this.caption(kind);
  }

  /** The caption in plain words, and the technical description as its tooltip. */
  caption(kind) {
    const layer = Number(this.$("attention-layer").value) + 1;
    const layers = this.data.attentions.length;
    const which = layer === layers ? `Layer ${layer}, the last one (the answer is read from it)` : `Layer ${layer} of ${layers}`;
    if (kind === "head") {
      return [
        `${which}: each line joins a word on the left to a word on the right that it looks at; the thicker the line, the more it looks. Each colour is one "head", one of the model's several ways of looking. Point at a word to see only its lines.`,
        "Head view: attention probabilities from each query token (left) to each key token (right), one colour per attention head.",
      ];
    }
    if (kind === "mean") {
      return [`${which}, all heads together (their mean): each row is a word, and the darker a square, the more that word looks at the word of its column.`, "Mean over heads of the attention probabilities; rows: attending (query) tokens, columns: attended (key) tokens."];
    }
    if (kind === "rollout") {
      return [`How the looking adds up from the first layer to layer ${layer} (rollout): which words each word has gathered information from, so far.`, "Attention rollout (Abnar & Zuidema, 2020): head means with the residual added, rows renormalised, multiplied layer by layer."];
    }
    return this.opened
      ? [`Layer ${this.opened.layer + 1}, head ${this.opened.head + 1} — click to go back to all heads.`, "One attention head's probabilities: rows are query tokens, columns key tokens."]
      : ["Every layer (rows, first at the top) and every head (columns) at once; the darker a square, the more a word looks at another. Click one to open it.", "Model view: the attention matrix of every layer × head."];
  }

  point(event) {
    const canvas = this.$("attention-canvas");
    const box = canvas.getBoundingClientRect();
    return [((event.clientX - box.left) * canvas.width) / box.width, ((event.clientY - box.top) * canvas.height) / box.height];
  }

  hover(event) {
    if (!this.data) return;
    const [x, y] = this.point(event);
    if (this.kind === "head") {
      const hovered = tokenAt(this.geometry, this.labels, x, y);
      if (JSON.stringify(hovered) !== JSON.stringify(this.hovered)) {
        this.hovered = hovered;
        this.draw();
      }
    } else if (this.kind !== "model" || this.opened) {
      const cell = cellAt(this.geometry, x, y);
      this.$("attention-readout").textContent = cell ? `${this.labels[cell.i]} → ${this.labels[cell.j]}: ${this.heatmap[cell.i][cell.j].toFixed(4)}` : "";
    } else {
      const tile = tileAt(this.geometry, x, y);
      this.$("attention-readout").textContent = tile ? `layer ${tile.layer + 1}, head ${tile.head + 1}` : "";
    }
  }

  click(event) {
    if (this.kind !== "model") return;
    const [x, y] = this.point(event);
    this.opened = this.opened ? null : tileAt(this.geometry, x, y);
    this.draw();
  }

  exportPng() {
    this.$("attention-canvas").toBlob((blob) => downloadBlob(blob, "attention.png"));
  }

  exportJson() {
    const { groups, labels } = this.groups();
    const json = {
      text: this.data.text,
      tokens: this.data.encoded.tokens,
      view: { kind: this.$("attention-kind").value, layer: Number(this.$("attention-layer").value), merge: this.$("attention-merge").checked, hideSpecial: this.$("attention-hide-special").checked, labels, groups, matrices: this.visible().map(({ matrix, head }) => ({ head, matrix })) },
      attentions: this.data.attentions,
    };
    const plain = (_, value) => (ArrayBuffer.isView(value) ? Array.from(value) : value); // Float32Array rows
    downloadJson(json, "attention.json", plain, undefined);
  }
}
