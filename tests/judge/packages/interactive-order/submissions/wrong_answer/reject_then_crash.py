# (a) A wrong first guess, which the validator rejects at once; then this
# sleeps 0.5 s and exits 1. The validator rejected while this was still
# running, so the verdict is WA, not RTE.
import sys
import time

sys.stdin.readline()
print(0, flush=True)
time.sleep(0.5)
sys.exit(1)
