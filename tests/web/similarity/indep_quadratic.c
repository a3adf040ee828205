/*
 * Assignment 4: shortest path from city 1 to city n.
 * Input: n m, then m lines "u v w" (roads, both ways). Output the length
 * of the shortest path from 1 to n, or -1. Write solve(); keep the rest.
 */
#include <stdio.h>
#include <stdlib.h>

static int read_int(void)
{
    int c = getchar(), sign = 1, x = 0;
    while (c != '-' && (c < '0' || c > '9')) {
        if (c == EOF)
            return 0;
        c = getchar();
    }
    if (c == '-') {
        sign = -1;
        c = getchar();
    }
    while (c >= '0' && c <= '9') {
        x = x * 10 + (c - '0');
        c = getchar();
    }
    return x * sign;
}

static void print_answer(long long v)
{
    printf("%lld\n", v);
}

static long long solve(int n, int m);

int main(void)
{
    int n = read_int(), m = read_int();
    print_answer(solve(n, m));
    return 0;
}

/* Bob: O(n^2) Dijkstra over growable adjacency lists, fine for small n. */
struct arc {
    int to;
    long long len;
};

struct list {
    struct arc *a;
    size_t n, cap;
};

static void list_add(struct list *l, int to, long long len)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->a = realloc(l->a, l->cap * sizeof(*l->a));
        if (!l->a)
            exit(1);
    }
    l->a[l->n].to = to;
    l->a[l->n].len = len;
    l->n++;
}

static long long solve(int n, int m)
{
    struct list *g = calloc((size_t)n + 1, sizeof(*g));
    long long *best = malloc(((size_t)n + 1) * sizeof(*best));
    char *fixed = calloc((size_t)n + 1, 1);
    long long answer;
    if (!g || !best || !fixed)
        exit(1);
    while (m-- > 0) {
        int a = read_int(), b = read_int(), c = read_int();
        list_add(&g[a], b, c);
        list_add(&g[b], a, c);
    }
    for (int v = 0; v <= n; v++)
        best[v] = -1;
    best[1] = 0;
    for (;;) {
        int pick = 0;
        for (int v = 1; v <= n; v++)
            if (!fixed[v] && best[v] >= 0 && (pick == 0 || best[v] < best[pick]))
                pick = v;
        if (pick == 0 || pick == n)
            break;
        fixed[pick] = 1;
        for (size_t k = 0; k < g[pick].n; k++) {
            struct arc *e = &g[pick].a[k];
            long long through = best[pick] + e->len;
            if (best[e->to] < 0 || through < best[e->to])
                best[e->to] = through;
        }
    }
    answer = best[n];
    for (int v = 0; v <= n; v++)
        free(g[v].a);
    free(g);
    free(best);
    free(fixed);
    return answer;
}
