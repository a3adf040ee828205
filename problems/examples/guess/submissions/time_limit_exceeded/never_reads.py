#!/usr/bin/env python3
# Time limit exceeded: makes one guess, then sleeps forever without reading
# the reply. The judge waits for the next guess, so neither side makes
# progress and almost no CPU time is used: only a wall-clock limit ends it.
import time

print(500000000, flush=True)
while True:
    time.sleep(60)
