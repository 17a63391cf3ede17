#!/usr/bin/env python3
"""Ranking configurations side by side on the judged set and, when present, STARD (dev split).

Builds the indexes it needs (words only, words + bigrams) in a temporary directory, runs
`committee-search eval --json` for every configuration, and prints a Markdown report.
Usage: python3 Benchmarks/Relevance/tools/compare_configurations.py [--binary PATH] > report.md
"""
import argparse, json, os, subprocess, sys, tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
STARD = os.path.join(ROOT, "..", "shared", "data", "stard")

def run(binary, *args):
    out = subprocess.run([binary, *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(args)}: {out.stderr}")
    return out.stdout

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "committee-search"))
    options = parser.parse_args()
    sets = [("committee", os.path.join(ROOT, "corpus"), "journal",
             os.path.join(ROOT, "Benchmarks/Relevance/queries.tsv"), os.path.join(ROOT, "Benchmarks/Relevance/qrels.txt"))]
    if os.path.isdir(STARD):
        sets.append(("STARD dev", os.path.join(STARD, "docs"), "plain",
                     os.path.join(STARD, "queries.dev.tsv"), os.path.join(STARD, "qrels.dev.txt")))
    configs = []
    for k1 in [0.6, 0.9, 1.2, 1.5, 2.0]:
        for b in [0.3, 0.5, 0.75, 0.9]:
            configs.append((f"k1={k1} b={b}", True, ["--k1", str(k1), "--b", str(b)]))
    configs += [
        ("defaults (k1=1.2 b=0.75, title 1, phrase 3, bigrams 1, proximity 1)", True, []),
        ("proximity bonus off", True, ["--proximity-boost", "0"]),
        ("proximity bonus 4", True, ["--proximity-boost", "4"]),
        ("title boost 2", True, ["--title-boost", "2"]),
        
        ("title boost 0 (title ignored)", True, ["--title-boost", "0"]),
        ("phrase bonus off", True, ["--phrase-boost", "0"]),
        ("phrase bonus 1", True, ["--phrase-boost", "1"]),
        ("bigram weight 0.5", True, ["--gram-boost", "0.5"]),
        ("bigram weight 2", True, ["--gram-boost", "2"]),
        ("words only (no bigram field)", False, []),
        ("words only, phrase bonus off", False, ["--phrase-boost", "0"]),
        ("words only, title boost 2, phrase off, proximity off (the plain engine)", False, ["--phrase-boost", "0", "--title-boost", "2", "--proximity-boost", "0"]),
    ]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, corpus, layout, queries, qrels in sets:
            for bigrams in (True, False):
                index = os.path.join(tmp, f"{name}-{bigrams}".replace(" ", "_"))
                run(options.binary, "index", "--corpus", corpus, "--index", index, "--layout", layout,
                    "--bigrams" if bigrams else "--no-bigrams")
            for label, bigrams, args in configs:
                index = os.path.join(tmp, f"{name}-{bigrams}".replace(" ", "_"))
                out = json.loads(run(options.binary, "eval", "--index", index, "--queries", queries, "--qrels", qrels, "--json", *args))
                results[(name, label)] = out["measures"]
    names = [s[0] for s in sets]
    print("| configuration | " + " | ".join(f"{n} nDCG@10 | {n} MRR | {n} R@100" for n in names) + " |")
    print("|---|" + "---:|" * (3 * len(names)))
    for label, _, _ in configs:
        cells = []
        for n in names:
            m = results[(n, label)]
            cells += [f"{m['ndcg_cut_10']:.4f}", f"{m['recip_rank']:.4f}", f"{m['recall_100']:.4f}"]
        print(f"| {label} | " + " | ".join(cells) + " |")

if __name__ == "__main__":
    main()
