#!/usr/bin/env python3
"""Checks the phrasebook files (crates/pretrain/phrasebook/*.txt) against their format.

Usage: python3 tools/check_phrasebook.py [FILE ...]   (default: every phrasebook file)

A pattern line is lower case, ends with . ? or !, may hold alternatives "(a|b|c)" (not nested;
an option may be empty: "(very |)") and the slots {girl} and {boy} (a girl's / boy's name).
Lines that are empty or start with '#' are ignored. Prints each fault with its line and the
number of patterns and sentences (expansions) per file; exits 1 on any fault.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ALLOWED = re.compile(r"^[a-z0-9 ,.?!'\-:;\"(){}|]+$")
SLOT = re.compile(r"\{([a-z]+)\}")
SLOTS = {"girl", "boy"}


def faults(line):
    out = []
    if not ALLOWED.match(line):
        bad = sorted(set(c for c in line if not re.match(r"[a-z0-9 ,.?!'\-:;\"(){}|]", c)))
        out.append(f"characters not allowed: {''.join(bad)!r} (lower case ASCII only)")
    depth = 0
    for c in line:
        if c == "(":
            depth += 1
            if depth > 1:
                out.append("nested alternatives")
                break
        elif c == ")":
            depth -= 1
            if depth < 0:
                out.append("')' without '('")
                break
        elif c == "|" and depth == 0:
            out.append("'|' outside alternatives")
            break
    if depth > 0:
        out.append("'(' not closed")
    for slot in SLOT.findall(line):
        if slot not in SLOTS:
            out.append(f"unknown slot {{{slot}}}")
    if line.rstrip('"')[-1:] not in ".?!":
        out.append("does not end with . ? or !")
    if "  " in line:
        out.append("two spaces in a row")
    return out


def expansions(line):
    n = 1
    for group in re.findall(r"\(([^()]*)\)", line):
        n *= len(group.split("|"))
    return n


def main(paths):
    files = [pathlib.Path(p) for p in paths] or sorted((ROOT / "crates/pretrain/phrasebook").glob("*.txt"))
    bad = 0
    for path in files:
        patterns = sentences = 0
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            for fault in faults(line):
                print(f"{path}:{number}: {fault}: {line}")
                bad += 1
            patterns += 1
            sentences += expansions(line)
        print(f"{path.name}: {patterns} patterns, {sentences} sentences")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
