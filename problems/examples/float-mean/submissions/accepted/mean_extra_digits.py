#!/usr/bin/env python3
# Float Mean: prints 9 decimals, 3 more than the tolerance needs.
import sys

data = sys.stdin.read().split()
n = int(data[0])
print("%.9f" % (sum(map(float, data[1:1 + n])) / n))
