#!/usr/bin/env bash
# Batch reindexing, measured: time to add one new issue to an index of the bundled corpus and of a
# larger corpus, time to first result after opening the index, index size per byte of text.
#
#   Benchmarks/scripts/reindex_benchmark.sh [LARGE_CORPUS_DIR]
#
# LARGE_CORPUS_DIR defaults to a 100 MB stand-in made from the bundled corpus by
# ../shared/peers/make_scale_corpus.py when that script is present. Medians of 5 runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product committee-search >/dev/null
bin=$PWD/.build/release/committee-search
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

large=${1:-}
if [ -z "$large" ] && [ -f ../shared/peers/make_scale_corpus.py ]; then
    large=$work/scale100
    python3 ../shared/peers/make_scale_corpus.py --seeds corpus --out "$large" --mb 100 --seed 20240917 >/dev/null
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); awk -v a="$s" -v b="$e" 'BEGIN {print b - a}'; }

measure() {  # name corpus_dir
    local name=$1 corpus=$2 idx=$work/idx-$1 copy=$work/corpus-$1
    rm -rf "$copy" && cp -r "$corpus" "$copy"
    local full; full=$(seconds "$bin" index --corpus "$copy" --index "$idx")
    local adds=()
    for i in 1 2 3 4 5; do
        cp corpus/004_0e00348c40e7e77d.txt "$copy/new_issue_$i.txt"
        adds+=("$(seconds "$bin" index --corpus "$copy" --index "$idx")")
    done
    local firsts=()
    for i in 1 2 3 4 5; do firsts+=("$(seconds "$bin" search --top 10 --index "$idx" 两个薄弱)"); done
    local text index
    text=$(du -sb "$copy" | cut -f1)
    index=$(du -sb --exclude=write.lock "$idx" | cut -f1)
    printf '| %s | %.1f MB | %.2f s | %.3f s | %.3f s | %.2f |\n' "$name" "$(awk -v t="$text" 'BEGIN {print t / 1e6}')" "$full" \
        "$(printf '%s\n' "${adds[@]}" | median)" "$(printf '%s\n' "${firsts[@]}" | median)" "$(awk -v i="$index" -v t="$text" 'BEGIN {print i / t}')"
}

echo "| corpus | text | full build | add one issue (median of 5) | first result: process start + open + query (median of 5) | index size / text |"
echo "|---|---:|---:|---:|---:|---:|"
measure bundled corpus
[ -n "$large" ] && measure "$(basename "$large")" "$large"
