"""What takes the space in a wasm module: function bodies summed by crate, from the name section.

    python3 tools/wasm_size.py MODULE.wasm [ROWS]

Run it on cargo's output (before wasm-bindgen strips the names), e.g.
$CARGO_TARGET_DIR/small/wasm32-unknown-unknown/web/clozelab_web.wasm. Prints the sections, the crates with
the most code, and the largest functions. `make bench` prints it for the WebGPU build.
"""

import collections
import re
import sys

SECTIONS = {0: "custom", 1: "type", 2: "import", 3: "function", 5: "memory", 6: "global", 7: "export", 10: "code", 11: "data"}


def leb128(data, at):
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def read_name(data, at):
    length, at = leb128(data, at)
    return data[at : at + length].decode("utf-8", "replace"), at + length


def imported_functions(data, at):
    count, at = leb128(data, at)
    functions = 0
    for _ in range(count):
        _, at = read_name(data, at)
        _, at = read_name(data, at)
        kind = data[at]
        at += 1
        if kind == 0:  # function: a type index
            _, at = leb128(data, at)
            functions += 1
        elif kind == 1:  # table: element type, limits
            at += 1
            flags, at = leb128(data, at)
            _, at = leb128(data, at)
            if flags & 1:
                _, at = leb128(data, at)
        elif kind == 2:  # memory: limits
            flags, at = leb128(data, at)
            _, at = leb128(data, at)
            if flags & 1:
                _, at = leb128(data, at)
        elif kind == 3:  # global: value type, mutability
            at += 2
        else:  # a tag (exceptions): attribute, type
            at += 1
            _, at = leb128(data, at)
    return functions


def function_names(data, at, end):
    names = {}
    while at < end:
        kind = data[at]
        size, at = leb128(data, at + 1)
        if kind == 1:
            count, cursor = leb128(data, at)
            for _ in range(count):
                index, cursor = leb128(data, cursor)
                names[index], cursor = read_name(data, cursor)
        at += size
    return names


def crate_of(name):
    """The crate a (demangled or legacy-mangled) Rust symbol belongs to; generic std code counts
    for the crate of its first type argument, where the cost really comes from."""
    if name.startswith("_R"):  # v0 mangling: the first crate root, C<disambiguator>_<length><name>
        root = re.search(r"C(?:s[0-9A-Za-z]*_)?(\d+)", name)
        return name[root.end() :][: int(root.group(1))] if root else name
    if name.startswith("_ZN"):  # legacy mangling: the first path segment, or the type of an impl
        digits = re.match(r"_ZN(\d+)", name)
        if not digits:
            return name
        segment = name[3 + len(digits.group(1)) :][: int(digits.group(1))]
        impl = re.match(r"_?\$LT\$(?:\$RF\$)?(?:mut\$u20\$)?(?:dyn\$u20\$)?([a-z_][a-z0-9_]*)\.\.", segment)
        return impl.group(1) if impl else segment
    trimmed = re.sub(r"^(<|&|mut |dyn |\()+", "", name)
    crate = re.split(r"::|<| |\$", trimmed, maxsplit=1)[0] or name
    if crate in {"core", "alloc", "std"}:
        inner = re.search(r"<[<&( ]*(?:dyn |mut )?([a-z_][a-z0-9_]*)::", name)
        if inner and inner.group(1) not in {"core", "alloc", "std"}:
            return f"{crate} (for {inner.group(1)})"
    return crate


def profile(data):
    if data[:4] != b"\0asm":
        raise SystemExit("not a wasm module")
    at, sections, imports, bodies, names = 8, [], 0, [], {}
    while at < len(data):
        kind = data[at]
        size, start = leb128(data, at + 1)
        if kind == 0:
            custom, _ = read_name(data, start)
            sections.append((f"custom {custom}", size))
            if custom == "name":
                _, cursor = read_name(data, start)
                names = function_names(data, cursor, start + size)
        else:
            sections.append((SECTIONS.get(kind, str(kind)), size))
        if kind == 2:
            imports = imported_functions(data, start)
        elif kind == 10:
            count, cursor = leb128(data, start)
            for _ in range(count):
                length, body = leb128(data, cursor)
                bodies.append(body - cursor + length)
                cursor = body + length
        at = start + size
    return sections, [(size, names.get(imports + i, f"function {imports + i}")) for i, size in enumerate(bodies)]


def main():
    path = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    data = open(path, "rb").read()
    sections, functions = profile(data)
    code = sum(size for size, _ in functions)
    print(f"{path}: {len(data) / 1e6:.2f} MB, {len(functions)} functions, code {code / 1e6:.2f} MB")
    print("  sections: " + ", ".join(f"{name} {size / 1e3:.0f} KB" for name, size in sections if size > 10_000))
    by_crate = collections.Counter()
    for size, name in functions:
        by_crate[crate_of(name)] += size
    print(f"  code by crate (the {rows} largest):")
    for crate, size in by_crate.most_common(rows):
        print(f"    {size / 1e3:8.1f} KB {100 * size / code:5.1f}%  {crate}")
    print("  largest functions:")
    for size, name in sorted(functions, reverse=True)[:10]:
        print(f"    {size / 1e3:8.1f} KB  {name[:120]}")


if __name__ == "__main__":
    main()
