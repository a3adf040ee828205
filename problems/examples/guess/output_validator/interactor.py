#!/usr/bin/env python3
"""Interactive validator for Guess the Number (Kattis protocol):

    interactor.py input_file answer_file feedback_dir [args]
        < submission's stdout  > submission's stdin

Reads the secret x from input_file, then reads guesses, one per line, and
answers "<", ">" or "=". Accepts (exit 42) when the submission finds x in at
most 31 guesses and prints nothing after it; rejects (exit 43) a 32nd
guess, a malformed or out-of-range line, or the end of the submission's
output before x was found. It rejects as soon as it knows, without waiting
for more output. Writes a one-line judgemessage.txt either way."""
import os
import re
import sys

LO, HI = 1, 10**9
MAX_GUESSES = 31
MAX_LINE = 64                 # bytes; a longer line is malformed anyway
GUESS = re.compile(rb"[1-9][0-9]{0,9}")


def plural(guesses):
    return "%d guess%s" % (guesses, "" if guesses == 1 else "es")


def judge_error(msg):
    print("judge error: " + msg, file=sys.stderr)
    os._exit(1)


def verdict(feedback_dir, accepted, msg):
    with open(os.path.join(feedback_dir, "judgemessage.txt"), "w") as f:
        f.write(msg + "\n")
    # os._exit: no flush of stdout at exit, which could fail with EPIPE when
    # the submission is gone and turn a verdict into a crash.
    os._exit(42 if accepted else 43)


def main():
    if len(sys.argv) < 4:
        judge_error("usage: interactor.py input_file answer_file feedback_dir")
    input_file, feedback_dir = sys.argv[1], sys.argv[3]
    try:
        x = int(open(input_file, "rb").read())
    except (OSError, ValueError) as e:
        judge_error("cannot read the secret number: %s" % e)
    if not LO <= x <= HI:
        judge_error("secret number %d out of range" % x)

    guesses = 0
    while True:
        line = sys.stdin.buffer.readline(MAX_LINE + 1)
        if not line:
            verdict(feedback_dir, False,
                    "output ended after %s without finding x = %d" % (plural(guesses), x))
        tok = line.strip()
        if len(line) > MAX_LINE or not GUESS.fullmatch(tok):
            shown = tok[:20].decode("ascii", "backslashreplace")
            verdict(feedback_dir, False, "guess %d: expected an integer, got %r"
                    % (guesses + 1, shown))
        g = int(tok)
        guesses += 1
        if guesses > MAX_GUESSES:
            verdict(feedback_dir, False, "more than %d guesses (x = %d)" % (MAX_GUESSES, x))
        if not LO <= g <= HI:
            verdict(feedback_dir, False, "guess %d: %d is outside [1, 10^9]" % (guesses, g))
        answer = "=" if g == x else "<" if x < g else ">"
        try:
            sys.stdout.write(answer + "\n")
            sys.stdout.flush()
        except OSError:       # the submission closed its input or exited
            verdict(feedback_dir, False, "guess %d: the submission stopped reading" % guesses)
        if answer == "=":
            break

    rest = sys.stdin.buffer.read(MAX_LINE)
    if rest.strip():
        verdict(feedback_dir, False, "found x = %d, but printed more after it" % x)
    verdict(feedback_dir, True, "found x = %d in %s" % (x, plural(guesses)))


if __name__ == "__main__":
    main()
