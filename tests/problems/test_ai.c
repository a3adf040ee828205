/*
 * test_ai.c: AI problems. ai_metrics checks every built-in metric, through
 * prb_ai_score_file (solution and prediction CSVs written here) and
 * prb_ai_metric_compute, against ai_fixtures/metrics.txt, whose values
 * scikit-learn computed (make_fixtures.py). ai_predictions checks the
 * validation of prediction files and its messages; ai_package the
 * `crucible: ai:` block of problem.yaml.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/check.h"
#include "tests.h"

#define TOL 1e-9

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t alloc = 1 << 16, len = 0, n;
    char *s = malloc(alloc);
    while (s && (n = fread(s + len, 1, alloc - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == alloc)
            s = realloc(s, alloc *= 2);
    }
    fclose(f);
    if (s)
        s[len] = '\0';
    return s;
}

/* Appends s as a quoted CSV field, then sep. */
static void csv_field(struct buf *b, const char *s, const char *sep)
{
    buf_adds(b, "\"");
    for (; *s; s++) {
        buf_add(b, s, 1);
        if (*s == '"')
            buf_add(b, "\"", 1);
    }
    buf_adds(b, "\"");
    buf_adds(b, sep);
}

static void strv_set(struct prb_strv *sv, size_t n, char **names)
{
    sv->v = calloc(n + 1, sizeof(*sv->v));
    sv->n = n;
    for (size_t i = 0; i < n; i++)
        sv->v[i] = strdup(names[i]);
}

static void strv_free(struct prb_strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = 0;
}

static int near(double a, double b)
{
    return fabs(a - b) <= TOL * fmax(1.0, fabs(b));
}

/* ---- ai_metrics ---- */

#define MAX_FIELDS 16

struct frow {
    int public;
    char *f[MAX_FIELDS];        /* truth, then one value per column */
};

struct fcase {
    char *name, *metric;
    char *cols[MAX_FIELDS];
    size_t ncols;
    struct frow *rows;
    size_t nrows, alloc;
    double expect_pub, expect_priv;
};

