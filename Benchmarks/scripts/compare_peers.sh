#!/usr/bin/env bash
# CommitteeSearch side by side with the peer engines of ../shared/peers (tantivy, Lucene, Xapian,
# SQLite FTS5, bm25s, rank_bm25) on one corpus and one query file, in one run; writes one table.
#
#   Benchmarks/scripts/compare_peers.sh [--paragraphs] CORPUS_DIR QUERIES_TSV [ENGINE …]   (default: tantivy lucene xapian fts5)
#
# --paragraphs: like for like. CommitteeSearch indexes the peers' own documents (each paragraph a
# `plain` document, `paragraph_corpus.py`), without bigrams, and ranks by BM25 alone over an OR of
# its tokens (no split-word phrase, proximity or title weight): the same documents and model as the
# peers. Its tokens still come from its own analysis (ICU plus the domain dictionary).
#
# Peers need `sh ../shared/peers/setup.sh` once. Peers index blank-line paragraphs of pre-segmented
# text (ICU through PyICU); CommitteeSearch indexes articles with its own analysis, so the document
# counts differ; build time is the whole pipeline for every engine (segmentation + indexing).
# Latency is in process, per query the median of passes 2..5, then mean/p50/p99 over queries.
set -euo pipefail
cd "$(dirname "$0")/../.."
paragraphs=0
if [ "${1:-}" = "--paragraphs" ]; then paragraphs=1; shift; fi
corpus=$(cd "$1" && pwd); queries=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2
engines=("${@:-tantivy lucene xapian fts5}")
[ $# -eq 0 ] && engines=(tantivy lucene xapian fts5)
peers=../shared/peers
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift build -c release --product committee-search >/dev/null
bin=$PWD/.build/release/committee-search

# Ours: end-to-end build, then the same queries with in-process timing.
ours_corpus=$corpus; build_flags=(); model_flags=(); label="articles, own ICU analysis"
if [ $paragraphs = 1 ]; then
    python3 "$peers/corpus.py" --corpus "$corpus" --dump "$work/docs.jsonl" >/dev/null
    python3 Benchmarks/scripts/paragraph_corpus.py --docs "$work/docs.jsonl" --out "$work/paragraphs"
    ours_corpus=$work/paragraphs; build_flags=(--layout plain --no-bigrams)
    model_flags=(--proximity-boost 0 --phrase-boost 0 --title-boost 0); label="paragraphs, BM25 OR of own tokens"
fi
/usr/bin/time -f "%M" -o "$work/ours.build.rss" "$bin" index --json --corpus "$ours_corpus" --index "$work/ours" "${build_flags[@]}" > "$work/ours.build.json" || true
/usr/bin/time -f "%M" -o "$work/ours.query.rss" "$bin" search --index "$work/ours" --queries "$queries" --top 10 \
    --run-out "$work/ours.run" --stats-json "$work/ours.json" "${model_flags[@]}" 2>/dev/null
size=$(du -sb "$work/ours" | cut -f1)

for engine in "${engines[@]}"; do
    python3 "$peers/run_peer.py" --engine "$engine" --seg icu --corpus "$corpus" --queries "$queries" \
        --index-dir "$work/idx-$engine" --top 10 --out "$work/$engine.run" --stats-json "$work/$engine.json" \
        2> "$work/$engine.log" || echo "($engine failed: see its log)" >&2
done

python3 - "$work" "$size" "$label" "${engines[@]}" <<'PY'
import json, os, sys
work, size, label, engines = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
rows = []
build = json.load(open(os.path.join(work, "ours.build.json")))
ours = json.load(open(os.path.join(work, "ours.json")))
rss = max(int(open(os.path.join(work, f)).read().split()[-1]) for f in ("ours.build.rss", "ours.query.rss")) * 1024
rows.append((f"committee-search ({label})", build["seconds"], size, ours["latency_mean_us"], ours["latency_p50_us"], ours["latency_p99_us"], rss, build["liveArticles"]))
for e in engines:
    p = os.path.join(work, e + ".json")
    if not os.path.exists(p):
        continue
    s = json.load(open(p))
    pipeline = (s.get("segment_s") or 0) + (s.get("index_build_s") or 0)
    rows.append((f"{s['engine']} + ICU (paragraphs)", pipeline, s["index_size_bytes"], s["query_mean_us"], s["query_p50_us"], s["query_p99_us"], s["peak_rss_bytes"], s["docs"]))
print("| engine | documents | build s (segmentation + index) | index MB | query mean µs | p50 µs | p99 µs | peak RSS MB |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for name, b, sz, mean, p50, p99, r, docs in rows:
    print(f"| {name} | {docs} | {b:.2f} | {sz/1e6:.1f} | {mean:.0f} | {p50:.0f} | {p99:.0f} | {r/1e6:.0f} |")
PY
