/*
 * similarity.h: source code similarity as MOSS computes it (Schleimer,
 * Wilkerson and Aiken, "Winnowing: local algorithms for document
 * fingerprinting", SIGMOD 2003). Pure logic, no I/O: sources in,
 * fingerprints, scores and matched line ranges out. api_similarity.c runs it
 * over an assignment's submissions.
 *
 * How this works:
 * 1. Tokenize. Comments, whitespace and preprocessor lines are dropped;
 *    every identifier becomes one token class (so renaming a variable
 *    changes nothing), numbers, strings and characters one class each;
 *    keywords and operators stay themselves (they carry the structure).
 *    Each token keeps its 1-based line.
 * 2. Hash every k-gram of WEB_SIM_K consecutive tokens (a rolling
 *    polynomial hash, then mixed so that minima are spread evenly).
 * 3. Winnow: in every window of WEB_SIM_W consecutive k-gram hashes keep the
 *    smallest (the rightmost on ties), once. Any run of at least
 *    WEB_SIM_W + WEB_SIM_K - 1 tokens that two sources share is then
 *    guaranteed to give both a common fingerprint, and no match shorter than
 *    WEB_SIM_K tokens ever does (the noise threshold).
 * 4. Drop the template the teacher gave: a token is template material when
 *    some WEB_SIM_TEMPLATE_K-gram around it is also one of the template's
 *    (all of them, not winnowed ones: winnowing picks differently in a
 *    different context), and a fingerprint whose k-gram is at least half
 *    template material is dropped. So both the template's own k-grams and
 *    those that merely join pieces of it (the end of its main() and the
 *    solve() signature it prescribes, which every submission repeats) count
 *    for nothing. The shorter grams see those pieces; 7 tokens are still
 *    specific enough that a student's own code is rarely taken for them.
 * 5. Score a pair: shared distinct fingerprint hashes / the smaller count of
 *    distinct fingerprints of the two. A copy padded with extra code still
 *    scores 1 against its origin (the smaller side is wholly contained);
 *    fingerprints being a set, reordering functions changes only the few
 *    k-grams that straddle a function boundary.
 * 6. Regions: the shared fingerprints' positions paired up, sorted by their
 *    place in the first source, merged while both sides advance together,
 *    and turned into line ranges for a side-by-side view.
 *
 * Choice of constants: k = 15 tokens is about one short statement and a half
 * with identifiers collapsed; shorter k-grams matched idioms every solution
 * writes (`for (i = 0; i < n; i++)` is 13 tokens), longer ones let an
 * inserted statement every few lines hide a copy. w = 8 keeps about 2/(w+1)
 * of the k-grams (~22%) and guarantees detection of any shared run of 22
 * tokens.
 *
 * Cost, for a source of n bytes giving t tokens and f fingerprints: O(n)
 * to tokenize, O(t * w) to winnow, O(f log f) to sort; a pair is compared in
 * O(f_a + f_b) (a merge of sorted hashes) and its regions found in
 * O(m log m) for m matches.
 *
 * Ownership: every struct filled here owns its arrays; release it with its
 * _release function (NULL-safe, leaves it empty). Inputs are borrowed.
 */
#ifndef CRUCIBLE_WEB_SIMILARITY_H
#define CRUCIBLE_WEB_SIMILARITY_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"

#define WEB_SIM_K 15                            /* tokens in a k-gram */
#define WEB_SIM_W 8                             /* k-grams in a winnowing window */
#define WEB_SIM_TEMPLATE_K 7                    /* tokens in a gram that marks template material */
#define WEB_SIM_SOURCE_MAX ((size_t)256 << 10)  /* bytes of one source (a submission's limit) */
#define WEB_SIM_TEMPLATE_MAX ((size_t)64 << 10) /* bytes of a template (an assignment's limit) */

/* Languages by their lexical rules: comment syntax, strings, keywords. */
enum web_sim_lang {
    WEB_SIM_GENERIC,            /* // and # and block comments, every family's keywords */
    WEB_SIM_C,
    WEB_SIM_CPP,
    WEB_SIM_JAVA,
    WEB_SIM_PYTHON,
};
#define WEB_SIM_LANGS 5

