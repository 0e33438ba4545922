#!/usr/bin/env python3
"""Compares model shapes for the bundled model by quality per minute of training: each shape is
pretrained on the bundled recipe's corpus for the same wall-clock budget (its step count from its
measured speed), and its masked-LM loss on the training mix and on the held-out template sentences
is read from its training log. The hand-written evaluation set is NOT used here: choosing the
shape on it would tune on it. Writes crates/pretrain/shapes.md, which the model card includes.

    python3 tools/compare_shapes.py [--minutes 6] [--clozelab PATH]

Run by hand (about 4 × (minutes + 1) minutes on two cores); `make pretrain` does not run it.
"""
import argparse
import os
import pathlib
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", pathlib.Path.home() / ".cache/clozelab/target"))
# layers, hidden, heads
SHAPES = [(4, 128, 4), (6, 128, 4), (4, 192, 4), (2, 256, 4)]
PROBE_STEPS = 40
NOTE = """A short budget favours small models (they take more steps a minute), so this says which
shape learns fastest at first, not which would be best with hours of training.
"""


def pretrain(clozelab, out, layers, hidden, heads, steps, report_every):
    subprocess.run(
        [clozelab, "pretrain", "--out", out, "--steps", str(steps), "--layers", str(layers),
         "--hidden", str(hidden), "--heads", str(heads), "--report-every", str(report_every),
         "--eval-items", "10"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = pathlib.Path(out, "training_log.tsv").read_text().strip().split("\n")
    head = rows[0].split("\t")
    last = dict(zip(head, rows[-1].split("\t")))
    losses = [float(dict(zip(head, r.split("\t")))["loss"]) for r in rows[-3:]]
    return rows, head, last, sum(losses) / len(losses)


def verdict(held_out):
    """Which shape reached the lowest held-out loss, and by how much over the next (the first
    of SHAPES is the bundled model's)."""
    bundled = next(iter(held_out))
    best, second = sorted(held_out, key=held_out.get)[:2]
    return (f"The bundled model is {bundled}. At equal minutes the lowest held-out loss was "
            f"{best}'s; the next, {second}'s, was {held_out[second] - held_out[best]:.2f} higher.")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=6.0)
    parser.add_argument("--clozelab", default=str(TARGET / "release/clozelab"))
    args = parser.parse_args()
    lines, held_out = [], {}
    for layers, hidden, heads in SHAPES:
        with tempfile.TemporaryDirectory() as tmp:
            # Seconds a step once running: between the probe's first and last report.
            rows, head, _, _ = pretrain(args.clozelab, tmp, layers, hidden, heads, PROBE_STEPS, 10)
            first, last = (dict(zip(head, rows[i].split("\t"))) for i in (1, -1))
            per_step = (float(last["seconds"]) - float(first["seconds"])) / (int(last["step"]) - int(first["step"]))
            steps = int(args.minutes * 60 / per_step)
            _, _, last, loss = pretrain(args.clozelab, tmp, layers, hidden, heads, steps, max(steps // 10, 1))
        params = (12 * hidden * hidden + 13 * hidden) * layers  # encoder, without embeddings
        row = (f"| {layers} × {hidden} | {params / 1e6:.2f} M | {steps} | {int(last['tokens']) / 1e6:.1f} M "
               f"| {float(last['seconds']) / 60:.1f} | {loss:.3f} | {float(last['held_out_loss']):.3f} "
               f"| {float(last['held_out_accuracy']) * 100:.1f}% |")
        print(row, flush=True)
        lines.append(row)
        held_out[f"{layers} × {hidden}"] = float(last["held_out_loss"])
    text = f"""Shapes compared by quality per minute (`tools/compare_shapes.py`, {args.minutes:g} minutes of
training each on this corpus, two CPU cores; the hand-written set was not looked at to choose):

| layers × hidden | encoder parameters | steps | tokens | minutes | training loss (last 3 reports) | held-out loss | held-out masked accuracy |
|---|---:|---:|---:|---:|---:|---:|---:|
""" + "\n".join(lines) + "\n\n" + verdict(held_out) + " " + NOTE
    (ROOT / "crates/pretrain/shapes.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
