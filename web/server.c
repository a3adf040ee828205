/*
 * server.c: crucible serve's HTTP side: libmicrohttpd with its own thread
 * pool, the route table, per-request state (web_int.h tells how a request
 * flows), replies with the security headers every response carries, the
 * store pool, the lease-expiry timer, privilege dropping and the graceful
 * stop on SIGTERM.
 */
#include "web_int.h"

#include <ctype.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- the route table ---------------------------------------------------------------
 * Every endpoint, its caller, its body and its body's limit. docs/api.md
 * documents each one; keep the two in step.
 */
static const struct web_route routes[] = {
    { "GET", "/healthz", NULL, WEB_AUTH_NONE, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "POST", "/api/v1/register", web_api_register, WEB_AUTH_NONE, WEB_BODY_JSON, WEB_BODY_JSON_MAX, NULL, NULL, 0 },
    { "POST", "/api/v1/login", web_api_login, WEB_AUTH_NONE, WEB_BODY_JSON, WEB_BODY_JSON_MAX, NULL, NULL, 0 },
    { "POST", "/api/v1/logout", web_api_logout, WEB_AUTH_USER, WEB_BODY_JSON_OPTIONAL, WEB_BODY_JSON_MAX, NULL,
      NULL, 0 },
    { "GET", "/api/v1/me", web_api_me, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "POST", "/api/v1/problems", web_api_problem_upload, WEB_AUTH_ORGANIZER, WEB_BODY_FILE, WEB_BODY_PACKAGE_MAX,
      "application/zip", "name", 0 },
    { "GET", "/api/v1/problems", web_api_problem_list, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL,
      "after,limit,q,tag,difficulty_min,difficulty_max", 0 },
    { "GET", "/api/v1/problems/{id}", web_api_problem_get, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "PATCH", "/api/v1/problems/{id}", web_api_problem_patch, WEB_AUTH_ORGANIZER, WEB_BODY_JSON,
      WEB_BODY_JSON_MAX, NULL, NULL, 0 },
    { "GET", "/api/v1/problems/{id}/samples", web_api_problem_samples, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL,
      NULL, 0 },
    { "GET", "/api/v1/problems/{id}/package", web_api_problem_package, WEB_AUTH_ORGANIZER, WEB_BODY_NONE, 0, NULL,
      NULL, 0 },
    /* problem tags (the archive's filter; {id} matches only numbers, so
     * "tags" never reaches the problem routes) and the language table */
    { "GET", "/api/v1/problems/tags", web_api_problem_tags, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/v1/languages", web_api_languages, WEB_AUTH_NONE, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "POST", "/api/v1/submissions", web_api_submission_create, WEB_AUTH_USER, WEB_BODY_JSON,
      WEB_BODY_SUBMISSION_MAX, NULL, NULL, 0 },
    { "GET", "/api/v1/submissions", web_api_submission_list, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL,
      "mine,problem,contest,practice,before,limit", 0 },
    { "GET", "/api/v1/submissions/{id}", web_api_submission_get, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "POST", "/api/v1/judge/claim", web_api_judge_claim, WEB_AUTH_JUDGE, WEB_BODY_JSON, WEB_BODY_JSON_MAX, NULL,
      NULL, 0 },
    { "GET", "/api/v1/judge/blobs/{hex}", web_api_judge_blob, WEB_AUTH_JUDGE, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "POST", "/api/v1/judge/jobs/{id}/heartbeat", web_api_judge_heartbeat, WEB_AUTH_JUDGE, WEB_BODY_JSON_OPTIONAL,
      WEB_BODY_JSON_MAX, NULL, NULL, 0 },
    /* A result quotes compilers and checkers, whose output need not be
     * UTF-8: it is repaired rather than refused (a refused result would
     * be judged again and again). */
    { "POST", "/api/v1/judge/jobs/{id}/result", web_api_judge_result, WEB_AUTH_JUDGE, WEB_BODY_JSON,
      WEB_BODY_RESULT_MAX, NULL, NULL, 1 },
    /* live judging progress: tests judged so far, repaired like a result's */
    { "POST", "/api/v1/judge/jobs/{id}/progress", web_api_judge_progress, WEB_AUTH_JUDGE, WEB_BODY_JSON,
      WEB_BODY_RESULT_MAX, NULL, NULL, 1 },

    /* ---- contests, registration, teams (api_contests.c) ---- */
    { "POST", "/api/v1/contests", web_api_contest_create, WEB_AUTH_ORGANIZER, WEB_BODY_JSON, WEB_BODY_JSON_MAX, NULL,
      NULL, 0 },
    { "GET", "/api/v1/contests", web_api_contest_list, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, "after,limit", 0 },
    { "GET", "/api/v1/contests/{id}", web_api_contest_get, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "PATCH", "/api/v1/contests/{id}", web_api_contest_patch, WEB_AUTH_USER, WEB_BODY_JSON, WEB_BODY_JSON_MAX, NULL,
      NULL, 0 },
    { "GET", "/api/v1/contests/{id}/problems", web_api_contest_problems, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL,
      NULL, 0 },
    { "PUT", "/api/v1/contests/{id}/problems", web_api_contest_problems_put, WEB_AUTH_USER, WEB_BODY_JSON,
      WEB_BODY_JSON_MAX, NULL, NULL, 0 },
    { "GET", "/api/v1/contests/{id}/problems/{id2}", web_api_contest_problem, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0,
      NULL, NULL, 0 },
    { "POST", "/api/v1/contests/{id}/register", web_api_contest_register, WEB_AUTH_USER, WEB_BODY_JSON_OPTIONAL,
      WEB_BODY_JSON_MAX, NULL, NULL, 0 },
    { "GET", "/api/v1/contests/{id}/participants", web_api_contest_participants, WEB_AUTH_USER, WEB_BODY_NONE, 0,
      NULL, NULL, 0 },
    { "POST", "/api/v1/contests/{id}/participants", web_api_contest_participant_add, WEB_AUTH_USER, WEB_BODY_JSON,
      WEB_BODY_JSON_MAX, NULL, NULL, 0 },
    { "DELETE", "/api/v1/contests/{id}/participants/{id2}", web_api_contest_participant_remove, WEB_AUTH_USER,
      WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/v1/contests/{id}/teams", web_api_contest_teams, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL,
      0 },
    { "POST", "/api/v1/contests/{id}/teams", web_api_contest_team_create, WEB_AUTH_USER, WEB_BODY_JSON,
      WEB_BODY_JSON_MAX, NULL, NULL, 0 },

    /* ---- scoreboards and the ICPC Contest API (api_scoreboard.c, ccs.c) ---- */
    { "GET", "/api/v1/contests/{id}/scoreboard", web_api_scoreboard_get, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL,
      "view", 0 },
    /* The Contest API: one handler reads the path; {name2} is the endpoint
     * (teams, state, event-feed, ...) or, below it, an object's id. */
    { "GET", "/api", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/contests", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/contests/{name}", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/contests/{name}/{name2}", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, WEB_CCS_QUERY, 0 },
    { "GET", "/api/contests/{name}/judgement-types/{name2}", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/contests/{name}/languages/{name2}", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/contests/{name}/problems/{name2}", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/contests/{name}/groups/{name2}", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/contests/{name}/organizations/{name2}", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/contests/{name}/teams/{name2}", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/contests/{name}/accounts/{name2}", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/contests/{name}/submissions/{name2}", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/contests/{name}/judgements/{name2}", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/contests/{name}/runs/{name2}", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/contests/{name}/clarifications/{name2}", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/contests/{name}/awards/{name2}", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    /* ---- ccs files: a submission's sources as a zip, the jury's alone (ccs.c) ---- */
    { "GET", "/api/contests/{name}/submissions/{name2}/files", web_api_ccs, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL,
      NULL, 0 },

    /* ---- clarifications, rejudging, administration (api_jury.c, api_admin.c) ---- */
    { "GET", "/api/v1/contests/{id}/clarifications", web_api_clarification_list, WEB_AUTH_USER, WEB_BODY_NONE, 0,
      NULL, NULL, 0 },
    { "POST", "/api/v1/contests/{id}/clarifications", web_api_clarification_create, WEB_AUTH_USER, WEB_BODY_JSON,
      WEB_BODY_CLARIFICATION_MAX, NULL, NULL, 0 },
    { "POST", "/api/v1/rejudgings", web_api_rejudging_create, WEB_AUTH_USER, WEB_BODY_JSON, WEB_BODY_JSON_MAX, NULL,
      NULL, 0 },
    { "GET", "/api/v1/rejudgings/{id}", web_api_rejudging_get, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "POST", "/api/v1/submissions/{id}/ignore", web_api_submission_ignore, WEB_AUTH_USER, WEB_BODY_JSON,
      WEB_BODY_JSON_MAX, NULL, NULL, 0 },
    /* Admins only (checked by the handlers): organizers pass the route's
     * check and get 403 there. */
    { "GET", "/api/v1/users", web_api_user_list, WEB_AUTH_ORGANIZER, WEB_BODY_NONE, 0, NULL, "after,limit", 0 },
    { "PATCH", "/api/v1/users/{id}", web_api_user_patch, WEB_AUTH_ORGANIZER, WEB_BODY_JSON, WEB_BODY_JSON_MAX, NULL,
      NULL, 0 },
    { "POST", "/api/v1/users/import", web_api_user_import, WEB_AUTH_ORGANIZER, WEB_BODY_FILE, WEB_BODY_CSV_MAX,
      "text/csv", NULL, 0 },
    { "GET", "/api/v1/audit", web_api_audit_list, WEB_AUTH_ORGANIZER, WEB_BODY_NONE, 0, NULL, "before,limit", 0 },
    { "GET", "/api/v1/judges", web_api_judge_list, WEB_AUTH_ORGANIZER, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "PATCH", "/api/v1/judges/{id}", web_api_judge_patch, WEB_AUTH_ORGANIZER, WEB_BODY_JSON, WEB_BODY_JSON_MAX,
      NULL, NULL, 0 },

    /* ---- compute budgets: quotas and usage (api_compute.c) ---- */
    { "GET", "/api/v1/contests/{id}/quota", web_api_quota_get, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "PUT", "/api/v1/contests/{id}/quota", web_api_quota_put, WEB_AUTH_USER, WEB_BODY_JSON, WEB_BODY_JSON_MAX, NULL,
      NULL, 0 },
    { "GET", "/api/v1/contests/{id}/usage", web_api_usage_get, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, "user", 0 },

    /* ---- AI leaderboards (api_leaderboard.c) ---- */
    { "GET", "/api/v1/contests/{id}/leaderboard", web_api_leaderboard_get, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL,
      "board,problem,format", 0 },
    { "GET", "/api/v1/contests/{id}/final", web_api_final_get, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "POST", "/api/v1/contests/{id}/final", web_api_final_set, WEB_AUTH_USER, WEB_BODY_JSON, WEB_BODY_JSON_MAX, NULL,
      NULL, 0 },
    { "POST", "/api/v1/submissions/{id}/baseline", web_api_submission_baseline, WEB_AUTH_USER, WEB_BODY_JSON,
      WEB_BODY_JSON_MAX, NULL, NULL, 0 },

    /* ---- AI problem files: ai/public's downloads (api_problems.c) ---- */
    { "GET", "/api/v1/problems/{id}/files", web_api_problem_files, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL,
      0 },
    { "GET", "/api/v1/problems/{id}/files/{name}", web_api_problem_file, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL,
      NULL, 0 },
    { "GET", "/api/v1/contests/{id}/problems/{id2}/files", web_api_contest_problem_files, WEB_AUTH_OPTIONAL,
      WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/v1/contests/{id}/problems/{id2}/files/{name}", web_api_contest_problem_file, WEB_AUTH_OPTIONAL,
      WEB_BODY_NONE, 0, NULL, NULL, 0 },

    /* ---- ops: Prometheus metrics (metrics.c); loopback, the metrics token or admins ---- */
    { "GET", "/metrics", web_api_metrics, WEB_AUTH_NONE, WEB_BODY_NONE, 0, NULL, NULL, 0 },

    /* ---- courses: members, lessons, assignments, grades (api_courses.c) ---- */
    { "POST", "/api/v1/courses", web_api_course_create, WEB_AUTH_USER, WEB_BODY_JSON, WEB_BODY_JSON_MAX, NULL, NULL,
      0 },
    { "GET", "/api/v1/courses", web_api_course_list, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "POST", "/api/v1/courses/join", web_api_course_join, WEB_AUTH_USER, WEB_BODY_JSON, WEB_BODY_JSON_MAX, NULL,
      NULL, 0 },
    { "GET", "/api/v1/courses/{id}", web_api_course_get, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "PATCH", "/api/v1/courses/{id}", web_api_course_patch, WEB_AUTH_USER, WEB_BODY_JSON, WEB_BODY_JSON_MAX, NULL,
      NULL, 0 },
    { "GET", "/api/v1/courses/{id}/members", web_api_course_members, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, NULL,
      0 },
    { "POST", "/api/v1/courses/{id}/members", web_api_course_member_add, WEB_AUTH_USER, WEB_BODY_JSON,
      WEB_BODY_JSON_MAX, NULL, NULL, 0 },
    { "DELETE", "/api/v1/courses/{id}/members/{id2}", web_api_course_member_remove, WEB_AUTH_USER, WEB_BODY_NONE, 0,
      NULL, NULL, 0 },
    { "POST", "/api/v1/courses/{id}/roster", web_api_course_roster, WEB_AUTH_USER, WEB_BODY_FILE, WEB_BODY_CSV_MAX,
      "text/csv", NULL, 0 },
    { "GET", "/api/v1/courses/{id}/units", web_api_course_units, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "POST", "/api/v1/courses/{id}/units", web_api_course_unit_create, WEB_AUTH_USER, WEB_BODY_JSON,
      WEB_BODY_JSON_MAX, NULL, NULL, 0 },
    { "POST", "/api/v1/courses/{id}/lessons", web_api_lesson_create, WEB_AUTH_USER, WEB_BODY_JSON,
      WEB_BODY_LESSON_MAX, NULL, NULL, 0 },
    { "POST", "/api/v1/courses/{id}/lessons/preview", web_api_lesson_preview, WEB_AUTH_USER, WEB_BODY_JSON,
      WEB_BODY_LESSON_MAX, NULL, NULL, 0 },
    { "GET", "/api/v1/lessons/{id}", web_api_lesson_get, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "PATCH", "/api/v1/lessons/{id}", web_api_lesson_patch, WEB_AUTH_USER, WEB_BODY_JSON, WEB_BODY_LESSON_MAX, NULL,
      NULL, 0 },
    { "DELETE", "/api/v1/lessons/{id}", web_api_lesson_delete, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "POST", "/api/v1/courses/{id}/assignments", web_api_assignment_create, WEB_AUTH_USER, WEB_BODY_JSON,
      WEB_BODY_ASSIGNMENT_MAX, NULL, NULL, 0 },
    { "GET", "/api/v1/courses/{id}/assignments", web_api_assignment_list, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL,
      NULL, 0 },
    { "GET", "/api/v1/assignments/{id}", web_api_assignment_get, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/v1/assignments/{id}/problems/{id2}", web_api_assignment_problem, WEB_AUTH_USER, WEB_BODY_NONE, 0,
      NULL, NULL, 0 },
    { "PATCH", "/api/v1/assignments/{id}", web_api_assignment_patch, WEB_AUTH_USER, WEB_BODY_JSON,
      WEB_BODY_ASSIGNMENT_MAX, NULL, NULL, 0 },
    { "DELETE", "/api/v1/assignments/{id}", web_api_assignment_delete, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, NULL,
      0 },
    { "PUT", "/api/v1/assignments/{id}/extensions", web_api_extension_put, WEB_AUTH_USER, WEB_BODY_JSON,
      WEB_BODY_JSON_MAX, NULL, NULL, 0 },
    { "GET", "/api/v1/assignments/{id}/extensions", web_api_extension_list, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL,
      NULL, 0 },
    { "DELETE", "/api/v1/assignments/{id}/extensions/{id2}", web_api_extension_remove, WEB_AUTH_USER, WEB_BODY_NONE,
      0, NULL, NULL, 0 },
    { "GET", "/api/v1/assignments/{id}/grades", web_api_assignment_grades, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL,
      NULL, 0 },
    { "GET", "/api/v1/courses/{id}/gradebook", web_api_course_gradebook, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, NULL,
      0 },
    { "GET", "/api/v1/courses/{id}/gradebook.csv", web_api_course_gradebook_csv, WEB_AUTH_USER, WEB_BODY_NONE, 0,
      NULL, NULL, 0 },

    /* ---- similarity: an assignment's similarity report (api_similarity.c) ---- */
    { "GET", "/api/v1/assignments/{id}/similarity", web_api_similarity_report, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL,
      "problem,min", 0 },
    { "GET", "/api/v1/assignments/{id}/similarity/pair", web_api_similarity_pair, WEB_AUTH_USER, WEB_BODY_NONE, 0,
      NULL, "a,b", 0 },

    /* ---- talent: profiles, ratings, the talent pool (api_talent.c) ---- */
    { "GET", "/api/v1/me/profile", web_api_me_profile_get, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "PATCH", "/api/v1/me/profile", web_api_me_profile_patch, WEB_AUTH_USER, WEB_BODY_JSON, WEB_BODY_JSON_MAX, NULL,
      NULL, 0 },
    { "GET", "/api/v1/me/profile/views", web_api_me_profile_views, WEB_AUTH_USER, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/v1/users/{name}/profile", web_api_user_profile, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL,
      0 },
    { "GET", "/api/v1/ratings", web_api_ratings, WEB_AUTH_OPTIONAL, WEB_BODY_NONE, 0, NULL, NULL, 0 },
    { "GET", "/api/v1/talent", web_api_talent, WEB_AUTH_ORGANIZER, WEB_BODY_NONE, 0, NULL,
      WEB_TALENT_QUERY, 0 },
    { "GET", "/api/v1/talent.csv", web_api_talent_csv, WEB_AUTH_ORGANIZER, WEB_BODY_NONE, 0, NULL,
      WEB_TALENT_QUERY, 0 },

    /* ---- the browser UI's static files (static.c) ---- */
    /* Not in this table: /ui/..., /vendor/... and the UI's pages are
     * prefixes, matched by web_static_route() when no route here matches. */
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* Matches one path against one pattern, filling r's path parameters:
 * {id} and {id2} (ids in [1, 2^53]), {hex} (a blob hash), {name} and
 * {name2} (1 to 64 characters of [A-Za-z0-9._-], not starting with '.'). */
struct route_params {
    int64_t id, id2;
    char hex[WEB_HASH_HEX + 1];
    char name[WEB_NAME_MAX + 1], name2[WEB_NAME_MAX + 1];
};

static int param_id(const char *u, size_t ul, int64_t *out)
{
    char num[24];
    if (ul == 0 || ul >= sizeof(num))
        return 0;
    memcpy(num, u, ul);
    num[ul] = '\0';
    return num[0] >= '1' && num[0] <= '9' && parse_i64(num, 1, (int64_t)1 << 53, out) == 0;
}

static int param_name(const char *u, size_t ul, char out[WEB_NAME_MAX + 1])
{
    if (ul == 0 || ul > WEB_NAME_MAX || u[0] == '.')
        return 0;
    for (size_t i = 0; i < ul; i++)
        if (!isalnum((unsigned char)u[i]) && u[i] != '.' && u[i] != '_' && u[i] != '-')
            return 0;
    memcpy(out, u, ul);
    out[ul] = '\0';
    return 1;
}

static int route_match(const char *pattern, const char *path, struct route_params *rp)
{
    const char *p = pattern, *u = path;
    while (*p && *u) {
        size_t pl = strcspn(p, "/"), ul = strcspn(u, "/");
        if (pl == 4 && !strncmp(p, "{id}", 4)) {
            if (!param_id(u, ul, &rp->id))
                return 0;
        } else if (pl == 5 && !strncmp(p, "{id2}", 5)) {
            if (!param_id(u, ul, &rp->id2))
                return 0;
        } else if (pl == 6 && !strncmp(p, "{name}", 6)) {
            if (!param_name(u, ul, rp->name))
                return 0;
        } else if (pl == 7 && !strncmp(p, "{name2}", 7)) {
            if (!param_name(u, ul, rp->name2))
                return 0;
        } else if (pl == 5 && !strncmp(p, "{hex}", 5)) {
            char h[WEB_HASH_HEX + 1];
            if (ul != WEB_HASH_HEX)
                return 0;
            memcpy(h, u, ul);
            h[ul] = '\0';
            if (!web_hash_valid(h))
                return 0;
            memcpy(rp->hex, h, sizeof(h));
        } else if (pl != ul || strncmp(p, u, pl) != 0) {
            return 0;
        }
        p += pl;
        u += ul;
        if (*p != *u)
            return 0;
        if (*p) {
            p++;
            u++;
        }
    }
    return *p == '\0' && *u == '\0';
}

/* ---- the store pool ---------------------------------------------------------------------- */

struct web_store *web_pool_acquire(struct web_server *srv)
{
    pthread_mutex_lock(&srv->pool_mu);
    for (;;) {
        for (size_t i = 0; i < srv->nstores; i++)
            if (!srv->store_busy[i]) {
                srv->store_busy[i] = 1;
                pthread_mutex_unlock(&srv->pool_mu);
                return srv->stores[i];
            }
        pthread_cond_wait(&srv->pool_cv, &srv->pool_mu);
    }
}

void web_pool_release(struct web_server *srv, struct web_store *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&srv->pool_mu);
    for (size_t i = 0; i < srv->nstores; i++)
        if (srv->stores[i] == s)
            srv->store_busy[i] = 0;
    pthread_cond_signal(&srv->pool_cv);
    pthread_mutex_unlock(&srv->pool_mu);
}

/* ---- replies -------------------------------------------------------------------------------
 * Every response carries the same security headers. The policy allows no
 * inline script or style, nothing from other origins, and no framing; the
 * API's JSON is never cached.
 */
static const char csp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static void set_reply(struct web_req *r, unsigned status, struct MHD_Response *resp)
{
    if (!resp)
        abort();
    if (r->resp)
        MHD_destroy_response(r->resp);
    r->resp = resp;
    r->status = status;
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
}

void web_reply_header(struct web_req *r, const char *name, const char *value)
{
    if (r->resp)
        MHD_add_response_header(r->resp, name, value);
}

static void reply_buffer(struct web_req *r, unsigned status, char *data, size_t len, const char *type)
{
    /* MHD_RESPMEM_MUST_FREE: libmicrohttpd calls free() on data. */
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    set_reply(r, status, resp);
    if (type)
        MHD_add_response_header(resp, "Content-Type", type);
}

void web_reply_json(struct web_req *r, unsigned status, cJSON *body)
{
    char *text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    if (!text)
        abort();
    reply_buffer(r, status, text, strlen(text), "application/json");
}

void web_reply_text(struct web_req *r, unsigned status, const char *text)
{
    char *copy = strdup(text);
    if (!copy)
        abort();
    reply_buffer(r, status, copy, strlen(copy), "text/plain; charset=utf-8");
}

void web_reply_buf(struct web_req *r, unsigned status, struct buf *b, const char *type)
{
    size_t len = 0;
    char *data = buf_detach(b, &len);
    reply_buffer(r, status, data, len, type);
}

void web_reply_empty(struct web_req *r, unsigned status)
{
    set_reply(r, status, MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT));
}

void web_reply_error(struct web_req *r, unsigned status, const char *code, const char *fmt, ...)
{
    char msg[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    web_text_repair(msg, 1);        /* it may quote the request */
    cJSON *o = cJSON_CreateObject(), *e = cJSON_AddObjectToObject(o, "error");
    cJSON_AddStringToObject(e, "code", code);
    web_json_add_text(e, "message", msg, strlen(msg));
    web_reply_json(r, status, o);
}

void web_reply_fd(struct web_req *r, unsigned status, int fd, uint64_t len, const char *type)
{
    struct MHD_Response *resp = MHD_create_response_from_fd64(len, fd);
    if (!resp) {
        close(fd);
        web_reply_error(r, 500, "internal", "cannot send the file");
        return;
    }
    set_reply(r, status, resp);
    MHD_add_response_header(resp, "Content-Type", type);
}

/* scoreboards (ccs.c): a response made elsewhere (the event feed's stream). */
void web_reply_response(struct web_req *r, unsigned status, struct MHD_Response *resp, const char *type)
{
    set_reply(r, status, resp);
    MHD_add_response_header(resp, "Content-Type", type);
}

/* ops: a full disk or a read-only data folder (storage.h's WEB_STORE_FULL
 * and _READONLY). Callers that pass ERR_SYSTEM for any storage failure still
 * get the fault's reply: the err's own code says which it was. */
int web_reply_store_fault(struct web_req *r, int rc)
{
    if (rc == WEB_STORE_FULL) {
        log_error("web", "%s %s: the data folder's disk is full", r->method, r->path);
        web_reply_error(r, 507, "storage_full", "the server's storage is full; nothing was stored; try again later");
        web_reply_header(r, "Retry-After", "60");
        return 1;
    }
    if (rc == WEB_STORE_READONLY) {
        log_error("web", "%s %s: the data folder cannot be written", r->method, r->path);
        web_reply_error(r, 503, "read_only", "the server's storage is read-only; nothing was stored");
        web_reply_header(r, "Retry-After", "60");
        return 1;
    }
    return 0;
}

/* ops: the storage fault an errno means; 0 for none. */
static int errno_fault(int e)
{
    if (e == ENOSPC || e == EDQUOT)
        return WEB_STORE_FULL;
    if (e == EROFS || e == EACCES || e == EPERM)
        return WEB_STORE_READONLY;
    return 0;
}

void web_reply_store_error(struct web_req *r, int rc, const struct err *err)
{
    const char *msg = err ? err->msg : "storage error";
    if (web_reply_store_fault(r, err && err->code < 0 && rc == ERR_SYSTEM ? err->code : rc))
        return;
    switch (rc) {
    case ERR_NOTFOUND: web_reply_error(r, 404, "not_found", "%s", msg); break;
    case WEB_STORE_CONFLICT: web_reply_error(r, 409, "conflict", "%s", msg); break;
    case ERR_INVALID: web_reply_error(r, 400, "invalid", "%s", msg); break;
    case ERR_LIMIT: web_reply_error(r, 413, "too_large", "%s", msg); break;
    case WEB_STORE_BUSY:
        web_reply_error(r, 503, "busy", "the database is busy; try again");
        web_reply_header(r, "Retry-After", "1");
        break;
    default:
        log_error("web", "%s %s: %s", r->method, r->path, msg);
        web_reply_error(r, 500, "internal", "internal error");
        break;
    }
}

/* ---- request helpers ---------------------------------------------------------------------------- */

const char *web_req_header(struct web_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *web_req_query(struct web_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int64_t web_req_query_id(struct web_req *r, const char *name)
{
    const char *v = web_req_query(r, name);
    int64_t id;
    if (!v)
        return 0;
    if (web_query_id_parse(v, &id) < 0) {
        web_reply_error(r, 400, "invalid_parameter", "query parameter '%s' must be a positive whole number", name);
        return -1;
    }
    return id;
}

int web_req_is_staff(const struct web_req *r)
{
    return r->via != WEB_VIA_NONE && (r->user.role == WEB_ROLE_ADMIN || r->user.role == WEB_ROLE_ORGANIZER);
}

void web_audit(struct web_req *r, struct web_store *s, const char *action, const char *target, const char *detail)
{
    struct web_audit_entry e = { 0 };
    struct err err;
    e.at = r->now;
    e.actor_user_id = r->via != WEB_VIA_NONE ? r->user.id : 0;
    str_fmt(e.address, sizeof(e.address), "%s", r->address);
    str_fmt(e.action, sizeof(e.action), "%s", action);
    str_fmt(e.target, sizeof(e.target), "%s", target);
    e.detail = (char *)detail;
    if (web_store_audit_add(s, &e, NULL, &err) < 0)
        log_warn("web", "cannot write the audit log (%s %s): %s", action, target, err.msg);
}

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The client's address, or the proxy's word for it when trusted. */
static void req_address(struct web_req *r)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    r->address[0] = '\0';
    if (r->srv->cfg->trust_proxy)
        web_forwarded_parse(web_req_header(r, "X-Forwarded-For"), web_req_header(r, "X-Forwarded-Proto"),
                            r->address, &r->https);
    if (!r->address[0] && ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->address,
                      sizeof(r->address));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, r->address,
                      sizeof(r->address));
    }
    if (!r->address[0])
        str_fmt(r->address, sizeof(r->address), "unknown");
}

static void queue_reply(struct web_req *r)
{
    if (!r->resp)
        web_reply_error(r, 500, "internal", "internal error: no reply");
    if (MHD_queue_response(r->conn, r->status, r->resp) == MHD_YES)
        r->queued = 1;
    MHD_destroy_response(r->resp);
    r->resp = NULL;
}

struct query_check {
    const char *allowed;
    const char *bad;
};

static enum MHD_Result query_iter(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct query_check *q = cls;
    size_t kl = strlen(key);
    for (const char *a = q->allowed; a && *a;) {
        size_t n = strcspn(a, ",");
        if (n == kl && !strncmp(a, key, n))
            return MHD_YES;
        a += n + (a[n] == ',');
    }
    q->bad = key;
    return MHD_NO;
}

static int content_type_is(const char *got, const char *want)
{
    size_t n = strlen(want);
    if (!got || strncasecmp(got, want, n) != 0)
        return 0;
    return got[n] == '\0' || got[n] == ';' || got[n] == ' ';
}

/* Everything checked before the body is read; 0 to go on, -1 after a reply. */
static int req_begin(struct web_req *r, const char *url, const char *method)
{
    const struct web_route *match = NULL;
    char allow[64] = "";
    int path_known = 0;
    for (size_t i = 0; i < NROUTES; i++) {
        struct route_params rp = { 0 };
        if (!route_match(routes[i].pattern, url, &rp))
            continue;
        path_known = 1;
        if (strlen(allow) + strlen(routes[i].method) + 3 < sizeof(allow))
            str_fmt(allow + strlen(allow), sizeof(allow) - strlen(allow), "%s%s", allow[0] ? ", " : "",
                    routes[i].method);
        if (!strcmp(routes[i].method, method) || (!strcmp(method, "HEAD") && !strcmp(routes[i].method, "GET"))) {
            match = &routes[i];
            r->id = rp.id;
            r->id2 = rp.id2;
            memcpy(r->hex, rp.hex, sizeof(rp.hex));
            memcpy(r->name, rp.name, sizeof(rp.name));
            memcpy(r->name2, rp.name2, sizeof(rp.name2));
        }
    }
    if (!match && !path_known)
        match = web_static_route(url, method);
    if (!match) {
        if (path_known) {
            web_reply_error(r, 405, "method_not_allowed", "%s is not allowed here", method);
            web_reply_header(r, "Allow", allow);
        } else {
            web_reply_error(r, 404, "not_found", "no such endpoint");
        }
        return -1;
    }
    r->route = match;

    struct query_check q = { match->query, NULL };
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, query_iter, &q);
    if (q.bad) {
        web_reply_error(r, 400, "unknown_parameter", "unknown query parameter '%.64s'", q.bad);
        return -1;
    }

    /* The declared size is checked now, so an oversized body is refused
     * without being read. */
    const char *cl = web_req_header(r, "Content-Length");
    if (cl) {
        int64_t n;
        if (parse_i64(cl, 0, INT64_MAX, &n) < 0) {
            web_reply_error(r, 400, "bad_request", "malformed Content-Length");
            return -1;
        }
        if ((uint64_t)n > match->limit) {
            if (match->body == WEB_BODY_NONE)
                web_reply_error(r, 413, "too_large", "this request takes no body");
            else
                web_reply_error(r, 413, "too_large", "the body is larger than %llu bytes",
                                (unsigned long long)match->limit);
            return -1;
        }
    }
    /* JSON bodies must say so: a browser sends application/json to another
     * site only after a CORS preflight we never answer, so a cross-site form
     * cannot post JSON with a visitor's cookie. A Bearer request cannot be
     * forged by a browser at all, so it may leave the type out; an empty
     * optional body needs none. */
    const char *type = web_req_header(r, "Content-Type");
    r->json_type_ok = content_type_is(type, "application/json") ||
                      (!type && web_req_header(r, "Authorization") != NULL);
    if (!r->json_type_ok && (match->body == WEB_BODY_JSON ||
                             (match->body == WEB_BODY_JSON_OPTIONAL && cl && strcmp(cl, "0") != 0))) {
        web_reply_error(r, 415, "unsupported_media_type", "the body must be application/json");
        return -1;
    }
    if (match->body == WEB_BODY_FILE && !content_type_is(type, match->content_type)) {
        web_reply_error(r, 415, "unsupported_media_type", "the body must be %s", match->content_type);
        return -1;
    }

    if (match->auth != WEB_AUTH_NONE) {
        struct web_store *s = web_pool_acquire(r->srv);
        int rc = web_auth_request(r, s);
        web_pool_release(r->srv, s);
        if (rc < 0)
            return -1;
    }

    if (match->body == WEB_BODY_FILE) {
        if (str_fmt(r->upload_dir, sizeof(r->upload_dir), "%s/upload-XXXXXX", r->srv->tmp_dir) < 0 ||
            !mkdtemp(r->upload_dir)) {
            int e = errno;
            r->upload_dir[0] = '\0';
            log_error("web", "cannot create an upload folder in '%s': %s", r->srv->tmp_dir, strerror(e));
            if (!web_reply_store_fault(r, errno_fault(e)))          /* ops */
                web_reply_error(r, 500, "internal", "cannot store the upload");
            return -1;
        }
        str_fmt(r->upload_path, sizeof(r->upload_path), "%s/package.zip", r->upload_dir);
        r->upload_fd = open(r->upload_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (r->upload_fd < 0) {
            int e = errno;
            log_error("web", "cannot create '%s': %s", r->upload_path, strerror(e));
            if (!web_reply_store_fault(r, errno_fault(e)))          /* ops */
                web_reply_error(r, 500, "internal", "cannot store the upload");
            return -1;
        }
    }
    buf_init(&r->body, match->body == WEB_BODY_FILE || match->limit == 0 ? 1 : (size_t)match->limit);
    return 0;
}

int web_write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* One piece of the body; -1 when the connection must be dropped. */
static int req_data(struct web_req *r, const char *data, size_t size)
{
    r->received += size;
    if (r->received > r->route->limit) {
        /* Only a body without Content-Length gets here (chunked): refuse
         * it now rather than read the rest. libmicrohttpd may not take a
         * reply in the middle of a body; then the connection is closed. */
        if (r->route->body == WEB_BODY_NONE)
            web_reply_error(r, 413, "too_large", "this request takes no body");
        else
            web_reply_error(r, 413, "too_large", "the body is larger than %llu bytes",
                            (unsigned long long)r->route->limit);
        queue_reply(r);
        return r->queued ? 0 : -1;
    }
    if (r->route->body == WEB_BODY_FILE) {
        if (r->upload_errno)
            return 0;               /* ops: the disk is full: the rest is dropped (on_request replies) */
        if (web_write_all(r->upload_fd, data, size) < 0) {
            int e = errno;
            log_error("web", "cannot write '%s': %s", r->upload_path, strerror(e));
            if (!errno_fault(e))
                return -1;
            r->upload_errno = e;
        }
        return 0;
    }
    return buf_add(&r->body, data, size) < 0 ? -1 : 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    struct web_server *srv = cls;
    struct web_req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof(*r));
        if (!r)
            abort();
        r->srv = srv;
        r->conn = conn;
        r->upload_fd = -1;
        r->now = (int64_t)time(NULL);
        r->started = mono_now();
        buf_init(&r->body, 1);
        str_fmt(r->method, sizeof(r->method), "%s", method);
        str_fmt(r->path, sizeof(r->path), "%s", url);
        for (char *p = r->path; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
        req_address(r);
        pthread_mutex_lock(&srv->mu);
        srv->inflight++;
        pthread_mutex_unlock(&srv->mu);
        *con_cls = r;
        if (req_begin(r, url, method) < 0)
            queue_reply(r);
        return MHD_YES;
    }
    if (r->queued) {
        *upload_data_size = 0;      /* a reply is out: the rest is not wanted */
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        return req_data(r, upload_data, n) < 0 ? MHD_NO : MHD_YES;
    }
    if (r->upload_errno) {
        /* ops: the upload could not be kept */
        web_reply_store_fault(r, errno_fault(r->upload_errno));
    } else if (r->route->fn) {
        struct web_store *s = web_pool_acquire(srv);
        r->route->fn(r, s);
        web_pool_release(srv, s);
        if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
            web_feeds_notify(srv);          /* event feeds look for news */
    } else {
        web_reply_text(r, 200, "ok\n");
    }
    queue_reply(r);
    return r->queued ? MHD_YES : MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct web_server *srv = cls;
    struct web_req *r = *con_cls;
    if (!r)
        return;
    *con_cls = NULL;
    /* An idle judge's empty claim every few seconds is not worth a line. */
    if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK && r->status == 204 && r->route &&
        r->route->fn == web_api_judge_claim)
        log_debug("http", "%s %s %u %.1fms %s", r->method, r->path, r->status, (mono_now() - r->started) * 1e3,
                  r->address);
    else if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
        log_info("http", "%s %s %u %.1fms %s", r->method, r->path, r->status, (mono_now() - r->started) * 1e3,
                 r->address);
    else
        log_info("http", "%s %s %u %.1fms %s (connection ended early: %d)", r->method, r->path, r->status,
                 (mono_now() - r->started) * 1e3, r->address, (int)toe);
    web_metrics_observe(srv->metrics, r->method, r->route ? r->route->pattern : NULL, r->status,
                        mono_now() - r->started);       /* ops */
    if (r->resp)
        MHD_destroy_response(r->resp);
    if (r->upload_fd >= 0)
        close(r->upload_fd);
    if (r->upload_dir[0] && web_rmtree(r->upload_dir) < 0)
        log_warn("web", "cannot remove '%s': %s", r->upload_dir, strerror(errno));
    buf_release(&r->body);
    sodium_memzero(r->session_token, sizeof(r->session_token));
    free(r);
    pthread_mutex_lock(&srv->mu);
    srv->inflight--;
    pthread_cond_broadcast(&srv->cv);
    pthread_mutex_unlock(&srv->mu);
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    vsnprintf(line, sizeof(line), fmt, ap);
    size_t n = strlen(line);
    while (n && line[n - 1] == '\n')
        line[--n] = '\0';
    log_warn("http", "%s", line);
}

