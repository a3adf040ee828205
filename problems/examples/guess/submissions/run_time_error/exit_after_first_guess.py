#!/usr/bin/env python3
# Run time error: makes one guess, reads the reply and exits with status 1.
import sys

print(500000000, flush=True)
sys.stdin.readline()
sys.exit(1)
