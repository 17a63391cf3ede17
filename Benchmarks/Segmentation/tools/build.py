#!/usr/bin/env python3
"""Build gold.txt, raw.txt and SOURCES.tsv from the hand annotation in annot/.

annot/<file-prefix>.seg holds one hand-segmented sentence per line: words are
separated by spaces; punctuation may be written attached to words, this
script splits every punctuation mark into its own token (see PUNCT below) so
that the annotator only has to decide word boundaries.  Lines starting with
'#' and blank lines are ignored.

Every annotated sentence (spaces removed) must be exactly one of the
sentences produced by extract_candidates.py for that corpus file; its file
name and line numbers are looked up there and written to SOURCES.tsv.
"""
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import extract_candidates as ec  # noqa: E402


def is_punct_char(ch):
    """Characters that always form (part of) a punctuation token."""
    if ch in "%.+":            # 30% / 4.5 / 1+4 stay inside words
        return False
    return unicodedata.category(ch).startswith("P")


def tokenize(line):
    out = []
    for chunk in line.split():
        cur = ""
        i = 0
        while i < len(chunk):
            ch = chunk[i]
            if is_punct_char(ch):
                if cur:
                    out.append(cur)
                    cur = ""
                j = i + 1
                if ch in "—…":   # —— and …… are single tokens
                    while j < len(chunk) and chunk[j] == ch:
                        j += 1
                out.append(chunk[i:j])
                i = j
                continue
            cur += ch
            i += 1
        if cur:
            out.append(cur)
    return out


def candidates():
    """raw sentence -> list of (file name, 'l1,l2,...') from the corpus."""
    cands = {}
    corpus = ec.CORPUS
    for name in sorted(os.listdir(corpus)):
        if not name.endswith(".txt"):
            continue
        key = name[:3]
        raw_lines = open(os.path.join(corpus, name), encoding="utf-8").read().split("\n")
        units = ec.units_004(raw_lines) if key == "004" else ec.units_simple(key, raw_lines)
        for text, ls in units:
            for s, sl in ec.sentences(text, ls, raw_lines):
                cands.setdefault(s, []).append((name, ",".join(map(str, sl))))
    return cands


def main():
    cands = candidates()
    gold, raw, src = [], [], []
    errors = 0
    annot_dir = os.path.join(ROOT, "annot")
    for fn in sorted(os.listdir(annot_dir)):
        if not fn.endswith(".seg"):
            continue
        prefix = fn[:3]
        for no, line in enumerate(open(os.path.join(annot_dir, fn), encoding="utf-8"), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            toks = tokenize(line)
            r = "".join(toks)
            hits = [h for h in cands.get(r, []) if h[0].startswith(prefix)]
            if not hits:
                print("NOT IN CORPUS %s:%d %s" % (fn, no, r), file=sys.stderr)
                errors += 1
                continue
            gold.append(" ".join(toks))
            raw.append(r)
            src.append("%s\t%s" % hits[0])
    if errors:
        sys.exit("%d errors" % errors)
    with open(os.path.join(ROOT, "gold.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(gold) + "\n")
    with open(os.path.join(ROOT, "raw.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(raw) + "\n")
    with open(os.path.join(ROOT, "SOURCES.tsv"), "w", encoding="utf-8") as f:
        f.write("line\tfile\tsource_lines\n")
        for i, s in enumerate(src, 1):
            f.write("%d\t%s\n" % (i, s))
    print("wrote %d sentences" % len(gold))


if __name__ == "__main__":
    main()
