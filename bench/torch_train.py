"""`make bench`, training: PyTorch CPU masked-LM training throughput for the same shape and batch
as examples/bench_train.rs (the bundled model's shape), and the ratio clozelab / PyTorch (target:
native CPU ≥ 1.0×; the browser's ratio is printed by bench/train_browser_bench.mjs)."""

import json
import time
from pathlib import Path

import torch
from transformers import BertConfig, BertForMaskedLM

BATCH, SEQ, WARM_UP, STEPS = 16, 64, 3, 10


def main():
    torch.manual_seed(0)
    config = BertConfig.from_pretrained("www/models/clozelab-tiny-bert")  # the bundled model's shape
    model = BertForMaskedLM(config).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    ids = torch.randint(5, config.vocab_size, (BATCH, SEQ))
    labels = torch.full_like(ids, -100)
    positions = [p for p in range(1, SEQ - 1) if p % 7 == 3]
    labels[:, positions] = ids[:, positions]

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = model(input_ids=ids, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # as clozelab's trainer does
        optimizer.step()
        return loss.item()

    for _ in range(WARM_UP):
        step()
    start = time.perf_counter()
    for _ in range(STEPS):
        step()
    seconds = time.perf_counter() - start
    tokens_per_s = BATCH * SEQ * STEPS / seconds
    print(f"PyTorch {torch.__version__} CPU ({torch.get_num_threads()} threads): {tokens_per_s:.0f} tokens/s, {seconds * 1e3 / STEPS:.1f} ms/step")
    Path("bench-results").mkdir(exist_ok=True)
    Path("bench-results/train_torch.json").write_text(json.dumps({"tokens_per_s": tokens_per_s}))
    native = Path("bench-results/train_native.json")
    if native.exists():
        for figure in json.loads(native.read_text()):
            ratio = figure["tokens_per_s"] / tokens_per_s
            target = "  target ≥ 1.0×: " + ("met" if ratio >= 1.0 else "MISSED") if figure["backend"] == "cpu" else ""
            print(f"clozelab {figure['backend']}: {ratio:.2f}× PyTorch CPU{target}")


if __name__ == "__main__":
    main()
