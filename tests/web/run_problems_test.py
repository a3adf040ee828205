#!/usr/bin/env python3
"""run_problems_test.py: problem tags and difficulty, the archive's search
and the language table (CTest e2e.web.problem_tags).

    run_problems_test.py --crucible PATH --source-dir REPO --work DIR problem_tags

A package's keywords become its tags on upload; organizers change tags and
difficulty with PATCH (malformed values are a 400 naming the field);
GET /api/v1/problems filters by text, tag and difficulty range, paged by id;
GET /api/v1/problems/tags counts tags; unpublished problems never reach
contestants or the public through either; GET /api/v1/languages lists the
server's languages without their commands.
"""

import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402

check = base.check


def problem_yaml(title, keywords):
    return ("problem_format_version: 2023-07-draft\ntype: pass-fail\nname: %s\n"
            "uuid: 0b0e4c9a-6d0e-4f4e-9a57-%012d\n"
            "limits:\n  time_limit: 1\n  memory: 256\nkeywords: %s\n"
            % (title, abs(hash(title)) % 10 ** 12, keywords)).encode()


def upload(ctx, admin, short, title, keywords="[]"):
    z = ctx.hello_sum_zip(top=short, edit={"problem.yaml": problem_yaml(title, keywords)})
    r = admin.post("/api/v1/problems", z, ctype="application/zip")
    check(r.status == 201, "upload %s: %r" % (short, r))
    return r.json()["problem"]


def patch(client, pid, body):
    return client.request("PATCH", "/api/v1/problems/%d" % pid, body)


def search(client, **query):
    r = client.get("/api/v1/problems?" + urllib.parse.urlencode(query))
    check(r.status == 200, "search %r: %r" % (query, r))
    return r.json()["problems"]


def names(problems):
    return sorted(p["short_name"] for p in problems)