/* ---- files --------------------------------------------------------------------------------------- */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

int web_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : -1;
    return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* lchown()s path and, for a folder, what is inside (depth levels down),
 * never following links. */
static int chown_tree(const char *path, uid_t uid, gid_t gid, int depth, struct err *err)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : err_sys(err, "cannot stat '%s'", path);
    if ((st.st_uid != uid || st.st_gid != gid) && lchown(path, uid, gid) < 0)
        return err_sys(err, "cannot give '%s' to uid %u", path, (unsigned)uid);
    if (!S_ISDIR(st.st_mode) || depth == 0)
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return err_sys(err, "cannot open '%s'", path);
    struct dirent *de;
    int rc = 0;
    while (rc == 0 && (de = readdir(d))) {
        char sub[PATH_MAX];
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (str_fmt(sub, sizeof(sub), "%s/%s", path, de->d_name) < 0)
            rc = err_set(err, ERR_LIMIT, "path '%s/%s' is too long", path, de->d_name);
        else
            rc = chown_tree(sub, uid, gid, depth - 1, err);
    }
    closedir(d);
    return rc;
}

/* ---- privileges ------------------------------------------------------------------------------------
 * Started as root, the server does everything that needs root first: it
 * binds the socket (a port below 1024 is fine), opens the database and the
 * language table, and hands the data folder's own files (crucible.db and its
 * -wal/-shm, blobs/, tmp/; nothing else in the folder) to the service
 * account. Then it drops to that account for good: supplementary groups,
 * then the group, then the user (setgroups, setgid, setuid; in this order,
 * since each needs the privilege the next one removes), and checks that
 * root cannot be regained. The account is `user=`, else "crucible" if it
 * exists, else "nobody". Not started as root, it runs as whoever started it.
 */