/* The rules for a judge language id: "c"; "cpp", "cuda"; "java";
 * "python3" and any "python..."/"pypy..."; anything else is generic. */
enum web_sim_lang web_sim_lang_of(const char *language);

/* Token classes; keywords and operators get codes >= WEB_SIM_TOK_FIXED. */
#define WEB_SIM_TOK_IDENT 1u
#define WEB_SIM_TOK_NUMBER 2u
#define WEB_SIM_TOK_STRING 3u
#define WEB_SIM_TOK_CHAR 4u
#define WEB_SIM_TOK_FIXED 0x100u

struct web_sim_token {
    uint32_t code;
    uint32_t line;                              /* 1-based */
};

struct web_sim_tokens {
    struct web_sim_token *v;
    size_t n;
};

/* Tokenizes src[0..len) (any bytes: NULs, invalid UTF-8 and unterminated
 * strings or comments are fine). ERR_LIMIT past WEB_SIM_SOURCE_MAX. */
int web_sim_tokenize(const char *src, size_t len, enum web_sim_lang lang, struct web_sim_tokens *out,
                     struct err *err);
void web_sim_tokens_release(struct web_sim_tokens *t);

/* A template's WEB_SIM_TEMPLATE_K-gram hashes, sorted, unique. */
struct web_sim_template {
    uint64_t *v;
    size_t n;
};

/* ERR_LIMIT past WEB_SIM_TEMPLATE_MAX. An empty template excludes nothing. */
int web_sim_template_init(struct web_sim_template *t, const char *src, size_t len, enum web_sim_lang lang,
                          struct err *err);
void web_sim_template_release(struct web_sim_template *t);

struct web_sim_print {
    uint64_t hash;
    uint32_t pos;                               /* its k-gram's first token */
};

/* One source ready to compare: its tokens (for lines) and its winnowed
 * fingerprints minus the template's, sorted by hash, then position. */
struct web_sim_doc {
    struct web_sim_tokens tokens;
    struct web_sim_print *prints;
    size_t nprints;
    size_t ndistinct;                           /* distinct hashes among prints */
};

/* tpl may be NULL. ERR_LIMIT past WEB_SIM_SOURCE_MAX. */
int web_sim_doc_init(struct web_sim_doc *d, const char *src, size_t len, enum web_sim_lang lang,
                     const struct web_sim_template *tpl, struct err *err);
void web_sim_doc_release(struct web_sim_doc *d);

/* Shared distinct fingerprint hashes, and the similarity (step 5): 0 when
 * either side has no fingerprints. */
double web_sim_compare(const struct web_sim_doc *a, const struct web_sim_doc *b, size_t *shared);

/* The similarity of a and b when they share `shared` distinct hashes. */
double web_sim_similarity(const struct web_sim_doc *a, const struct web_sim_doc *b, size_t shared);

/* Every pair of docs[0..n) at once: shared[i * n + j] (i < j; the caller
 * zeroes the n * n array, the rest is left alone) gets the distinct hashes
 * docs i and j share. How: all distinct hashes with their document, sorted;
 * each run of one hash adds to each pair of its documents. Cost O(F log F)
 * for F hashes in all plus the sum over hashes of (documents with it)^2,
 * far below comparing every pair when most code is not shared. */
void web_sim_shared_matrix(const struct web_sim_doc *docs, size_t n, uint32_t *shared);

/* Frees d's tokens (their lines), keeping their count: what a report of
 * scores needs. web_sim_regions_find then finds nothing for d. */
void web_sim_doc_compact(struct web_sim_doc *d);

/* Tokens covered by shared fingerprints' k-grams: the smaller of the two
 * sides' counts (what "matched_tokens" reports). */
size_t web_sim_matched_tokens(const struct web_sim_doc *a, const struct web_sim_doc *b);

/* A matched region as 1-based inclusive line ranges of each source. */
struct web_sim_region {
    uint32_t a_start, a_end;
    uint32_t b_start, b_end;
};

struct web_sim_regions {
    struct web_sim_region *v;
    size_t n;
};

/* The matched regions of a and b, by a_start (step 6). */
void web_sim_regions_find(const struct web_sim_doc *a, const struct web_sim_doc *b, struct web_sim_regions *out);
void web_sim_regions_release(struct web_sim_regions *r);

#endif
