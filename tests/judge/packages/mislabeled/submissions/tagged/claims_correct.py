# @EXPECTED_RESULTS@: CORRECT
# Wrong (prints a * b) although its tag says CORRECT: verify must say MISMATCH.
a, b = map(int, input().split())
print(a * b)
