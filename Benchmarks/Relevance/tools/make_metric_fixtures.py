#!/usr/bin/env python3
"""Generate trec_eval reference fixtures for the Swift IR-metric tests.

Writes, into Tests/EvaluationTests/Fixtures/ (relative to the package root):

    qrels.txt               TREC qrels  (QID 0 DOCID GRADE)
    run_a.txt, run_b.txt    TREC runs   (QID Q0 DOCID RANK SCORE TAG)
    expected_run_a.json     trec_eval numbers for run_a (via pytrec_eval)
    expected_run_b.json     trec_eval numbers for run_b (via pytrec_eval)

The README.md in the same folder documents the trec_eval semantics these
numbers encode; every claim in it is re-checked by `probe_semantics()` below,
and `reference_eval()` (an independent re-implementation of those rules) must
agree with pytrec_eval on every fixture value, so the script fails loudly if
the README and trec_eval ever disagree.

Only needed when the fixtures are regenerated (Swift tests read the committed
files; no Python at test time):

    pip install pytrec-eval-terrier      # bundles trec_eval's C code
    python3 Benchmarks/Relevance/tools/make_metric_fixtures.py

Deterministic: fixed seeds, fixed formatting; re-running it reproduces the
files byte for byte (with the same pytrec_eval version).
"""

from __future__ import annotations

import json
import math
import random
import sys
from pathlib import Path

import pytrec_eval

MEASURES = [
    "ndcg_cut_10",
    "ndcg_cut_20",
    "map",
    "recip_rank",
    "P_5",
    "P_10",
    "recall_10",
    "recall_100",
]
# Extra per-query counts recorded for debugging (trec_eval's num_* measures).
COUNTS = ["num_ret", "num_rel", "num_rel_ret"]

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "Tests" / "EvaluationTests" / "Fixtures"

SEED = 20240611

# --------------------------------------------------------------------------
# Fixture design
# --------------------------------------------------------------------------
#
# Doc ids are "d<N>" with N unpadded (1..4 digits), so byte order differs from
# numeric order ("d10" < "d9"), which matters for trec_eval's tie-breaking.
#
#  qid  purpose
#  301  ordinary graded query
#  302  heavy score ties around the P_5 / P_10 / ndcg_cut_10 cutoffs,
#       hand-picked doc ids of different lengths inside the tie group
#  303  120 docs retrieved; relevant docs around rank 100 and a tie group
#       straddling rank 100 (recall_100 cut + tie-breaking)
#  304  only 3 docs retrieved (< 5): P_5/P_10 still divide by 5/10
#  305  judged docs are all grade 0 -> no relevant docs; still averaged
#  306  most relevant docs never retrieved (recall/map denominators)
#  307  has relevant docs, none of them retrieved (all measures 0)
#  308  rank column contradicts score order, lines in random order
#  309  grades 2 and 0 only (no grade-1 level; ideal DCG skips a level)
#  310  many relevant docs (> 20) so ndcg_cut_20's ideal is full
#  311  zero/negative scores and number spellings that parse to the same
#       double ("0.5" vs "0.50", "1.5E-4" vs "0.00015")
#  312  in qrels, absent from both runs (only counted with trec_eval -c)
#  399  in both runs, absent from qrels (ignored by trec_eval)

QRELS_ONLY = "312"
RUN_ONLY = "399"


def doc(n: int) -> str:
    return f"d{n}"


def make_qrels(rng: random.Random) -> dict[str, dict[str, int]]:
    """Return {qid: {docid: grade}}."""
    qrels: dict[str, dict[str, int]] = {}

    def judged(qid: str, n2: int, n1: int, n0: int, pool: range) -> None:
        ids = rng.sample(list(pool), n2 + n1 + n0)
        grades = [2] * n2 + [1] * n1 + [0] * n0
        qrels[qid] = {doc(i): g for i, g in zip(ids, grades)}

    judged("301", 6, 8, 15, range(1, 3000))
    # 302: hand-made so the tie group contains relevant and non-relevant docs.
    qrels["302"] = {
        "d10": 2, "d100": 1, "d9": 0, "d1000": 2, "d95": 0, "d7": 1,
        "d512": 2, "d51": 0, "d5120": 1, "d88": 0, "d881": 1, "d8": 2,
        "d2222": 0, "d333": 1,
    }
    judged("303", 4, 6, 12, range(1, 3000))
    judged("304", 1, 3, 2, range(1, 3000))
    judged("305", 0, 0, 8, range(1, 3000))
    judged("306", 5, 7, 10, range(1, 3000))
    judged("307", 1, 2, 6, range(1, 3000))
    judged("308", 5, 5, 10, range(1, 3000))
    judged("309", 4, 0, 6, range(1, 3000))
    judged("310", 15, 20, 20, range(1, 3000))
    judged("311", 3, 4, 6, range(1, 3000))
    judged("312", 3, 2, 4, range(1, 3000))
    return qrels


