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

/* Trudy: Dijkstra */
#define MAXV 200005
#define MAXE 400010
#define INF_D 0x3f3f3f3f3f3f3f3fLL

static int g_head[MAXV], g_next[MAXE], g_to[MAXE], g_cnt;
static long long g_w[MAXE], g_dist[MAXV];
static int g_done[MAXV];
static long long pushes, pops;

struct hitem {
    long long d;
    int v;
};
static struct hitem hp[MAXE];
static int hsz;

static void add(int u, int v, long long w)
{
    if (u < 1 || v < 1)
        return;
    g_to[g_cnt] = v;
    g_w[g_cnt] = w;
    g_next[g_cnt] = g_head[u];
    g_head[u] = g_cnt++;
}

static void hpush(long long d, int v)
{
    int i = hsz++;
    pushes++;
    hp[i].d = d;
    hp[i].v = v;
    while (i > 0) {
        int p = (i - 1) / 2;
        if (hp[p].d <= hp[i].d)
            break;
        struct hitem t = hp[p];
        hp[p] = hp[i];
        hp[i] = t;
        i = p;
    }
}

static struct hitem hpop(void)
{
    struct hitem top = hp[0];
    pops++;
    hp[0] = hp[--hsz];
    int i = 0;
    for (;;) {
        int l = 2 * i + 1, r = l + 1, s = i;
        if (l < hsz && hp[l].d < hp[s].d)
            s = l;
        if (r < hsz && hp[r].d < hp[s].d)
            s = r;
        if (s == i)
            break;
        struct hitem t = hp[s];
        hp[s] = hp[i];
        hp[i] = t;
        i = s;
    }
    return top;
}

static long long solve(int n, int m)
{
    if (n <= 0)
        return -1;
    for (int i = 1; i <= n; i++) {
        g_head[i] = -1;
        g_dist[i] = INF_D;
    }
    for (int i = 0; i < m; i++) {
        int u = read_int(), v = read_int(), w = read_int();
        add(u, v, w);
        add(v, u, w);
    }
    g_dist[1] = 0;
    hpush(0, 1);
    while (hsz > 0) {
        struct hitem it = hpop();
        int u = it.v;
        if (g_done[u])
            continue;
        g_done[u] = 1;
        if (u == n)
            break;
        for (int e = g_head[u]; e != -1; e = g_next[e]) {
            int v = g_to[e];
            if (g_dist[u] + g_w[e] < g_dist[v]) {
                g_dist[v] = g_dist[u] + g_w[e];
                hpush(g_dist[v], v);
            }
        }
    }
    fprintf(stderr, "%lld %lld\n", pushes, pops);
    return g_dist[n] == INF_D ? -1 : g_dist[n];
}
