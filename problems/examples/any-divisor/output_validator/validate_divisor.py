#!/usr/bin/env python3
"""Output validator for Any Divisor (Kattis protocol):

    validate_divisor.py input_file answer_file feedback_dir [args] < team_output

Accepts (exit 42) when the team printed exactly one integer d, written
without sign or leading zeros, with 1 < d < n and n mod d == 0; otherwise
rejects (exit 43). Either way it writes a one-line judgemessage.txt. A
broken input or answer file is a judge error (exit 1), never a verdict."""
import os
import re
import sys

MAX_OUTPUT = 1 << 20          # bytes of team output worth looking at
CANONICAL = re.compile(rb"[1-9][0-9]{0,19}")


def judge_error(msg):
    print("judge error: " + msg, file=sys.stderr)
    sys.exit(1)


def verdict(feedback_dir, accepted, msg):
    with open(os.path.join(feedback_dir, "judgemessage.txt"), "w") as f:
        f.write(msg + "\n")
    sys.exit(42 if accepted else 43)


def shown(token):
    """A token as it may appear in the message: short and printable."""
    text = token[:40].decode("ascii", "backslashreplace")
    return repr(text + ("..." if len(token) > 40 else ""))


def main():
    if len(sys.argv) < 4:
        judge_error("usage: validate_divisor.py input_file answer_file feedback_dir")
    input_file, answer_file, feedback_dir = sys.argv[1:4]
    try:
        n = int(open(input_file, "rb").read())
        judge_d = int(open(answer_file, "rb").read())
    except (OSError, ValueError) as e:
        judge_error("cannot read input or answer: %s" % e)
    if not (1 < judge_d < n and n % judge_d == 0):
        judge_error("the answer file's %d is not a proper divisor of %d" % (judge_d, n))

    out = sys.stdin.buffer.read(MAX_OUTPUT + 1)
    if len(out) > MAX_OUTPUT:
        verdict(feedback_dir, False, "output longer than %d bytes" % MAX_OUTPUT)
    tokens = out.split()      # the spec's whitespace: space, \t, \n, \v, \f, \r
    if len(tokens) != 1:
        verdict(feedback_dir, False, "expected exactly one integer, got %d tokens" % len(tokens))
    tok = tokens[0]
    if not CANONICAL.fullmatch(tok):
        verdict(feedback_dir, False, "expected a positive integer, got %s" % shown(tok))
    d = int(tok)
    if not 1 < d < n:
        verdict(feedback_dir, False, "d = %d is not strictly between 1 and n = %d" % (d, n))
    if n % d != 0:
        verdict(feedback_dir, False, "d = %d does not divide n = %d" % (d, n))
    verdict(feedback_dir, True, "d = %d divides n = %d" % (d, n))


if __name__ == "__main__":
    main()
