import sys
from collections import deque

def main():
    """Count islands."""
    h, w, board = load()
    islands = 0
    for y in range(h):
        for x in range(w):
            if board[y][x] == '#':
                fill(board, h, w, y, x)
                islands += 1
    print(islands)

def fill(board, h, w, y0, x0):
    todo = deque([(y0, x0)])
    board[y0][x0] = '.'
    while todo:
        y, x = todo.popleft()
        for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            ny, nx = y + dy, x + dx
            if 0 <= ny < h and 0 <= nx < w and board[ny][nx] == '#':   # land
                board[ny][nx] = '.'
                todo.append((ny, nx))

def load():
    tokens = sys.stdin.read().split()
    h, w = int(tokens[0]), int(tokens[1])
    return h, w, [list(s) for s in tokens[2:2 + h]]

if __name__ == "__main__":
    main()
