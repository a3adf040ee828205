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

// Carol: SPFA (queue-based Bellman-Ford) with edges sorted by source.
typedef struct { int from, to; long long w; } Edge;

static int by_from(const void *x, const void *y)
{
    const Edge *p = x, *q = y;
    return (p->from > q->from) - (p->from < q->from);
}

static long long solve(int n, int m)
{
    Edge *edges = malloc(sizeof(Edge) * 2 * (size_t)(m > 0 ? m : 1));
    int *start = calloc((size_t)n + 2, sizeof(int));
    long long *d = malloc(sizeof(long long) * ((size_t)n + 1));
    int *queue = malloc(sizeof(int) * ((size_t)n + 1));
    char *inq = calloc((size_t)n + 1, 1);
    int qh = 0, qt = 0, total = 0;

    for (int k = 0; k < m; k++) {
        int a = read_int(), b = read_int(), w = read_int();
        edges[total++] = (Edge){ a, b, w };
        edges[total++] = (Edge){ b, a, w };
    }
    qsort(edges, (size_t)total, sizeof(Edge), by_from);
    for (int k = 0, v = 1; v <= n + 1; v++) {
        while (k < total && edges[k].from < v)
            k++;
        start[v] = k;
    }
    for (int v = 1; v <= n; v++)
        d[v] = -1;
    d[1] = 0;
    queue[qt++] = 1;
    inq[1] = 1;
    while (qh != qt) {
        int v = queue[qh];
        qh = (qh + 1) % (n + 1);
        inq[v] = 0;
        for (int k = start[v]; k < start[v + 1]; k++) {
            int t = edges[k].to;
            long long nd = d[v] + edges[k].w;
            if (d[t] == -1 || nd < d[t]) {
                d[t] = nd;
                if (!inq[t]) {
                    inq[t] = 1;
                    queue[qt] = t;
                    qt = (qt + 1) % (n + 1);
                }
            }
        }
    }
    long long r = d[n];
    free(edges);
    free(start);
    free(d);
    free(queue);
    free(inq);
    return r;
}