def fmt_score(x: float) -> str:
    return f"{x:.4f}"


def make_run(
    rng: random.Random, qrels: dict[str, dict[str, int]], tag: str, quality: float
) -> list[tuple[str, str, str, str]]:
    """Return run lines as (qid, docid, rank_field, score_field), in file order.

    `quality` scales how strongly scores follow the grades (run_b is better).
    """
    lines: list[tuple[str, str, str, str]] = []

    def noisy(grade: int) -> float:
        return 10.0 + quality * grade + rng.gauss(0.0, 1.0)

    def pick(qid: str, n_judged: int, n_total: int, avoid_rel: bool = False) -> list[str]:
        judged = sorted(qrels.get(qid, {}))
        if avoid_rel:
            judged = [d for d in judged if qrels[qid][d] == 0]
        chosen = rng.sample(judged, min(n_judged, len(judged)))
        taken = set(qrels.get(qid, {}))  # never pick unjudged ids colliding with judged ones
        while len(chosen) < n_total:
            d = doc(rng.randrange(1, 3000))
            if d not in taken and d not in chosen:
                chosen.append(d)
        return chosen

    def emit(qid: str, scored: list[tuple[str, float, str]], rank_mode: str = "naive") -> None:
        """scored: (docid, score value, score text).

        rank_mode "naive": file order and ranks follow score descending with
        ties in *ascending* docno order -- the opposite of trec_eval -- so a
        parser that trusts file order or the rank column gets ties wrong.
        rank_mode "scrambled": file order random, rank column a random
        permutation unrelated to the scores.
        """
        if rank_mode == "naive":
            ordered = sorted(scored, key=lambda t: (-t[1], t[0].encode()))
            for r, (d, _, s) in enumerate(ordered, 1):
                lines.append((qid, d, str(r), s))
        elif rank_mode == "scrambled":
            ordered = list(scored)
            rng.shuffle(ordered)
            ranks = list(range(1, len(ordered) + 1))
            rng.shuffle(ranks)
            for r, (d, _, s) in zip(ranks, ordered):
                lines.append((qid, d, str(r), s))
        else:
            raise ValueError(rank_mode)

    def plain(qid: str, ids: list[str]) -> list[tuple[str, float, str]]:
        out = []
        for d in ids:
            v = round(noisy(qrels.get(qid, {}).get(d, 0)), 4)
            out.append((d, v, fmt_score(v)))
        return out

    # 301 ordinary
    def q301() -> None:
        emit("301", plain("301", pick("301", 22, 60)))

    # 302 heavy ties: coarse scores (1 decimal) + one hand-made tie group at
    # ranks ~3..9 whose members have doc ids of different lengths.
    def q302() -> None:
        tie_group = ["d10", "d9", "d100", "d95", "d1000", "d7", "d8"]
        placed = set(tie_group) | {"d512", "d2222", "d881", "d88"}
        rest = [d for d in pick("302", 10, 26) if d not in placed]
        scored = []
        for d in rest:
            v = round(noisy(qrels["302"].get(d, 0)) - 3.0, 1)  # below the tie group
            scored.append((d, v, f"{v:.1f}"))
        scored.append(("d512", 30.0, "30.0"))
        scored.append(("d2222", 25.0, "25.0"))
        for d in tie_group:
            scored.append((d, 20.0, "20.0"))
        # a second, smaller tie group right after it
        for d in ["d881", "d88"]:
            scored.append((d, 19.5, "19.5"))
        emit("302", scored)

    # 303 120 docs; several relevant docs deep in the list; tie group around rank 100.
    def q303() -> None:
        rel = [d for d, g in qrels["303"].items() if g > 0]
        ids = pick("303", 0, 120)
        ids = [d for d in ids if d not in rel]
        scored = []
        # 95 clearly-ranked docs (top), with 3 relevant docs near the top
        head_rel, deep_rel = rel[:3], rel[3:]
        head = head_rel + ids[:92]
        for i, d in enumerate(head):
            v = 100.0 - i * 0.5 - (0.0 if d in head_rel else 0.25)
            scored.append((d, round(v, 4), fmt_score(v)))
        # ranks 96..105: one tie group of 10 (3 relevant inside), straddles 100
        tie = deep_rel[:3] + ids[92:99]
        for d in tie:
            scored.append((d, 40.0, "40.0000"))
        # remainder: ranks 106..120, with the last relevant docs at the bottom
        tail = ids[99:99 + (120 - len(scored) - len(deep_rel[3:]))] + deep_rel[3:]
        for i, d in enumerate(tail):
            v = 30.0 - i * 0.5
            scored.append((d, round(v, 4), fmt_score(v)))
        assert len(scored) == 120, len(scored)
        emit("303", scored)

    def q304() -> None:
        emit("304", plain("304", pick("304", 2, 3)))

    def q305() -> None:
        emit("305", plain("305", pick("305", 5, 20)))

    def q306() -> None:
        rel = sorted(d for d, g in qrels["306"].items() if g > 0)
        keep = rng.sample(rel, 5)
        ids = keep + pick("306", 10, 35, avoid_rel=True)  # 40 docs, 7 relevant never retrieved
        emit("306", plain("306", ids))

    def q307() -> None:
        emit("307", plain("307", pick("307", 6, 25, avoid_rel=True)))

    def q308() -> None:
        emit("308", plain("308", pick("308", 16, 35)), rank_mode="scrambled")

    def q309() -> None:
        emit("309", plain("309", pick("309", 8, 25)))

    def q310() -> None:
        emit("310", plain("310", pick("310", 45, 90)))

    # 311 zero / negative scores and alternative spellings of equal doubles.
    def q311() -> None:
        ids = pick("311", 10, 18)
        judged = qrels["311"]
        spellings = [
            (0.5, "0.5"), (0.5, "0.50"), (0.5, "0.500"),
            (0.00015, "1.5E-4"), (0.00015, "0.00015"),
            (0.0, "0"), (0.0, "0.0"), (0.0, "-0.0"),
            (-1.25, "-1.25"), (-1.25, "-1.2500"),
        ]
        scored = []
        for i, d in enumerate(ids):
            if i < len(spellings):
                v, s = spellings[i]
            else:
                v = round(rng.uniform(-3.0, 3.0) + 0.5 * quality * judged.get(d, 0), 4)
                s = fmt_score(v)
            assert float(s) == v
            scored.append((d, v, s))
        emit("311", scored)

    def q399() -> None:
        emit(RUN_ONLY, [(doc(i), 5.0 - 0.1 * k, fmt_score(5.0 - 0.1 * k))
                        for k, i in enumerate(rng.sample(range(1, 3000), 15))])

    builders = {
        "301": q301, "302": q302, "303": q303, "304": q304, "305": q305,
        "306": q306, "307": q307, "308": q308, "309": q309, "310": q310,
        "311": q311, RUN_ONLY: q399,
    }
    # Build in qid order (so the RNG stream is stable), write in a shuffled
    # query order: trec_eval does not require the run to be sorted by qid.
    per_q: dict[str, list] = {}
    for qid in sorted(builders):
        start = len(lines)
        builders[qid]()
        per_q[qid] = lines[start:]
    order = sorted(per_q)
    rng.shuffle(order)
    out = []
    for qid in order:
        out.extend(per_q[qid])
    return out