static int drop_privileges(const struct web_config *cfg, struct err *err)
{
    if (geteuid() != 0) {
        if (cfg->user[0])
            log_info("web", "not started as root: user=%s is not needed", cfg->user);
        return 0;
    }
    const char *name = cfg->user[0] ? cfg->user : getpwnam("crucible") ? "crucible" : "nobody";
    struct passwd pwbuf, *pw = NULL;
    char strings[4096];
    if (getpwnam_r(name, &pwbuf, strings, sizeof(strings), &pw) != 0 || !pw)
        return err_set(err, ERR_INVALID, "user: no account '%s'", name);
    uid_t uid = pw->pw_uid;
    gid_t gid = pw->pw_gid;
    if (uid == 0) {
        log_warn("web", "user=%s is root: not dropping privileges", name);
        return 0;
    }
    static const char *const owned[] = { "", "/crucible.db", "/crucible.db-wal", "/crucible.db-shm", "/blobs",
                                         "/tmp" };
    for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++) {
        char path[PATH_MAX];
        if (str_fmt(path, sizeof(path), "%s%s", cfg->data_dir, owned[i]) < 0)
            return err_set(err, ERR_LIMIT, "data folder path is too long");
        if (chown_tree(path, uid, gid, i == 0 ? 0 : 3, err) < 0)
            return ERR_SYSTEM;
    }
    if (setgroups(1, &gid) < 0)
        return err_sys(err, "setgroups");
    if (setgid(gid) < 0)
        return err_sys(err, "setgid(%u)", (unsigned)gid);
    if (setuid(uid) < 0)
        return err_sys(err, "setuid(%u)", (unsigned)uid);
    if (setuid(0) == 0 || geteuid() != uid || getegid() != gid)
        return err_set(err, ERR_SYSTEM, "root privileges could not be dropped");
    if (access(cfg->data_dir, W_OK | X_OK) < 0)
        return err_sys(err, "the data folder '%s' is not usable by '%s' (check the folders above it)",
                       cfg->data_dir, name);
    log_info("web", "running as %s (uid %u, gid %u)", name, (unsigned)uid, (unsigned)gid);
    return 0;
}

