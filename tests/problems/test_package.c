/*
 * test_package.c: problem.yaml and test data parsing: errors name the file
 * and line, malformed packages are refused, and the three sample packages
 * in packages/ (legacy, 2023-07-draft, 2025-09) load with every field.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/check.h"
#include "tests.h"

#define CASE(path, in, ans) path ".in", in, path ".ans", ans
#define SECRET CASE("data/secret/1", "1\n", "1\n")
#define NEW "problem_format_version: 2023-07-draft\nname: X\nuuid: x\n"
#define V25 "problem_format_version: 2025-09\nname: X\nuuid: x\n"

static struct err last;

/* Writes path/text pairs (NULL-terminated) into a fresh folder and loads it;
 * returns the load's code, with the message in `last`. */
static int try_load(const char *first, ...)
{
    va_list ap;
    char *dir = tmp_make();
    struct prb_problem *p = NULL;
    va_start(ap, first);
    for (const char *path = first; path; path = va_arg(ap, const char *))
        tmp_write(dir, path, va_arg(ap, const char *));
    va_end(ap);
    err_clear(&last);
    int rc = prb_package_load(dir, NULL, NULL, &p, &last);
    if (rc < 0 && p)
        rc = 1;   /* *out must stay NULL on failure */
    prb_problem_free(p);
    tmp_remove(dir);
    free(dir);
    return rc;
}

#define REJECT(substr, ...) do { \
    CHECK_INT(try_load(__VA_ARGS__, (const char *)NULL), <, 0); \
    if (!strstr(last.msg, substr)) \
        fprintf(stderr, "%s:%d: message \"%s\" lacks \"%s\"\n", __FILE__, __LINE__, last.msg, substr); \
    CHECK(strstr(last.msg, substr) != NULL); \
} while (0)

/* REJECT with problem.yaml's text first. */
#define REJECT_Y(substr, yaml, ...) REJECT(substr, "problem.yaml", yaml, __VA_ARGS__)