# --------------------------------------------------------------------------
# File I/O
# --------------------------------------------------------------------------


def write_qrels(path: Path, qrels: dict[str, dict[str, int]]) -> None:
    rows = []
    for qid in sorted(qrels):
        for d in sorted(qrels[qid], key=lambda x: (len(x), x)):
            rows.append(f"{qid} 0 {d} {qrels[qid][d]}\n")
    path.write_text("".join(rows))


def write_run(path: Path, lines: list[tuple[str, str, str, str]], tag: str) -> None:
    path.write_text("".join(f"{q} Q0 {d} {r} {s} {tag}\n" for q, d, r, s in lines))


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        qid, _, d, g = line.split()
        assert d not in out.setdefault(qid, {})
        out[qid][d] = int(g)
    return out


def read_run(path: Path) -> dict[str, dict[str, float]]:
    # Like trec_eval: rank column (field 4) is ignored, score = strtod(field 5).
    out: dict[str, dict[str, float]] = {}
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        qid, _, d, _rank, score, _tag = line.split()
        assert d not in out.setdefault(qid, {}), (qid, d)
        out[qid][d] = float(score)
    return out


# --------------------------------------------------------------------------
# Independent re-implementation of the README rules (cross-check)
# --------------------------------------------------------------------------


def trec_rank(run_q: dict[str, float]) -> list[str]:
    """Score descending; ties: docno descending in byte (strcmp) order."""
    import functools

    def cmp(a: tuple[str, float], b: tuple[str, float]) -> int:
        if a[1] > b[1]:
            return -1
        if a[1] < b[1]:
            return 1
        ab, bb = a[0].encode(), b[0].encode()
        return (bb > ab) - (bb < ab)  # strcmp(b, a)

    return [d for d, _ in sorted(run_q.items(), key=functools.cmp_to_key(cmp))]


