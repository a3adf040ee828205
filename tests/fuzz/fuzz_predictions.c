/*
 * fuzz_predictions.c: libFuzzer target for AI prediction files and
 * solutions: the RFC 4180 reader, the validation of predictions against the
 * solution and every built-in metric (prb_ai_score_file).
 *
 * The first byte of an input picks the metric (its low bits) and whether the
 * rest is the prediction file, scored against a fixed solution, or the
 * solution, against which a fixed prediction file is scored (bit 7). A
 * score must be finite, and a refusal of a prediction file must never
 * mention a truth value (every truth label of the fixed solutions contains
 * "SECRET"). FUZZ_PREDICTIONS_VERBOSE=1 prints each result.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "problems.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char dir[] = "/tmp/crucible-fuzz-predictions-XXXXXX";
static char sol_path[sizeof(dir) + 32], fixed_sol_path[sizeof(dir) + 32];
static char pred_path[sizeof(dir) + 32], fixed_pred_path[sizeof(dir) + 32];

static void write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        perror(path);
        abort();
    }
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            perror(path);
            abort();
        }
        p += w;
        len -= (size_t)w;
    }
    close(fd);
}

struct cfg {
    enum prb_ai_metric metric;
    int k;
    const char *cols;           /* space-separated prediction columns */
    const char *solution;       /* the fixed solution */
    const char *predictions;    /* a fixed, valid prediction file */
};

#define SOL_LABELS "id,label,usage\na,SECRETx,public\nb,SECRETy,private\nc,SECRETx,private\n"
#define SOL_BINARY "id,label,usage\na,1,public\nb,0,private\nc,1,private\nd,0,public\n"
#define SOL_LISTS "id,label,usage\na,SECRETp SECRETq,public\nb,SECRETr:2 SECRETs:1,private\n"

static const struct cfg cfgs[] = {
    { PRB_AI_ACCURACY, 0, "label", SOL_LABELS, "id,label\na,x\nb,y\nc,z\n" },
    { PRB_AI_F1_MACRO, 0, "label", SOL_LABELS, "id,label\na,x\nb,y\nc,z\n" },
    { PRB_AI_ROC_AUC, 0, "label", SOL_BINARY, "id,label\na,0.5\nb,0.5\nc,1\nd,0\n" },
    { PRB_AI_LOG_LOSS, 0, "label", SOL_BINARY, "id,label\na,0.5\nb,0\nc,1\nd,0.2\n" },
    { PRB_AI_LOG_LOSS, 0, "x y z", "id,label,usage\na,x,public\nb,z,private\n",
      "id,x,y,z\na,0.2,0.3,0.5\nb,0,0,0\n" },
    { PRB_AI_RMSE, 0, "label", "id,label,usage\na,1.5,public\nb,-2,private\n", "id,label\na,1\nb,2\n" },
    { PRB_AI_MAP_AT_K, 3, "label", SOL_LISTS, "id,label\na,p q\nb,r s t u\n" },
    { PRB_AI_NDCG_AT_K, 3, "label", SOL_LISTS, "id,label\na,p q\nb,r s t u\n" },
};
#define N_CFGS (sizeof(cfgs) / sizeof(cfgs[0]))

static int verbose;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
    snprintf(sol_path, sizeof(sol_path), "%s/solution.csv", dir);
    snprintf(fixed_sol_path, sizeof(fixed_sol_path), "%s/fixed.csv", dir);
    snprintf(pred_path, sizeof(pred_path), "%s/predictions.csv", dir);
    snprintf(fixed_pred_path, sizeof(fixed_pred_path), "%s/fixed-predictions.csv", dir);
    verbose = getenv("FUZZ_PREDICTIONS_VERBOSE") != NULL;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const struct cfg *c = &cfgs[(data[0] & 0x7f) % N_CFGS];
    int fuzz_solution = (data[0] & 0x80) != 0;
    struct prb_ai ai;
    char colbuf[64], *cols[8];
    size_t ncols = 0;

    memset(&ai, 0, sizeof(ai));
    ai.metric = c->metric;
    ai.k = c->k;
    ai.id_column = "id";
    ai.split_column = "usage";
    snprintf(colbuf, sizeof(colbuf), "%s", c->cols);
    for (char *s = strtok(colbuf, " "); s && ncols < 7; s = strtok(NULL, " "))
        cols[ncols++] = s;
    cols[ncols] = NULL;
    ai.prediction_columns.v = cols;
    ai.prediction_columns.n = ncols;
    ai.max_prediction_bytes = 4096;
    ai.predictions_file = "predictions.csv";
    if (fuzz_solution) {
        write_file(sol_path, data + 1, size - 1);
        write_file(fixed_pred_path, c->predictions, strlen(c->predictions));
        ai.solution_path = sol_path;
    } else {
        write_file(fixed_sol_path, c->solution, strlen(c->solution));
        write_file(pred_path, data + 1, size - 1);
        ai.solution_path = fixed_sol_path;
    }

    struct prb_ai_score sc;
    struct err err = { 0 };
    int rc = prb_ai_score_file(&ai, fuzz_solution ? fixed_pred_path : pred_path, &sc, &err);
    if (verbose)
        fprintf(stderr, "%s rc %d: %s %g %g\n", fuzz_solution ? "solution" : "predictions", rc,
                err.msg, sc.public_score, sc.private_score);
    if (rc == 0 && (!isfinite(sc.public_score) || !isfinite(sc.private_score)))
        abort();
    if (!fuzz_solution) {
        if (rc != 0 && rc != ERR_INVALID)
            abort();            /* the fixed solution is good: any refusal is the predictions' */
        /* A truth value in the message is a leak unless the contestant
         * sent it too. */
        static const char *const truths[] = { "SECRETx", "SECRETy", "SECRETp", "SECRETq", "SECRETr",
                                              "SECRETs", NULL };
        for (size_t i = 0; truths[i]; i++)
            if (strstr(err.msg, truths[i]) && !memmem(data + 1, size - 1, truths[i], strlen(truths[i])))
                abort();
    }
    size_t np, nv;
    if (fuzz_solution && prb_ai_solution_check(&ai, &np, &nv, NULL) == 0 && np + nv == 0)
        abort();                /* a good solution has rows */
    return 0;
}