static size_t split_tabs(char *line, char **f, size_t max)
{
    size_t n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

/* Scores one fixture case through the files and in memory. */
static void run_case(const struct fcase *c, const char *dir, int variant)
{
    struct prb_ai ai;
    struct err err = { 0 };
    struct buf sol, pred;
    char tname[64];

    memset(&ai, 0, sizeof(ai));
    CHECK(prb_ai_metric_parse(c->metric, &ai.metric, &ai.k) == 0);
    ai.id_column = "id";
    ai.split_column = "usage";
    strv_set(&ai.prediction_columns, c->ncols, (char **)c->cols);
    ai.max_prediction_bytes = PRB_AI_DEFAULT_PREDICTION_BYTES;
    ai.predictions_file = "predictions.csv";
    ai.solution_path = tmp_path(dir, "solution.csv");

    /* The solution: id, truth, usage; the truth column is named like the
     * prediction column (or "label" for multiclass log_loss). Every other
     * case uses CRLF and a byte order mark, and puts the usage first. */
    const char *eol = variant ? "\r\n" : "\n";
    buf_init(&sol, 0);
    buf_init(&pred, 0);
    if (variant)
        buf_adds(&sol, "\xEF\xBB\xBF");
    buf_addf(&sol, variant ? "usage,id,%s%s" : "id,%s,usage%s", c->ncols == 1 ? c->cols[0] : "label", eol);
    for (size_t r = 0; r < c->nrows; r++) {
        snprintf(tname, sizeof(tname), "r%zu", r);
        const char *u = c->rows[r].public ? (r % 2 ? "Public" : "public") : (r % 3 ? "PRIVATE" : "private");
        if (variant)
            csv_field(&sol, u, ",");
        csv_field(&sol, tname, ",");
        csv_field(&sol, c->rows[r].f[0], variant ? eol : ",");
        if (!variant)
            csv_field(&sol, u, eol);
    }
    /* The predictions: columns reversed, the id last, rows reversed. */
    for (size_t j = c->ncols; j-- > 0;)
        csv_field(&pred, c->cols[j], ",");
    buf_addf(&pred, "id%s", eol);
    for (size_t r = c->nrows; r-- > 0;) {
        for (size_t j = c->ncols; j-- > 0;)
            csv_field(&pred, c->rows[r].f[1 + j], ",");
        snprintf(tname, sizeof(tname), "r%zu", r);
        csv_field(&pred, tname, r ? eol : "");   /* the last line without a newline */
    }
    tmp_write(dir, "solution.csv", sol.buf);
    tmp_write(dir, "predictions.csv", pred.buf);
    char *pp = tmp_path(dir, "predictions.csv");
    struct prb_ai_score sc;
    int rc = prb_ai_score_file(&ai, pp, &sc, &err);
    if (rc < 0)
        fprintf(stderr, "case %s: %s\n", c->name, err.msg);
    CHECK_INT(rc, ==, 0);
    size_t npub = 0;
    for (size_t r = 0; r < c->nrows; r++)
        npub += c->rows[r].public;
    CHECK_INT(sc.rows_public, ==, npub);
    CHECK_INT(sc.rows_private, ==, c->nrows - npub);
    if (!near(sc.public_score, c->expect_pub) || !near(sc.private_score, c->expect_priv))
        fprintf(stderr, "case %s: got %.17g %.17g, want %.17g %.17g\n", c->name, sc.public_score,
                sc.private_score, c->expect_pub, c->expect_priv);
    CHECK(near(sc.public_score, c->expect_pub));
    CHECK(near(sc.private_score, c->expect_priv));

    /* In memory, the public rows. */
    const char **truth = calloc(c->nrows + 1, sizeof(*truth)), **pv = calloc(c->nrows + 1, sizeof(*pv));
    double *num = calloc(c->nrows * c->ncols + 1, sizeof(*num));
    size_t n = 0;
    for (size_t r = 0; r < c->nrows; r++) {
        if (!c->rows[r].public)
            continue;
        truth[n] = c->rows[r].f[0];
        pv[n] = c->rows[r].f[1];
        for (size_t j = 0; j < c->ncols; j++)
            num[n * c->ncols + j] = strtod(c->rows[r].f[1 + j], NULL);
        n++;
    }
    struct prb_ai_rows rows = { .n = n, .truth = truth, .pred = pv, .pred_num = num, .n_cols = c->ncols,
                                .classes = (const char *const *)c->cols };
    double v = -1;
    CHECK_INT(prb_ai_metric_compute(ai.metric, ai.k, &rows, &v, &err), ==, 0);
    if (!near(v, c->expect_pub))
        fprintf(stderr, "case %s (in memory): got %.17g, want %.17g\n", c->name, v, c->expect_pub);
    CHECK(near(v, c->expect_pub));
    free(truth);
    free(pv);
    free(num);
    free(pp);
    free(ai.solution_path);
    strv_free(&ai.prediction_columns);
    buf_release(&sol);
    buf_release(&pred);
}

int test_ai_metrics(const char *fixtures)
{
    char *text = read_all(fixtures);
    char *dir = tmp_make();
    struct fcase c;
    size_t ncases = 0;
    int seen[PRB_AI_CUSTOM + 1] = { 0 };

    CHECK(text != NULL);
    if (!text)
        return check_done("ai_metrics");
    memset(&c, 0, sizeof(c));
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[MAX_FIELDS + 3];
        if (line[0] == '#')
            continue;
        size_t n = split_tabs(line, f, MAX_FIELDS + 3);
        if (!strcmp(f[0], "case") && n == 2) {
            c.name = f[1];
        } else if (!strcmp(f[0], "metric") && n == 2) {
            c.metric = f[1];
        } else if (!strcmp(f[0], "columns")) {
            c.ncols = n - 1;
            for (size_t i = 1; i < n; i++)
                c.cols[i - 1] = f[i];
        } else if (!strcmp(f[0], "row")) {
            CHECK_INT(n, ==, 3 + c.ncols);
            if (c.nrows == c.alloc)
                c.rows = realloc(c.rows, (c.alloc = c.alloc ? c.alloc * 2 : 64) * sizeof(*c.rows));
            struct frow *r = &c.rows[c.nrows++];
            r->public = !strcmp(f[1], "public");
            for (size_t i = 2; i < n; i++)
                r->f[i - 2] = f[i];
        } else if (!strcmp(f[0], "expect") && n == 3) {
            c.expect_pub = strtod(f[1], NULL);
            c.expect_priv = strtod(f[2], NULL);
        } else if (!strcmp(f[0], "end")) {
            CHECK_SECTION(c.name);
            enum prb_ai_metric m;
            int k;
            if (prb_ai_metric_parse(c.metric, &m, &k) == 0)
                seen[m] = 1;
            run_case(&c, dir, (int)(ncases % 2));
            ncases++;
            free(c.rows);
            memset(&c, 0, sizeof(c));
        } else {
            fprintf(stderr, "%s: bad line '%s'\n", fixtures, f[0]);
            CHECK(0);
        }
    }
    CHECK_SECTION("every built-in metric has fixtures");
    for (int m = 0; m < PRB_AI_CUSTOM; m++)
        CHECK(seen[m]);
    CHECK_INT(ncases, >=, 20);
    free(text);
    tmp_remove(dir);
    free(dir);
    return check_done("ai_metrics");
}

/* ---- ai_predictions ---- */

static struct err last;