def reference_eval(qrels_q: dict[str, int], run_q: dict[str, float]) -> dict[str, float]:
    ranked = trec_rank(run_q)
    grades = [qrels_q.get(d, 0) for d in ranked]  # unjudged = non-relevant, gain 0
    rel = [g >= 1 for g in grades]
    num_rel = sum(1 for g in qrels_q.values() if g >= 1)

    def P(k: int) -> float:
        return sum(rel[:k]) / k

    def recall(k: int) -> float:
        return sum(rel[:k]) / num_rel if num_rel else 0.0

    def dcg(gs: list[int], k: int) -> float:
        s = 0.0
        for i, g in enumerate(gs[:k]):
            if g > 0:
                s += g / math.log2(i + 2)
        return s

    ideal = sorted((g for g in qrels_q.values() if g > 0), reverse=True)

    def ndcg(k: int) -> float:
        idcg = dcg(ideal, k)
        return dcg(grades, k) / idcg if idcg > 0 else 0.0

    ap, hits = 0.0, 0
    for i, r in enumerate(rel):
        if r:
            hits += 1
            ap += hits / (i + 1)
    rr = next((1.0 / (i + 1) for i, r in enumerate(rel) if r), 0.0)
    return {
        "ndcg_cut_10": ndcg(10), "ndcg_cut_20": ndcg(20),
        "map": ap / num_rel if hits else 0.0, "recip_rank": rr,
        "P_5": P(5), "P_10": P(10), "recall_10": recall(10), "recall_100": recall(100),
    }


# --------------------------------------------------------------------------
# Semantic probes (every README claim is asserted here)
# --------------------------------------------------------------------------


def _ev(qrels, run, measures):
    return pytrec_eval.RelevanceEvaluator(qrels, set(measures)).evaluate(run)


