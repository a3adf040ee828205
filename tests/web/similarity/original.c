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

/* Alice's solution: Dijkstra with a hand-written binary heap. */
#define MAXN 200005
#define MAXM 400010
#define INF 0x3f3f3f3f3f3f3f3fLL

static int head[MAXN], nxt[MAXM], to[MAXM], cnt;
static long long wt[MAXM], dist[MAXN];
static int done[MAXN];

struct item {
    long long d;
    int v;
};
static struct item heap[MAXM];
static int heap_size;

static void add_edge(int u, int v, long long w)
{
    to[cnt] = v;
    wt[cnt] = w;
    nxt[cnt] = head[u];
    head[u] = cnt++;
}

static void heap_push(long long d, int v)
{
    int i = heap_size++;
    heap[i].d = d;
    heap[i].v = v;
    while (i > 0) {
        int p = (i - 1) / 2;
        if (heap[p].d <= heap[i].d)
            break;
        struct item t = heap[p];
        heap[p] = heap[i];
        heap[i] = t;
        i = p;
    }
}

static struct item heap_pop(void)
{
    struct item top = heap[0];
    heap[0] = heap[--heap_size];
    int i = 0;
    for (;;) {
        int l = 2 * i + 1, r = l + 1, s = i;
        if (l < heap_size && heap[l].d < heap[s].d)
            s = l;
        if (r < heap_size && heap[r].d < heap[s].d)
            s = r;
        if (s == i)
            break;
        struct item t = heap[s];
        heap[s] = heap[i];
        heap[i] = t;
        i = s;
    }
    return top;
}

static long long solve(int n, int m)
{
    for (int i = 1; i <= n; i++) {
        head[i] = -1;
        dist[i] = INF;
    }
    for (int i = 0; i < m; i++) {
        int u = read_int(), v = read_int(), w = read_int();
        add_edge(u, v, w);
        add_edge(v, u, w);
    }
    dist[1] = 0;
    heap_push(0, 1);
    while (heap_size > 0) {
        struct item it = heap_pop();
        int u = it.v;
        if (done[u])
            continue;
        done[u] = 1;
        for (int e = head[u]; e != -1; e = nxt[e]) {
            int v = to[e];
            if (dist[u] + wt[e] < dist[v]) {
                dist[v] = dist[u] + wt[e];
                heap_push(dist[v], v);
            }
        }
    }
    return dist[n] == INF ? -1 : dist[n];
}
