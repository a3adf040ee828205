#!/usr/bin/env python3
"""Input validator: one line "crucible-question-" followed by lowercase
letters, digits and dashes. Exits 42 when valid, 43 otherwise."""
import re
import sys

if re.fullmatch(rb"crucible-question-[a-z0-9-]{1,40}\n", sys.stdin.buffer.read()):
    sys.exit(42)
print("expected one line crucible-question-...", file=sys.stderr)
sys.exit(43)
