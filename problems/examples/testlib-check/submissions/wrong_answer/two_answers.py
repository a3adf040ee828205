#!/usr/bin/env python3
# Wrong answer: prints the right number twice; the checker reports a
# presentation error (exit 2) for the extra token, which is judged as wrong
# answer.
import sys

data = sys.stdin.read().split()
n = int(data[0])
s = sum(map(int, data[1:1 + n])) % (10**9 + 7)
print(s, s)