int test_yaml_errors(const char *dir)
{
    (void)dir;
    CHECK_SECTION("unknown keys name file and line");
    CHECK_INT(try_load("problem.yaml", "name: x\nlicense: cc0\n\n\n\n\nfoo: 1\n", SECRET,
                       (const char *)NULL), ==, ERR_INVALID);
    CHECK_STR(last.msg, "problem.yaml:7: unknown key 'foo'");
    REJECT_Y("problem.yaml:4: unknown key 'validation'", NEW "validation: custom\n", SECRET);
    REJECT_Y("problem.yaml:2: unknown key 'time_limit' in 'limits'",
           "limits:\n  time_limit: 2\n", SECRET);
    REJECT_Y("problem.yaml:6: unknown key 'speed' in 'time_multipliers'",
           NEW "limits:\n  time_multipliers:\n    speed: 2\n", SECRET);
    REJECT_Y("problem.yaml:7: unknown key 'phone' in a person",
           NEW "credits:\n  authors:\n    name: A\n    phone: 1\n", SECRET);
    REJECT_Y("data/secret/test_group.yaml:2: unknown key 'bogus'",
           NEW, "data/secret/test_group.yaml", "args: [a]\nbogus: 1\n", SECRET);
    REJECT_Y("data/secret/1.yaml:1: unknown key 'timeout'", NEW, "data/secret/1.yaml", "timeout: 3\n",
           SECRET);
    REJECT_Y("data/secret/testdata.yaml:1: unknown key 'max_score'",
           "name: x\n", "data/secret/testdata.yaml", "max_score: 3\n", SECRET);
    REJECT_Y("unknown grader flag 'median'", "type: scoring\n", "data/testdata.yaml",
           "grader_flags: median\n", SECRET);

    CHECK_SECTION("bad YAML");
    REJECT_Y("problem.yaml:2: invalid YAML: did not find expected ',' or ']' (while parsing a flow "
             "sequence at line 1)", "name: [unclosed\n", SECRET);
    REJECT_Y("problem.yaml:2: invalid YAML", "name: x\n\tlicense: cc0\n", SECRET);
    REJECT_Y("problem.yaml:2: duplicate key 'name'", "name: x\nname: y\n", SECRET);
    REJECT_Y("YAML aliases are not supported", "name: &a x\nsource: *a\n", SECRET);
    REJECT_Y("more than one YAML document", "name: x\n---\nname: y\n", SECRET);
    REJECT_Y("problem.yaml must be a mapping", "- a\n- b\n", SECRET);
    REJECT_Y("mapping keys must be strings", "? [a]\n: b\n", SECRET);
    REJECT_Y("NUL character", "name: \"a\\0b\"\n", SECRET);
    REJECT_Y("data/secret/test_group.yaml:2: invalid YAML", NEW,
           "data/secret/test_group.yaml", "args: [\n", SECRET);
    {
        char deep[400];
        size_t n = 0;
        n += (size_t)snprintf(deep, sizeof(deep), "name: x\nsource: ");
        for (int i = 0; i < 80; i++)
            deep[n++] = '[';
        for (int i = 0; i < 80; i++)
            deep[n++] = ']';
        deep[n++] = '\n';
        deep[n] = '\0';
        REJECT_Y("nested deeper", deep, SECRET);
    }
    {
        size_t n = PRB_YAML_MAX_BYTES + 100;
        char *big = malloc(n + 1);
        memcpy(big, "name: x\n#", 9);
        memset(big + 9, 'x', n - 10);
        big[n - 1] = '\n';
        big[n] = '\0';
        REJECT_Y("problem.yaml: larger than", big, SECRET);
        free(big);
    }

    CHECK_SECTION("wrong types and values");
    REJECT_Y("problem.yaml:1: 'limits' must be a map", "limits: 5\n", SECRET);
    REJECT_Y("problem.yaml:2: 'memory' must be between 1", "limits:\n  memory: -5\n", SECRET);
    REJECT_Y("problem.yaml:2: 'memory' must be an integer", "limits:\n  memory: \"512\"\n", SECRET);
    REJECT_Y("problem.yaml:2: 'memory' must be an integer", "limits:\n  memory: 1.5\n", SECRET);
    REJECT_Y("'ac_to_time_limit' must be at least 1",
           NEW "limits:\n  time_multipliers:\n    ac_to_time_limit: 0.5\n", SECRET);
    REJECT_Y("'time_limit' must be above 0", NEW "limits:\n  time_limit: 0\n", SECRET);
    REJECT_Y("'time_limit' must be a number", NEW "limits:\n  time_limit: fast\n", SECRET);
    REJECT_Y("'time_limit' must be a number", NEW "limits:\n  time_limit: .inf\n", SECRET);
    REJECT_Y("problem.yaml:1: 'type' must be 'pass-fail' or 'scoring'", "type: interactive\n", SECRET);
    REJECT_Y("'pass-fail' and 'scoring' are incompatible", NEW "type: [pass-fail, scoring]\n", SECRET);
    REJECT_Y("'submit-answer' is incompatible", NEW "type: [submit-answer, interactive]\n", SECRET);
    REJECT_Y("repeated", NEW "type: [scoring, scoring]\n", SECRET);
    REJECT_Y("unknown problem type 'golf'", NEW "type: golf\n", SECRET);
    REJECT_Y("'type' must not be empty", NEW "type: []\n", SECRET);
    REJECT_Y("problem.yaml:1: unsupported problem_format_version '2099-01'",
           "problem_format_version: 2099-01\n", SECRET);
    REJECT_Y("'uuid' is required", "problem_format_version: 2023-07-draft\nname: x\n", SECRET);
    REJECT_Y("'name' is required", "problem_format_version: 2025-09\nuuid: x\n", SECRET);
    REJECT_Y("unknown license 'gpl'", "license: gpl\n", SECRET);
    REJECT_Y("'rights_owner' must not be set for public domain",
           "license: public domain\nrights_owner: Me\n", SECRET);
    REJECT_Y("license 'cc by' needs 'rights_owner'", "license: cc by\n", SECRET);
    REJECT_Y("'source_url' needs 'source'", "source_url: https://x.example\n", SECRET);
    REJECT_Y("'embargo_until' must be", NEW "embargo_until: tomorrow\n", SECRET);
    REJECT_Y("invalid constant name '1x'", NEW "constants:\n  1x: 3\n", SECRET);
    REJECT_Y("'allow_file_writing' must be true or false", NEW "allow_file_writing: yes\n", SECRET);
    REJECT_Y("'validation' must start with", "validation: fancy\n", SECRET);
    REJECT_Y("'validation: custom score' is only for scoring problems",
           "validation: custom score\n", "output_validators/v.py", "\n", SECRET);
    REJECT_Y("'grading' is only for scoring problems", "grading:\n  objective: min\n", SECRET);
    REJECT_Y("validation_passes' is only for multi-pass problems",
           NEW "limits:\n  validation_passes: 3\n", SECRET);
    REJECT_Y("a person needs 'name'", NEW "credits:\n  testers:\n    - email: a@b.example\n", SECRET);
    REJECT_Y("must be 'Name' or 'Name <email>'", NEW "credits: Bob <bob@x\n", SECRET);
    REJECT_Y("'args' must be a sequence of strings", NEW, "data/secret/test_group.yaml",
           "args: --fast\n", SECRET);
    REJECT_Y("'full_feedback' must be true or false", NEW, "data/secret/test_group.yaml",
           "full_feedback: 1\n", SECRET);
    REJECT_Y("'range' must be two numbers", "type: scoring\n", "data/secret/testdata.yaml",
           "range: 0\n", SECRET);
    REJECT_Y("'range' must not start above its end", "type: scoring\n",
           "data/secret/testdata.yaml", "range: 5 1\n", SECRET);
    REJECT_Y("'accept_score' is only allowed for scoring problems", "name: x\n",
           "data/secret/testdata.yaml", "accept_score: 5\n", SECRET);
    REJECT_Y("'on_reject' must be 'break' or 'continue'", "name: x\n",
           "data/secret/testdata.yaml", "on_reject: maybe\n", SECRET);

    CHECK_SECTION("good variants parse");
    CHECK_INT(try_load("problem.yaml", "", SECRET, (const char *)NULL), ==, 0);   /* empty problem.yaml */
    CHECK_INT(try_load("problem.yaml", "problem_format_version: legacy-icpc\nname: x\n", SECRET,
                       (const char *)NULL), ==, 0);
    CHECK_INT(try_load("problem.yaml", "type: scoring\nvalidation: custom score interactive\ngrading:\n"
                       "  objective: min\n  show_test_data_groups: true\n",
                       "output_validators/v/v.py", "\n", "data/testdata.yaml",
                       "range: -inf +inf\naccept_score: 2.5\n"
                       "input_validator_flags:\n  name: v\n  flags: --big\n", SECRET,
                       (const char *)NULL), ==, 0);
    CHECK_INT(try_load("problem.yaml", NEW "type: scoring\n", "data/secret/test_group.yaml",
                       "input_validator_args:\n  v1: [a, b]\n  v2: []\nstatic_validator_args: []\n"
                       "max_score: 10\n", SECRET, (const char *)NULL), ==, 0);
    return check_done("unit.problems.yaml_errors");
}