/* ---- the timer ---------------------------------------------------------------------------------------
 * Claims expire leases too, but a queue with no judge claiming would keep
 * dead jobs "judging" forever: the timer puts them back on the queue, and
 * purges expired sessions now and then.
 */
static void *timer_main(void *arg)
{
    struct web_server *srv = arg;
    int period = srv->cfg->lease_seconds / 3;
    int64_t last_purge = 0, last_expire = 0, last_event = -1;
    if (period < 1)
        period = 1;
    if (period > 10)
        period = 10;
    /* PostgreSQL: other servers write to the same database, and this one
     * learns of their events by looking every second (event feeds and
     * scoreboards read the event log; this only wakes the feeds). */
    int shared = strcmp(web_store_engine(srv->stores[0]), "postgresql") == 0;
    int tick = shared ? 1 : period;
    pthread_mutex_lock(&srv->mu);
    while (!srv->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += tick;
        while (!srv->stopping && pthread_cond_timedwait(&srv->cv, &srv->mu, &until) != ETIMEDOUT)
            ;
        if (srv->stopping)
            break;
        pthread_mutex_unlock(&srv->mu);
        struct web_store *s = web_pool_acquire(srv);
        struct err err;
        int64_t n = 0, now = (int64_t)time(NULL);
        if (shared) {
            int64_t ev = 0;
            if (web_store_event_last(s, 0, &ev, &err) == 0 && ev != last_event) {
                last_event = ev;
                web_feeds_notify(srv);
            }
            if (now - last_expire < period) {
                web_pool_release(srv, s);
                pthread_mutex_lock(&srv->mu);
                continue;
            }
        }
        last_expire = now;
        if (web_store_job_expire(s, now, &n, &err) < 0)
            log_warn("web", "lease expiry: %s", err.msg);
        else if (n)
            log_info("web", "%lld expired judging lease(s): back on the queue", (long long)n);
        if (now - last_purge >= 3600) {
            if (web_store_session_purge(s, now, &n, &err) < 0)
                log_warn("web", "session purge: %s", err.msg);
            last_purge = now;
        }
        web_pool_release(srv, s);
        web_feeds_notify(srv);              /* expiries, keep-alives, the contest clock */
        pthread_mutex_lock(&srv->mu);
    }
    pthread_mutex_unlock(&srv->mu);
    return NULL;
}

