#!/usr/bin/env python3
"""Input validator for Guess the Number: stdin must be exactly one line
"x\n" with 1 <= x <= 10^9, no sign, no leading zeros. Exits 42 if valid,
43 otherwise."""
import re
import sys

data = sys.stdin.buffer.read()
if re.fullmatch(rb"[1-9][0-9]{0,9}\n", data) and 1 <= int(data) <= 10**9:
    sys.exit(42)
print("expected one line with an integer in [1, 10^9]", file=sys.stderr)
sys.exit(43)