/* Scores the prediction text against ai; the message lands in `last`. */
static int score_text(const struct prb_ai *ai, const char *dir, const char *text, struct prb_ai_score *sc)
{
    struct prb_ai_score dummy;
    tmp_write(dir, "p.csv", text);
    char *p = tmp_path(dir, "p.csv");
    err_clear(&last);
    int rc = prb_ai_score_file(ai, p, sc ? sc : &dummy, &last);
    free(p);
    /* No message ever shows a truth value: they all contain "SECRET". */
    if (strstr(last.msg, "SECRET"))
        fprintf(stderr, "message leaks the truth: %s\n", last.msg);
    CHECK(strstr(last.msg, "SECRET") == NULL);
    return rc;
}

#define BAD(ai, text, want) do { \
    CHECK_INT(score_text(ai, dir, text, NULL), ==, ERR_INVALID); \
    if (strcmp(last.msg, want)) \
        fprintf(stderr, "%s:%d: message \"%s\"\n   wanted \"%s\"\n", __FILE__, __LINE__, last.msg, want); \
    CHECK_STR(last.msg, want); \
} while (0)

#define BAD_HAS(ai, text, want) do { \
    CHECK_INT(score_text(ai, dir, text, NULL), ==, ERR_INVALID); \
    if (!strstr(last.msg, want)) \
        fprintf(stderr, "%s:%d: message \"%s\" lacks \"%s\"\n", __FILE__, __LINE__, last.msg, want); \
    CHECK(strstr(last.msg, want) != NULL); \
} while (0)

static const char *const SOL =
    "id,label,usage\n"
    "x1,SECRETa,public\n"
    "x2,SECRETb,private\n"
    "x3,SECRETa,public\n"
    "x4,SECRETc,private\n"
    "x5,SECRETb,private\n"
    "x6,SECRETa,public\n";

static const char *const SOL_NUM =
    "id,p,usage\n"
    "x1,1,public\n"
    "x2,0,private\n"
    "x3,1,public\n"
    "x4,0,private\n";

