# Wrong, but the validator crashes before saying so: JE, not WA.
a, b = map(int, input().split())
print(a - b)
