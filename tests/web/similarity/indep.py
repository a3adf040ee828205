# Bob: union-find over land cells.
import sys


def find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def solve():
    it = iter(sys.stdin.read().split())
    n = int(next(it))
    m = int(next(it))
    rows = [next(it) for _ in range(n)]
    parent = list(range(n * m))
    land = 0
    merged = 0
    for i in range(n):
        for j in range(m):
            if rows[i][j] != '#':
                continue
            land += 1
            for di, dj in ((0, 1), (1, 0)):
                a, b = i + di, j + dj
                if a < n and b < m and rows[a][b] == '#':
                    x, y = find(parent, i * m + j), find(parent, a * m + b)
                    if x != y:
                        parent[x] = y
                        merged += 1
    sys.stdout.write(str(land - merged) + "\n")


solve()