int test_ai_predictions(const char *unused)
{
    (void)unused;
    char *dir = tmp_make();
    struct prb_ai ai, num;
    struct prb_ai_score sc;
    char *label[] = { "label" }, *pcol[] = { "p" };

    memset(&ai, 0, sizeof(ai));
    ai.metric = PRB_AI_ACCURACY;
    ai.id_column = "id";
    ai.split_column = "usage";
    strv_set(&ai.prediction_columns, 1, label);
    ai.max_prediction_bytes = PRB_AI_DEFAULT_PREDICTION_BYTES;
    ai.predictions_file = "predictions.csv";
    ai.solution_path = tmp_path(dir, "solution.csv");
    tmp_write(dir, "solution.csv", SOL);
    num = ai;
    num.metric = PRB_AI_RMSE;
    memset(&num.prediction_columns, 0, sizeof(num.prediction_columns));
    strv_set(&num.prediction_columns, 1, pcol);
    num.solution_path = tmp_path(dir, "solution_num.csv");
    tmp_write(dir, "solution_num.csv", SOL_NUM);

    CHECK_SECTION("a good file, in any row and column order, with quotes, CRLF and BOM");
    CHECK_INT(score_text(&ai, dir, "\xEF\xBB\xBFlabel,id\r\n\"SECRETa\",x6\r\nSECRETb,x1\r\nSECRETa,\"x3\"\r\n"
                         "x,x2\r\n\r\nSECRETc,x4\r\n\"SECRETb\",x5", &sc), ==, 0);
    CHECK(near(sc.public_score, 2.0 / 3));
    CHECK(near(sc.private_score, 2.0 / 3));
    CHECK_INT(sc.rows_public, ==, 3);
    CHECK_INT(sc.rows_private, ==, 3);

    CHECK_SECTION("duplicate, unknown and missing ids");
    BAD(&ai, "id,label\nx1,a\nx2,a\nx2,b\nx3,a\nx4,a\nx5,a\nx6,a\n",
        "predictions.csv line 4: id 'x2' appears twice (first on line 3)");
    BAD(&ai, "id,label\nx1,a\nx2,a\nx3,a\n",
        "predictions.csv: missing predictions for 3 ids (first: 'x4')");
    BAD(&ai, "id,label\nx1,a\nx2,a\nx3,a\nx4,a\nx5,a\n",
        "predictions.csv: missing predictions for 1 id (first: 'x6')");
    BAD(&ai, "id,label\nx1,a\nx2,a\nzz,a\nx3,a\nx4,a\nx5,a\nx6,a\n",
        "predictions.csv line 4: id 'zz' is not in the test set");
    BAD(&ai, "id,label\nx1,a\nx2,a\n,a\nx3,a\nx4,a\nx5,a\nx6,a\n",
        "predictions.csv line 4: the id is empty");
    BAD(&ai, "id,label\nx1 ,a\nx2,a\nx3,a\nx4,a\nx5,a\nx6,a\n",
        "predictions.csv line 2: id 'x1 ' is not in the test set; missing predictions for 1 id (first: 'x1')");
    BAD(&ai, "id,label\n\"x\001\377" "0123456789012345678901234567890123456789\",a\n",
        "predictions.csv line 2: id 'x??0123456789012345678901234567890123456...' is not in the test set; "
        "missing predictions for 6 ids (first: 'x1')");
    BAD(&ai, "id,label\ny1,a\ny2,a\ny3,a\ny4,a\ny5,a\n",
        "predictions.csv line 2: id 'y1' is not in the test set; line 3: id 'y2' is not in the test set; "
        "line 4: id 'y3' is not in the test set; and 3 more problems");

    CHECK_SECTION("wrong columns");
    BAD(&ai, "id,prediction\nx1,a\n", "predictions.csv: column 'prediction' is not expected; "
        "column 'label' is missing");
    BAD(&ai, "ID,label\nx1,a\n", "predictions.csv: column 'ID' is not expected; column 'id' is missing");
    BAD(&ai, "id,label,label\nx1,a,b\n", "predictions.csv: column 'label' appears twice");
    BAD(&ai, "id,label,extra\nx1,a,b\n", "predictions.csv: column 'extra' is not expected");
    BAD(&ai, "", "predictions.csv: empty (a header row is required)");
    BAD(&ai, "\n\r\n", "predictions.csv: empty (a header row is required)");

    CHECK_SECTION("CSV syntax");
    BAD(&ai, "id,label\nx1,a\nx2,a,b\n", "predictions.csv line 3: 3 fields, but the header has 2");
    BAD(&ai, "id,label\nx1,a\nx2\n", "predictions.csv line 3: 1 fields, but the header has 2");
    BAD(&ai, "id,label\nx1,\"a\n\nb\n", "predictions.csv line 2: a quoted field is not closed");
    BAD(&ai, "id,label\nx1,\"a\"b\n", "predictions.csv line 2: text after a closing quote");
    BAD(&ai, "id,label\nx1,a\"b\n", "predictions.csv line 2: a quote inside an unquoted field "
        "(quote the whole field and double the quote)");
    BAD(&ai, "id,label\nx1,a\rb\n", "predictions.csv line 2: a carriage return outside quotes that does "
        "not end the line");
    CHECK_INT(score_text(&ai, dir, "id,label\nx1,a\n\"x2\",\"multi\nline, \"\"quoted\"\"\"\nx3,a\n"
                         "x4,a\nx5,a\nx6,a\nx7,a\n", NULL), ==, ERR_INVALID);
    CHECK_STR(last.msg, "predictions.csv line 9: id 'x7' is not in the test set");   /* lines counted inside quotes */
    CHECK_INT(score_text(&ai, dir, "id,label\nx1\0,a\n", NULL), ==, ERR_INVALID);  /* text ends at the NUL */

    CHECK_SECTION("numbers: strict, finite");
    BAD(&num, "id,p\nx1,1\nx2,abc\nx3,1\nx4,0\n",
        "predictions.csv line 3, column 'p': 'abc' is not a number");
    BAD(&num, "id,p\nx1,nan\nx2,inf\nx3,-Infinity\nx4,1e999\n",
        "predictions.csv line 2, column 'p': 'nan' is not a finite number; line 3, column 'p': 'inf' is not "
        "a finite number; line 4, column 'p': '-Infinity' is not a finite number; and 1 more problem");
    BAD(&num, "id,p\nx1,\nx2, 1\nx3,0x10\nx4,1\n",
        "predictions.csv line 2, column 'p': '' is not a number; line 3, column 'p': ' 1' is not a number; "
        "line 4, column 'p': '0x10' is not a number");
    BAD(&num, "id,p\nx1,1 \nx2,1\nx3,1\nx4,1\n", "predictions.csv line 2, column 'p': '1 ' is not a number");
    CHECK_INT(score_text(&num, dir, "id,p\nx1,1.5\nx2,-1e-1\nx3,+2\nx4,.5\n", &sc), ==, 0);
    CHECK(near(sc.public_score, sqrt((0.25 + 1) / 2)));
    CHECK(near(sc.private_score, sqrt((0.01 + 0.25) / 2)));

    CHECK_SECTION("log_loss: probabilities in [0, 1]");
    num.metric = PRB_AI_LOG_LOSS;
    BAD(&num, "id,p\nx1,1.5\nx2,-0.1\nx3,1\nx4,0\n",
        "predictions.csv line 2, column 'p': '1.5' is not a probability between 0 and 1; "
        "line 3, column 'p': '-0.1' is not a probability between 0 and 1");
    CHECK_INT(score_text(&num, dir, "id,p\nx1,1\nx2,0\nx3,1\nx4,0\n", &sc), ==, 0);
    CHECK(sc.public_score < 1e-12 && sc.private_score < 1e-12);

    CHECK_SECTION("the size limit");
    ai.max_prediction_bytes = 20;
    BAD(&ai, "id,label\nx1,a\nx2,a\nx3,a\n", "predictions.csv: larger than the limit of 20 bytes");
    ai.max_prediction_bytes = PRB_AI_DEFAULT_PREDICTION_BYTES;
    ai.predictions_file = "out.csv";
    BAD(&ai, "id,label\n", "out.csv: missing predictions for 6 ids (first: 'x1')");
    ai.predictions_file = "predictions.csv";

    CHECK_SECTION("public ids from a file");
    tmp_write(dir, "ids.txt", "x2\r\n\n  x4 \nx2\n");
    ai.split_column = NULL;
    ai.public_ids_path = tmp_path(dir, "ids.txt");
    tmp_write(dir, "solution2.csv", "label,id\nSECRETa,x1\nSECRETb,x2\nSECRETc,x3\nSECRETd,x4\n");
    char *sol1 = ai.solution_path;
    ai.solution_path = tmp_path(dir, "solution2.csv");
    CHECK_INT(score_text(&ai, dir, "id,label\nx1,SECRETa\nx2,SECRETb\nx3,q\nx4,q\n", &sc), ==, 0);
    CHECK_INT(sc.rows_public, ==, 2);
    CHECK(near(sc.public_score, 0.5));
    CHECK(near(sc.private_score, 0.5));
    size_t np = 0, nv = 0;
    CHECK_INT(prb_ai_solution_check(&ai, &np, &nv, &last), ==, 0);
    CHECK_INT(np, ==, 2);
    CHECK_INT(nv, ==, 2);
    tmp_write(dir, "ids.txt", "x2\nx9\n");
    CHECK_INT(prb_ai_solution_check(&ai, NULL, NULL, &last), ==, ERR_INVALID);
    CHECK_STR(last.msg, "ids.txt line 2: id 'x9' is not in ai/solution.csv");

    CHECK_SECTION("a broken solution is a judge error, not the contestant's");
    CHECK_INT(score_text(&ai, dir, "id,label\nx1,a\n", NULL), ==, ERR_SYSTEM);
    free(ai.public_ids_path);
    ai.public_ids_path = NULL;
    ai.split_column = "usage";
    CHECK_INT(score_text(&ai, dir, "id,label\nx1,a\n", NULL), ==, ERR_SYSTEM);
    CHECK_STR(last.msg, "ai/solution.csv: column 'usage' is missing");
    tmp_write(dir, "solution2.csv", "id,label,usage\nx1,SECRETa,public\nx2,SECRETb,hidden\n");
    CHECK_INT(prb_ai_solution_check(&ai, NULL, NULL, &last), ==, ERR_INVALID);
    CHECK_STR(last.msg, "ai/solution.csv line 3, column 'usage': must be public or private");
    tmp_write(dir, "solution2.csv", "id,p,usage\nx1,SECRET,public\n");
    CHECK_INT(prb_ai_solution_check(&num, NULL, NULL, &last), ==, 0);   /* num still reads SOL_NUM */
    char *sn = num.solution_path;
    num.solution_path = ai.solution_path;
    num.metric = PRB_AI_RMSE;
    CHECK_INT(prb_ai_solution_check(&num, NULL, NULL, &last), ==, ERR_INVALID);
    CHECK_STR(last.msg, "ai/solution.csv line 2, column 'p': the value is not a finite number");
    CHECK(strstr(last.msg, "SECRET") == NULL);
    num.metric = PRB_AI_ROC_AUC;
    CHECK_INT(prb_ai_solution_check(&num, NULL, NULL, &last), ==, ERR_INVALID);
    CHECK_STR(last.msg, "ai/solution.csv line 2, column 'p': the value must be 0 or 1");
    tmp_write(dir, "solution2.csv", "id,p,usage\nx1,1,public\nx1,0,public\n");
    CHECK_INT(prb_ai_solution_check(&num, NULL, NULL, &last), ==, ERR_INVALID);
    CHECK_STR(last.msg, "ai/solution.csv line 3: id 'x1' appears twice");
    num.solution_path = sn;
    free(ai.solution_path);
    ai.solution_path = sol1;

    CHECK_SECTION("custom metrics are the scorer's");
    ai.metric = PRB_AI_CUSTOM;
    CHECK_INT(score_text(&ai, dir, "id,label\n", NULL), ==, ERR_UNSUPPORTED);

    CHECK_SECTION("metric names");
    enum prb_ai_metric m;
    int k;
    char nb[32];
    CHECK_INT(prb_ai_metric_parse("map@10", &m, &k), ==, 0);
    CHECK_INT(m, ==, PRB_AI_MAP_AT_K);
    CHECK_INT(k, ==, 10);
    CHECK_STR(prb_ai_metric_name(m, k, nb, sizeof(nb)), "map@10");
    CHECK_INT(prb_ai_metric_parse("ndcg@1", &m, &k), ==, 0);
    CHECK_STR(prb_ai_metric_name(m, k, nb, sizeof(nb)), "ndcg@1");
    CHECK_INT(prb_ai_metric_parse("log_loss", &m, &k), ==, 0);
    CHECK_INT(prb_ai_metric_maximize(m), ==, 0);
    CHECK_INT(prb_ai_metric_maximize(PRB_AI_ROC_AUC), ==, 1);
    const char *bad[] = { "map", "map@0", "map@10001", "map@x", "accuracy@3", "Accuracy", "", "ndcg@ 3", NULL };
    for (size_t i = 0; bad[i]; i++)
        CHECK_INT(prb_ai_metric_parse(bad[i], &m, &k), ==, ERR_INVALID);

    free(num.solution_path);
    free(ai.solution_path);
    strv_free(&ai.prediction_columns);
    strv_free(&num.prediction_columns);
    tmp_remove(dir);
    free(dir);
    return check_done("ai_predictions");
}

