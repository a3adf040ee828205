# @EXPECTED_RESULTS@: CORRECT
# Correct, in a folder that says nothing: the tag alone expects AC.
n = int(input())
print(n ** 2)
