#!/usr/bin/env python3
"""Write the peers' documents as a CommitteeSearch `plain` corpus, for like-for-like comparisons.

The peer engines (../shared/peers) index each blank-line paragraph of a corpus as one document
(`corpus.py` defines them). This writes every such paragraph as its own file in the `plain` layout
(first line the title, the rest the body), with "-" as the title so the title field stays empty,
plus `ids.tsv` mapping our document ids (`pNNNN/dNNNNNNN`, the path without `.txt`) back to the peers' ids (`FILE:LINE`), so run
files can be compared with `../shared/peers/compare_runs.py`.

    python3 Benchmarks/scripts/paragraph_corpus.py --docs docs.jsonl --out DIR
    (docs.jsonl from: python3 ../shared/peers/corpus.py --corpus CORPUS --dump docs.jsonl)
"""
import argparse
import json
import os

parser = argparse.ArgumentParser()
parser.add_argument("--docs", required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--per-directory", type=int, default=1000)
args = parser.parse_args()

os.makedirs(args.out, exist_ok=True)
with open(args.docs, encoding="utf-8") as docs, open(os.path.join(args.out, "ids.tsv"), "w", encoding="utf-8") as ids:
    for n, line in enumerate(docs):
        doc = json.loads(line)
        folder = os.path.join(args.out, "p%04d" % (n // args.per_directory))
        if n % args.per_directory == 0:
            os.makedirs(folder, exist_ok=True)
        stem = "d%07d" % n
        with open(os.path.join(folder, stem + ".txt"), "w", encoding="utf-8") as f:
            f.write("-\n" + doc["text"] + "\n")
        # Our document id is the path without ".txt" (the `plain` layout's key), folder included.
        ids.write(f"{os.path.basename(folder)}/{stem}\t{doc['id']}\n")