def probe_semantics() -> list[str]:
    notes = []

    def check(name: str, got, want) -> None:
        ok = (abs(got - want) < 1e-15) if isinstance(want, float) else got == want
        if not ok:
            sys.exit(f"semantic probe FAILED: {name}: got {got!r}, want {want!r}")
        notes.append(f"{name}: {got!r}")

    rr = lambda q, r: _ev(q, r, ["recip_rank"])["q"]["recip_rank"]
    # Tie-breaking: equal scores -> docno descending, byte-wise strcmp.
    check("tie a,b both 1.0; a relevant -> b first", rr({"q": {"a": 1}}, {"q": {"a": 1.0, "b": 1.0}}), 0.5)
    check("tie a,b both 1.0; b relevant -> b first", rr({"q": {"b": 1}}, {"q": {"a": 1.0, "b": 1.0}}), 1.0)
    check("tie d9,d10; d10 relevant -> d9 first (byte order, not numeric)",
          rr({"q": {"d10": 1}}, {"q": {"d9": 1.0, "d10": 1.0}}), 0.5)
    check("tie A,a; A relevant -> a first (0x61 > 0x41)", rr({"q": {"A": 1}}, {"q": {"A": 1.0, "a": 1.0}}), 0.5)
    check("tie d1,d10; d1 relevant -> d10 first (prefix sorts lower)",
          rr({"q": {"d1": 1}}, {"q": {"d1": 1.0, "d10": 1.0}}), 0.5)
    check("score dominates docno", rr({"q": {"a": 1}}, {"q": {"a": 2.0, "b": 1.0}}), 1.0)
    check("0.5 and 0.50 are a tie (compared as doubles)",
          rr({"q": {"x": 1}}, {"q": {"x": float("0.5"), "y": float("0.50")}}), 0.5)
    # Relevance threshold: grade >= 1.
    r = _ev({"q": {"a": 1, "b": 0}}, {"q": {"b": 2.0, "a": 1.0}}, ["recip_rank", "P_5", "map"])["q"]
    check("grade 1 counts as relevant (recip_rank)", r["recip_rank"], 0.5)
    check("grade 0 not relevant; P_5 = 1/5", r["P_5"], 0.2)
    # nDCG: linear gain = grade, discount log2(rank+1), ideal from qrels (incl. unretrieved).
    g = _ev({"q": {"a": 2, "b": 1}}, {"q": {"b": 2.0, "a": 1.0}}, ["ndcg_cut_10"])["q"]["ndcg_cut_10"]
    check("ndcg linear gain, log2(rank+1)", g, (1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3)))
    g = _ev({"q": {"a": 1, "b": 2}}, {"q": {"a": 1.0}}, ["ndcg_cut_10"])["q"]["ndcg_cut_10"]
    check("ndcg ideal includes unretrieved judged docs", g, 1 / (2 + 1 / math.log2(3)))
    # Fewer retrieved than cutoff: P_k divides by k.
    r = _ev({"q": {"a": 1, "b": 1}}, {"q": {"a": 1.0, "z": 0.5}}, ["P_5", "P_10", "recall_10"])["q"]
    check("P_5 with 2 retrieved, 1 relevant", r["P_5"], 0.2)
    check("P_10 with 2 retrieved, 1 relevant", r["P_10"], 0.1)
    # recip_rank has no cutoff.
    deep = {f"x{i}": 100.0 - i for i in range(50)}
    deep["a"] = 0.0
    check("recip_rank is not cut (relevant at rank 51)", rr({"q": {"a": 1}}, {"q": deep}), 1 / 51)
    # Query with judged docs but no relevant ones: all zero, still reported.
    r = _ev({"q": {"a": 0, "b": 0}}, {"q": {"b": 2.0, "a": 1.0}}, MEASURES)["q"]
    check("no-relevant query: every measure 0", sorted(set(r.values())), [0.0])
    # Query set: intersection of run and qrels.
    r = _ev({"q1": {"a": 1}, "q2": {"a": 1}}, {"q1": {"a": 1.0}, "q3": {"a": 1.0}}, ["map"])
    check("evaluated queries = run ∩ qrels", sorted(r), ["q1"])
    # -c bogus ranking (trec_eval >= 10 uses one non-judged doc) -> all zero.
    r = _ev({"q": {"a": 2, "b": 1, "c": 0}}, {"q": {"ceci_nest_pas_un_docno": 1.0}}, MEASURES)["q"]
    check("-c missing query (bogus one-doc ranking): every measure 0", sorted(set(r.values())), [0.0])
    return notes


# --------------------------------------------------------------------------
# Expected values
# --------------------------------------------------------------------------


