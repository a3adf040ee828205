#!/usr/bin/env python3
"""Input validator: one line with an integer 1 <= x <= 100. Exits 42 when
valid, 43 otherwise."""
import re
import sys

data = sys.stdin.buffer.read()
if re.fullmatch(rb"[1-9][0-9]{0,2}\n", data) and int(data) <= 100:
    sys.exit(42)
print("expected one line with an integer in [1, 100]", file=sys.stderr)
sys.exit(43)
