#!/usr/bin/env python3
# Wrong answer: 1 divides every n, but it is not strictly between 1 and n.
input()
print(1)
