#!/usr/bin/env python3
"""Input validator: one line "first x" (a test case) or "second y" (a
nextpass.in) with 1 <= x, y <= 10^6. Exits 42 when valid, 43 otherwise."""
import re
import sys

data = sys.stdin.buffer.read()
m = re.fullmatch(rb"(first|second) ([1-9][0-9]{0,6})\n", data)
if m and int(m.group(2)) <= 10**6:
    sys.exit(42)
print("expected 'first x' or 'second y'", file=sys.stderr)
sys.exit(43)
