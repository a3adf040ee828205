# (c) Spins forever without reading x: killed at the time limit, after
# which the validator sees the end of the output and rejects. TLE.
while True:
    pass