int test_reject_packages(const char *dir)
{
    (void)dir;
    CHECK_SECTION("missing pieces");
    REJECT("'problem.yaml': missing", "data/secret/1.in", "1\n", "data/secret/1.ans", "1\n");
    REJECT("'data/': missing", "problem.yaml", "name: x\n");
    REJECT("'data/secret/': missing", "problem.yaml", "name: x\n",
           CASE("data/sample/1", "1\n", "1\n"));
    REJECT("'data/secret/': missing", "problem.yaml", NEW, CASE("data/sample/1", "1\n", "1\n"));
    REJECT("'data/secret/': no test cases", "problem.yaml", "name: x\n",
           "data/secret/readme.txt", "x\n");
    REJECT("'data/secret/2.ans': missing", "problem.yaml", "name: x\n", SECRET,
           "data/secret/2.in", "2\n");
    REJECT("'data/secret/g/2.ans': missing", "problem.yaml", NEW, "data/secret/g/2.in", "2\n");
    REJECT("'data/secret/3.ans': no matching .in file", "problem.yaml", "name: x\n", SECRET,
           "data/secret/3.ans", "3\n");
    REJECT("'data/secret/3.yaml': no matching .in file", "problem.yaml", NEW, SECRET,
           "data/secret/3.yaml", "args: []\n");
    REJECT("'data/secret/3.files': no matching .in file", "problem.yaml", NEW, SECRET,
           "data/secret/3.files/a.txt", "x\n");
    REJECT("'data/x.in': test cases must be in sample/ or secret/", "problem.yaml", "name: x\n",
           SECRET, CASE("data/x", "1\n", "1\n"));
    REJECT("output_validators/ directory", "problem.yaml", "validation: custom\n", SECRET);
    REJECT("need an output_validator/ directory", "problem.yaml", NEW "type: interactive\n",
           SECRET);
    REJECT("'grading: custom' needs a graders/ directory", "problem.yaml", "type: scoring\n",
           "data/testdata.yaml", "grading: custom\n", SECRET);

    CHECK_SECTION("group structure");
    REJECT("data/secret: has both test data groups and test cases", "problem.yaml", NEW, SECRET,
           CASE("data/secret/g/1", "1\n", "1\n"));
    REJECT("every subdirectory must be a test data group", "problem.yaml", V25 "type: scoring\n",
           "data/secret/g/test_group.yaml", "max_score: 100\n",
           CASE("data/secret/g/1", "1\n", "1\n"), CASE("data/secret/h/1", "1\n", "1\n"));
    REJECT("test data groups cannot be nested here", "problem.yaml", NEW,
           CASE("data/secret/g/1", "1\n", "1\n"), "data/secret/g/deeper/test_group.yaml", "\n",
           CASE("data/secret/g/deeper/1", "1\n", "1\n"));
    REJECT("test data groups cannot be nested here", "problem.yaml", V25,
           CASE("data/sample/s/1", "1\n", "1\n"), "data/sample/s/test_group.yaml", "\n", SECRET);
    REJECT("a directory must not share its name with a test case", "problem.yaml", V25, SECRET,
           CASE("data/secret/1/2", "1\n", "1\n"));
    REJECT("group configuration belongs in", "problem.yaml", NEW, "data/test_group.yaml", "\n",
           SECRET);
    REJECT("data/secret/g: test data group without test cases", "problem.yaml", NEW,
           "data/secret/g/readme.txt", "\n");

    CHECK_SECTION("scoring rules checked at load time");
    REJECT("'max_score' is not permitted in pass-fail problems", "problem.yaml", NEW,
           "data/secret/test_group.yaml", "max_score: 5\n", SECRET);
    REJECT("'require_pass' is not permitted in sample", "problem.yaml", NEW "type: scoring\n",
           "data/sample/test_group.yaml", "require_pass: secret\n",
           CASE("data/sample/1", "1\n", "1\n"), SECRET);
    REJECT("max_score must be set", "problem.yaml", NEW "type: scoring\n",
           CASE("data/secret/g/1", "1\n", "1\n"));
    REJECT("pass-fail aggregation needs a bounded max_score", "problem.yaml",
           NEW "type: scoring\n", "data/secret/test_group.yaml", "max_score: unbounded\n",
           CASE("data/secret/g/1", "1\n", "1\n"));
    REJECT("its groups must too", "problem.yaml", NEW "type: scoring\n",
           "data/secret/test_group.yaml", "score_aggregation: pass-fail\n",
           "data/secret/g/test_group.yaml", "max_score: 100\nscore_aggregation: sum\n",
           CASE("data/secret/g/1", "1\n", "1\n"));
    REJECT("require_pass names unknown group 'secret/nope'", "problem.yaml",
           NEW "type: scoring\n", "data/secret/g/test_group.yaml",
           "max_score: 100\nrequire_pass: secret/nope\n", CASE("data/secret/g/1", "1\n", "1\n"));
    REJECT("must come before 'secret/a'", "problem.yaml", NEW "type: scoring\n",
           "data/secret/a/test_group.yaml", "max_score: 50\nrequire_pass: secret/b\n",
           CASE("data/secret/a/1", "1\n", "1\n"),
           "data/secret/b/test_group.yaml", "max_score: 50\n",
           CASE("data/secret/b/1", "1\n", "1\n"));
    REJECT("must use pass-fail aggregation", "problem.yaml", NEW "type: scoring\n",
           "data/secret/a/test_group.yaml", "max_score: 50\nscore_aggregation: sum\n",
           CASE("data/secret/a/1", "1\n", "1\n"),
           "data/secret/b/test_group.yaml", "max_score: 50\nrequire_pass: secret/a\n",
           CASE("data/secret/b/1", "1\n", "1\n"));
    REJECT("secret may only require 'sample'", "problem.yaml", NEW "type: scoring\n",
           "data/secret/test_group.yaml", "require_pass: secret/a\n",
           "data/secret/a/test_group.yaml", "max_score: 100\n",
           CASE("data/secret/a/1", "1\n", "1\n"));

    CHECK_SECTION("symlinks and special files in a folder package");
    {
        char *d = tmp_make();
        struct prb_problem *p = NULL;
        struct err e;
        tmp_write(d, "problem.yaml", "name: x\n");
        tmp_write(d, "data/secret/1.in", "1\n");
        char *link = tmp_path(d, "data/secret/1.ans");
        CHECK_INT(symlink("/etc/hostname", link), ==, 0);
        CHECK_INT(prb_package_load(d, NULL, NULL, &p, &e), ==, ERR_INVALID);
        CHECK(strstr(e.msg, "'data/secret/1.ans': points outside the package") != NULL);
        CHECK(p == NULL);
        unlink(link);
        CHECK_INT(symlink("1.in", link), ==, 0);   /* inside: fine */
        CHECK_INT(prb_package_load(d, NULL, NULL, &p, &e), ==, 0);
        prb_problem_free(p);
        p = NULL;
        char *fifo = tmp_path(d, "data/secret/2.in");
        CHECK_INT(mkfifo(fifo, 0644), ==, 0);
        CHECK_INT(prb_package_load(d, NULL, NULL, &p, &e), ==, ERR_INVALID);
        CHECK(strstr(e.msg, "not a regular file or directory") != NULL);
        unlink(fifo);
        tmp_write(d, "problem.yaml", NEW);
        tmp_write(d, "data/secret/2.ans", "2\n");
        tmp_write(d, "data/secret/2.files/ok.txt", "ok\n");
        char *leak = tmp_path(d, "data/secret/2.files/sub/leak");
        tmp_write(d, "data/secret/2.files/sub/x.txt", "x\n");
        CHECK_INT(symlink("/etc/hostname", leak), ==, 0);
        tmp_write(d, "data/secret/2.in", "2\n");
        CHECK_INT(prb_package_load(d, NULL, NULL, &p, &e), ==, ERR_INVALID);
        CHECK(strstr(e.msg, "'data/secret/2.files/sub/leak': points outside the package") != NULL);
        unlink(leak);
        CHECK_INT(mkfifo(leak, 0644), ==, 0);
        CHECK_INT(prb_package_load(d, NULL, NULL, &p, &e), ==, ERR_INVALID);
        CHECK(strstr(e.msg, "'data/secret/2.files/sub/leak': not a regular file") != NULL);
        unlink(leak);
        CHECK_INT(prb_package_load(d, NULL, NULL, &p, &e), ==, 0);
        prb_problem_free(p);
        p = NULL;
        free(leak);
        char *data = tmp_path(d, "data");
        char *outside = tmp_make();
        tmp_write(outside, "secret/1.in", "1\n");
        tmp_write(outside, "secret/1.ans", "1\n");
        tmp_remove(data);
        CHECK_INT(symlink(outside, data), ==, 0);
        CHECK_INT(prb_package_load(d, NULL, NULL, &p, &e), ==, ERR_INVALID);
        CHECK(strstr(e.msg, "'data': points outside the package") != NULL);
        char *yaml = tmp_path(d, "problem.yaml");
        unlink(yaml);
        CHECK_INT(symlink("/etc/hostname", yaml), ==, 0);
        CHECK_INT(prb_package_load(d, NULL, NULL, &p, &e), ==, ERR_INVALID);
        CHECK(strstr(e.msg, "'problem.yaml': points outside the package") != NULL);
        CHECK_INT(prb_package_load("/nonexistent/crucible", NULL, NULL, &p, &e), ==, ERR_SYSTEM);
        tmp_remove(outside);
        tmp_remove(d);
        free(yaml);
        free(outside);
        free(data);
        free(fifo);
        free(link);
        free(d);
    }
    return check_done("unit.problems.reject_packages");
}

