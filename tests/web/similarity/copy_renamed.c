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

// my own work!! (Mallory)
#define N_NODES 200005
#define N_EDGES 400010
#define BIG 0x3f3f3f3f3f3f3f3fLL

static int first_edge[N_NODES], next_edge[N_EDGES], target[N_EDGES], edge_count;
static long long cost[N_EDGES], best[N_NODES];
static int visited[N_NODES];

struct node { long long key; int city; };
static struct node pq[N_EDGES];
static int pq_len;

static void link(int a, int b, long long c) {
  target[edge_count] = b; cost[edge_count] = c;
  next_edge[edge_count] = first_edge[a];
  first_edge[a] = edge_count++;
}

// push onto priority queue
static void pq_insert(long long key, int city) {
  int k = pq_len++;
  pq[k].key = key; pq[k].city = city;
  while (k > 0) {
    int parent = (k - 1) / 2;
    if (pq[parent].key <= pq[k].key) break;
    struct node tmp = pq[parent]; pq[parent] = pq[k]; pq[k] = tmp;
    k = parent;
  }
}

// remove the smallest
static struct node pq_extract(void) {
  struct node res = pq[0];
  pq[0] = pq[--pq_len];
  int k = 0;
  for (;;) {
    int left = 2 * k + 1, right = left + 1, small = k;
    if (left < pq_len && pq[left].key < pq[small].key) small = left;
    if (right < pq_len && pq[right].key < pq[small].key) small = right;
    if (small == k) break;
    struct node tmp = pq[small]; pq[small] = pq[k]; pq[k] = tmp;
    k = small;
  }
  return res;
}

static long long solve(int n, int m) {
  for (int a = 1; a <= n; a++) { first_edge[a] = -1; best[a] = BIG; }
  for (int a = 0; a < m; a++) {
    int x = read_int(), y = read_int(), z = read_int();
    link(x, y, z); link(y, x, z);
  }
  best[1] = 0;
  pq_insert(0, 1);
  while (pq_len > 0) {
    struct node cur = pq_extract();
    int city = cur.city;
    if (visited[city]) continue;
    visited[city] = 1;
    for (int ed = first_edge[city]; ed != -1; ed = next_edge[ed]) {
      int nb = target[ed];
      if (best[city] + cost[ed] < best[nb]) {
        best[nb] = best[city] + cost[ed];
        pq_insert(best[nb], nb);
      }
    }
  }
  return best[n] == BIG ? -1 : best[n];
}
