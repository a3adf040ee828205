# Correct: the only submission here whose label is right.
a, b = map(int, input().split())
print(a + b)
