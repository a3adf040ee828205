#!/usr/bin/env python3
# Wrong answer everywhere (0 points): an off-by-one that skips a_1, and no
# test case has a_1 = 0.
import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
print(sum(map(int, data[2:1 + n])))
