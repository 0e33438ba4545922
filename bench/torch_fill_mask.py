"""`make bench`, PyTorch half: the same shapes as examples/bench_native.rs on PyTorch CPU, with
random weights, and the ratio clozelab / PyTorch next to issue 18's target: native CPU inference at
least PyTorch's throughput (≤ 1.0× its time for the same work, the head at the mask only)."""

import json
import statistics
import time
from pathlib import Path

import torch
from transformers import BertConfig, BertForMaskedLM

WARM_UP, RUNS = 3, 10
SHAPES = {
    "bert-mini": dict(hidden_size=256, num_hidden_layers=4, num_attention_heads=4, intermediate_size=1024),
    "bert-base": dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072),
}


def measure(model, tokens, head_at_mask_only):
    ids = torch.tensor([[1000 + (i * 7919) % 20000 for i in range(tokens)]])
    mask = tokens // 2

    def run():
        start = time.perf_counter()
        with torch.inference_mode():
            if head_at_mask_only:
                hidden = model.bert(input_ids=ids).last_hidden_state[:, mask]
                logits = model.cls(hidden)
            else:  # what the fill-mask pipeline does: logits at every position
                logits = model(input_ids=ids).logits[:, mask]
            probs = logits.softmax(-1)
            probs.topk(5)
        return (time.perf_counter() - start) * 1e3

    first = run()
    for _ in range(WARM_UP - 1):
        run()
    return first, statistics.median(run() for _ in range(RUNS))


def main():
    torch.manual_seed(0)
    print(f"PyTorch {torch.__version__} CPU, {torch.get_num_threads()} threads: median of {RUNS} after {WARM_UP} warm-up")
    print(f"{'shape':<10} {'tokens':>6} {'pipeline ms':>12} {'head@mask ms':>13}")
    figures = []
    for shape, dims in SHAPES.items():
        model = BertForMaskedLM(BertConfig(vocab_size=30522, max_position_embeddings=512, **dims)).eval()
        for tokens in (16, 128):
            _, full = measure(model, tokens, head_at_mask_only=False)
            _, masked = measure(model, tokens, head_at_mask_only=True)
            print(f"{shape:<10} {tokens:>6} {full:>12.2f} {masked:>13.2f}")
            figures.append(dict(shape=shape, tokens=tokens, pipeline_ms=full, head_at_mask_ms=masked))
    Path("bench-results").mkdir(exist_ok=True)
    Path("bench-results/torch.json").write_text(json.dumps(figures, indent=2))

    native = Path("bench-results/native.json")
    if not native.exists():
        return
    ours = {(f["shape"], f["tokens"]): f for f in json.loads(native.read_text()) if f["backend"] == "cpu"}
    print("\nclozelab CPU vs PyTorch CPU (ratio of medians; < 1 means clozelab is faster)")
    for figure in figures:
        mine = ours.get((figure["shape"], figure["tokens"]))
        if mine is None:
            continue
        ratio = mine["median_ms"] / figure["pipeline_ms"]
        same_work = mine["median_ms"] / figure["head_at_mask_ms"]
        target = "  target ≤ 1.0×: " + ("met" if same_work <= 1.0 else "MISSED")
        print(f"{figure['shape']:<10} {figure['tokens']:>4} tokens: {ratio:.2f}× the pipeline, {same_work:.2f}× head-at-mask{target}")


if __name__ == "__main__":
    main()