def case_problem_tags(ctx):
    srv, users = base.setup_platform(ctx)
    srv.add_user("olga", "organizer", "olga-password-1")
    admin, alice, anon, olga = srv.client(), srv.client(), srv.client(), srv.client()
    admin.login("boss", "boss-password-1")
    alice.login("alice", "alice-password-1")
    olga.login("olga", "olga-password-1")

    # ---- keywords become tags on upload
    r = admin.post("/api/v1/problems", ctx.hello_sum_zip(), ctype="application/zip")
    check(r.status == 201, "upload hello-sum: %r" % r)
    hello = r.json()["problem"]
    check(hello["tags"] == ["arithmetic", "example"], "hello-sum's keywords as tags: %r" % hello)
    check(hello["difficulty"] is None, "a new problem has no difficulty: %r" % hello)
    long_kw = "x" * 33
    kw = upload(ctx, admin, "kw-sum", "Keyword Sum",
                '["Graph Theory", "DP", "dp", "bad!word", "%s", "c++", "über"]' % long_kw)
    check(kw["tags"] == ["c++", "dp", "graph theory"], "keywords are lowercased, invalid ones left out: %r" % kw)
    r = alice.get("/api/v1/problems/%d" % hello["id"])
    check(r.status == 404, "an unpublished problem is hidden: %r" % r)
    r = admin.get("/api/v1/problems/%d" % kw["id"])
    check(r.status == 200 and r.json()["problem"]["tags"] == kw["tags"], "GET shows the tags: %r" % r)

    # ---- PATCH: validation names the field
    pid = hello["id"]
    bad = [
        ({"tags": ["Bad"]}, "tags"),
        ({"tags": ["ok", "no,comma"]}, "tags"),
        ({"tags": [" lead"]}, "tags"),
        ({"tags": [""]}, "tags"),
        ({"tags": ["x" * 33]}, "tags"),
        ({"tags": ["t%d" % i for i in range(17)]}, "tags"),
        ({"tags": [1]}, "tags"),
        ({"tags": "dp"}, "tags"),
        ({"difficulty": 0}, "difficulty"),
        ({"difficulty": 11}, "difficulty"),
        ({"difficulty": -3}, "difficulty"),
        ({"difficulty": "x"}, "difficulty"),
        ({"difficulty": 2.5}, "difficulty"),
        ({"difficulty": True}, "difficulty"),
    ]
    for body, field in bad:
        r = patch(admin, pid, body)
        check(r.status == 400, "PATCH %r: %r" % (body, r))
        msg = r.json()["error"]["message"]
        check(field in msg, "PATCH %r: the error does not name %r: %s" % (body, field, msg))
    r = admin.get("/api/v1/problems/%d" % pid)
    check(r.json()["problem"]["tags"] == ["arithmetic", "example"] and r.json()["problem"]["difficulty"] is None,
          "a refused PATCH changed the problem: %r" % r)
    r = patch(alice, pid, {"tags": ["dp"]})
    check(r.status == 403, "a contestant sets tags: %r" % r)
    r = patch(anon, pid, {"difficulty": 3})
    check(r.status == 401, "anonymous sets a difficulty: %r" % r)

    # the organizer sets them; sixteen are fine; duplicates fold; null clears the difficulty
    r = patch(olga, pid, {"tags": ["t%02d" % i for i in range(16)], "difficulty": 10})
    check(r.status == 200 and len(r.json()["problem"]["tags"]) == 16 and r.json()["problem"]["difficulty"] == 10,
          "sixteen tags, difficulty 10: %r" % r)
    r = patch(olga, pid, {"difficulty": None})
    check(r.status == 200 and r.json()["problem"]["difficulty"] is None, "difficulty null: %r" % r)
    check(len(r.json()["problem"]["tags"]) == 16, "changing the difficulty dropped the tags: %r" % r)
    r = patch(olga, pid, {"tags": ["example", "arithmetic", "example", "math"], "difficulty": 3,
                          "published": True})
    check(r.status == 200, "PATCH tags: %r" % r)
    p = r.json()["problem"]
    check(p["tags"] == ["arithmetic", "example", "math"] and p["difficulty"] == 3 and p["published"] is True,
          "tags sorted and unique, difficulty 3: %r" % p)
    r = patch(olga, pid, {"title": "Hello Sum"})
    check(r.status == 200 and r.json()["problem"]["tags"] == ["arithmetic", "example", "math"]
          and r.json()["problem"]["difficulty"] == 3, "a title change keeps tags and difficulty: %r" % r)
    r = admin.get("/api/v1/audit")
    check(r.status == 200 and any(e.get("action") == "problem.update" and "difficulty" in (e.get("detail") or "")
                                  for e in r.json().get("entries", r.json().get("audit", []))),
          "the change is not in the audit log: %r" % r)

    # ---- the archive: one more published and one unpublished problem
    walk = upload(ctx, admin, "graph-walk", "Graph Walk", "[graphs, dp]")
    check(patch(admin, walk["id"], {"published": True, "difficulty": 7}).status == 200, "publish graph-walk")
    hidden = upload(ctx, admin, "secret-dp", "Secret Walkthrough", "[dp, secret-tag]")
    check(patch(admin, hidden["id"], {"difficulty": 5}).status == 200, "difficulty of secret-dp")
    check(patch(admin, kw["id"], {"tags": []}).status == 200, "kw-sum without tags")

    for who, cl in (("alice", alice), ("anon", anon)):
        every = search(cl)
        check(names(every) == ["graph-walk", "hello-sum"], "%s lists %r" % (who, names(every)))
        for p in every:
            check("tags" in p and "difficulty" in p, "%s: a listed problem lacks tags or difficulty: %r" % (who, p))
        check(names(search(cl, q="walk")) == ["graph-walk"], "%s: q=walk" % who)
        check(names(search(cl, q="GRAPH")) == ["graph-walk"], "%s: q is case-insensitive" % who)
        check(names(search(cl, q="hello-")) == ["hello-sum"], "%s: q in the short name" % who)
        check(names(search(cl, q="secret")) == [], "%s finds the unpublished problem by text" % who)
        check(names(search(cl, tag="dp")) == ["graph-walk"], "%s: tag=dp" % who)
        check(names(search(cl, tag="secret-tag")) == [], "%s finds the unpublished problem by tag" % who)
        check(names(search(cl, difficulty_min=5)) == ["graph-walk"], "%s: difficulty_min=5" % who)
        check(names(search(cl, difficulty_max=4)) == ["hello-sum"], "%s: difficulty_max=4" % who)
        check(names(search(cl, difficulty_min=4, difficulty_max=6)) == [], "%s: 4..6" % who)
        check(names(search(cl, q="walk", tag="graphs", difficulty_min=7, difficulty_max=7)) == ["graph-walk"],
              "%s: text, tag and difficulty together" % who)
        check(names(search(cl, q="walk", tag="example")) == [], "%s: text and another tag" % who)
        r = cl.get("/api/v1/problems/tags")
        check(r.status == 200, "%s: tags: %r" % (who, r))
        counts = {t["tag"]: t["problems"] for t in r.json()["tags"]}
        check(counts == {"arithmetic": 1, "dp": 1, "example": 1, "graphs": 1, "math": 1},
              "%s: tag counts %r" % (who, counts))
        check([t["tag"] for t in r.json()["tags"]] == sorted(counts), "%s: tags not sorted" % who)

    # staff see everything
    check(names(search(admin, tag="dp")) == ["graph-walk", "secret-dp"], "admin: tag=dp")
    check(names(search(olga, q="walk")) == ["graph-walk", "secret-dp"], "organizer: q=walk")
    check(names(search(admin, difficulty_min=4, difficulty_max=6)) == ["secret-dp"], "admin: 4..6")
    check(names(search(admin, difficulty_min=1)) == ["graph-walk", "hello-sum", "secret-dp"],
          "a problem without a difficulty matches no range")
    r = admin.get("/api/v1/problems/tags")
    counts = {t["tag"]: t["problems"] for t in r.json()["tags"]}
    check(counts.get("dp") == 2 and counts.get("secret-tag") == 1, "admin: tag counts %r" % counts)

    # paging keeps the filters
    first = search(admin, tag="dp", limit=1)
    check(names(first) == ["graph-walk"], "limit=1: %r" % names(first))
    rest = search(admin, tag="dp", limit=1, after=first[0]["id"])
    check(names(rest) == ["secret-dp"], "after=: %r" % names(rest))
    check(search(admin, tag="dp", after=rest[0]["id"]) == [], "past the end")

    # malformed queries
    for q in ("tag=Bad", "tag=a%2Cb", "difficulty_min=0", "difficulty_min=11", "difficulty_max=x",
              "difficulty_min=7&difficulty_max=3", "q=" + "a" * 257, "sort=title", "q=%FF"):
        r = alice.get("/api/v1/problems?" + q)
        check(r.status == 400, "GET /api/v1/problems?%s: %r" % (q[:40], r))
    r = alice.get("/api/v1/problems?q=&tag=")
    check(r.status == 200 and names(r.json()["problems"]) == ["graph-walk", "hello-sum"], "empty q and tag: %r" % r)
    r = alice.get("/api/v1/problems/tags?x=1")
    check(r.status == 400, "tags with a query parameter: %r" % r)

    # ---- the language table
    r = anon.get("/api/v1/languages")
    check(r.status == 200, "languages: %r" % r)
    langs = {x["id"]: x for x in r.json()["languages"]}
    for lid in ("c", "cpp", "python3", "java"):
        check(lid in langs, "no %s in %r" % (lid, sorted(langs)))
    check(langs["c"]["extensions"] == ["c"] and langs["c"]["file"] == "main.c", "c: %r" % langs["c"])
    check("cpp" in langs["cpp"]["extensions"] and langs["cpp"]["file"] == "main.cpp", "cpp: %r" % langs["cpp"])
    check(langs["python3"]["file"] == "main.py", "python3: %r" % langs["python3"])
    check(langs["java"]["file"] == "Main.java", "java: %r" % langs["java"])
    check(langs["java"]["memory_extra_bytes"] == 192 << 20, "java's allowance: %r" % langs["java"])
    for x in langs.values():
        check(set(x) == {"id", "name", "extensions", "file", "time_multiplier", "memory_extra_bytes"},
              "language fields: %r" % x)
        check(x["name"], "a language without a name: %r" % x)
    text = r.body.decode()
    for leak in ("/usr/bin", "-O2", "gcc\"", "{files}", "{main}", "binds", "compile", "version"):
        check(leak not in text, "the language table shows %r: %s" % (leak, text[:300]))
    r = alice.get("/api/v1/languages")
    check(r.status == 200 and r.json() == {"languages": list(langs.values())}, "the same for a user: %r" % r)
    srv.stop()


CASES = {"problem_tags": case_problem_tags}


def main():
    base.CASES.clear()
    base.CASES.update(CASES)
    return base.main()


if __name__ == "__main__":
    sys.exit(main())
