#!/usr/bin/env python3
# Time limit exceeded: reads the input, then loops forever.
a, b = map(int, input().split())
while True:
    pass
