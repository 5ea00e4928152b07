/* gp-partition-graph.c: grids as lists of units, and whether a unit may leave one without breaking it. */
#include "gp-config.h"

#include "gp-partition-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp-error.h"

guint
grid_new (Ctx *c, gboolean fixed, guint comp)
{
  guint g = c->n_grids++;

  c->gw[g] = c->garea[g] = c->gperim[g] = 0.0;
  c->gsize[g] = 0;
  c->gfixed[g] = fixed;
  c->glocked[g] = -1;
  c->gflags[g] = 0;
  c->gcomp[g] = comp;
  c->ghead[g] = UNSET;
  return g;
}

/* Shared boundary between v and the units labelled g. */
double
shared_with (const Ctx *c, guint v, guint g)
{
  double l = 0.0;

  for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
    if (c->lab[c->adj[e]] == g)
      l += c->len[e];
  return l;
}

void
grid_add (Ctx *c, guint g, guint v)
{
  c->gperim[g] += c->perim[v] - 2.0 * shared_with (c, v, g);
  c->lab[v] = g;
  c->gw[g] += c->w[v];
  c->garea[g] += c->area[v];
  c->gsize[g]++;
  c->gchanged[g] = 1;
  c->uprev[v] = UNSET;
  c->unext[v] = c->ghead[g];
  if (c->ghead[g] != UNSET)
    c->uprev[c->ghead[g]] = v;
  c->ghead[g] = v;
}

void
grid_remove (Ctx *c, guint g, guint v)
{
  c->lab[v] = UNSET;
  c->gperim[g] -= c->perim[v] - 2.0 * shared_with (c, v, g);
  c->gw[g] -= c->w[v];
  c->garea[g] -= c->area[v];
  c->gsize[g]--;
  c->gchanged[g] = 1;
  if (c->uprev[v] != UNSET)
    c->unext[c->uprev[v]] = c->unext[v];
  else
    c->ghead[g] = c->unext[v];
  if (c->unext[v] != UNSET)
    c->uprev[c->unext[v]] = c->uprev[v];
}

guint
next_stamp (Ctx *c)
{
  if (++c->stamp == 0)
    {
      memset (c->seen, 0, c->n * sizeof *c->seen);
      c->stamp = 1;
    }
  return c->stamp;
}

static guint
uf_find (guint *uf, guint i)
{
  while (uf[i] != i)
    i = uf[i] = uf[uf[i]];
  return i;
}

static int
cmp_pair (const void *a, const void *b)
{
  const guint *pa = a, *pb = b;

  return (pa[0] > pb[0]) - (pa[0] < pb[0]);
}

/* Whether the units labelled L stay connected without v (they are connected with it). Most
 * answers come from v's neighbourhood: neighbours joined directly or through a common neighbour
 * stay joined. Otherwise a bounded search decides; when the budget runs out the answer is no. */
gboolean
stays_connected (Ctx *c, guint v, guint L)
{
  guint m = 0, n_pairs = 0, sets, stamp, head = 0, tail = 0, visited = 0, mark;

  /* mark[u] == mark: u is neighbour slot[u] (so huge neighbour lists cost linear time). */
  if (++c->mark_stamp == 0)
    {
      memset (c->mark, 0, c->n * sizeof *c->mark);
      c->mark_stamp = 1;
    }
  mark = c->mark_stamp;
  for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
    {
      guint u = c->adj[e];

      if (c->lab[u] != L || c->mark[u] == mark)
        continue;
      c->mark[u] = mark;
      c->slot[u] = m;
      c->nbuf[m++] = u;
    }
  if (m <= 1)
    return TRUE;

  for (guint i = 0; i < m; i++)
    c->uf[i] = i;
  sets = m;
  for (guint i = 0; i < m; i++)
    {
      guint u = c->nbuf[i];

      for (guint e = c->xadj[u]; e < c->xadj[u + 1]; e++)
        {
          guint x = c->adj[e];

          if (x == v || c->lab[x] != L)
            continue;
          if (c->mark[x] == mark)
            {
              guint a = uf_find (c->uf, i), b = uf_find (c->uf, c->slot[x]);
              if (a != b)
                {
                  c->uf[a] = b;
                  sets--;
                }
            }
          else if (n_pairs < 8 * c->max_degree)
            {
              c->pairs[2 * n_pairs] = x;
              c->pairs[2 * n_pairs + 1] = i;
              n_pairs++;
            }
        }
    }
  if (sets > 1 && n_pairs > 1)
    {
      qsort (c->pairs, n_pairs, 2 * sizeof (guint), cmp_pair);
      for (guint p = 1; p < n_pairs; p++)
        if (c->pairs[2 * p] == c->pairs[2 * p - 2])
          {
            guint a = uf_find (c->uf, c->pairs[2 * p + 1]), b = uf_find (c->uf, c->pairs[2 * p - 1]);
            if (a != b)
              {
                c->uf[a] = b;
                sets--;
              }
          }
    }
  if (sets == 1)
    return TRUE;

  /* A search from one neighbour must reach a member of every other set. */
  stamp = next_stamp (c);
  c->seen[v] = stamp;
  {
    guint r0 = uf_find (c->uf, 0);

    for (guint i = 0; i < m; i++)
      if (uf_find (c->uf, i) == r0)
        {
          c->seen[c->nbuf[i]] = stamp;
          c->bfsq[tail++] = c->nbuf[i];
        }
    /* Mark the sets reached by flattening their root to r0. */
    sets--;
    while (head < tail)
      {
        guint u = c->bfsq[head++];

        if (++visited > BFS_BUDGET)
          return FALSE;
        for (guint e = c->xadj[u]; e < c->xadj[u + 1]; e++)
          {
            guint x = c->adj[e];

            if (c->lab[x] != L || c->seen[x] == stamp)
              continue;
            c->seen[x] = stamp;
            c->bfsq[tail++] = x;
            if (c->mark[x] == mark)
              {
                guint r = uf_find (c->uf, c->slot[x]);
                if (r != r0)
                  {
                    c->uf[r] = r0;
                    if (--sets == 0)
                      return TRUE;
                  }
              }
          }
      }
  }
  return FALSE;
}

/* The one walk of the graph: the units connected to S through units labelled LABEL (ANY_LABEL:
 * through any unit), S included whatever its own label, appended to OUT from TAIL on and marked
 * with STAMP in seen[]. Returns the new tail. */
guint
walk_piece (Ctx *c, guint s, guint label, guint stamp, guint *out, guint tail)
{
  guint head = tail;

  c->seen[s] = stamp;
  out[tail++] = s;
  while (head < tail)
    {
      guint v = out[head++];

      for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
        {
          guint u = c->adj[e];

          if ((label == ANY_LABEL || c->lab[u] == label) && c->seen[u] != stamp)
            {
              c->seen[u] = stamp;
              out[tail++] = u;
            }
        }
    }
  return tail;
}

/* Collects into bfsq the units labelled g connected to s; returns how many. */
guint
collect_piece (Ctx *c, guint s, guint g)
{
  return walk_piece (c, s, g, next_stamp (c), c->bfsq, 0);
}