/* ---- starting and stopping ------------------------------------------------------------------------------ */

static int listen_open(struct web_server *srv, struct err *err)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int one = 1;
    if (web_listen_parse(srv->cfg->listen, &ss, &len, err) < 0)
        return ERR_INVALID;
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return err_sys(err, "socket");
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (ss.ss_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 256) < 0) {
        int rc = err_sys(err, "cannot listen on %s", srv->cfg->listen);
        close(fd);
        return rc;
    }
    /* Port 0 picked a free port: say which. */
    char host[INET6_ADDRSTRLEN] = "";
    len = sizeof(ss);
    getsockname(fd, (struct sockaddr *)&ss, &len);
    if (ss.ss_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)(const void *)&ss;
        inet_ntop(AF_INET, &v4->sin_addr, host, sizeof(host));
        str_fmt(srv->listen_name, sizeof(srv->listen_name), "%s:%u", host, ntohs(v4->sin_port));
    } else {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)(const void *)&ss;
        inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof(host));
        str_fmt(srv->listen_name, sizeof(srv->listen_name), "[%s]:%u", host, ntohs(v6->sin6_port));
    }
    srv->listen_fd = fd;
    return 0;
}

/* ops: a data folder that cannot be written (a read-only mount, a full
 * disk) is refused at the start with a clear message, rather than found out
 * by the first submission. Creates the folder when missing, like
 * web_data_init. */
