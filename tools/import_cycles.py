#!/usr/bin/env python3
"""Fails when the Rust modules of a crate import each other in a circle.

    python3 tools/import_cycles.py [--graph] SRC_DIR...

Each SRC_DIR is one crate's `src/`. A module is a file (`a/b.rs` or `a/b/mod.rs` is `a::b`); an
edge `a → b` is any `crate::b…` or `super::…` path in `a` that names `b` or an item `b` re-exports
(`pub use`), followed to the file that defines it. A module's own submodules and its parent's
`mod` lines are structure, not imports, and so are a file's `#[cfg(test)] mod tests` (tests may
use their siblings). Cargo already refuses circles between crates, so only the
modules inside one crate are checked — each file, and each top-level module with everything
under it (so `model/` and `weights/` cannot lean on each other through different files). `--graph` prints every edge (the diagram in
docs/ARCHITECTURE.md is drawn from it).
"""

import re
import sys
from pathlib import Path

USE = re.compile(r"\b(?:pub(?:\([^)]*\))?\s+)?use\s+([^;]+);", re.S)
PATH = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
PUB_USE = re.compile(r"\bpub\s+use\s+([^;]+);", re.S)


def strip_comments(text):
    # A unit-test module may use its siblings freely: it is not part of the module's interface.
    text = re.split(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text)[0]
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    return re.sub(r"//[^\n]*", "", text)


def module_of(src, file):
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("lib", "main") and len(parts) == 1:
        return ()
    if parts[-1] == "mod":
        parts.pop()
    return tuple(parts)


def expand(tree):
    """`a::{b, c::{d, e}}` → [a::b, a::c::d, a::c::e] (as lists of segments)."""
    tree = re.sub(r"\s+", "", tree)
    if "{" not in tree:
        return [tree.split(" as ")[0].split("::")]
    head, rest = tree.split("{", 1)
    inner = rest[: rest.rindex("}")]
    items, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        depth += ch == "{"
        depth -= ch == "}"
        if ch == "," and depth == 0:
            items.append(inner[start:i])
            start = i + 1
    items.append(inner[start:])
    prefix = [p for p in head.split("::") if p]
    return [prefix + sub for item in items if item for sub in expand(item)]


def absolute(module, segments):
    """A path as written in `module` → absolute segments, or None if it is not a crate path."""
    if not segments:
        return None
    if segments[0] == "crate":
        return segments[1:]
    if segments[0] in ("super", "self"):
        base = list(module)
        while segments and segments[0] in ("super", "self"):
            if segments[0] == "super":
                if not base:
                    return None
                base.pop()
            segments = segments[1:]
        return base + segments
    return None


def main(argv):
    graph_only = "--graph" in argv
    roots = [Path(a) for a in argv if a != "--graph"]
    failed = False
    for src in roots:
        files = {module_of(src, f): f for f in sorted(src.rglob("*.rs"))}
        texts = {m: strip_comments(f.read_text()) for m, f in files.items()}
        # item re-exported by a module → the module its `pub use` names
        reexports = {}
        for m, text in texts.items():
            for tree in PUB_USE.findall(text):
                for seg in expand(tree):
                    target = absolute(m, seg) if seg[0] in ("crate", "super", "self") else list(m) + seg
                    if target:
                        name = seg[-1]
                        reexports[(m, name)] = tuple(target)

        def resolve(path):
            """Absolute segments → the module (file) that defines the named thing."""
            path = tuple(path)
            for _ in range(8):
                best = max((k for k in range(len(path) + 1) if path[:k] in files), default=0)
                module = path[:best]
                if best < len(path) and (module, path[best]) in reexports:
                    path = reexports[(module, path[best])] + path[best + 1 :]
                    continue
                return module
            return path[:best]

        edges = {}
        for m, text in texts.items():
            targets = set()
            for tree in USE.findall(text):
                for seg in expand(tree):
                    if seg and seg[0] in ("crate", "super", "self"):
                        target = absolute(m, seg)
                        if target is not None:
                            targets.add(resolve(target))
            for kind, rest in PATH.findall(text):
                target = absolute(m, [kind] + rest.split("::")[1:])
                if target is not None:
                    targets.add(resolve(target))
            # a module's own submodules (its facade) and the crate root are structure
            edges[m] = {t for t in targets if t != m and t[: len(m)] != m and t != ()}

        if graph_only:
            for m in sorted(edges):
                for t in sorted(edges[m]):
                    print(f"{src}: {'::'.join(m)} -> {'::'.join(t)}")
            continue

        # The same check one level up: the crate's top-level modules (its folders) form layers.
        folders = {}
        for m, targets in edges.items():
            if m:
                folders.setdefault(m[:1], set()).update(t[:1] for t in targets if t[:1] != m[:1])
        for graph, kind in ((edges, "modules"), (folders, "folders")):
            for cycle in strongly_connected(graph):
                failed = True
                names = ", ".join("::".join(m) for m in sorted(cycle))
                print(f"{src}: these {kind} import each other in a circle: {names}")
                for m in sorted(cycle):
                    for t in sorted(graph[m] & cycle):
                        print(f"    {'::'.join(m)} -> {'::'.join(t)}")
    if failed:
        return 1
    if not graph_only:
        print(f"no import circles in {', '.join(map(str, roots))}")
    return 0


def strongly_connected(edges):
    """Tarjan's algorithm: every component of more than one module."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(component)

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
