#!/usr/bin/env python3
"""validate_scoreboard.py: checks the scoreboard JSON that test_scoreboard
writes against the ICPC Contest API's json-schema/scoreboard.json.

Standard library only, so it carries a small JSON Schema validator for the
keywords those schema files use (and refuses any keyword it does not know,
rather than passing it silently). It first proves itself on documents that
must fail, then checks what the JSON Schema cannot say: ranks follow the
1, 2, 2, 4 rule and rows keep the problems in one order.

usage: validate_scoreboard.py TEST_BINARY SCHEMA_DIR OUT_DIR
"""
import copy
import json
import os
import re
import subprocess
import sys

ANNOTATIONS = {"$id", "$schema", "title", "description", "$comment"}


class Invalid(Exception):
    pass


class Validator:
    def __init__(self, schema_dir):
        self.dir = schema_dir
        self.files = {}

    def load(self, name):
        if name not in self.files:
            with open(os.path.join(self.dir, name)) as f:
                self.files[name] = json.load(f)
        return self.files[name]

    def resolve(self, ref, base):
        name, _, pointer = ref.partition("#")
        name = name or base
        node = self.load(name)
        for part in [p for p in pointer.split("/") if p]:
            node = node[part]
        return node, name

    def validate(self, inst, schema, base, path="$"):
        if schema is True or schema == {}:
            return
        if schema is False:
            raise Invalid(f"{path}: false schema")
        for key, want in schema.items():
            if key in ANNOTATIONS or key in ("then", "else", "properties"):
                continue
            check = getattr(self, "k_" + key.lstrip("$"), None)
            if check is None:
                raise Invalid(f"{path}: unsupported keyword {key!r}")
            check(inst, want, schema, base, path)
        if "properties" in schema:
            self.k_properties(inst, schema["properties"], schema, base, path)

    def ok(self, inst, schema, base, path):
        try:
            self.validate(inst, schema, base, path)
            return True
        except Invalid:
            return False

    # keywords
    def k_ref(self, inst, ref, schema, base, path):
        target, name = self.resolve(ref, base)
        self.validate(inst, target, name, path)

    def k_type(self, inst, want, schema, base, path):
        kinds = want if isinstance(want, list) else [want]
        if not any(type_ok(inst, k) for k in kinds):
            raise Invalid(f"{path}: {inst!r} is not of type {want}")

    def k_properties(self, inst, props, schema, base, path):
        if isinstance(inst, dict):
            for name, sub in props.items():
                if name in inst:
                    self.validate(inst[name], sub, base, f"{path}.{name}")

    def k_additionalProperties(self, inst, want, schema, base, path):
        if isinstance(inst, dict):
            for name in inst:
                if name not in schema.get("properties", {}):
                    self.validate(inst[name], want, base, f"{path}.{name}")

    def k_required(self, inst, names, schema, base, path):
        if isinstance(inst, dict):
            missing = [n for n in names if n not in inst]
            if missing:
                raise Invalid(f"{path}: missing {missing}")

    def k_items(self, inst, sub, schema, base, path):
        if isinstance(inst, list):
            for i, item in enumerate(inst):
                self.validate(item, sub, base, f"{path}[{i}]")

    def k_uniqueItems(self, inst, want, schema, base, path):
        if want and isinstance(inst, list):
            seen = [json.dumps(x, sort_keys=True) for x in inst]
            if len(seen) != len(set(seen)):
                raise Invalid(f"{path}: items are not unique")

    def k_minimum(self, inst, want, schema, base, path):
        if is_number(inst) and inst < want:
            raise Invalid(f"{path}: {inst} < {want}")

    def k_maximum(self, inst, want, schema, base, path):
        if is_number(inst) and inst > want:
            raise Invalid(f"{path}: {inst} > {want}")

    def k_pattern(self, inst, want, schema, base, path):
        if isinstance(inst, str) and not re.search(want, inst):
            raise Invalid(f"{path}: {inst!r} does not match {want}")

    def k_enum(self, inst, want, schema, base, path):
        if not any(json_equal(inst, w) for w in want):
            raise Invalid(f"{path}: {inst!r} not in {want}")

    def k_const(self, inst, want, schema, base, path):
        if not json_equal(inst, want):
            raise Invalid(f"{path}: {inst!r} != {want!r}")

    def k_not(self, inst, sub, schema, base, path):
        if self.ok(inst, sub, base, path):
            raise Invalid(f"{path}: matches a 'not' schema")

    def k_allOf(self, inst, subs, schema, base, path):
        for sub in subs:
            self.validate(inst, sub, base, path)

    def k_anyOf(self, inst, subs, schema, base, path):
        if not any(self.ok(inst, s, base, path) for s in subs):
            raise Invalid(f"{path}: matches no anyOf branch")

    def k_oneOf(self, inst, subs, schema, base, path):
        n = sum(self.ok(inst, s, base, path) for s in subs)
        if n != 1:
            raise Invalid(f"{path}: matches {n} oneOf branches, not 1")

    def k_if(self, inst, sub, schema, base, path):
        branch = "then" if self.ok(inst, sub, base, path) else "else"
        if branch in schema:
            self.validate(inst, schema[branch], base, f"{path}({branch})")


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def type_ok(x, kind):
    return {
        "object": lambda: isinstance(x, dict),
        "array": lambda: isinstance(x, list),
        "string": lambda: isinstance(x, str),
        "boolean": lambda: isinstance(x, bool),
        "null": lambda: x is None,
        "number": lambda: is_number(x),
        "integer": lambda: is_number(x) and float(x).is_integer(),
    }[kind]()


