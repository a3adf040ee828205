#!/usr/bin/env python3
"""Output validator (Kattis protocol): validate.py input answer feedback_dir
< team_output. Accepts exactly n squared; writes judgemessage.txt either
way ("square ok" or "wrong square ...")."""
import os
import sys


def verdict(feedback_dir, accepted, msg):
    with open(os.path.join(feedback_dir, "judgemessage.txt"), "w") as f:
        f.write(msg + "\n")
    sys.exit(42 if accepted else 43)


def main():
    fb = sys.argv[3]
    n = int(open(sys.argv[1]).read())
    tokens = sys.stdin.buffer.read(1 << 16).split()
    if len(tokens) != 1 or not tokens[0].isdigit():
        verdict(fb, False, "wrong square: expected one number, got %d tokens" % len(tokens))
    if int(tokens[0]) != n * n:
        verdict(fb, False, "wrong square for n of %d digits" % len(str(n)))
    verdict(fb, True, "square ok")


if __name__ == "__main__":
    main()
