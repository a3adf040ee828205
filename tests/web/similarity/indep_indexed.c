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

/* Dave: Dijkstra with an indexed heap and decrease-key (1-based heap). */
enum { V_MAX = 200005, E_MAX = 400010 };
static const long long NONE = -1;

static int eh[V_MAX], en[E_MAX], ev[E_MAX], ne;
static long long ew[E_MAX];
static long long key[V_MAX];
static int heapv[V_MAX], where[V_MAX], hs;

static int less(int i, int j) { return key[heapv[i]] < key[heapv[j]]; }

static void swap_at(int i, int j)
{
    int t = heapv[i]; heapv[i] = heapv[j]; heapv[j] = t;
    where[heapv[i]] = i;
    where[heapv[j]] = j;
}

static void up(int i) { for (; i > 1 && less(i, i / 2); i /= 2) swap_at(i, i / 2); }

static void down(int i)
{
    while (2 * i <= hs) {
        int c = 2 * i;
        if (c + 1 <= hs && less(c + 1, c)) c++;
        if (!less(c, i)) return;
        swap_at(i, c);
        i = c;
    }
}

static void decrease(int v, long long k)
{
    key[v] = k;
    if (!where[v]) { heapv[++hs] = v; where[v] = hs; }
    up(where[v]);
}

static long long solve(int n, int m)
{
    while (m--) {
        int a = read_int(), b = read_int(), c = read_int();
        ev[++ne] = b; ew[ne] = c; en[ne] = eh[a]; eh[a] = ne;
        ev[++ne] = a; ew[ne] = c; en[ne] = eh[b]; eh[b] = ne;
    }
    for (int v = 1; v <= n; v++) key[v] = NONE;
    decrease(1, 0);
    while (hs) {
        int v = heapv[1];
        swap_at(1, hs--);
        where[v] = -1;
        if (hs) down(1);
        if (v == n) return key[v];
        for (int e = eh[v]; e; e = en[e])
            if (where[ev[e]] >= 0 && (key[ev[e]] == NONE || key[v] + ew[e] < key[ev[e]]))
                decrease(ev[e], key[v] + ew[e]);
    }
    return NONE;
}
