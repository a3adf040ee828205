# Squares through a double: exact for group1 (n <= 1000), wrong for the
# large n of group2. Expected: 40 points; see submissions.yaml.
n = int(input())
print(int(float(n) * float(n)))
