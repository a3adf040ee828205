/*
 * tests.h: the unit.problems.* tests, one function per CTest test, and the
 * file helpers they share (temporary folders, writing small packages).
 */
#ifndef CRUCIBLE_TESTS_PROBLEMS_H
#define CRUCIBLE_TESTS_PROBLEMS_H

#include "problems.h"

/* Each returns 0 when every check passed. dir is the test's data folder
 * (packages/ or the generated zips), or NULL. */
int test_validator_tokens(const char *dir);
int test_validator_space_change(const char *dir);
int test_float_tolerance(const char *dir);
int test_float_special(const char *dir);
int test_validator_flags(const char *dir);
int test_aggregate_scoring(const char *dir);
int test_aggregate_pass_fail(const char *dir);
int test_aggregate_legacy(const char *dir);
int test_time_limit(const char *dir);
int test_yaml_errors(const char *dir);
int test_reject_packages(const char *dir);
int test_load_legacy(const char *dir);
int test_load_2023_07(const char *dir);
int test_load_2025_09(const char *dir);
int test_archive_reject(const char *dir);
int test_archive_load(const char *dir);
int test_ai_metrics(const char *fixtures);
int test_ai_predictions(const char *dir);
int test_ai_package(const char *dir);

/* A fresh folder under $TMPDIR (or /tmp); the caller frees the string and
 * removes the folder with tmp_remove(). */
char *tmp_make(void);
void tmp_remove(const char *dir);
/* Writes text to dir/rel, creating parent folders. Returns 0 or -1. */
int tmp_write(const char *dir, const char *rel, const char *text);
/* dir/rel as a new string. */
char *tmp_path(const char *dir, const char *rel);

#endif
