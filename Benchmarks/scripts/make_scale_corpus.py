#!/usr/bin/env python3
"""Write N MB of journal-like issues for benchmarks: deterministic (seeded), from the statistics of the
bundled corpus and, when present, ../shared/data/govreports.

    python3 Benchmarks/scripts/make_scale_corpus.py --mb 100 --out /tmp/scale100 [--seed 1] [--binary PATH]

How it models the text:
- Words: the seed texts are segmented by `committee-search analyze` (ICU, the engine's own analyzer);
  an order-2 word Markov model over sentences gives realistic local word order and a Zipf-like term
  distribution. New words keep appearing (Heaps' law), as in a real archive: with a small probability
  a generated word is replaced by a fresh name or compound built from the seed's character
  distribution, so the vocabulary grows with the corpus instead of staying at the seed's size.
- Articles: titles, speakers, offices and places are generated from seed byline/title patterns
  (surnames from the seed bylines, counties from a generated list). Each issue file holds 4–12
  articles in one of the three layouts of the bundled corpus: `□ 姓名` bylines with `(作者系…)`
  notes; Markdown headings with `职务 姓名` lines; and hard-wrapped speech collections whose titles
  and speakers come after the bodies. Paragraph and article lengths follow the seed's.
The output is a stand-in for throughput and scale, not for relevance: its sentences are plausible
sequences of real words, not meaningful text.
"""
import argparse
import collections
import glob
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
GOVREPORTS = os.path.join(ROOT, "..", "shared", "data", "govreports")
SENTENCE_END = "。！？；"
PUNCT = set("，。！？；：、“”‘’（）《》「」—…·,.!?;:()[]\"' \t")


def read_texts(paths):
    for p in paths:
        with open(p, encoding="utf-8", errors="replace") as fh:
            yield fh.read()


def sentences(text):
    """Sentences of running text (hard wraps joined, headings dropped)."""
    joined = []
    for line in text.splitlines():
        line = line.strip().lstrip("#").replace("**", "").strip()
        if len(line) < 6 or line.startswith("□"):
            continue
        joined.append(line)
    text = "".join(joined)
    out, cur = [], []
    for ch in text:
        cur.append(ch)
        if ch in SENTENCE_END:
            s = "".join(cur).strip()
            if len(s) >= 6:
                out.append(s)
            cur = []
    return out


def segment(binary, lines):
    """Segments lines with the engine's analyzer: one line of space-separated words per line."""
    result = subprocess.run([binary, "analyze"], input="\n".join(lines) + "\n", capture_output=True, text=True, check=True)
    return [l.split(" ") if l else [] for l in result.stdout.split("\n")[: len(lines)]]


def words_with_punctuation(sentence, words):
    """Re-attaches the punctuation the analyzer drops: a list of tokens, punctuation included."""
    tokens, i = [], 0
    for w in words:
        j = sentence.find(w, i) if w else -1
        if j < 0:
            continue
        gap = sentence[i:j]
        tokens.extend(ch for ch in gap if ch in "，、：；“”《》")
        tokens.append(sentence[j:j + len(w)])
        i = j + len(w)
    return tokens


class Model:
    def __init__(self, token_lists, rng):
        self.rng = rng
        self.next = collections.defaultdict(collections.Counter)
        self.starts = collections.Counter()
        chars = collections.Counter()
        for tokens in token_lists:
            if len(tokens) < 3:
                continue
            self.starts[(tokens[0], tokens[1])] += 1
            for a, b, c in zip(tokens, tokens[1:], tokens[2:] + ["。"]):
                self.next[(a, b)][c] += 1
            for t in tokens:
                for ch in t:
                    if "\u4e00" <= ch <= "\u9fff":
                        chars[ch] += 1
        self.start_keys, self.start_weights = zip(*self.starts.items())
        self.chars, self.char_weights = zip(*chars.items())
        self.tables = {k: (tuple(v.keys()), tuple(v.values())) for k, v in self.next.items()}
        self.new_words = []

    def fresh_word(self):
        n = self.rng.choice((2, 2, 2, 3, 3, 4))
        return "".join(self.rng.choices(self.chars, self.char_weights, k=n))

    def sentence(self, novelty):
        a, b = self.rng.choices(self.start_keys, self.start_weights)[0]
        out = [a, b]
        for _ in range(80):
            keys, weights = self.tables.get((a, b), (("。",), (1,)))
            c = self.rng.choices(keys, weights)[0]
            if c == "。":
                break
            if len(c) >= 2 and self.rng.random() < novelty:
                # A word this archive has not used before (or reuses one it coined).
                if self.new_words and self.rng.random() < 0.7:
                    c = self.rng.choice(self.new_words)
                else:
                    c = self.fresh_word()
                    self.new_words.append(c)
            out.append(c)
            a, b = b, c
        text = "".join(out)
        return text if text[-1] in SENTENCE_END else text + "。"


SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂焦向柳邢骆岳齐梅莫庄辛管祝左涂谷时舒耿牟卜詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏宁柯阮桂闵欧阳解强丛华车冉房边辜吉饶刁瞿戚丘古米池滕晋苑邬臧畅宫来缪苟全褚廉简娄盖符奚木穆党燕郎邸冀谈姬屠连郜晏栾郁商蒙计喻揭窦迟宇敖糜鄢冷卓花仇艾蓝都巩稽井练仲乐虞卞封竺冼原官衣楚佟栗匡宗应台巫鞠僖桑荆谌银扬明沙薄伏岑习胥保和蔺"
OFFICES = ["政协党组书记、主席", "政协主席、党组书记", "政协副主席", "政协秘书长", "政协秘书长、办公室主任", "政协办公室主任",
           "政协办公室副主任", "政协提案委员会主任", "政协委员", "政协文史委主任", "政协党组成员、副主席"]
PLACE_SUFFIX = ["县", "区", "市", "旗"]


def name(rng, model):
    given = "".join(rng.choices(model.chars, model.char_weights, k=rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def place(rng, model):
    return "".join(rng.choices(model.chars, model.char_weights, k=2)) + rng.choice(PLACE_SUFFIX)


def title(rng, model):
    parts = []
    for _ in range(rng.choice((1, 2, 2))):
        s = model.sentence(0.0).rstrip(SENTENCE_END)
        s = "".join(ch for ch in s if ch not in "，、：；")
        parts.append(s[: rng.randint(6, 14)])
    return " ".join(parts)


def paragraphs(rng, model, novelty, target_chars):
    out, total = [], 0
    while total < target_chars:
        p = "".join(model.sentence(novelty) for _ in range(rng.randint(2, 7)))
        out.append(p)
        total += len(p)
    return out


def wrap(text, width):
    return [text[i:i + width] for i in range(0, len(text), width)]


def issue(rng, model, novelty, layout, n_articles):
    lines = []
    if layout == "boxed":
        for _ in range(n_articles):
            where, who = place(rng, model), name(rng, model)
            lines += ["", title(rng, model), "", "□ " + who, ""]
            for p in paragraphs(rng, model, novelty, rng.randint(1200, 3500)):
                lines += [p, ""]
            lines += ["(作者系" + where + rng.choice(OFFICES) + ")", ""]
    elif layout == "markdown":
        lines += ["# " + title(rng, model), "", "## ——" + title(rng, model) + "发言摘登", ""]
        for _ in range(n_articles):
            lines += ["### " + title(rng, model), "", place(rng, model) + rng.choice(OFFICES) + " " + name(rng, model), ""]
            for k, p in enumerate(paragraphs(rng, model, novelty, rng.randint(1000, 3000))):
                if k and rng.random() < 0.3:
                    lines += ["#### " + "一二三四五六"[min(k, 5)] + "、" + title(rng, model), ""]
                lines += [p, ""]
    else:  # a hard-wrapped speech collection, headers after the bodies
        lines += ["编者按：", "".join(model.sentence(novelty) for _ in range(3)), " " + title(rng, model), "——" + title(rng, model) + "发言摘编", ""]
        pending = []
        for k in range(n_articles):
            where = place(rng, model)
            first = "近年来，" + where + "政协机关" + model.sentence(novelty)
            for p in [first] + paragraphs(rng, model, novelty, rng.randint(1200, 3000)):
                for line in wrap(p, 15):
                    lines.append(line)
                lines.append("")
            pending.append((title(rng, model), where + rng.choice(OFFICES) + " " + " ".join(name(rng, model))))
            if rng.random() < 0.5 or k == n_articles - 1:
                for t, byline in pending:
                    lines += [t, byline, ""]
                pending = []
        lines += ["（文字整理 " + " ".join(name(rng, model)) + "）"]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, required=True, help="megabytes (10^6 bytes) to write")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "committee-search"))
    ap.add_argument("--novelty", type=float, default=0.02, help="share of words replaced by new ones")
    args = ap.parse_args()
    if not os.path.exists(args.binary):
        subprocess.run(["swift", "build", "-c", "release", "--product", "committee-search"], cwd=ROOT, check=True)
    rng = random.Random(args.seed)
    seeds = sorted(glob.glob(os.path.join(ROOT, "corpus", "*.txt")))
    extra = sorted(glob.glob(os.path.join(GOVREPORTS, "*.txt"))) if os.path.isdir(GOVREPORTS) else []
    sents = [s for t in read_texts(seeds + extra) for s in sentences(t)]
    segmented = segment(args.binary, sents)
    model = Model([words_with_punctuation(s, w) for s, w in zip(sents, segmented)], rng)
    os.makedirs(args.out, exist_ok=True)
    target, written, n = int(args.mb * 1e6), 0, 0
    layouts = ["boxed", "markdown", "collection"]
    while written < target:
        text = issue(rng, model, args.novelty, layouts[n % 3], rng.randint(4, 12))
        data = text.encode("utf-8")
        path = os.path.join(args.out, f"{n // 100:03d}", f"issue_{n:06d}.txt")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
        written += len(data)
        n += 1
    with open(os.path.join(args.out, "MANIFEST.json"), "w") as fh:
        json.dump({"mb": args.mb, "seed": args.seed, "files": n, "bytes": written, "seed_files": len(seeds) + len(extra),
                   "seed_sentences": len(sents), "novelty": args.novelty, "coined_words": len(model.new_words)}, fh, ensure_ascii=False)
    print(f"wrote {written / 1e6:.1f} MB in {n} issues to {args.out} ({len(model.new_words)} coined words)", file=sys.stderr)


if __name__ == "__main__":
    main()
