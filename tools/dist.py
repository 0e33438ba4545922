"""`make dist`: the site as a static host serves it, in dist/.

Only what the two pages load: index.html, classroom.html, www/ (scripts, styles, the bundled model),
both wasm builds (pkg/ and pkg/threads/: glue, wasm, snippets) and the service worker. Then:

- the wasm files are named by their content (clozelab_bg.<hash>.wasm, the glue and sw.js rewritten
  to match) and cached for a year; everything else is revalidated;
- sw.js gets the release (a hash of everything shipped) as its cache name, so a new release never
  mixes with an old cached one;
- every text and wasm file gets a brotli (.br) and a gzip (.gz, zopfli's for the wasm) copy beside it, for hosts and
  `tools/serve.py` that pick one by Accept-Encoding (compressed once per content: a cache under
  ~/.cache/clozelab/compressed keeps `make test` quick);
- `_headers` (Netlify, Cloudflare Pages): COOP/COEP for threads, the wasm type, long caching for
  hashed files. Hosts that send no headers get COOP/COEP from the service worker.

Prints the size of each build as a visitor downloads it (raw, gzip, brotli).
"""

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["index.html", "classroom.html", "sw.js"]
BUNDLED_MODEL = "www/models/clozelab-tiny-bert"
MODEL_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors", "README.md"]
BUILDS = ["pkg", "pkg/threads"]
COMPRESSED = {".html", ".js", ".css", ".json", ".wasm", ".md", ".txt", ".svg"}
CACHE = Path(os.environ.get("CLOZELAB_COMPRESS_CACHE", Path.home() / ".cache/clozelab/compressed"))
IMMUTABLE = "public, max-age=31536000, immutable"
# Files larger than this (the wasm) get zopfli's gzip; it takes seconds per megabyte.
ZOPFLI_FROM = 1_000_000
# What a visitor on the WebGPU build downloads, at most (0.4× onnxruntime-web's 6.6 MB gzip wasm).
TARGET_GZIP = {"pkg": 2.6e6}


def digest(data: bytes, length: int = 12) -> str:
    return hashlib.sha256(data).hexdigest()[:length]


def site_files():
    """(path in the repository) for everything the site serves."""
    files = [Path(page) for page in PAGES]
    for path in sorted((ROOT / "www").rglob("*")):
        relative = path.relative_to(ROOT)
        if path.is_file() and relative.suffix in {".js", ".css"} and "models" not in relative.parts:
            files.append(relative)
    files += [Path(BUNDLED_MODEL) / name for name in MODEL_FILES]
    for build in BUILDS:
        files += [Path(build) / "clozelab.js", Path(build) / "clozelab_bg.wasm"]
        snippets = ROOT / build / "snippets"
        files += sorted(p.relative_to(ROOT) for p in snippets.rglob("*.js")) if snippets.is_dir() else []
    missing = [str(f) for f in files if not (ROOT / f).is_file()]
    if missing:
        raise SystemExit(f"make dist: missing {', '.join(missing)} (run make pkg first)")
    return files


def replace_once(text: str, old: str, new: str, where: str) -> str:
    if text.count(old) != 1:
        raise SystemExit(f"make dist: expected {old!r} once in {where}, found it {text.count(old)} times")
    return text.replace(old, new)


def compressed(data: bytes, kind: str) -> bytes:
    """`data` compressed with brotli (quality 11, 16 MB window) or gzip, from the cache if seen."""
    key = CACHE / f"{hashlib.sha256(data).hexdigest()}.{kind}"
    if key.is_file():
        return key.read_bytes()
    if kind == "br":
        out = subprocess.run(["brotli", "-c", "-q", "11", "-w", "24"], input=data, capture_output=True, check=True).stdout
    elif len(data) > ZOPFLI_FROM:
        # Zopfli's deflate (pigz -11): any gzip reader takes it, and it is ≈ 5% smaller than gzip -9.
        out = subprocess.run(["pigz", "-c", "-n", "-11", "-I", "3"], input=data, capture_output=True, check=True).stdout
    else:
        out = gzip.compress(data, compresslevel=9, mtime=0)
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = key.with_suffix(f".{kind}.partial")
    partial.write_bytes(out)
    partial.replace(key)
    return out


