#!/usr/bin/env python3
# Wrong answer: prints a sentence instead of a number (presentation error,
# exit 2, judged as wrong answer).
print("the sum is large")
