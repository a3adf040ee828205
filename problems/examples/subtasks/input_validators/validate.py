#!/usr/bin/env python3
"""Input validator for Subtask Sum:

    validate.py [--max-n N] [--max-abs A] < input

Exits 42 when stdin is exactly "n\n" then n integers separated by single
spaces and a newline, with 1 <= n <= N and every |a_i| <= A, integers
written without '+', leading zeros or "-0"; 43 otherwise. Without
arguments N = 10^6 and A = 10^12 (the full constraints); group 1 passes
tighter ones in its test_group.yaml (input_validator_args)."""
import re
import sys

INT = re.compile(rb"0|-?[1-9][0-9]{0,12}")


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(43)


def parse_args(argv):
    max_n, max_abs = 10**6, 10**12
    i = 0
    while i < len(argv):
        if argv[i] in ("--max-n", "--max-abs") and i + 1 < len(argv):
            value = int(argv[i + 1])
            if argv[i] == "--max-n":
                max_n = min(max_n, value)
            else:
                max_abs = min(max_abs, value)
            i += 2
        else:
            # Bad arguments are the package's fault, not the input's: exit
            # with a code that is neither 42 nor 43.
            print("unknown argument %r" % argv[i], file=sys.stderr)
            sys.exit(2)
    return max_n, max_abs


def main():
    max_n, max_abs = parse_args(sys.argv[1:])
    lines = sys.stdin.buffer.read().split(b"\n")
    if len(lines) != 3 or lines[2] != b"":
        fail("expected exactly two lines, each ending in a newline")
    if not re.fullmatch(rb"[1-9][0-9]{0,6}", lines[0]):
        fail("bad n")
    n = int(lines[0])
    if n > max_n:
        fail("n = %d is above %d" % (n, max_n))
    tokens = lines[1].split(b" ")
    if len(tokens) != n:
        fail("expected %d integers separated by single spaces, got %d fields" % (n, len(tokens)))
    for tok in tokens:
        if not INT.fullmatch(tok):
            fail("bad integer %r" % tok[:40])
        if abs(int(tok)) > max_abs:
            fail("|%s| is above %d" % (tok.decode(), max_abs))
    sys.exit(42)


if __name__ == "__main__":
    main()
