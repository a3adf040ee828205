# Correct: 2x in the first pass, y + 1 in the second.
word, num = input().split()
print(2 * int(num) if word == "first" else int(num) + 1)
