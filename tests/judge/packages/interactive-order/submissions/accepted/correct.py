# Correct: reads x, guesses 2x, reads "next", says done.
import sys

x = int(sys.stdin.readline())
print(2 * x, flush=True)
assert sys.stdin.readline().strip() == "next"
print("done", flush=True)