static int data_writable(const char *dir, struct err *err)
{
    char probe[PATH_MAX];
    if (mkdir(dir, 0750) < 0 && errno != EEXIST)
        return err_sys(err, "cannot create the data folder '%s'", dir);
    if (str_fmt(probe, sizeof(probe), "%s/.write-probe-XXXXXX", dir) < 0)
        return err_set(err, ERR_LIMIT, "data folder path is too long");
    int fd = mkostemp(probe, O_CLOEXEC);
    int rc = fd < 0 || write(fd, "ok\n", 3) != 3 || fsync(fd) < 0 ? -1 : 0;
    int saved = errno;
    if (fd >= 0) {
        close(fd);
        unlink(probe);
    }
    if (rc == 0)
        return 0;
    errno = saved;
    if (saved == EROFS || saved == EACCES || saved == EPERM)
        return err_sys(err, "the data folder '%s' is read-only: crucible serve must write there (database, "
                            "blobs/, tmp/); mount it read-write", dir);
    if (saved == ENOSPC || saved == EDQUOT)
        return err_sys(err, "the data folder '%s' has no space left: free some before starting", dir);
    return err_sys(err, "cannot write in the data folder '%s'", dir);
}

/* Removes what earlier runs left in tmp/ (a crash mid-upload). */
static int tmp_prepare(struct web_server *srv, struct err *err)
{
    if (str_fmt(srv->tmp_dir, sizeof(srv->tmp_dir), "%s/tmp", srv->cfg->data_dir) < 0)
        return err_set(err, ERR_LIMIT, "data folder path is too long");
    if (mkdir(srv->tmp_dir, 0700) < 0 && errno != EEXIST)
        return err_sys(err, "cannot create '%s'", srv->tmp_dir);
    DIR *d = opendir(srv->tmp_dir);
    if (!d)
        return err_sys(err, "cannot open '%s'", srv->tmp_dir);
    struct dirent *de;
    while ((de = readdir(d))) {
        char sub[PATH_MAX];
        if (strncmp(de->d_name, "upload-", 7) != 0)
            continue;
        if (str_fmt(sub, sizeof(sub), "%s/%s", srv->tmp_dir, de->d_name) == 0)
            web_rmtree(sub);
    }
    closedir(d);
    return 0;
}

