#!/usr/bin/env python3
"""Input validator for Any Divisor. Exits 42 when stdin is exactly one line
"n\n" with 4 <= n <= 10^12 written without leading zeros and n composite
(checked by trial division up to 10^6); 43 otherwise."""
import re
import sys


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(43)


def main():
    data = sys.stdin.buffer.read()
    if not re.fullmatch(rb"[1-9][0-9]{0,12}\n", data):
        fail("expected one line with a positive integer")
    n = int(data)
    if not 4 <= n <= 10**12:
        fail("n = %d out of range" % n)
    d = 2
    while d * d <= n and n % d:
        d += 1
    if d * d > n:
        fail("n = %d is prime" % n)
    sys.exit(42)


if __name__ == "__main__":
    main()
