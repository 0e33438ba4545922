"""Writes the peer's copy of the browser benchmark's models: for each folder under
bench-results/models/ (made by `cargo run --example bench_models`), the very same weights loaded by
PyTorch (`transformers`' BertForMaskedLM) and exported as transformers.js reads a model —
config.json, tokenizer.json, onnx/model.onnx (fp32, by torch.onnx) and onnx/model_quantized.onnx
(8-bit weights, by onnxruntime's dynamic quantization, as transformers.js's own conversion script
makes its "q8" files) — under bench-results/peer/<name>/. Skips what exists.

Usage: python bench/peer/export_onnx.py [bench-results]
"""

import sys
from pathlib import Path

import torch
from transformers import BertForMaskedLM, BertTokenizerFast


def export(source: Path, target: Path) -> None:
    onnx_dir = target / "onnx"
    fp32 = onnx_dir / "model.onnx"
    q8 = onnx_dir / "model_quantized.onnx"
    if fp32.exists() and q8.exists():
        print(f"{target} exists")
        return
    onnx_dir.mkdir(parents=True, exist_ok=True)
    model = BertForMaskedLM.from_pretrained(source).eval()
    model.config.save_pretrained(target)
    BertTokenizerFast(vocab_file=str(source / "vocab.txt"), do_lower_case=True).save_pretrained(target)
    ids = torch.ones(1, 16, dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["logits"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "token_type_ids": {0: "batch", 1: "sequence"},
                "logits": {0: "batch", 1: "sequence"},
            },
            opset_version=17,
            dynamo=False,
        )
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(q8), weight_type=QuantType.QInt8, per_channel=True)
    print(f"{target}: {fp32.stat().st_size / 1e6:.1f} MB fp32, {q8.stat().st_size / 1e6:.1f} MB q8")


def main() -> None:
    results = Path(sys.argv[1] if len(sys.argv) > 1 else "bench-results")
    for source in sorted((results / "models").iterdir()):
        if (source / "model.safetensors").exists():
            export(source, results / "peer" / source.name)


if __name__ == "__main__":
    main()
