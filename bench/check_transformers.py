"""`make bench`: the bundled model folder loads in Python `transformers` (AutoModelForMaskedLM,
AutoTokenizer) and gives the same top-5 as clozelab on held-out cloze and syntax sentences.

Usage: check_transformers.py MODEL_DIR CLOZELAB_BINARY [N]
Prints each disagreement and a summary; exits 1 if any top-5 differs."""

import json
import subprocess
import sys

import torch
from transformers import AutoModelForMaskedLM, AutoTokenizer

folder, binary = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 100

tokenizer = AutoTokenizer.from_pretrained(folder)
model = AutoModelForMaskedLM.from_pretrained(folder).eval()

# The sentences clozelab evaluates on (held-out cloze and syntax sets), as the CLI lists them.
listed = json.loads(subprocess.run([binary, "evaluate", "--model", folder, "--items", str(count), "--list"],
                                   check=True, capture_output=True, text=True).stdout)
items = [item for group in listed.values() for item in group if "text_with_mask" in item]

agree, differ = 0, []
for item in items:
    text = item["text_with_mask"]
    ours = json.loads(subprocess.run([binary, "fill-mask", "--model", folder, "--top-k", "5", "--json", text],
                                     check=True, capture_output=True, text=True).stdout)
    ours_top = [p["token"] for p in ours["masks"][0]["predictions"]]
    encoded = tokenizer(text, return_tensors="pt")
    with torch.inference_mode():
        logits = model(**encoded).logits[0]
    position = (encoded["input_ids"][0] == tokenizer.mask_token_id).nonzero()[0].item()
    theirs_top = tokenizer.convert_ids_to_tokens(logits[position].topk(5).indices.tolist())
    if ours["inputIds"] != encoded["input_ids"][0].tolist():
        differ.append((text, "token ids differ", ours["inputIds"], encoded["input_ids"][0].tolist()))
    elif ours_top != theirs_top:
        differ.append((text, "top-5 differs", ours_top, theirs_top))
    else:
        agree += 1

for case in differ:
    print("DIFFERS:", *case)
print(f"transformers {__import__('transformers').__version__}: {agree} of {len(items)} sentences give "
      f"the same tokens and the same top-5 as clozelab ({folder})")
sys.exit(1 if differ else 0)
