/*
 * web.h: the public header of web/ (HTTP routes, storage, auth,
 * scoreboards). For now it gathers the parts' headers, to be folded in
 * here as the module settles.
 */
#ifndef CRUCIBLE_WEB_H
#define CRUCIBLE_WEB_H

/* ---- scoreboard -------------------------------------------------------------
 * The scoring rules (ICPC, IOI, OI), freeze and views, and the Contest API
 * scoreboard JSON (web_scoreboard_*), in web/scoreboard.h. */
#include "../scoreboard.h"

/* ---- storage ----------------------------------------------------------------
 * Everything crucible serve keeps (web_store_*: accounts, sessions and
 * tokens, problems, contests, submissions, the judging queue) and the
 * content-addressed blob store (web_blob_*), in web/storage.h. */
#include "../storage.h"

#endif
