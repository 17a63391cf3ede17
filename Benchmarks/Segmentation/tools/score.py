#!/usr/bin/env python3
"""Score a segmentation against gold.txt (word precision / recall / F1).

    python3 tools/score.py gold.txt system.txt [--errors]

system.txt must contain the sentences of raw.txt, one per line in the same
order, with words separated by whitespace.  Every line must equal the raw
sentence once whitespace is removed.

As in the SIGHAN bakeoff score script, a word counts as correct only if both
of its boundaries match a gold word, i.e. words are compared as character
spans [start, end).  Punctuation tokens - tokens made up only of Unicode
punctuation (P*) or symbol (S*) characters, e.g. ， 。 “ ” 《 》 ( ) · + —— -
are left out on BOTH sides before counting.  A system token that glues a
punctuation mark to a word (e.g. "工作。") is an ordinary, wrong, word.
"""
import sys
import unicodedata


def is_punct_token(tok):
    return all(unicodedata.category(c)[0] in "PS" for c in tok)


def word_spans(tokens):
    spans, pos = set(), 0
    for t in tokens:
        if not is_punct_token(t):
            spans.add((pos, pos + len(t)))
        pos += len(t)
    return spans


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    show = "--errors" in sys.argv
    gold = open(args[0], encoding="utf-8").read().splitlines()
    test = open(args[1], encoding="utf-8").read().splitlines()
    if len(gold) != len(test):
        sys.exit("line count mismatch: gold %d, system %d" % (len(gold), len(test)))
    n_gold = n_test = n_ok = 0
    for i, (g, t) in enumerate(zip(gold, test), 1):
        gt, tt = g.split(), t.split()
        if "".join(gt) != "".join(tt):
            sys.exit("line %d: system text differs from gold text" % i)
        gs, ts = word_spans(gt), word_spans(tt)
        n_gold += len(gs)
        n_test += len(ts)
        n_ok += len(gs & ts)
        if show and gs != ts:
            print("%d\tgold: %s\n\tsys:  %s" % (i, g, " ".join(tt)))
    p = n_ok / n_test if n_test else 0.0
    r = n_ok / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print("gold words %d  system words %d  correct %d" % (n_gold, n_test, n_ok))
    print("precision %.4f  recall %.4f  F1 %.4f" % (p, r, f))


if __name__ == "__main__":
    main()
