# @EXPECTED_RESULTS@: WRONG-ANSWER, TIMELIMIT
# Spins on n = 7 (a time limit) and prints n + 1 otherwise (a wrong
# answer). mixed/ is no default folder: only the tag says what to expect.
n = int(input())
while n == 7:
    pass
print(n + 1)
