#!/usr/bin/env python3
# Hello Sum in Python 3.
a, b = map(int, input().split())
print(a + b)
