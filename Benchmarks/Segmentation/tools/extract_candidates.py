#!/usr/bin/env python3
"""Undo the layout noise of corpus/*.txt and list candidate sentences.

This is the helper that was used to build raw.txt / gold.txt.  It does NOT
segment anything; it only rebuilds the running text of each journal file
(joining hard-wrapped lines, removing letter-spacing and Markdown markers,
NFKC-folding ASCII letters/digits) and splits it into sentences, printing

    <file>\t<lines>\t<length>\t<sentence>

for every sentence, so that sentences can be picked by hand.

Usage: python3 tools/extract_candidates.py [corpus_dir] > candidates.tsv
"""
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "corpus"))

# Files 000-003 are one paragraph per line, but some paragraphs were
# hard-wrapped (often in the middle of a word) and continue on the next
# non-blank line.  These are the line numbers (1-based) whose text continues
# on the next non-blank line; found by inspecting every line that does not
# end in sentence-final punctuation.
CONTINUES = {
    "000": {13, 17, 33, 43, 63},
    "001": {17, 31, 35, 47, 51, 65, 71, 91, 101, 115, 119, 137, 151},
    "002": {15, 49, 53, 65, 71},
    "003": {18, 24, 58, 62, 80, 86},
}

# File 004 is wrapped every ~15 characters and paragraphs/blank lines are not
# reliable (words are split across blank lines), so the whole body is read as
# one stream; only these lines are stand-alone headings / bylines.
HEADINGS_004 = {2, 7, 8, 292, 293, 295, 296, 298, 299, 395, 396, 587, 588,
                590, 591, 691, 692, 891, 892, 894, 895, 897}

FINAL = "。！？；;"
CLOSERS = "”’」』）)》"


def fold(text):
    """Remove layout noise inside one unit of text."""
    text = text.replace("**", "")
    text = re.sub(r"^#+\s*", "", text)
    # letter-spacing and wrap artefacts: the corpus never needs a space
    text = re.sub(r"\s+", "", text)
    out = []
    for ch in text:
        o = ord(ch)
        if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
            ch = unicodedata.normalize("NFKC", ch)
        if "A" <= ch <= "Z":
            ch = ch.lower()
        out.append(ch)
    return "".join(out)


def units_simple(key, lines):
    """Paragraph units (text, [line numbers]) for files 000-003."""
    units = []
    cur, cur_lines = "", []
    cont = CONTINUES.get(key, set())
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        cur += line.strip()
        cur_lines.append(no)
        if no in cont:
            continue
        units.append((cur, cur_lines))
        cur, cur_lines = "", []
    if cur:
        units.append((cur, cur_lines))
    return units


def units_004(lines):
    units = []
    cur, cur_lines = "", []

    def flush():
        nonlocal cur, cur_lines
        if cur:
            units.append((cur, cur_lines))
        cur, cur_lines = "", []

    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if no in HEADINGS_004:
            flush()
            units.append((line.strip(), [no]))
            continue
        cur += line.strip() + " "   # keep a marker so we can map chars->lines
        cur_lines.append(no)
    flush()
    return units


def sentences(unit_text, unit_lines, raw_lines):
    """Split a unit into sentences, keeping track of source line numbers."""
    # map every non-space char of the unit to its source line
    char_line = []
    buf = []
    # rebuild per-line so that we know where every character came from
    for no in unit_lines:
        for ch in raw_lines[no - 1].strip():
            buf.append(ch)
            char_line.append(no)
    text = "".join(buf)
    assert text.replace(" ", "") == unit_text.replace(" ", ""), (unit_lines,)
    out = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        if text[i] in FINAL:
            j = i + 1
            while j < n and (text[j] in CLOSERS or text[j] == " "):
                j += 1
            out.append((text[start:j], sorted(set(char_line[start:j]))))
            start = j
            i = j
            continue
        i += 1
    if start < n and text[start:].strip():
        out.append((text[start:], sorted(set(char_line[start:]))))
    res = []
    for s, ls in out:
        # drop lines that only contributed whitespace
        ls = [l for l in ls if raw_lines[l - 1].strip()]
        f = fold(s)
        if f:
            res.append((f, ls))
    return res


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else CORPUS
    for name in sorted(os.listdir(corpus)):
        if not name.endswith(".txt"):
            continue
        key = name[:3]
        raw_lines = open(os.path.join(corpus, name), encoding="utf-8").read().split("\n")
        units = units_004(raw_lines) if key == "004" else units_simple(key, raw_lines)
        for text, ls in units:
            for s, sl in sentences(text, ls, raw_lines):
                # only lines that really contributed characters
                print("%s\t%s\t%d\t%s" % (name, ",".join(map(str, sl)), len(s), s))


if __name__ == "__main__":
    main()