/* ---- ai_package ---- */

/* Writes path/text pairs (NULL-terminated) into a fresh folder and loads
 * it; *out gets the problem (or NULL), the message lands in `last`. */
static int load_ai(struct prb_problem **out, const char *first, ...)
{
    va_list ap;
    char *dir = tmp_make();
    va_start(ap, first);
    for (const char *path = first; path; path = va_arg(ap, const char *))
        tmp_write(dir, path, va_arg(ap, const char *));
    va_end(ap);
    err_clear(&last);
    *out = NULL;
    int rc = prb_package_load(dir, NULL, NULL, out, &last);
    if (rc < 0 && *out)
        rc = 1;
    tmp_remove(dir);
    free(dir);
    return rc;
}

#define SOLFILE "ai/solution.csv", "id,label,usage\na,x,public\nb,y,private\n"

#define AI_REJECT(want, yaml, ...) do { \
    struct prb_problem *p_; \
    CHECK_INT(load_ai(&p_, "problem.yaml", yaml, __VA_ARGS__, (const char *)NULL), ==, ERR_INVALID); \
    prb_problem_free(p_); \
    if (!strstr(last.msg, want)) \
        fprintf(stderr, "%s:%d: message \"%s\" lacks \"%s\"\n", __FILE__, __LINE__, last.msg, want); \
    CHECK(strstr(last.msg, want) != NULL); \
} while (0)