def build(out: Path):
    contents = {str(f): (ROOT / f).read_bytes() for f in site_files()}
    hashed = {}
    for build_dir in BUILDS:
        wasm = contents.pop(f"{build_dir}/clozelab_bg.wasm")
        name = f"clozelab_bg.{digest(wasm)}.wasm"
        contents[f"{build_dir}/{name}"] = wasm
        hashed[build_dir] = name
        glue = f"{build_dir}/clozelab.js"
        contents[glue] = replace_once(contents[glue].decode(), "'clozelab_bg.wasm'", f"'{name}'", glue).encode()
    sw = contents["sw.js"].decode()
    for build_dir, name in hashed.items():
        sw = replace_once(sw, f'"{build_dir}/clozelab_bg.wasm"', f'"{build_dir}/{name}"', "sw.js")
    release = digest(b"".join(path.encode() + b"\0" + data for path, data in sorted(contents.items()) if path != "sw.js"))
    contents["sw.js"] = replace_once(sw, 'const RELEASE = "dev";', f'const RELEASE = "{release}";', "sw.js").encode()

    rules = [
        "# Written by make dist (tools/dist.py). Netlify and Cloudflare Pages read this file; tools/serve.py does too.",
        "# COOP/COEP make the pages cross-origin isolated: SharedArrayBuffer, so the CPU path runs on every core.",
        "/*",
        "  Cross-Origin-Opener-Policy: same-origin",
        "  Cross-Origin-Embedder-Policy: require-corp",
        "  Cross-Origin-Resource-Policy: same-origin",
        "  X-Content-Type-Options: nosniff",
        "# Named by their content: never change, so cached for a year.",
    ]
    for build_dir, name in hashed.items():
        rules += [f"/{build_dir}/{name}", "  Content-Type: application/wasm", f"  Cache-Control: {IMMUTABLE}"]
    contents["_headers"] = ("\n".join(rules) + "\n").encode()

    if out.exists():
        shutil.rmtree(out)
    for path, data in contents.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if target.suffix in COMPRESSED:
            for kind, suffix in (("br", ".br"), ("gz", ".gz")):
                packed = compressed(data, kind)
                if len(packed) < len(data):
                    target.with_name(target.name + suffix).write_bytes(packed)
    return contents, hashed, release


def report(out: Path, hashed):
    """What a visitor downloads for each build: its wasm and glue, the worker and client scripts."""
    shared = ["www/cloze_client.js", "www/cloze_worker.js", "www/wasm_builds.js", "www/calibrate.js", "www/format.js", "www/hub.js"]
    print(f"{'build':<22} {'file':<44} {'raw':>9} {'gzip':>9} {'brotli':>9}")
    for build_dir, name in hashed.items():
        files = [f"{build_dir}/{name}", f"{build_dir}/clozelab.js"] + shared
        files += sorted(str(p.relative_to(out)) for p in (out / build_dir / "snippets").rglob("*.js"))
        totals = [0, 0, 0]
        for file in files:
            sizes = [os.path.getsize(out / (file + suffix)) if (out / (file + suffix)).exists() else os.path.getsize(out / file) for suffix in ("", ".gz", ".br")]
            totals = [t + s for t, s in zip(totals, sizes)]
            if file.endswith(".wasm"):
                print(f"{build_dir:<22} {file:<44} " + " ".join(f"{s / 1e6:>7.2f}MB" for s in sizes))
        print(f"{build_dir:<22} {'total (wasm + JS)':<44} " + " ".join(f"{s / 1e6:>7.2f}MB" for s in totals))
        if build_dir in TARGET_GZIP:
            verdict = "met" if totals[1] <= TARGET_GZIP[build_dir] else "MISSED"
            print(f"{'':<22} target ≤ {TARGET_GZIP[build_dir] / 1e6:.1f} MB gzip for the WebGPU build: {verdict}")


def main():
    out = ROOT / (sys.argv[1] if len(sys.argv) > 1 else "dist")
    contents, hashed, release = build(out)
    print(f"make dist: {len(contents)} files in {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}, release {release}")
    report(out, hashed)


if __name__ == "__main__":
    main()
