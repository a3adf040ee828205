# (e) A correct guess, then exit 0 without saying done: the validator sees
# the end of the output and rejects. The submission itself ended fine, so
# the verdict is the validator's: WA.
import sys

x = int(sys.stdin.readline())
print(2 * x, flush=True)
sys.exit(0)
