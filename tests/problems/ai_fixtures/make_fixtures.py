#!/usr/bin/python3
"""Writes metrics.txt, the expected values of the AI metrics for the C unit
tests (unit.problems.ai_metrics), computed independently of the C code:
with scikit-learn (Debian's python3-sklearn) where it has the metric, and in
plain Python for map@k (sklearn has none) and ndcg@k (checked against
sklearn's ndcg_score on the rows where both definitions apply).

Run it again after changing a case, and commit metrics.txt: CI reads the
file and never needs sklearn.

    /usr/bin/python3 tests/problems/ai_fixtures/make_fixtures.py

File format, one case after another (fields separated by a tab):
    case NAME
    metric METRIC                 as problem.yaml spells it: accuracy, map@3, ...
    columns NAME [NAME...]        the prediction columns (log_loss: classes)
    row public|private TRUTH PRED [PRED...]
    expect PUBLIC PRIVATE         repr() of the floats; a part without rows is 0
    end
"""
import math
import os
import random
import sys

import numpy as np
from sklearn import metrics as skm

EPS = 1e-15
CASES = []


def case(name, metric, columns, rows):
    CASES.append((name, metric, columns, rows))


# ---- the metrics, on one part ----

def sk_metric(metric, columns, rows):
    """rows: [(truth, [pred...])] of one part."""
    if not rows:
        return 0.0          # documented convention: an empty part scores 0
    truth = [r[0] for r in rows]
    if metric == "accuracy":
        return float(skm.accuracy_score(truth, [r[1][0] for r in rows]))
    if metric == "f1_micro":
        return float(skm.f1_score(truth, [r[1][0] for r in rows], average="micro", zero_division=0))
    if metric == "f1_macro":
        return float(skm.f1_score(truth, [r[1][0] for r in rows], average="macro", zero_division=0))
    if metric == "roc_auc":
        y = [1 if t == "1" else 0 for t in truth]
        if len(set(y)) < 2:
            return 0.5      # documented convention: one class only
        return float(skm.roc_auc_score(y, [float(r[1][0]) for r in rows]))
    if metric == "log_loss":
        if len(columns) == 1:
            y = [1 if t == "1" else 0 for t in truth]
            p = [float(r[1][0]) for r in rows]
            return float(skm.log_loss(y, p, eps=EPS, labels=[0, 1]))
        # sklearn orders the classes as sorted labels: reorder the columns.
        order = sorted(range(len(columns)), key=lambda i: columns[i])
        p = [[float(r[1][i]) for i in order] for r in rows]
        return float(skm.log_loss(truth, p, eps=EPS, labels=[columns[i] for i in order]))
    if metric == "rmse":
        return math.sqrt(float(skm.mean_squared_error([float(t) for t in truth],
                                                      [float(r[1][0]) for r in rows])))
    if metric == "mae":
        return float(skm.mean_absolute_error([float(t) for t in truth], [float(r[1][0]) for r in rows]))
    name, k = metric.split("@")
    k = int(k)
    if name == "map":
        return sum(apk(t, r[1][0], k) for t, r in zip(truth, rows)) / len(rows)
    if name == "ndcg":
        return sum(ndcg(t, r[1][0], k) for t, r in zip(truth, rows)) / len(rows)
    raise ValueError(metric)


def apk(truth, pred, k):
    """Kaggle's average precision at k, with the truth as a set."""
    actual = set(truth.split())
    predicted = pred.split()[:k]
    score, hits = 0.0, 0.0
    for i, p in enumerate(predicted):
        if p in actual and p not in predicted[:i]:
            hits += 1.0
            score += hits / (i + 1.0)
    if not actual:
        return 0.0
    return score / min(len(actual), k)


def parse_gains(truth):
    gains = {}
    for tok in truth.split():
        item, gain = tok, 1.0
        if ":" in tok[1:]:
            head, _, tail = tok.rpartition(":")
            try:
                g = float(tail)
                if math.isfinite(g) and g >= 0 and head:
                    item, gain = head, g
            except ValueError:
                pass
        gains.setdefault(item, gain)
    return gains