def expected_for(qrels: dict, run: dict, run_file: str) -> dict:
    ev = pytrec_eval.RelevanceEvaluator(qrels, set(MEASURES) | set(COUNTS))
    res = ev.evaluate(run)
    evaluated = sorted(res)  # trec_eval: queries in both run and qrels
    assert evaluated == sorted(set(run) & set(qrels)), evaluated

    per_query = {}
    for qid in evaluated:
        vals = {m: res[qid][m] for m in MEASURES}
        ref = reference_eval(qrels[qid], run[qid])
        for m in MEASURES:
            if abs(ref[m] - vals[m]) > 1e-12:
                sys.exit(f"reference mismatch {run_file} q{qid} {m}: pytrec={vals[m]!r} ref={ref[m]!r}")
        per_query[qid] = {
            **vals,
            "num_ret": int(res[qid]["num_ret"]),
            "num_rel": int(res[qid]["num_rel"]),
            "num_rel_ret": int(res[qid]["num_rel_ret"]),
            "trec_eval_top10": trec_rank(run[qid])[:10],
        }

    # trec_eval accumulates a running double sum in qid (strcmp) order and
    # divides once at the end; mirror that exactly.
    def mean(qids: list[str], denom: int) -> dict[str, float]:
        out = {}
        for m in MEASURES:
            s = 0.0
            for q in sorted(qids, key=lambda x: x.encode()):
                s += per_query[q][m]
            out[m] = s / denom
        return out

    complete = sorted(qrels)
    missing = sorted(set(qrels) - set(run))
    ignored = sorted(set(run) - set(qrels))
    # What trec_eval -c -q reports for a qrels query absent from the run
    # (trec_eval 10 evaluates it against a one-doc "bogus" ranking whose doc
    # is not in the qrels); computed, not assumed, so all_complete is honest.
    missing_values = {}
    for qid in missing:
        bogus = pytrec_eval.RelevanceEvaluator({qid: qrels[qid]}, set(MEASURES)).evaluate(
            {qid: {"ceci_nest_pas_un_docno": 1.0}})[qid]
        missing_values[qid] = {m: bogus[m] for m in MEASURES}
        assert all(v == 0.0 for v in missing_values[qid].values())
    return {
        "description": (
            "trec_eval 9.x/10 numbers via pytrec_eval for "
            f"{run_file} against qrels.txt. 'all' = trec_eval default average "
            "(mean over queries in both run and qrels, including queries whose "
            "judged docs are all grade 0). 'all_complete' = trec_eval -c "
            "(sum over evaluated queries / number of qrels queries; queries "
            "missing from the run contribute 0). See README.md."
        ),
        "run_file": run_file,
        "qrels_file": "qrels.txt",
        "pytrec_eval_version": pytrec_eval.__version__,
        "measures": MEASURES,
        "relevance_level": 1,
        "evaluated_queries": evaluated,
        "qrels_queries_missing_from_run": missing,
        "run_queries_missing_from_qrels": ignored,
        "num_q": len(evaluated),
        "num_q_complete": len(complete),
        "per_query": per_query,
        "missing_query_values_with_c": missing_values,
        "all": mean(evaluated, len(evaluated)),
        "all_complete": mean(evaluated, len(complete)),
    }


def main() -> None:
    notes = probe_semantics()
    rng = random.Random(SEED)
    qrels = make_qrels(rng)
    run_a = make_run(random.Random(SEED + 1), qrels, "runA", quality=1.2)
    run_b = make_run(random.Random(SEED + 2), qrels, "runB", quality=2.5)

    OUT.mkdir(parents=True, exist_ok=True)
    write_qrels(OUT / "qrels.txt", qrels)
    write_run(OUT / "run_a.txt", run_a, "runA")
    write_run(OUT / "run_b.txt", run_b, "runB")

    # Evaluate what was actually written (re-parsed), not the in-memory data.
    q = read_qrels(OUT / "qrels.txt")
    for name in ("run_a", "run_b"):
        r = read_run(OUT / f"{name}.txt")
        exp = expected_for(q, r, f"{name}.txt")
        (OUT / f"expected_{name}.json").write_text(json.dumps(exp, indent=1, sort_keys=False) + "\n")
        print(f"{name}: num_q={exp['num_q']} (complete {exp['num_q_complete']})")
        for m in MEASURES:
            print(f"  {m:12s} all={exp['all'][m]!r:24s} all_complete(-c)={exp['all_complete'][m]!r}")
    print("semantic probes passed:")
    for n in notes:
        print("  " + n)


if __name__ == "__main__":
    main()