static int threads_of(const struct web_config *cfg)
{
    if (cfg->threads > 0)
        return cfg->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

static void server_release(struct web_server *srv)
{
    if (srv->timer_started) {
        pthread_mutex_lock(&srv->mu);
        srv->stopping = 1;
        pthread_cond_broadcast(&srv->cv);
        pthread_mutex_unlock(&srv->mu);
        pthread_join(srv->timer, NULL);
    }
    if (srv->mhd) {
        web_feeds_stop(srv);
        MHD_stop_daemon(srv->mhd);
    }
    if (srv->listen_fd >= 0)
        close(srv->listen_fd);
    for (size_t i = 0; i < srv->nstores; i++)
        web_store_close(srv->stores[i]);
    free(srv->stores);
    free(srv->store_busy);
    jdg_languages_release(&srv->langs);
    web_boards_free(srv->boards);
    web_feeds_free(srv);
    web_metrics_free(srv->metrics);         /* ops */
    sodium_memzero(srv->csrf_key, sizeof(srv->csrf_key));
    pthread_mutex_destroy(&srv->pool_mu);
    pthread_cond_destroy(&srv->pool_cv);
    pthread_mutex_destroy(&srv->mu);
    pthread_cond_destroy(&srv->cv);
}

/* Waits for requests in flight to finish, at most grace seconds. */
static void drain(struct web_server *srv, int grace)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += grace;
    pthread_mutex_lock(&srv->mu);
    while (srv->inflight > 0)
        if (pthread_cond_timedwait(&srv->cv, &srv->mu, &until) == ETIMEDOUT)
            break;
    long left = srv->inflight;
    pthread_mutex_unlock(&srv->mu);
    if (left)
        log_warn("web", "%ld request(s) still running after %d s: closing them", left, grace);
}

