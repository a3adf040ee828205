#!/usr/bin/env python3
"""Writes the test data of Float Mean (run from the package root):
python3 generators/generate.py. The answers are the exact means (computed
with fractions) rounded to 10 decimals; the output is deterministic."""
import random
from fractions import Fraction
from pathlib import Path

SCALE = 10**6


def fmt(units):
    """A number given in millionths, written with the fewest digits."""
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), SCALE)
    if frac == 0:
        return "%s%d" % (sign, whole)
    return "%s%d.%s" % (sign, whole, ("%06d" % frac).rstrip("0"))


def exact_decimal(q, digits=10):
    """q rounded half away from zero to the given number of decimals."""
    scaled = abs(q) * 10**digits
    n = int(scaled + Fraction(1, 2))
    sign = "-" if q < 0 and n != 0 else ""
    whole, frac = divmod(n, 10**digits)
    return "%s%d.%0*d" % (sign, whole, digits, frac)


def write(path, units):
    text = "%d\n%s\n" % (len(units), " ".join(fmt(u) for u in units))
    mean = Fraction(sum(units), SCALE * len(units))
    Path(path + ".in").write_text(text)
    Path(path + ".ans").write_text(exact_decimal(mean) + "\n")


def main():
    rng = random.Random(20240607)
    big = 10**6 * SCALE
    write("data/sample/01", [1 * SCALE, 2 * SCALE, 4 * SCALE])
    write("data/sample/02", [SCALE // 2, -SCALE // 4])
    write("data/secret/01-single-zero", [0])
    write("data/secret/02-single-min", [-big])
    write("data/secret/03-cancel", [big, -big])
    write("data/secret/04-tiny", [1, 2, 0, -1, 3])
    write("data/secret/05-sevenths", [SCALE * k for k in (1, 0, 0, 0, 0, 0, 0)])
    write("data/secret/06-all-max", [big] * 1000)
    write("data/secret/07-random-large", [rng.randint(-big, big) for _ in range(1000)])
    write("data/secret/08-random-unit", [rng.randint(-SCALE, SCALE) for _ in range(300)])
    write("data/secret/09-around-500", [rng.randint(400 * SCALE, 600 * SCALE) for _ in range(10)])


if __name__ == "__main__":
    main()
