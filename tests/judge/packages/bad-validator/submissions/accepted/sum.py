# Correct, but the validator crashes: JE.
a, b = map(int, input().split())
print(a + b)
