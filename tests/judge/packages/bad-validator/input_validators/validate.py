#!/usr/bin/env python3
"""Input validator: one line "a b" with 0 <= a, b <= 1000. Exits 42 when
valid, 43 otherwise."""
import re
import sys

data = sys.stdin.buffer.read()
m = re.fullmatch(rb"(0|[1-9][0-9]{0,3}) (0|[1-9][0-9]{0,3})\n", data)
if m and all(int(t) <= 1000 for t in m.groups()):
    sys.exit(42)
print("expected one line 'a b' with 0 <= a, b <= 1000", file=sys.stderr)
sys.exit(43)
