#!/usr/bin/env python3
# Wrong answer: prints text instead of a number; the validator rejects it
# (exit 43) and says why in judgemessage.txt.
input()
print("the answer is left as an exercise to the reader")
