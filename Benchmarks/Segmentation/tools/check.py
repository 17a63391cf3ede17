#!/usr/bin/env python3
"""Sanity and consistency checks for gold.txt / raw.txt / SOURCES.tsv.

  python3 tools/check.py            # hard checks (exit status 1 on failure)
  python3 tools/check.py --consistency
                                     # also list strings that are one word in
                                     # some lines but split into several words
                                     # elsewhere (for manual review)
"""
import os
import sys
import unicodedata
from collections import defaultdict

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def is_punct_token(tok):
    return all(unicodedata.category(c)[0] in "PS" for c in tok)


def spans(tokens):
    out, pos = [], 0
    for t in tokens:
        out.append((pos, pos + len(t), t))
        pos += len(t)
    return out


def main():
    gold = open(os.path.join(ROOT, "gold.txt"), encoding="utf-8").read().split("\n")
    raw = open(os.path.join(ROOT, "raw.txt"), encoding="utf-8").read().split("\n")
    src = open(os.path.join(ROOT, "SOURCES.tsv"), encoding="utf-8").read().split("\n")
    assert gold[-1] == "" and raw[-1] == "" and src[-1] == "", "files must end with a newline"
    gold, raw, src = gold[:-1], raw[:-1], src[1:-1]
    ok = True

    def fail(msg):
        nonlocal ok
        ok = False
        print("FAIL:", msg)

    if not (len(gold) == len(raw) == len(src)):
        fail("line counts differ: gold %d raw %d sources %d" % (len(gold), len(raw), len(src)))
    seen = {}
    files = defaultdict(int)
    n_words = n_punct = 0
    for i, (g, r) in enumerate(zip(gold, raw), 1):
        if g.replace(" ", "") != r:
            fail("line %d: gold without spaces != raw" % i)
        if "  " in g or g != g.strip():
            fail("line %d: tokens must be separated by exactly one space" % i)
        if any(c.isspace() for c in r):
            fail("line %d: raw contains whitespace" % i)
        if not 5 <= len(r) <= 80:
            fail("line %d: length %d outside 5..80" % (i, len(r)))
        if r in seen:
            fail("line %d duplicates line %d" % (i, seen[r]))
        seen[r] = i
        if any(0xFF01 <= ord(c) <= 0xFF5E and unicodedata.normalize("NFKC", c).isalnum() for c in r):
            fail("line %d: full-width letter/digit left" % i)
        if any("A" <= c <= "Z" for c in r):
            fail("line %d: upper-case Latin letter left" % i)
        for t in g.split(" "):
            if is_punct_token(t):
                n_punct += 1
                if len(set(t)) != 1:
                    fail("line %d: punctuation token %r mixes marks" % (i, t))
            else:
                n_words += 1
                if any(unicodedata.category(c).startswith("P") and c not in "%." for c in t):
                    fail("line %d: word token %r contains punctuation" % (i, t))
    for i, s in enumerate(src, 1):
        parts = s.split("\t")
        if len(parts) != 3 or parts[0] != str(i):
            fail("SOURCES.tsv row %d malformed: %r" % (i, s))
            continue
        files[parts[1]] += 1
    print("sentences: %d  words (excl. punctuation): %d  punctuation tokens: %d"
          % (len(gold), n_words, n_punct))
    print("characters (raw, incl. punctuation): %d" % sum(len(r) for r in raw))
    for f in sorted(files):
        print("  %-32s %d" % (f, files[f]))

    if "--consistency" in sys.argv:
        consistency(gold)
    sys.exit(0 if ok else 1)


def consistency(gold):
    """Strings that are a single word somewhere but a sequence of several
    whole words somewhere else."""
    words = defaultdict(int)
    for g in gold:
        for t in g.split(" "):
            if len(t) > 1 and not is_punct_token(t):
                words[t] += 1
    split = defaultdict(list)
    for i, g in enumerate(gold, 1):
        toks = g.split(" ")
        for a in range(len(toks)):
            s = ""
            for b in range(a, min(len(toks), a + 6)):
                s += toks[b]
                if b > a and s in words:
                    split[s].append((i, " ".join(toks[a:b + 1])))
    print("\nstrings both joined and split (word: #joined / split occurrences):")
    for w in sorted(split, key=lambda w: -len(split[w])):
        print("  %s: %d joined / %d split, e.g. %s" % (
            w, words[w], len(split[w]),
            "; ".join("line %d '%s'" % x for x in split[w][:3])))


if __name__ == "__main__":
    main()
