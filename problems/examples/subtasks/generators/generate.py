#!/usr/bin/env python3
"""Writes the test data of Subtask Sum (run from the package root):
python3 generators/generate.py. Deterministic. In group 1 every value and
every prefix sum fits in 32 bits; in group 2 all cases but 05 have a sum or
a value outside that range, so 32-bit arithmetic fails the group. No case
starts with 0 (submissions/wrong_answer relies on it)."""
import random
from pathlib import Path

SMALL, BIG = 10**6, 10**12


def write(path, values):
    assert values[0] != 0
    Path(path + ".in").write_text("%d\n%s\n" % (len(values), " ".join(map(str, values))))
    Path(path + ".ans").write_text("%d\n" % sum(values))


def nonzero(rng, lim):
    while True:
        v = rng.randint(-lim, lim)
        if v:
            return v


def main():
    rng = random.Random(1234567)
    write("data/sample/01", [1, 2, 3, 4])
    write("data/sample/02", [-7, 10])

    g1 = "data/secret/group1/"
    write(g1 + "01-single", [SMALL])
    write(g1 + "02-max-positive", [SMALL] * 1000)
    write(g1 + "03-max-negative", [-SMALL] * 1000)
    write(g1 + "04-random", [nonzero(rng, SMALL) for _ in range(1000)])
    write(g1 + "05-alternating", [SMALL if i % 2 == 0 else -SMALL for i in range(999)])

    g2 = "data/secret/group2/"
    write(g2 + "01-single-big", [-BIG])
    write(g2 + "02-over-int32", [2**31 // 1000 + 1] * 1000)
    write(g2 + "03-large-values", [nonzero(rng, BIG) for _ in range(2000)])
    write(g2 + "04-many-positive", [rng.randint(BIG // 2, BIG) for _ in range(40000)])
    write(g2 + "05-cancelling", [BIG, -BIG, BIG, -BIG, 3])


if __name__ == "__main__":
    main()
