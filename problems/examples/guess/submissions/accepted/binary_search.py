#!/usr/bin/env python3
# Guess the Number: binary search, flushing after every guess.
import sys

lo, hi = 1, 10**9
while lo <= hi:
    mid = (lo + hi) // 2
    print(mid, flush=True)
    reply = sys.stdin.readline().strip()
    if reply == "=":
        break
    if reply == "<":
        hi = mid - 1
    elif reply == ">":
        lo = mid + 1
    else:
        sys.exit(1)
