# Wrong (prints a - b) but filed under accepted/: verify must say MISMATCH.
a, b = map(int, input().split())
print(a - b)
