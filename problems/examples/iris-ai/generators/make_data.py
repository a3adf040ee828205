#!/usr/bin/python3
"""Writes the iris-ai package's data from Fisher's iris data (1936, public
domain) as Debian's python3-sklearn ships it (sklearn/datasets/data/iris.csv):

    ai/public/train.csv   105 rows: id, the four measurements, species
    ai/public/test.csv     45 rows: id, the four measurements
    ai/solution.csv        45 rows: id, species, usage (20 public, 25 private)
    submissions/accepted/perfect.csv   the true species of every test row

The output is committed (150 rows, a few KB), so the package is complete
without scikit-learn; the fixed seed makes a rerun give the same files.

    /usr/bin/python3 problems/examples/iris-ai/generators/make_data.py [IRIS_CSV]
"""
import csv
import os
import random
import sys

SRC = "/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv"
FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else SRC
    pkg = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(src, newline="") as f:
        rows = list(csv.reader(f))
    head, rows = rows[0], rows[1:]
    names = head[2:]                      # "150,4,setosa,versicolor,virginica"
    assert len(rows) == 150, len(rows)
    data = [(r[:4], names[int(r[4])]) for r in rows]
    rng = random.Random(1936)
    rng.shuffle(data)
    train, test = data[:105], data[105:]
    usage = ["public"] * 20 + ["private"] * 25
    rng.shuffle(usage)

    def write(rel, header, out_rows):
        path = os.path.join(pkg, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(out_rows)

    write("ai/public/train.csv", ["id"] + FEATURES + ["species"],
          [["r%03d" % (i + 1)] + x + [y] for i, (x, y) in enumerate(train)])
    write("ai/public/test.csv", ["id"] + FEATURES,
          [["t%03d" % (i + 1)] + x for i, (x, _) in enumerate(test)])
    write("ai/solution.csv", ["id", "species", "usage"],
          [["t%03d" % (i + 1), y, usage[i]] for i, (_, y) in enumerate(test)])
    write("submissions/accepted/perfect.csv", ["id", "species"],
          [["t%03d" % (i + 1), y] for i, (_, y) in enumerate(test)])
    print("wrote %d training and %d test rows under %s" % (len(train), len(test), pkg))


if __name__ == "__main__":
    main()
