# (b) A correct guess, then exit 1 at once. The validator only sees the
# end of the output after this ended and rejects then: the crash came
# first, so the verdict is RTE, not WA.
import sys

x = int(sys.stdin.readline())
print(2 * x, flush=True)
sys.exit(1)