def ndcg(truth, pred, k):
    gains = parse_gains(truth)
    seen = set()
    dcg = 0.0
    for i, p in enumerate(pred.split()[:k]):
        if p in gains and p not in seen:
            dcg += gains[p] / math.log2(i + 2)
        seen.add(p)
    ideal = sorted(gains.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    result = dcg / idcg if idcg > 0 else 0.0
    # Where sklearn's definition applies (a ranked list of at least k
    # distinct items), it must agree.
    ranked = pred.split()
    if len(ranked) >= k and len(set(ranked)) == len(ranked) and idcg > 0:
        universe = sorted(set(ranked) | set(gains))
        if len(universe) > 1:
            y_true = [[gains.get(u, 0.0) for u in universe]]
            y_score = [[float(len(ranked) - ranked.index(u)) if u in ranked else 0.0 for u in universe]]
            ref = float(skm.ndcg_score(y_true, y_score, k=k))
            assert abs(ref - result) < 1e-12, (truth, pred, k, ref, result)
    return result


# ---- the cases ----

P, V = "public", "private"

case("accuracy_basic", "accuracy", ["label"], [
    (P, "a", ["a"]), (P, "b", ["a"]), (P, "c", ["c"]), (V, "a", ["a"]), (V, "b", ["b"]),
    (V, "c", ["a"]), (V, "c", ["c"]),
])
case("accuracy_case_and_space", "accuracy", ["label"], [
    (P, "Cat", ["cat"]), (P, "dog", ["dog "]), (P, "1", ["1.0"]), (V, "x y", ["x y"]),
])
case("accuracy_empty_public", "accuracy", ["label"], [
    (V, "a", ["a"]), (V, "b", ["a"]), (V, "b", ["b"]),
])
case("f1_micro_multiclass", "f1_micro", ["label"], [
    (P, "a", ["a"]), (P, "a", ["b"]), (P, "b", ["b"]), (P, "c", ["b"]), (P, "c", ["c"]),
    (V, "a", ["c"]), (V, "b", ["b"]), (V, "c", ["a"]),
])
case("f1_macro_multiclass", "f1_macro", ["label"], [
    # "d" is predicted but never true, "c" is true but never predicted
    (P, "a", ["a"]), (P, "a", ["b"]), (P, "b", ["b"]), (P, "c", ["d"]), (P, "c", ["a"]),
    (P, "b", ["b"]), (V, "a", ["a"]), (V, "b", ["a"]), (V, "b", ["b"]), (V, "b", ["e"]),
])
case("f1_macro_binary", "f1_macro", ["label"], [
    (P, "0", ["0"]), (P, "1", ["1"]), (P, "1", ["0"]), (P, "0", ["0"]), (P, "1", ["1"]),
    (V, "1", ["1"]), (V, "1", ["1"]), (V, "0", ["1"]),
])
case("roc_auc_ties", "roc_auc", ["score"], [
    (P, "1", ["0.5"]), (P, "0", ["0.5"]), (P, "1", ["0.9"]), (P, "0", ["0.1"]), (P, "0", ["0.5"]),
    (P, "1", ["0.5"]), (P, "0", ["0.9"]),
    (V, "1", ["2"]), (V, "1", ["2"]), (V, "0", ["2"]), (V, "0", ["-1e3"]), (V, "1", ["2"]),
])
case("roc_auc_no_ties", "roc_auc", ["score"], [
    (P, "1", ["0.8"]), (P, "0", ["0.3"]), (P, "1", ["0.2"]), (P, "0", ["0.1"]),
    (V, "0", ["0.7"]), (V, "1", ["0.6"]), (V, "0", ["0.4"]), (V, "1", ["0.95"]),
])
case("roc_auc_one_class_public", "roc_auc", ["score"], [
    (P, "1", ["0.8"]), (P, "1", ["0.3"]),
    (V, "0", ["0.7"]), (V, "1", ["0.6"]),
])
case("log_loss_binary", "log_loss", ["p"], [
    (P, "1", ["0.9"]), (P, "0", ["0.2"]), (P, "1", ["0"]), (P, "0", ["1"]), (P, "1", ["1"]),
    (V, "0", ["0.5"]), (V, "1", ["0.75"]), (V, "0", ["1e-20"]),
])
case("log_loss_multiclass", "log_loss", ["virginica", "setosa", "versicolor"], [
    # rows that do not sum to 1 are renormalised after clipping
    (P, "setosa", ["0.1", "0.8", "0.1"]), (P, "versicolor", ["0.2", "0.2", "0.2"]),
    (P, "virginica", ["0", "1", "0"]), (P, "setosa", ["0.3", "0.3", "0.9"]),
    (V, "virginica", ["0.7", "0.2", "0.1"]), (V, "versicolor", ["0", "0", "0"]),
])
case("rmse_basic", "rmse", ["value"], [
    (P, "1.5", ["1"]), (P, "-2", ["2"]), (P, "1e3", ["999.5"]), (V, "0", ["0"]), (V, "3", ["-4.25"]),
])
case("mae_basic", "mae", ["value"], [
    (P, "1.5", ["1"]), (P, "-2", ["2"]), (P, "1e3", ["999.5"]), (V, "0", ["0"]), (V, "3", ["-4.25"]),
])
case("map_at_3", "map@3", ["items"], [
    (P, "a b c", ["a x b y"]),         # a list longer than k
    (P, "a", ["x a a"]),               # a duplicate hit counts once
    (P, "", ["a b c"]),                # no relevant items: 0
    (P, "a b c d e", ["e d c"]),
    (V, "q", [""]), (V, "a b", ["b a"]), (V, "a b b", ["b b a"]),
])
case("map_at_1", "map@1", ["items"], [
    (P, "a b", ["b"]), (P, "a b", ["c a"]), (V, "z", ["z y"]),
])
case("ndcg_at_3_gains", "ndcg@3", ["items"], [
    (P, "a:3 b:2 c:1", ["a b c"]), (P, "a:3 b:2 c:1", ["c b a"]), (P, "a:3 b:2 c:1", ["x a y z"]),
    (P, "a:0 b:0", ["a b c"]),         # ideal DCG 0: 0
    (P, "a:2.5 b:0.5 d:1", ["d b a"]),
    (V, "a b c d", ["d c b a"]), (V, "a b", ["b b a"]), (V, "u:1:2 w:x", ["u:1 w:x"]),
])
case("ndcg_at_5_sets", "ndcg@5", ["items"], [
    (P, "a b c", ["a b c d e"]), (P, "a b c", ["d e a b c"]), (P, "c", ["a b c d e f"]),
    (V, "a b c d e f g", ["g f e"]), (V, "a", ["b c d e f"]),
])

# Larger random cases, one per metric, from a fixed seed.
rng = random.Random(6)
LABELS = ["cat", "dog", "bird", "fish"]
rows = [(P if rng.random() < 0.4 else V, rng.choice(LABELS), [rng.choice(LABELS)]) for _ in range(300)]
case("accuracy_random", "accuracy", ["label"], rows)
case("f1_micro_random", "f1_micro", ["label"], rows)
case("f1_macro_random", "f1_macro", ["label"], rows)
rows = []
for _ in range(400):
    y = rng.choice("01")
    s = round(rng.gauss(0.6 if y == "1" else 0.4, 0.2), 2)   # rounding makes ties
    rows.append((P if rng.random() < 0.3 else V, y, [repr(s)]))
case("roc_auc_random", "roc_auc", ["score"], rows)
rows = [(P if rng.random() < 0.5 else V, rng.choice("01"), [repr(rng.random())]) for _ in range(300)]
case("log_loss_binary_random", "log_loss", ["p"], rows)
rows = []
for _ in range(300):
    ps = [rng.random() for _ in LABELS]
    rows.append((P if rng.random() < 0.5 else V, rng.choice(LABELS), [repr(p) for p in ps]))
case("log_loss_multiclass_random", "log_loss", LABELS, rows)
rows = [(P if rng.random() < 0.5 else V, repr(rng.uniform(-50, 50)), [repr(rng.uniform(-50, 50))])
        for _ in range(300)]
case("rmse_random", "rmse", ["value"], rows)
case("mae_random", "mae", ["value"], rows)
ITEMS = ["i%d" % i for i in range(30)]
rows = []
for _ in range(200):
    truth = " ".join(rng.sample(ITEMS, rng.randint(0, 6)))
    pred = " ".join(rng.choice(ITEMS) for _ in range(rng.randint(0, 12)))
    rows.append((P if rng.random() < 0.5 else V, truth, [pred]))
case("map_at_5_random", "map@5", ["items"], rows)
case("map_at_10_random", "map@10", ["items"], rows)
rows = []
for _ in range(200):
    truth = " ".join("%s:%d" % (it, rng.randint(0, 3)) for it in rng.sample(ITEMS, rng.randint(1, 8)))
    pred = " ".join(rng.sample(ITEMS, rng.randint(0, 12)))
    rows.append((P if rng.random() < 0.5 else V, truth, [pred]))
case("ndcg_at_5_random", "ndcg@5", ["items"], rows)
case("ndcg_at_10_random", "ndcg@10", ["items"], rows)


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics.txt")
    if len(sys.argv) > 1:
        out = sys.argv[1]
    lines = ["# generated by make_fixtures.py (scikit-learn %s): do not edit" % __import__("sklearn").__version__]
    for name, metric, columns, rows in CASES:
        pub = [(t, p) for u, t, p in rows if u == P]
        priv = [(t, p) for u, t, p in rows if u == V]
        lines.append("case\t" + name)
        lines.append("metric\t" + metric)
        lines.append("columns\t" + "\t".join(columns))
        for u, t, p in rows:
            assert all("\t" not in x and "\n" not in x for x in [t] + p)
            assert len(p) == len(columns)
            lines.append("\t".join(["row", u, t] + p))
        lines.append("expect\t%r\t%r" % (sk_metric(metric, columns, pub), sk_metric(metric, columns, priv)))
        lines.append("end")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %d cases to %s" % (len(CASES), out))


if __name__ == "__main__":
    np.seterr(all="raise")
    main()
