/*
 * test_main.c: runs one unit.problems.* test named on the command line:
 * `problems_tests NAME [DIR]`.
 */
#include <stdio.h>
#include <string.h>

#include "tests.h"

static const struct {
    const char *name;
    int (*fn)(const char *dir);
} tests[] = {
    { "validator_tokens", test_validator_tokens },
    { "validator_space_change", test_validator_space_change },
    { "float_tolerance", test_float_tolerance },
    { "float_special", test_float_special },
    { "validator_flags", test_validator_flags },
    { "aggregate_scoring", test_aggregate_scoring },
    { "aggregate_pass_fail", test_aggregate_pass_fail },
    { "aggregate_legacy", test_aggregate_legacy },
    { "time_limit", test_time_limit },
    { "yaml_errors", test_yaml_errors },
    { "reject_packages", test_reject_packages },
    { "load_legacy", test_load_legacy },
    { "load_2023_07", test_load_2023_07 },
    { "load_2025_09", test_load_2025_09 },
    { "archive_reject", test_archive_reject },
    { "archive_load", test_archive_load },
    { "ai_metrics", test_ai_metrics },
    { "ai_predictions", test_ai_predictions },
    { "ai_package", test_ai_package },
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: problems_tests NAME [DIR]\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
        if (strcmp(tests[i].name, argv[1]) == 0)
            return tests[i].fn(argc > 2 ? argv[2] : NULL);
    fprintf(stderr, "problems_tests: no test '%s'\n", argv[1]);
    return 2;
}
