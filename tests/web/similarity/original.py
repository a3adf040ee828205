# Alice: count the islands in a grid ('#' land, '.' water), 4-connected.
import sys
from collections import deque


def read_grid():
    data = sys.stdin.read().split()
    rows, cols = int(data[0]), int(data[1])
    return rows, cols, [list(line) for line in data[2:2 + rows]]


def flood(grid, rows, cols, sr, sc):
    queue = deque([(sr, sc)])
    grid[sr][sc] = '.'
    while queue:
        r, c = queue.popleft()
        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            nr, nc = r + dr, c + dc
            if 0 <= nr < rows and 0 <= nc < cols and grid[nr][nc] == '#':
                grid[nr][nc] = '.'
                queue.append((nr, nc))


def main():
    rows, cols, grid = read_grid()
    count = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] == '#':
                flood(grid, rows, cols, r, c)
                count += 1
    print(count)


if __name__ == "__main__":
    main()