static struct prb_problem *load_pkg(const char *dir, const char *name)
{
    char *path = tmp_path(dir, name);
    struct prb_problem *p = NULL;
    struct err e;
    if (prb_package_load(path, NULL, NULL, &p, &e) < 0)
        fprintf(stderr, "loading %s: %s\n", path, e.msg);
    free(path);
    return p;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static int strv_is(const struct prb_strv *sv, const char *const *want)
{
    size_t n = 0;
    while (want[n])
        n++;
    if (sv->n != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(sv->v[i], want[i]))
            return 0;
    return 1;
}

#define WANT(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

int test_load_legacy(const char *dir)
{
    struct prb_problem *p = load_pkg(dir, "legacyhello");
    double tl = 0;
    CHECK(p != NULL);
    if (!p)
        return check_done("unit.problems.load_legacy");
    CHECK_INT(p->format, ==, PRB_FORMAT_LEGACY);
    CHECK_STR(prb_format_name(p->format), "legacy");
    CHECK_STR(p->short_name, "legacyhello");
    CHECK(p->type == PRB_TYPE_PASS_FAIL);
    CHECK_STR(prb_problem_name(p), "Hello World");
    CHECK_INT(p->credits.authors.n, ==, 3);
    if (p->credits.authors.n == 3) {
        CHECK_STR(p->credits.authors.v[0].name, "Alice Example");
        CHECK_STR(p->credits.authors.v[2].name, "Carol Example");
    }
    CHECK_INT(p->n_sources, ==, 1);
    CHECK_STR(p->sources[0].name, "NWERC 2024");
    CHECK_STR(p->sources[0].url, "https://nwerc.example/2024");
    CHECK_STR(p->license, "cc by-sa");
    CHECK_STR(p->rights_owner, "Alice Example, Bob Example, Carol Example");
    CHECK(strv_is(&p->keywords, WANT("greeting", "simple")));
    CHECK(NEAR(p->limits.ac_to_time_limit, 3) && NEAR(p->limits.time_limit_to_tle, 1.5));
    CHECK_INT(p->limits.memory_mib, ==, 512);
    CHECK_INT(p->limits.output_mib, ==, 0);
    CHECK_INT(prb_problem_time_limit(p, &tl, NULL), ==, 0);
    CHECK(NEAR(tl, 2.5));
    CHECK(!p->custom_output_validator);
    CHECK(strv_is(&p->validator_flags, WANT("float_tolerance", "1e-6")));

    CHECK_INT(p->n_groups, ==, 4);
    CHECK_STR(p->groups[0]->name, "");
    CHECK_STR(p->groups[1]->name, "sample");
    CHECK_STR(p->groups[2]->name, "secret");
    CHECK_STR(p->groups[3]->name, "secret/a-b");
    CHECK_INT(p->n_cases, ==, 4);
    if (p->n_cases == 4) {
        /* by base name: case "a" comes before group "a-b" */
        CHECK_STR(p->cases[0]->name, "sample/1");
        CHECK_STR(p->cases[1]->name, "secret/a");
        CHECK_STR(p->cases[2]->name, "secret/a-b/1");
        CHECK_STR(p->cases[3]->name, "secret/b");
        CHECK(ends_with(p->cases[1]->in_path, "/legacyhello/data/secret/a.in"));
        CHECK(ends_with(p->cases[1]->ans_path, "/legacyhello/data/secret/a.ans"));
        CHECK(strv_is(&p->cases[1]->output_validator_args, WANT("float_tolerance", "1e-6")));
        CHECK(strv_is(&p->cases[2]->output_validator_args,
                      WANT("float_tolerance", "1e-6", "case_sensitive")));
        CHECK_INT(p->cases[0]->full_feedback, ==, 1);
        CHECK_INT(p->cases[1]->full_feedback, ==, 0);
        CHECK(p->cases[2]->group == p->groups[3]);
        CHECK_INT(p->cases[3]->index, ==, 3);
        CHECK(p->cases[1]->files_dir == NULL);
    }
    CHECK(p->sample == p->groups[1] && p->secret == p->groups[2]);
    CHECK_INT(p->secret->n_cases_below, ==, 3);
    CHECK_INT(p->root_group->n_items, ==, 2);
    prb_problem_free(p);
    return check_done("unit.problems.load_legacy");
}

int test_load_2023_07(const char *dir)
{
    struct prb_problem *p = load_pkg(dir, "draft2023");
    double tl = 0;
    CHECK(p != NULL);
    if (!p)
        return check_done("unit.problems.load_2023_07");
    CHECK_INT(p->format, ==, PRB_FORMAT_2023_07_DRAFT);
    CHECK(p->type == PRB_TYPE_SCORING);
    CHECK_INT(p->n_names, ==, 2);
    CHECK_STR(prb_problem_name(p), "Sum Game");
    CHECK_STR(p->names[1].key, "sv");
    CHECK_STR(p->uuid, "5a8e3f42-1b2c-4d5e-8f90-123456789abc");
    CHECK_STR(p->version, "1.1");
    CHECK_INT(p->credits.authors.n, ==, 1);
    CHECK_STR(p->credits.authors.v[0].email, "alice@example.com");
    CHECK_INT(p->credits.testers.n, ==, 2);
    CHECK_STR(p->credits.testers.v[0].orcid, "0000-0001-7414-8743");
    CHECK_STR(p->credits.testers.v[1].name, "Tester Two");
    CHECK_INT(p->credits.n_translators, ==, 1);
    CHECK_STR(p->credits.translators[0].lang, "sv");
    CHECK_INT(p->n_sources, ==, 2);
    CHECK_STR(p->sources[0].url, "https://2024.nwerc.example/contest");
    CHECK_STR(p->sources[1].name, "SWERC 2024");
    CHECK(p->sources[1].url == NULL);
    CHECK_STR(p->rights_owner, "Alice Example");
    CHECK_INT(p->limits.time_limit_source, ==, PRB_TL_PROBLEM_YAML);
    CHECK_INT(prb_problem_time_limit(p, &tl, NULL), ==, 0);
    CHECK(NEAR(tl, 1.5));
    CHECK(NEAR(p->limits.ac_to_time_limit, 3) && NEAR(p->limits.time_limit_to_tle, 1.5));
    CHECK_INT(p->limits.memory_mib, ==, 1024);
    CHECK(strv_is(&p->keywords, WANT("math", "greedy")));
    CHECK(strv_is(&p->languages, WANT("c", "cpp")));
    CHECK_STR(p->embargo_until, "2030-01-01");
    CHECK_INT(p->n_constants, ==, 1);
    CHECK_STR(p->constants[0].name, "max_n");
    CHECK_STR(p->constants[0].value, "100000");

    CHECK_INT(p->n_groups, ==, 5);
    CHECK_INT(p->n_cases, ==, 5);
    if (p->n_cases == 5 && p->n_groups == 5) {
        CHECK_STR(p->cases[0]->name, "sample/01");
        CHECK_STR(p->cases[1]->name, "secret/group1/01");
        CHECK_STR(p->cases[2]->name, "secret/group2/01");
        CHECK_STR(p->cases[3]->name, "secret/group2/01-small");
        CHECK_STR(p->cases[4]->name, "secret/group2/sub/01");
        struct prb_group *g1 = p->groups[3], *g2 = p->groups[4];
        CHECK_STR(g1->name, "secret/group1");
        CHECK(g1->aggregation == PRB_AGG_PASS_FAIL && NEAR(g1->max_score, 40));
        CHECK(g2->aggregation == PRB_AGG_SUM && NEAR(g2->max_score, 60));
        CHECK_INT(g2->n_require_pass, ==, 2);
        CHECK(g2->require_pass[0] == p->sample && g2->require_pass[1] == g1);
        CHECK(p->secret->aggregation == PRB_AGG_SUM && NEAR(p->secret->max_score, 100));
        CHECK(p->secret->n_require_pass == 1 && p->secret->require_pass[0] == p->sample);
        CHECK(strv_is(&p->cases[0]->output_validator_args, WANT("case_sensitive")));
        CHECK_INT(p->cases[0]->full_feedback, ==, 1);
        CHECK(strv_is(&p->cases[1]->output_validator_args, WANT("float_tolerance", "1e-6")));
        CHECK_INT(p->cases[1]->args.n, ==, 0);
        CHECK(strv_is(&p->cases[2]->args, WANT("--fast")));
        CHECK(strv_is(&p->cases[3]->output_validator_args, WANT("case_sensitive")));
        CHECK_STR(p->cases[3]->description, "both numbers zero");
        CHECK_STR(p->cases[3]->hint, "what is 0 + 0?");
        CHECK(strv_is(&p->cases[4]->args, WANT("--fast")));
        CHECK(p->cases[4]->group == g2);
        CHECK_INT(p->cases[4]->full_feedback, ==, 0);

        struct prb_case_result r[5];
        struct prb_group_result total;
        memset(r, 0, sizeof(r));
        for (int i = 0; i < 5; i++)
            r[i].verdict = PRB_VERDICT_AC;
        CHECK_INT(prb_problem_aggregate(p, r, NULL, &total, NULL), ==, 0);
        CHECK(NEAR(total.score, 100));
        r[4].verdict = PRB_VERDICT_WA;
        CHECK_INT(prb_problem_aggregate(p, r, NULL, &total, NULL), ==, 0);
        CHECK(NEAR(total.score, 80));
    }
    prb_problem_free(p);
    return check_done("unit.problems.load_2023_07");
}

int test_load_2025_09(const char *dir)
{
    struct prb_problem *p = load_pkg(dir, "v202509");
    double tl = 0;
    struct err e;
    CHECK(p != NULL);
    if (!p)
        return check_done("unit.problems.load_2025_09");
    CHECK_INT(p->format, ==, PRB_FORMAT_2025_09);
    CHECK(p->type == (PRB_TYPE_PASS_FAIL | PRB_TYPE_INTERACTIVE));
    CHECK(p->custom_output_validator);
    CHECK_STR(prb_problem_name(p), "Guess the Number");
    CHECK_STR(p->names[0].key, "en");
    CHECK_INT(p->credits.authors.n, ==, 1);
    CHECK_STR(p->credits.authors.v[0].name, "Jane Doe");
    CHECK_STR(p->credits.authors.v[0].email, "jane@example.com");
    CHECK_STR(p->license, "cc0");
    CHECK_STR(p->rights_owner, "Jane Doe");
    CHECK_INT(p->n_constants, ==, 1);
    CHECK_STR(p->constants[0].value, "1000000");
    CHECK_INT(p->constants[0].n_variants, ==, 1);
    CHECK_STR(p->constants[0].variants[0].key, "tex");
    CHECK_STR(p->constants[0].variants[0].value, "10^6");

    CHECK_INT(p->limits.time_limit_source, ==, PRB_TL_NONE);
    CHECK_INT(prb_problem_time_limit(p, &tl, &e), ==, ERR_NOTFOUND);
    CHECK(NEAR(p->limits.time_resolution, 0.5));
    CHECK_INT(prb_time_limit_compute(p, 0.3, INFINITY, &tl, &e), ==, 0);
    CHECK(NEAR(tl, 1.0));   /* 0.75 up to a multiple of 0.5 */
    CHECK_INT(prb_time_limit_compute(p, 0.2, INFINITY, &tl, &e), ==, 0);
    CHECK(NEAR(tl, 0.5));
    CHECK_INT(prb_time_limit_compute(p, 0.3, 1.1, &tl, &e), ==, ERR_INVALID);   /* 1.0 * 1.2 */

    CHECK_INT(p->n_groups, ==, 3);
    CHECK_INT(p->n_cases, ==, 3);
    if (p->n_cases == 3) {
        CHECK_STR(p->cases[0]->name, "sample/1");
        CHECK(p->cases[0]->interaction_path && ends_with(p->cases[0]->interaction_path,
                                                         "data/sample/1.interaction"));
        CHECK_STR(p->cases[1]->name, "secret/01-small");
        CHECK(p->cases[1]->files_dir && ends_with(p->cases[1]->files_dir,
                                                  "data/secret/01-small.files"));
        CHECK_STR(p->cases[2]->name, "secret/more/02");
        CHECK(p->cases[2]->group == p->secret);
        CHECK(strv_is(&p->cases[2]->args, WANT("--interactive")));
        CHECK_INT(p->cases[0]->args.n, ==, 0);
    }
    prb_problem_free(p);
    return check_done("unit.problems.load_2025_09");
}
