"""`make pkg`, last step: turns pkg/ (wasm-bindgen's output for both builds) into an npm package.

It adds the worker client — www/cloze_client.js, www/cloze_worker.js, www/wasm_builds.js,
www/calibrate.js and www/format.js (how "auto" measures WebGPU against the CPU, and says so),
www/hub.js (the model cache the worker keeps downloads in) and the client's types — with their imports of "../pkg/…" pointed at the package's own files, a
package.json (name, version and licence from Cargo.toml; `exports`, `types`, `files`) and the
README (tools/npm_readme.md). `npm pack pkg/` then makes the tarball.
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "pkg"
# The client, its worker and the module that picks a build: copied, imports rewritten.
CLIENT = ["cloze_client.js", "cloze_client.d.ts", "cloze_worker.js", "wasm_builds.js", "calibrate.js", "format.js", "hub.js"]


def cargo_package():
    """name, version, description and licence from Cargo.toml: the workspace's shared fields
    ([workspace.package]) under the project's own ([package]: the name `clozelab`)."""
    text = (ROOT / "Cargo.toml").read_text()
    fields = {}
    for header in ["[workspace.package]", "[package]"]:
        table = text.split(header, 1)[1].split("\n[", 1)[0]
        fields.update(re.findall(r'^(\w+)\s*=\s*"([^"]*)"', table, re.M))
    return fields


def copy_client():
    for name in CLIENT:
        text = (ROOT / "www" / name).read_text()
        packaged = text.replace('"../pkg/', '"./')
        if name in ("wasm_builds.js", "cloze_client.d.ts") and packaged == text:
            raise SystemExit(f"npm_package: www/{name} no longer imports ../pkg/: update tools/npm_package.py")
        (PKG / name).write_text(packaged)


def build_files():
    """The package's files, relative to pkg/: both builds' glue, wasm, types and snippets."""
    files = [*CLIENT, "README.md"]
    for build in ["", "threads/"]:
        for name in ["clozelab.js", "clozelab.d.ts", "clozelab_bg.wasm", "clozelab_bg.wasm.d.ts"]:
            if not (PKG / build / name).is_file():
                raise SystemExit(f"npm_package: pkg/{build}{name} is missing (run make pkg)")
            files.append(build + name)
        if (PKG / build / "snippets").is_dir():
            files.append(f"{build}snippets/")
    return files


def main():
    cargo = cargo_package()
    copy_client()
    (PKG / "README.md").write_text((ROOT / "tools/npm_readme.md").read_text().replace("{version}", cargo["version"]))
    manifest = {
        "name": cargo["name"],
        "version": cargo["version"],
        "description": cargo["description"],
        "license": cargo["license"],
        "type": "module",
        "main": "./cloze_client.js",
        "types": "./cloze_client.d.ts",
        "exports": {
            ".": {"types": "./cloze_client.d.ts", "default": "./cloze_client.js"},
            "./wasm": {"types": "./clozelab.d.ts", "default": "./clozelab.js"},
            "./wasm-threads": {"types": "./threads/clozelab.d.ts", "default": "./threads/clozelab.js"},
            "./package.json": "./package.json",
        },
        "files": build_files(),
        "sideEffects": False,
        "keywords": ["bert", "masked-language-model", "fill-mask", "webgpu", "wasm", "transformers"],
    }
    (PKG / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"pkg/: npm package {manifest['name']}@{manifest['version']} ({len(manifest['files'])} entries)")


if __name__ == "__main__":
    sys.exit(main())
