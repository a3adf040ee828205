#!/usr/bin/env python3
"""Interactive validator (Kattis protocol):

    interactor.py input_file answer_file feedback_dir
        < submission's stdout  > submission's stdin

Sends x, then expects the guess 2x: anything else is rejected at once
("wrong guess"). Then sends "next" and expects the line "done" and the end
of the output: accepted. The end of the submission's output (or a closed
pipe) before "done" is rejected as soon as it is seen ("ended before
done"), so that rejection always comes after the submission ended."""
import os
import sys


def verdict(feedback_dir, accepted, msg):
    with open(os.path.join(feedback_dir, "judgemessage.txt"), "w") as f:
        f.write(msg + "\n")
    # os._exit: no flush of stdout at exit (EPIPE once the submission is gone).
    os._exit(42 if accepted else 43)


def send(line):
    try:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
        return True
    except OSError:
        return False


def main():
    if len(sys.argv) < 4:
        print("usage: interactor.py input_file answer_file feedback_dir", file=sys.stderr)
        os._exit(1)
    fb = sys.argv[3]
    x = int(open(sys.argv[1]).read())
    if not send(str(x)):
        verdict(fb, False, "ended before done: could not send x")
    guess = sys.stdin.readline()
    if not guess:
        verdict(fb, False, "ended before done: no guess")
    if guess.strip() != str(2 * x):
        verdict(fb, False, "wrong guess %r" % guess.strip()[:20])
    if not send("next"):
        verdict(fb, False, "ended before done: stopped reading after the guess")
    line = sys.stdin.readline()
    if not line:
        verdict(fb, False, "ended before done: nothing after the guess")
    if line.strip() != "done":
        verdict(fb, False, "expected done, got %r" % line.strip()[:20])
    if sys.stdin.read(64).strip():
        verdict(fb, False, "output after done")
    verdict(fb, True, "guessed 2x = %d and said done" % (2 * x))


if __name__ == "__main__":
    main()