int web_serve(const struct web_config *cfg, struct err *err)
{
    struct web_server srv;
    sigset_t stop;
    int rc, sig = 0;
    MHD_socket lfd_owned = MHD_INVALID_SOCKET;

    memset(&srv, 0, sizeof(srv));
    srv.cfg = cfg;
    srv.listen_fd = -1;
    pthread_mutex_init(&srv.pool_mu, NULL);
    pthread_cond_init(&srv.pool_cv, NULL);
    pthread_mutex_init(&srv.mu, NULL);
    pthread_cond_init(&srv.cv, NULL);
    web_boards_new(&srv.boards);
    web_feeds_new(&srv);
    web_metrics_new(&srv.metrics);          /* ops */
    log_set_level(cfg->log_level);

    /* Every thread started from here on inherits the blocked signals, so
     * SIGTERM and SIGINT reach only the sigwait below. */
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (sodium_init() < 0) {
        rc = err_set(err, ERR_SYSTEM, "cannot initialise libsodium");
        goto out;
    }
    if ((rc = web_config_check(cfg, err)) < 0 || (rc = listen_open(&srv, err)) < 0)
        goto out;
    /* PostgreSQL: web_store_open() and the commands it shares with take the
     * database from the environment (the embedded judges drop it). */
    if (cfg->database[0] && setenv("CRUCIBLE_DATABASE", cfg->database, 1) < 0) {
        rc = err_sys(err, "cannot set CRUCIBLE_DATABASE");
        goto out;
    }
    if ((rc = data_writable(cfg->data_dir, err)) < 0 || (rc = web_data_init(cfg->data_dir, err)) < 0)
        goto out;
    int threads = threads_of(cfg);
    srv.nstores = (size_t)threads + 1;
    srv.stores = calloc(srv.nstores, sizeof(*srv.stores));
    srv.store_busy = calloc(srv.nstores, 1);
    if (!srv.stores || !srv.store_busy)
        abort();
    for (size_t i = 0; i < srv.nstores; i++)
        if ((rc = web_store_open(cfg->data_dir, &srv.stores[i], err)) < 0)
            goto out;
    if ((rc = web_server_secret_load(&srv, srv.stores[0], err)) < 0 || (rc = tmp_prepare(&srv, err)) < 0)
        goto out;
    const char *langs = cfg->languages[0] ? cfg->languages : jdg_languages_default_path();
    if ((rc = jdg_languages_load(langs, &srv.langs, err)) < 0)
        goto out;
    /* For accounts that do not exist, a login still costs one Argon2id
     * verification, so its timing does not tell which names exist. */
    {
        unsigned char pw[16];
        randombytes_buf(pw, sizeof(pw));
        if (crypto_pwhash_str(srv.dummy_hash, (const char *)pw, sizeof(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
            rc = err_set(err, ERR_SYSTEM, "cannot hash a password (out of memory?)");
            goto out;
        }
    }
    /* Judges run as root: their supervisor is forked now, before the drop
     * and before any thread (embedded.c). */
    if ((rc = web_embedded_start(&srv, srv.stores[0], err)) < 0)
        goto out;
    /* libmicrohttpd is loaded here (see mhd.h), while still privileged. */
    if ((rc = web_mhd_load(err)) < 0 || (rc = drop_privileges(cfg, err)) < 0)
        goto out;

    /* Suspend and resume: event feeds wait for news without a thread. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    flags |= MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ? MHD_USE_EPOLL : MHD_USE_POLL;
    srv.mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, &srv,
                               MHD_OPTION_EXTERNAL_LOGGER, mhd_log, &srv,
                               MHD_OPTION_LISTEN_SOCKET, (MHD_socket)srv.listen_fd,
                               MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
                               MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->max_connections,
                               MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->connection_timeout,
                               MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 << 10),
                               MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
                               MHD_OPTION_UNESCAPE_CALLBACK, web_url_unescape, NULL,   /* uiq: no %00 */
                               MHD_OPTION_END);
    if (!srv.mhd) {
        rc = err_set(err, ERR_SYSTEM, "cannot start the HTTP server on %s", srv.listen_name);
        goto out;
    }
    lfd_owned = srv.listen_fd;      /* the daemon's now: it closes it when stopped */
    srv.listen_fd = -1;
    if (pthread_create(&srv.timer, NULL, timer_main, &srv) != 0) {
        rc = err_set(err, ERR_SYSTEM, "cannot start the timer thread");
        goto out;
    }
    srv.timer_started = 1;
    log_info("web", "listening on http://%s (%d threads, data %s)", srv.listen_name, threads, cfg->data_dir);

    while (sigwait(&stop, &sig) != 0)
        ;
    log_info("web", "%s: stopping; finishing requests in flight", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    /* Stop accepting first, then let what is running finish. */
    MHD_socket lfd = MHD_quiesce_daemon(srv.mhd);
    if (lfd != MHD_INVALID_SOCKET && lfd == lfd_owned)
        srv.listen_fd = lfd;        /* handed back: closed in server_release */
    web_feeds_stop(&srv);           /* streaming event feeds end now */
    drain(&srv, cfg->shutdown_grace);
    rc = 0;
out:
    server_release(&srv);
    if (rc == 0)
        log_info("web", "stopped");
    return rc;
}

/* ---- security: the request line's own parsers, for tests/fuzz/fuzz_query.c (web_int.h) ---- */

int web_route_probe(const char *path, const char *key, int64_t *id, int *key_allowed)
{
    int found = -1;
    *key_allowed = 0;
    for (size_t i = 0; i < NROUTES; i++) {
        struct route_params rp = { 0 };
        if (!route_match(routes[i].pattern, path, &rp))
            continue;
        if ((strstr(routes[i].pattern, "{id}") && rp.id < 1) || (strstr(routes[i].pattern, "{id2}") && rp.id2 < 1) ||
            (strstr(routes[i].pattern, "{hex}") && !web_hash_valid(rp.hex)) ||
            (strstr(routes[i].pattern, "{name}") && (!rp.name[0] || rp.name[0] == '.')))
            return -2;
        if (found < 0) {
            found = (int)i;
            *id = rp.id;
        }
        if (key) {
            struct query_check q = { routes[i].query, NULL };
            if (query_iter(&q, MHD_GET_ARGUMENT_KIND, key, NULL) == MHD_YES)
                *key_allowed = 1;
        }
    }
    return found;
}
