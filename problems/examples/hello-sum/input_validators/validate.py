#!/usr/bin/env python3
"""Input validator for Hello Sum: exactly one line "a b\n" with
-10^9 <= a, b <= 10^9, no leading zeros, no '+', no "-0".
Exits 42 when the input on stdin is valid and 43 otherwise."""
import re
import sys

INT = r"(0|-?[1-9][0-9]{0,9})"
LIMIT = 10**9


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(43)


def main():
    data = sys.stdin.buffer.read()
    m = re.fullmatch((INT + " " + INT + "\n").encode(), data)
    if not m:
        fail("expected one line 'a b' with two canonical integers")
    for tok in m.groups():
        if abs(int(tok)) > LIMIT:
            fail("integer %s out of range" % tok.decode())
    sys.exit(42)


if __name__ == "__main__":
    main()
