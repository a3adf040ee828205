#!/usr/bin/env python3
"""A broken output validator: reads the team output, then crashes with an
uncaught exception (exit code 1), neither 42 nor 43."""
import sys

sys.stdin.read()
raise RuntimeError("this validator crashes on purpose")
