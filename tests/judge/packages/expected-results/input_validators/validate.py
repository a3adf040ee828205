#!/usr/bin/env python3
"""Input validator: one line with an integer 1 <= n <= MAX, where MAX is
10^12 or the value of --max (group1 passes --max 1000). Exits 42 when
valid, 43 otherwise."""
import re
import sys

limit = 10**12
if sys.argv[1:2] == ["--max"]:
    limit = int(sys.argv[2])
data = sys.stdin.buffer.read()
if not re.fullmatch(rb"[1-9][0-9]{0,12}\n", data) or int(data) > limit:
    print("expected one line with an integer in [1, %d]" % limit, file=sys.stderr)
    sys.exit(43)
sys.exit(42)
