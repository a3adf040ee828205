#!/usr/bin/env python3
"""Input validator for Float Mean. Exits 42 when stdin is exactly
"n\n" then n reals separated by single spaces and a newline, with
1 <= n <= 1000 and every |x| <= 10^6 written in decimal with at most 6
digits after the point (no exponent, no '+', no leading zeros, no -0);
43 otherwise."""
import re
import sys
from fractions import Fraction

INT = re.compile(rb"[1-9][0-9]{0,3}")
REAL = re.compile(rb"-?(0|[1-9][0-9]{0,6})(\.[0-9]{1,6})?")


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(43)


def main():
    data = sys.stdin.buffer.read()
    lines = data.split(b"\n")
    if len(lines) != 3 or lines[2] != b"":
        fail("expected exactly two lines, each ending in a newline")
    if not INT.fullmatch(lines[0]) or not 1 <= int(lines[0]) <= 1000:
        fail("n must be an integer in [1, 1000]")
    n = int(lines[0])
    tokens = lines[1].split(b" ")
    if len(tokens) != n:
        fail("expected %d numbers separated by single spaces, got %d fields" % (n, len(tokens)))
    for tok in tokens:
        if not REAL.fullmatch(tok):
            fail("bad number %r" % tok[:40])
        value = Fraction(tok.decode())
        if abs(value) > 10**6:
            fail("number %s out of range" % tok.decode())
        if value == 0 and tok.startswith(b"-"):
            fail("negative zero %s" % tok.decode())
    sys.exit(42)


if __name__ == "__main__":
    main()