#define HEAD "name: X\ncrucible:\n  ai:\n"
#define HEAD_NEW "problem_format_version: 2023-07-draft\nname: X\nuuid: x\ncrucible:\n  ai:\n"

static int ends_with(const char *s, const char *suffix)
{
    size_t a = s ? strlen(s) : 0, b = strlen(suffix);
    return s && a >= b && !strcmp(s + a - b, suffix);
}

int test_ai_package(const char *unused)
{
    (void)unused;
    struct prb_problem *p;

    CHECK_SECTION("a minimal AI package: no data/, defaults");
    CHECK_INT(load_ai(&p, "problem.yaml", HEAD "    metric: accuracy\n    split_column: usage\n", SOLFILE,
                      (const char *)NULL), ==, 0);
    if (!p || !p->ai)
        fprintf(stderr, "load failed: %s\n", last.msg);
    CHECK(p && p->ai);
    if (p && p->ai) {
        const struct prb_ai *ai = p->ai;
        CHECK_INT(ai->metric, ==, PRB_AI_ACCURACY);
        CHECK_INT(ai->maximize, ==, 1);
        CHECK_STR(ai->id_column, "id");
        CHECK_INT(ai->prediction_columns.n, ==, 1);
        CHECK_STR(ai->prediction_columns.v[0], "prediction");
        CHECK_STR(ai->split_column, "usage");
        CHECK(ai->public_ids_path == NULL);
        CHECK_INT(ai->precision, ==, 5);
        CHECK_INT(ai->max_prediction_bytes, ==, 10 << 20);
        CHECK_INT(ai->gpus, ==, 0);
        CHECK_STR(ai->predictions_file, "predictions.csv");
        CHECK(ai->public_dir == NULL);
        CHECK(ends_with(ai->solution_path, "/ai/solution.csv") && ai->solution_path[0] == '/');
        CHECK(ai->scorer_dir == NULL);
        CHECK_INT(p->n_cases, ==, 0);
        CHECK_INT(p->n_groups, ==, 2);
        CHECK(p->secret && p->root_group && p->sample == NULL);
        struct prb_group_result total;
        CHECK_INT(prb_problem_aggregate(p, NULL, NULL, &total, &last), ==, 0);
        CHECK_INT(total.verdict, ==, PRB_VERDICT_AC);
    }
    prb_problem_free(p);

    CHECK_SECTION("every key, 2023-07 format");
    CHECK_INT(load_ai(&p, "problem.yaml", HEAD_NEW "    metric: log_loss\n    direction: maximize\n"
                      "    id_column: row\n    prediction_columns: [a, b, c]\n    public_ids: ai/pub.txt\n"
                      "    precision: 3\n    max_prediction_bytes: 2M\n    gpus: 1\n"
                      "    predictions_file: out.csv\n",
                      "ai/solution.csv", "row,label\n1,a\n2,b\n", "ai/pub.txt", "1\n",
                      "ai/public/test.csv", "row,f\n1,0.5\n", (const char *)NULL), ==, 0);
    if (!p)
        fprintf(stderr, "load failed: %s\n", last.msg);
    if (p && p->ai) {
        const struct prb_ai *ai = p->ai;
        CHECK_INT(ai->metric, ==, PRB_AI_LOG_LOSS);
        CHECK_INT(ai->maximize, ==, 1);
        CHECK_STR(ai->id_column, "row");
        CHECK_INT(ai->prediction_columns.n, ==, 3);
        CHECK_STR(ai->prediction_columns.v[2], "c");
        CHECK(ends_with(ai->public_ids_path, "/ai/pub.txt"));
        CHECK_INT(ai->precision, ==, 3);
        CHECK_INT(ai->max_prediction_bytes, ==, 2 << 20);
        CHECK_INT(ai->gpus, ==, 1);
        CHECK_STR(ai->predictions_file, "out.csv");
        CHECK(ends_with(ai->public_dir, "/ai/public"));
    }
    prb_problem_free(p);

    CHECK_SECTION("natural directions; k; custom with a scorer");
    CHECK_INT(load_ai(&p, "problem.yaml", HEAD "    metric: rmse\n    split_column: usage\n"
                      "    prediction_columns: [label]\n",
                      "ai/solution.csv", "id,label,usage\na,1.5,public\n", (const char *)NULL), ==, 0);
    CHECK(p && p->ai && p->ai->maximize == 0);
    prb_problem_free(p);
    CHECK_INT(load_ai(&p, "problem.yaml", HEAD "    metric: ndcg@7\n    split_column: usage\n", SOLFILE,
                      (const char *)NULL), ==, 0);
    CHECK(p && p->ai && p->ai->metric == PRB_AI_NDCG_AT_K && p->ai->k == 7 && p->ai->maximize == 1);
    prb_problem_free(p);
    CHECK_INT(load_ai(&p, "problem.yaml", HEAD "    metric: custom\n    direction: minimize\n",
                      "ai/solution.csv", "anything at all\n\"", "ai/scorer/score.py", "print(1)\n",
                      (const char *)NULL), ==, 0);
    CHECK(p && p->ai && p->ai->metric == PRB_AI_CUSTOM && p->ai->maximize == 0 &&
          ends_with(p->ai->scorer_dir, "/ai/scorer"));
    prb_problem_free(p);

    CHECK_SECTION("with data/ the test data loads as usual");
    CHECK_INT(load_ai(&p, "problem.yaml", HEAD "    metric: accuracy\n    split_column: usage\n", SOLFILE,
                      "data/secret/1.in", "1\n", "data/secret/1.ans", "1\n", (const char *)NULL), ==, 0);
    CHECK(p && p->n_cases == 1 && p->ai);
    prb_problem_free(p);

    CHECK_SECTION("bad blocks name problem.yaml and the line");
    AI_REJECT("problem.yaml:4: unknown metric 'foo'", HEAD "    metric: foo\n    split_column: usage\n", SOLFILE);
    AI_REJECT("problem.yaml:4: unknown metric 'map@0'", HEAD "    metric: map@0\n    split_column: usage\n",
              SOLFILE);
    AI_REJECT("problem.yaml:4: unknown metric 'map'", HEAD "    metric: map\n    split_column: usage\n", SOLFILE);
    AI_REJECT("problem.yaml:4: 'ai' needs a metric", HEAD "    split_column: usage\n", SOLFILE);
    AI_REJECT("problem.yaml:3: 'ai' needs a metric", "name: X\ncrucible:\n  ai:\n", SOLFILE);
    AI_REJECT("problem.yaml:4: 'ai': give split_column or public_ids, not both",
              HEAD "    metric: accuracy\n    split_column: usage\n    public_ids: ai/ids.txt\n", SOLFILE,
              "ai/ids.txt", "a\n");
    AI_REJECT("problem.yaml:4: 'ai' needs split_column or public_ids",
              HEAD "    metric: accuracy\n", SOLFILE);
    AI_REJECT("problem.yaml:5: unknown key 'labels' in 'ai'",
              HEAD "    metric: accuracy\n    labels: x\n", SOLFILE);
    AI_REJECT("problem.yaml:5: 'direction' must be maximize or minimize",
              HEAD "    metric: accuracy\n    direction: up\n    split_column: usage\n", SOLFILE);
    AI_REJECT("problem.yaml:4: metric 'accuracy' takes one prediction column",
              HEAD "    metric: accuracy\n    split_column: usage\n    prediction_columns: [a, b]\n", SOLFILE);
    AI_REJECT("'prediction_columns': 'a' appears twice",
              HEAD "    metric: log_loss\n    split_column: usage\n    prediction_columns: [a, a]\n", SOLFILE);
    AI_REJECT("problem.yaml:6: 'precision' must be between 0 and 12",
              HEAD "    metric: accuracy\n    split_column: usage\n    precision: 13\n", SOLFILE);
    AI_REJECT("problem.yaml:6: 'max_prediction_bytes' must be a size",
              HEAD "    metric: accuracy\n    split_column: usage\n    max_prediction_bytes: 0\n", SOLFILE);
    AI_REJECT("problem.yaml:6: 'predictions_file' must be a plain file name",
              HEAD "    metric: accuracy\n    split_column: usage\n    predictions_file: ../x.csv\n", SOLFILE);
    AI_REJECT("problem.yaml:6: 'gpus' must be between 0 and 64",
              HEAD "    metric: accuracy\n    split_column: usage\n    gpus: -1\n", SOLFILE);
    AI_REJECT("'id' is both a prediction column and the id or split column",
              HEAD "    metric: accuracy\n    split_column: usage\n    prediction_columns: [id]\n", SOLFILE);
    AI_REJECT("an AI problem ('crucible: ai') must be of type pass-fail",
              "problem_format_version: 2023-07-draft\nname: X\nuuid: x\ntype: scoring\ncrucible:\n  ai:\n"
              "    metric: accuracy\n    split_column: usage\n", SOLFILE);
    AI_REJECT("problem.yaml:3: 'ai' must be a map", "name: X\ncrucible:\n  ai: accuracy\n", SOLFILE);

    CHECK_SECTION("missing and bad files are named");
    AI_REJECT("'ai/solution.csv': missing", HEAD "    metric: accuracy\n    split_column: usage\n",
              "ai/public/x.csv", "id\n");
    AI_REJECT("'ai/ids.txt': missing (named by 'public_ids')",
              HEAD "    metric: accuracy\n    public_ids: ai/ids.txt\n", SOLFILE);
    AI_REJECT("'public_ids' must be a path inside the package",
              HEAD "    metric: accuracy\n    public_ids: /etc/passwd\n", SOLFILE);
    AI_REJECT("'ai/scorer/': missing", HEAD "    metric: custom\n", SOLFILE);
    AI_REJECT("ai/solution.csv: column 'usage' is missing", HEAD "    metric: accuracy\n    split_column: usage\n",
              "ai/solution.csv", "id,label\na,b\n");
    AI_REJECT("ai/solution.csv: column 'key' is missing",
              HEAD "    metric: accuracy\n    split_column: usage\n    id_column: key\n", SOLFILE);
    AI_REJECT("ai/solution.csv line 3, column 'usage': must be public or private",
              HEAD "    metric: accuracy\n    split_column: usage\n", "ai/solution.csv",
              "id,label,usage\na,x,public\nb,y,test\n");
    AI_REJECT("ai/solution.csv: no rows", HEAD "    metric: accuracy\n    split_column: usage\n",
              "ai/solution.csv", "id,label,usage\n");
    AI_REJECT("ai/solution.csv line 2, column 'label': the value is not one of the classes in "
              "prediction_columns", HEAD "    metric: log_loss\n    split_column: usage\n"
              "    prediction_columns: [a, b]\n", "ai/solution.csv", "id,label,usage\n1,c,public\n");
    AI_REJECT("ids.txt line 1: id 'zz' is not in ai/solution.csv",
              HEAD "    metric: accuracy\n    public_ids: ai/ids.txt\n", SOLFILE, "ai/ids.txt", "zz\n");
    AI_REJECT("'data/secret/': missing", HEAD "    metric: accuracy\n    split_column: usage\n", SOLFILE,
              "data/sample/1.in", "1\n", "data/sample/1.ans", "1\n");
    return check_done("ai_package");
}
