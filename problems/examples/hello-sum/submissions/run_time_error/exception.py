#!/usr/bin/env python3
# Run time error: an uncaught exception (exit status 1 and a traceback).
a, b = map(int, input().split())
raise RuntimeError("this submission always fails")
