# Correct: Python's integers are exact.
n = int(input())
print(n * n)
