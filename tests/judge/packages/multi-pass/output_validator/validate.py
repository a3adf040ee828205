#!/usr/bin/env python3
"""Multi-pass output validator (Kattis protocol):

    validate.py input_file answer_file feedback_dir < team_output

Pass 1 (input "first x"): the team must print 2x; then this writes
nextpass.in = "second y" with y = 2x + 1 and exits 42. Pass 2 (input
"second y"): the team must print y + 1; no nextpass.in. Each pass appends
a line to judgemessage.txt.

Which pass is this? The spec keeps the feedback folder between passes, so
state.txt written in pass 1 says it; a judge that instead hands the
validator the nextpass.in as input_file is recognised by "second". Either
way both passes are checked.

Test hook: a team output of -1 in pass 1 makes this write nextpass.in and
reject, which the spec calls a judge error (see run_judge_test.py)."""
import os
import sys


def note(fb, msg):
    with open(os.path.join(fb, "judgemessage.txt"), "a") as f:
        f.write(msg + "\n")


def main():
    inp, fb = sys.argv[1], sys.argv[3]
    word, num = open(inp).read().split()
    state = os.path.join(fb, "state.txt")
    out = sys.stdin.read(1 << 16).split()
    team = int(out[0]) if len(out) == 1 and out[0].lstrip("-").isdigit() else None
    if os.path.exists(state) or word == "second":
        y = int(open(state).read()) if os.path.exists(state) else int(num)
        if team != y + 1:
            note(fb, "pass 2 wrong: expected y + 1")
            sys.exit(43)
        note(fb, "pass 2 ok")
        sys.exit(42)
    x = int(num)
    if team == -1:
        with open(os.path.join(fb, "nextpass.in"), "w") as f:
            f.write("second 1\n")
        note(fb, "pass 1: nextpass.in written, then rejected (test hook)")
        sys.exit(43)
    if team != 2 * x:
        note(fb, "pass 1 wrong: expected 2x")
        sys.exit(43)
    with open(state, "w") as f:
        f.write("%d\n" % (2 * x + 1))
    with open(os.path.join(fb, "nextpass.in"), "w") as f:
        f.write("second %d\n" % (2 * x + 1))
    note(fb, "pass 1 ok")
    sys.exit(42)


if __name__ == "__main__":
    main()