def json_equal(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return a == b
    return type(a) is type(b) and a == b


def check_semantics(doc, name):
    rows = doc["rows"]
    for i, row in enumerate(rows):
        # A rank is 1 + the rows strictly ahead: a tie repeats the rank of
        # the row before (1, 2, 2, 4), anything else is the position.
        tie = i > 0 and row["rank"] == rows[i - 1]["rank"]
        if not tie and row["rank"] != i + 1:
            raise Invalid(f"{name}: row {i} has rank {row['rank']}, expected {i + 1}")
        if tie and rank_key(row) != rank_key(rows[i - 1]):
            raise Invalid(f"{name}: rows {i - 1} and {i} share a rank with different results")
        ids = [p["problem_id"] for p in row.get("problems", [])]
        if ids != [p["problem_id"] for p in rows[0].get("problems", [])]:
            raise Invalid(f"{name}: row {i} lists problems in another order")
        score = row["score"]
        if "num_solved" in score and ("time" in score) != (score["num_solved"] > 0):
            raise Invalid(f"{name}: row {i}: score.time must be there iff num_solved > 0")


def rank_key(row):
    s = row["score"]
    if "num_solved" in s:
        return (s["num_solved"], s["total_time"], s.get("time"))
    return (s["score"],)


def self_test(v, schema, good):
    """The validator must reject documents that break the schema."""
    def broken(edit):
        doc = copy.deepcopy(good)
        edit(doc)
        return doc

    def find(want_solved):
        for r, row_ in enumerate(good["rows"]):
            for i, p in enumerate(row_["problems"]):
                if p["solved"] == want_solved:
                    return r, i
        raise Invalid("self-test: no solved and unsolved cells to break")

    row = lambda d: d["rows"][0]
    cell = lambda d, at: d["rows"][at[0]]["problems"][at[1]]
    unsolved, solved = find(False), find(True)
    bad = {
        "no rank": broken(lambda d: row(d).pop("rank")),
        "rank 0": broken(lambda d: row(d).update(rank=0)),
        "bad team id": broken(lambda d: row(d).update(team_id="-x")),
        "time on an unsolved cell": broken(lambda d: cell(d, unsolved).update(time=5)),
        "no time on a solved cell": broken(lambda d: cell(d, solved).pop("time")),
        "solved and score": broken(lambda d: cell(d, solved).update(score=1)),
        "score and num_solved": broken(lambda d: row(d)["score"].update(score=1)),
        "negative pending": broken(lambda d: cell(d, (0, 0)).update(num_pending=-1)),
        "state without started": broken(lambda d: d["state"].pop("started")),
        "bad contest_time": broken(lambda d: d.update(contest_time="4:60:00")),
        "bad time": broken(lambda d: d.update(time="2026-01-01 14:59:00")),
        "no rows": broken(lambda d: d.pop("rows")),
    }
    for what, doc in bad.items():
        if v.ok(doc, schema, "scoreboard.json", "$"):
            raise Invalid(f"self-test: the validator accepted a document with {what}")


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    binary, schema_dir, out_dir = sys.argv[1:]
    os.makedirs(out_dir, exist_ok=True)
    for f in os.listdir(out_dir):
        if f.endswith(".json"):
            os.unlink(os.path.join(out_dir, f))
    subprocess.run([binary, "dump_json", out_dir], check=True)

    v = Validator(schema_dir)
    schema = v.load("scoreboard.json")
    files = sorted(f for f in os.listdir(out_dir) if f.endswith(".json"))
    if len(files) < 9:
        print(f"expected 9 documents, found {files}", file=sys.stderr)
        return 1
    failed = 0
    for name in files:
        with open(os.path.join(out_dir, name)) as f:
            doc = json.load(f)
        try:
            v.validate(doc, schema, "scoreboard.json")
            check_semantics(doc, name)
            if name == "icpc_jury.json":
                self_test(v, schema, doc)
            print(f"ok {name} ({len(doc['rows'])} rows)")
        except Invalid as e:
            failed += 1
            print(f"FAIL {name}: {e}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
