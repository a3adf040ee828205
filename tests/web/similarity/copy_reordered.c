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

#define LIM 200005
#define ELIM 400010
#define INFTY 0x3f3f3f3f3f3f3f3fLL

struct entry {
    long long dd;
    int vv;
};

static struct entry h[ELIM];
static int hn;
static int adj_head[LIM], adj_next[ELIM], adj_to[ELIM], ecnt;
static long long adj_w[ELIM], D[LIM];
static int fin[LIM];

static struct entry pop_min(void)
{
    struct entry top = h[0];
    h[0] = h[--hn];
    int i = 0;
    for (;;) {
        int l = 2 * i + 1, r = l + 1, s = i;
        if (l < hn && h[l].dd < h[s].dd)
            s = l;
        if (r < hn && h[r].dd < h[s].dd)
            s = r;
        if (s == i)
            break;
        struct entry t = h[s];
        h[s] = h[i];
        h[i] = t;
        i = s;
    }
    return top;
}

static void push(long long dd, int vv);
static void edge(int u, int v, long long w);

static long long solve(int n, int m)
{
    for (int i = 1; i <= n; i++) {
        adj_head[i] = -1;
        D[i] = INFTY;
    }
    for (int i = 0; i < m; i++) {
        int u = read_int(), v = read_int(), w = read_int();
        edge(u, v, w);
        edge(v, u, w);
    }
    D[1] = 0;
    push(0, 1);
    while (hn > 0) {
        struct entry it = pop_min();
        int u = it.vv;
        if (fin[u])
            continue;
        fin[u] = 1;
        for (int e = adj_head[u]; e != -1; e = adj_next[e]) {
            int v = adj_to[e];
            if (D[u] + adj_w[e] < D[v]) {
                D[v] = D[u] + adj_w[e];
                push(D[v], v);
            }
        }
    }
    return D[n] == INFTY ? -1 : D[n];
}

static void push(long long dd, int vv)
{
    int i = hn++;
    h[i].dd = dd;
    h[i].vv = vv;
    while (i > 0) {
        int p = (i - 1) / 2;
        if (h[p].dd <= h[i].dd)
            break;
        struct entry t = h[p];
        h[p] = h[i];
        h[i] = t;
        i = p;
    }
}

static void edge(int u, int v, long long w)
{
    adj_to[ecnt] = v;
    adj_w[ecnt] = w;
    adj_next[ecnt] = adj_head[u];
    adj_head[u] = ecnt++;
}
