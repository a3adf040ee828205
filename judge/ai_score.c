/*
 * ai_score.c: the built-in metrics' scoring step, run in a sandbox of its
 * own. The judge writes the AI problem's scoring settings to a small JSON
 * file; `crucible judge ai-score` (a hidden subcommand, run by the judge
 * inside a box that sees only that file, ai/solution.csv, the predictions
 * and, when the package has one, the public ids file) scores the
 * predictions with prb_ai_score_file() and speaks the custom scorer's
 * protocol: {"public": x, "private": y} on stdout and exit 0, or exit 43
 * with a contestant-safe message on stderr, or exit 1 (a judge error).
 */
#include "judge_int.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AI_CONFIG_MAX_BYTES ((size_t)4 << 20)   /* up to PRB_AI_MAX_COLUMNS column names */

int jdg_ai_config_write(const struct prb_ai *ai, const char *path, struct err *err)
{
    char metric[64];
    cJSON *o = cJSON_CreateObject();
    if (!o)
        abort();
    cJSON_AddStringToObject(o, "metric", prb_ai_metric_name(ai->metric, ai->k, metric, sizeof(metric)));
    cJSON_AddStringToObject(o, "id_column", ai->id_column);
    cJSON *cols = cJSON_AddArrayToObject(o, "prediction_columns");
    for (size_t i = 0; i < ai->prediction_columns.n; i++)
        cJSON_AddItemToArray(cols, cJSON_CreateString(ai->prediction_columns.v[i]));
    if (ai->split_column)
        cJSON_AddStringToObject(o, "split_column", ai->split_column);
    else
        cJSON_AddNullToObject(o, "split_column");
    cJSON_AddBoolToObject(o, "public_ids", ai->public_ids_path != NULL);
    cJSON_AddStringToObject(o, "predictions_file", ai->predictions_file ? ai->predictions_file : "predictions.csv");
    cJSON_AddNumberToObject(o, "max_prediction_bytes", (double)ai->max_prediction_bytes);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!text)
        abort();
    int rc = 0;
    FILE *f = fopen(path, "we");
    if (!f || fputs(text, f) < 0)
        rc = err_sys(err, "cannot write '%s'", path);
    if (f && fclose(f) != 0 && rc == 0)
        rc = err_sys(err, "cannot write '%s'", path);
    free(text);
    return rc;
}

static const char *json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The settings file back into ai (strings borrowed from root, the column
 * list owned by ai->prediction_columns.v, freed by the caller). */
static int config_parse(const cJSON *root, struct prb_ai *ai, struct err *err)
{
    const cJSON *cols = cJSON_GetObjectItemCaseSensitive(root, "prediction_columns");
    const cJSON *split = cJSON_GetObjectItemCaseSensitive(root, "split_column");
    const cJSON *max = cJSON_GetObjectItemCaseSensitive(root, "max_prediction_bytes");
    const char *metric = json_str(root, "metric");
    memset(ai, 0, sizeof(*ai));
    ai->id_column = (char *)json_str(root, "id_column");
    ai->predictions_file = (char *)json_str(root, "predictions_file");
    ai->split_column = cJSON_IsString(split) ? split->valuestring : NULL;
    if (!metric || prb_ai_metric_parse(metric, &ai->metric, &ai->k) < 0 || ai->metric == PRB_AI_CUSTOM)
        return err_set(err, ERR_INVALID, "the settings name no built-in metric");
    if (!ai->id_column || !ai->predictions_file || !cJSON_IsArray(cols) || cJSON_GetArraySize(cols) < 1 ||
        cJSON_GetArraySize(cols) > PRB_AI_MAX_COLUMNS || (!cJSON_IsString(split) && !cJSON_IsNull(split)) ||
        !cJSON_IsNumber(max) || !(max->valuedouble >= 1 && max->valuedouble <= (double)PRB_AI_MAX_PREDICTION_BYTES))
        return err_set(err, ERR_INVALID, "the scoring settings are incomplete");
    ai->maximize = prb_ai_metric_maximize(ai->metric);
    ai->max_prediction_bytes = (uint64_t)max->valuedouble;
    size_t n = (size_t)cJSON_GetArraySize(cols);
    ai->prediction_columns.v = calloc(n + 1, sizeof(char *));
    if (!ai->prediction_columns.v)
        abort();
    const cJSON *c;
    cJSON_ArrayForEach(c, cols) {
        if (!cJSON_IsString(c))
            return err_set(err, ERR_INVALID, "the scoring settings are incomplete");
        ai->prediction_columns.v[ai->prediction_columns.n++] = c->valuestring;
    }
    return 0;
}

int jdg_cmd_ai_score(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: crucible judge ai-score SETTINGS SOLUTION PREDICTIONS [PUBLIC_IDS]\n"
                        "  (run by the judge inside the sandbox; not meant to be run by hand)\n");
        return 2;
    }
    struct err err = { 0 };
    struct buf text;
    struct prb_ai ai;
    cJSON *root = NULL;
    int code = 1;
    memset(&ai, 0, sizeof(ai));
    buf_init(&text, AI_CONFIG_MAX_BYTES);
    if (buf_read_file(&text, argv[1], &err) < 0 || !(root = cJSON_ParseWithLength(text.buf, text.len))) {
        fprintf(stderr, "cannot read the scoring settings\n");
        goto out;
    }
    if (config_parse(root, &ai, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        goto out;
    }
    ai.solution_path = argv[2];
    ai.public_ids_path = argc == 5 ? argv[4] : NULL;
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "public_ids")) != (argc == 5)) {
        fprintf(stderr, "the public ids file is missing or not expected\n");
        goto out;
    }
    struct prb_ai_score sc;
    int rc = prb_ai_score_file(&ai, argv[3], &sc, &err);
    if (rc == ERR_INVALID) {
        /* Contestant-safe by construction (prb_ai_score_file). */
        fprintf(stderr, "%s\n", err.msg);
        code = JDG_AI_SCORER_REJECT;
    } else if (rc < 0) {
        fprintf(stderr, "%s\n", err.msg);
    } else if (!isfinite(sc.public_score) || !isfinite(sc.private_score)) {
        fprintf(stderr, "the metric is not a finite number\n");
    } else {
        cJSON *o = cJSON_CreateObject();
        if (!o)
            abort();
        cJSON_AddNumberToObject(o, "public", sc.public_score);
        cJSON_AddNumberToObject(o, "private", sc.private_score);
        char *s = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        if (!s)
            abort();
        code = printf("%s\n", s) < 0 || fflush(stdout) != 0 ? 1 : 0;
        free(s);
    }
out:
    free(ai.prediction_columns.v);
    cJSON_Delete(root);
    buf_release(&text);
    return code;
}
