/* gp-partition.c: the splitter's graph core: contiguous recursive bisection, then boundary refinement that keeps every grid connected. */
#include "gp-config.h"

#include "gp-partition.h"
#include "gp-error.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#define UNSET       G_MAXUINT
/* Labels of regions being split count up from here; grid indices stay below. */
#define TEMP_LABEL0 0x80000000u
/* A connectivity check that would have to look at more units than this refuses the move:
 * wrong answers are never given, only some moves in very large grids are passed over. */
#define BFS_BUDGET  4096
/* A bisection of a region this small also tries exchanging two units across its cut. */
#define PAIR_LIMIT  160
/* Weight of compactness (Polsby-Popper) against the squared relative deviation from T, for units
 * of about T/6 households. Coarser units move a grid's households in bigger steps, so the
 * squared deviation outweighs compactness more; the weight grows with the units' size to keep
 * the balance between them (measured on generated data: see bench/split/README.md). */
#define LAMBDA_PP   0.4
/* Extra cost of a grid outside ±10% and outside ±tolerance: the share within them is what
 * planners judge, so compactness may never push a grid out. */
#define STEP_10PCT  0.1
#define STEP_TOL    0.04
#define GAIN_EPS    1e-12

typedef struct {
  guint         n;
  const double *w, *x, *y, *area, *perim, *len;
  double       *len_owned;
  const guint  *xadj, *adj;
  double        target, tol;
  double        lambda;     /* weight of compactness in the cost, see LAMBDA_PP */

  guint        *lab;        /* grid index, a region label while splitting, or UNSET */
  guint        *seen;       /* BFS visit stamps */
  guint         stamp;
  guint        *mark, *slot; /* neighbour marks of the connectivity check */
  guint         mark_stamp;
  guint         next_temp;
  double       *key;        /* sweep position while growing a region */
  guint        *order;      /* scratch: growth order, component lists */
  guint        *bfsq;       /* scratch for connectivity checks */
  guint        *nbuf;       /* scratch: a unit's neighbours, max_degree entries */
  guint        *uf;         /* scratch: union-find over nbuf */
  guint        *pairs;      /* scratch: (unit, neighbour slot) pairs for the local check */
  guint         max_degree;
  guint        *heap_v;     /* a min-heap over key[] for growth */
  double       *heap_k;
  guint         heap_n;

  /* Per grid (at most n of them). */
  guint         n_grids;
  double       *gw, *garea, *gperim;
  guint        *gsize;
  guint8       *gfixed;     /* locked, oversize or empty: never gives or takes a unit */
  guint8       *gchanged;   /* gained or lost a unit since last cleared */
  gint         *glocked;
  guint        *gflags;
  guint        *gcomp;      /* free piece the grid was cut from, or UNSET */
  guint        *ghead;      /* first unit of each grid, then unext[] (units in UNSET: none) */
  guint        *unext, *uprev;

  GRand        *rand;
  guint         lost_grids; /* grids asked for that the units could not make */
} Ctx;

/* ---- grids ------------------------------------------------------------------------------- */

static guint
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
static double
shared_with (const Ctx *c, guint v, guint g)
{
  double l = 0.0;

  for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
    if (c->lab[c->adj[e]] == g)
      l += c->len[e];
  return l;
}

static void
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

static void
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

/* ---- connectivity ------------------------------------------------------------------------ */

static guint
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
static gboolean
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

/* ---- growth heap ------------------------------------------------------------------------- */

static void
heap_push (Ctx *c, guint v, double k)
{
  guint i = c->heap_n++;

  while (i > 0)
    {
      guint p = (i - 1) / 2;
      if (c->heap_k[p] < k || (c->heap_k[p] == k && c->heap_v[p] < v))
        break;
      c->heap_k[i] = c->heap_k[p];
      c->heap_v[i] = c->heap_v[p];
      i = p;
    }
  c->heap_k[i] = k;
  c->heap_v[i] = v;
}

static guint
heap_pop (Ctx *c)
{
  guint top = c->heap_v[0], i = 0, n = --c->heap_n;
  double k = c->heap_k[n];
  guint v = c->heap_v[n];

  for (;;)
    {
      guint l = 2 * i + 1, s;
      if (l >= n)
        break;
      s = l;
      if (l + 1 < n && (c->heap_k[l + 1] < c->heap_k[l]
                        || (c->heap_k[l + 1] == c->heap_k[l] && c->heap_v[l + 1] < c->heap_v[l])))
        s = l + 1;
      if (k < c->heap_k[s] || (k == c->heap_k[s] && v < c->heap_v[s]))
        break;
      c->heap_k[i] = c->heap_k[s];
      c->heap_v[i] = c->heap_v[s];
      i = s;
    }
  c->heap_k[i] = k;
  c->heap_v[i] = v;
  return top;
}

/* ---- bisection --------------------------------------------------------------------------- */

typedef struct {
  guint  A, B;      /* labels of the two sides */
  double W1;        /* households side A should hold */
  double wA;        /* households it holds */
  guint  nA, nB;    /* units on each side */
} Cut;

static gboolean
touches (const Ctx *c, guint v, guint L)
{
  for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
    if (c->lab[c->adj[e]] == L)
      return TRUE;
  return FALSE;
}

/* Grows side A from the unit furthest back along (dx, dy), always taking the frontier unit
 * furthest back, until it holds the households closest to W1; the rest is side B. Pockets of B
 * cut off from B's main body join A, so both sides are connected. Returns whether B came out
 * in one piece before that. */
static gboolean
grow_side (Ctx *c, guint *verts, guint m, guint label, double dx, double dy, Cut *cut)
{
  guint seed = verts[0], popped = 0, pending = c->next_temp++;
  double wA = 0.0, best_k = G_MAXDOUBLE;
  guint n_comp = 0, best_start = 0, best_size = 0;
  double best_w = -1.0;

  for (guint i = 0; i < m; i++)
    {
      guint v = verts[i];
      c->lab[v] = label;
      c->key[v] = c->x[v] * dx + c->y[v] * dy;
      if (c->key[v] < best_k || (c->key[v] == best_k && v < seed))
        {
          best_k = c->key[v];
          seed = v;
        }
    }

  c->heap_n = 0;
  heap_push (c, seed, c->key[seed]);
  c->lab[seed] = pending;
  while (c->heap_n > 0 && popped < m - 1)
    {
      guint v = heap_pop (c);

      /* Stop before a unit that would leave A further from W1 than it is now. */
      if (popped > 0 && wA + c->w[v] > cut->W1 && (wA + c->w[v] - cut->W1) > (cut->W1 - wA))
        {
          c->lab[v] = label;
          break;
        }
      c->lab[v] = cut->A;
      c->order[popped++] = v;
      wA += c->w[v];
      if (wA >= cut->W1)
        break;
      for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
        {
          guint u = c->adj[e];
          if (c->lab[u] == label)
            {
              c->lab[u] = pending;
              heap_push (c, u, c->key[u]);
            }
        }
    }
  c->heap_n = 0;
  for (guint i = 0; i < m; i++)
    if (c->lab[verts[i]] != cut->A)
      c->lab[verts[i]] = cut->B;

  /* B's pieces: keep the heaviest, hand the others to A (each touches A only). */
  {
    guint stamp = next_stamp (c), tail = 0;

    for (guint i = 0; i < m; i++)
      {
        guint s = verts[i], start = tail, head = tail;
        double pw = 0.0;

        if (c->lab[s] != cut->B || c->seen[s] == stamp)
          continue;
        c->seen[s] = stamp;
        c->order[tail++] = s;
        while (head < tail)
          {
            guint v = c->order[head++];
            pw += c->w[v];
            for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
              {
                guint u = c->adj[e];
                if (c->lab[u] == cut->B && c->seen[u] != stamp)
                  {
                    c->seen[u] = stamp;
                    c->order[tail++] = u;
                  }
              }
          }
        n_comp++;
        if (pw > best_w || (pw == best_w && tail - start > best_size))
          {
            best_w = pw;
            best_start = start;
            best_size = tail - start;
          }
      }
    if (n_comp > 1)
      for (guint i = 0; i < tail; i++)
        if (i < best_start || i >= best_start + best_size)
          {
            c->lab[c->order[i]] = cut->A;
            wA += c->w[c->order[i]];
          }
  }
  cut->wA = wA;
  cut->nA = 0;
  for (guint i = 0; i < m; i++)
    cut->nA += c->lab[verts[i]] == cut->A;
  cut->nB = m - cut->nA;
  return n_comp <= 1;
}

static double
cut_length (const Ctx *c, const guint *verts, guint m, guint A, guint B)
{
  double l = 0.0;

  for (guint i = 0; i < m; i++)
    if (c->lab[verts[i]] == A)
      for (guint e = c->xadj[verts[i]]; e < c->xadj[verts[i] + 1]; e++)
        if (c->lab[c->adj[e]] == B)
          l += c->len[e];
  return l;
}

/* Moves v across the cut when both sides stay connected. */
static gboolean
try_cross (Ctx *c, Cut *cut, guint v)
{
  guint from = c->lab[v], to = from == cut->A ? cut->B : cut->A;

  if ((from == cut->A ? cut->nA : cut->nB) <= 1 || !touches (c, v, to)
      || !stays_connected (c, v, from))
    return FALSE;
  c->lab[v] = to;
  cut->wA += (to == cut->A ? 1.0 : -1.0) * c->w[v];
  if (to == cut->A)
    {
      cut->nA++;
      cut->nB--;
    }
  else
    {
      cut->nA--;
      cut->nB++;
    }
  return TRUE;
}

typedef struct {
  double dev;   /* |households of A - W1| after the move */
  double dcut;  /* change of the cut length */
  guint  v, u;  /* units that cross (u = UNSET for a single move) */
} Move;

static int
cmp_move (const void *a, const void *b)
{
  const Move *ma = a, *mb = b;

  if (ma->dev != mb->dev)
    return ma->dev < mb->dev ? -1 : 1;
  if (ma->dcut != mb->dcut)
    return ma->dcut < mb->dcut ? -1 : 1;
  if (ma->v != mb->v)
    return ma->v < mb->v ? -1 : 1;
  return (ma->u > mb->u) - (ma->u < mb->u);
}

/* Change of the cut length if v crosses from its side to the other. */
static double
cross_dcut (const Ctx *c, guint v, guint from, guint to)
{
  return shared_with (c, v, from) - shared_with (c, v, to);
}

/* Brings side A's households within `allow` of W1 where the units permit: first by retreating
 * or advancing the cut front unit by unit, then by the best single units and pairs. */
static void
balance_cut (Ctx *c, guint *verts, guint m, Cut *cut, double allow, double wmax)
{
  GArray *moves = g_array_new (FALSE, FALSE, sizeof (Move));

  /* Coarse: while far off, move front units of the heavy side in sweep order. */
  if (fabs (cut->wA - cut->W1) > 2.0 * wmax)
    {
      gboolean shrink_a = cut->wA > cut->W1;
      guint from = shrink_a ? cut->A : cut->B, to = shrink_a ? cut->B : cut->A;
      /* A retreats from its front (largest keys first); B gives its units nearest A first. */
      double sign = shrink_a ? -1.0 : 1.0;

      c->heap_n = 0;
      for (guint i = 0; i < m; i++)
        if (c->lab[verts[i]] == from && touches (c, verts[i], to))
          heap_push (c, verts[i], sign * c->key[verts[i]]);
      while (c->heap_n > 0 && fabs (cut->wA - cut->W1) > wmax)
        {
          guint v = heap_pop (c);
          double excess = fabs (cut->wA - cut->W1);

          if (c->lab[v] != from || c->w[v] > excess + wmax || !try_cross (c, cut, v))
            continue;
          for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
            if (c->lab[c->adj[e]] == from)
              heap_push (c, c->adj[e], sign * c->key[c->adj[e]]);
        }
      c->heap_n = 0;
    }

  /* Fine: the single unit or pair of units that brings A closest to W1. */
  for (guint iter = 0; iter < 4 * m + 16; iter++)
    {
      double dev = fabs (cut->wA - cut->W1);
      gboolean moved = FALSE;

      if (dev <= allow)
        break;
      g_array_set_size (moves, 0);
      for (guint i = 0; i < m; i++)
        {
          guint v = verts[i], from = c->lab[v], to = from == cut->A ? cut->B : cut->A;
          double nd = fabs (cut->wA + (from == cut->A ? -c->w[v] : c->w[v]) - cut->W1);
          Move mv = { MAX (nd, allow), 0.0, v, UNSET };

          if (nd >= dev || !touches (c, v, to))
            continue;
          mv.dcut = cross_dcut (c, v, from, to);
          g_array_append_val (moves, mv);
        }
      /* Pairs of units crossing both ways only when no single unit does well enough. */
      if (m <= PAIR_LIMIT)
        {
          guint nba = 0, nbb = 0;
          double best_single = G_MAXDOUBLE;

          for (guint i = 0; i < moves->len; i++)
            best_single = MIN (best_single, g_array_index (moves, Move, i).dev);
          if (best_single > allow)
            {
              /* Units on each side of the cut, A's in order[0..nba), B's after them. */
              for (guint i = 0; i < m; i++)
                if (c->lab[verts[i]] == cut->A && touches (c, verts[i], cut->B))
                  c->order[nba++] = verts[i];
              for (guint i = 0; i < m; i++)
                if (c->lab[verts[i]] == cut->B && touches (c, verts[i], cut->A))
                  c->order[nba + nbb++] = verts[i];
              for (guint i = 0; i < nba; i++)
                for (guint j = 0; j < nbb; j++)
                  {
                    guint v = c->order[i], u = c->order[nba + j];
                    double nd = fabs (cut->wA - c->w[v] + c->w[u] - cut->W1);
                    Move mv = { MAX (nd, allow), 0.0, v, u };

                    if (nd >= MIN (dev, best_single) - 1e-9)
                      continue;
                    mv.dcut = cross_dcut (c, v, cut->A, cut->B) + cross_dcut (c, u, cut->B, cut->A);
                    g_array_append_val (moves, mv);
                  }
            }
        }
      if (moves->len == 0)
        break;
      g_array_sort (moves, cmp_move);
      for (guint i = 0; i < moves->len && !moved; i++)
        {
          Move *mv = &g_array_index (moves, Move, i);

          if (mv->u == UNSET)
            moved = try_cross (c, cut, mv->v);
          else if (try_cross (c, cut, mv->v))
            {
              /* u must be able to follow; otherwise put v back where it was. */
              if (c->lab[mv->u] == cut->B && try_cross (c, cut, mv->u))
                moved = TRUE;
              else
                {
                  c->lab[mv->v] = cut->A;
                  cut->wA += c->w[mv->v];
                  cut->nA++;
                  cut->nB--;
                }
            }
        }
      if (!moved)
        break;
    }
  g_array_free (moves, TRUE);
}

/* Principal axis of the region's points, weighted by area so the cut follows its shape. */
static void
principal_axis (const Ctx *c, const guint *verts, guint m, double *ux, double *uy)
{
  double sw = 0.0, mx = 0.0, my = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0, theta;

  for (guint i = 0; i < m; i++)
    {
      double a = c->area[verts[i]] + 1e-9;
      sw += a;
      mx += a * c->x[verts[i]];
      my += a * c->y[verts[i]];
    }
  mx /= sw;
  my /= sw;
  for (guint i = 0; i < m; i++)
    {
      double a = c->area[verts[i]] + 1e-9, dx = c->x[verts[i]] - mx, dy = c->y[verts[i]] - my;
      sxx += a * dx * dx;
      syy += a * dy * dy;
      sxy += a * dx * dy;
    }
  theta = 0.5 * atan2 (2.0 * sxy, sxx - syy);
  *ux = cos (theta);
  *uy = sin (theta);
}

static void split_region (Ctx *c, guint *verts, guint m, guint label, guint k, guint comp);

static void
make_grid (Ctx *c, guint *verts, guint m, guint comp)
{
  guint g = grid_new (c, FALSE, comp);

  for (guint i = 0; i < m; i++)
    grid_add (c, g, verts[i]);
}

static guint
count_households (const Ctx *c, const guint *verts, guint m, double *total)
{
  guint n_pos = 0;
  double t = 0.0;

  for (guint i = 0; i < m; i++)
    if (c->w[verts[i]] > 0.0)
      {
        n_pos++;
        t += c->w[verts[i]];
      }
  if (total != NULL)
    *total = t;
  return n_pos;
}

/* Splits a connected region (units labelled `label`) into k connected grids: two connected
 * sides holding households in the ratio k1:k2, each split again. */
static void
split_region (Ctx *c, guint *verts, guint m, guint label, guint k, guint comp)
{
  double W, wmax = 0.0, ux, uy, allow;
  double dirs[4][2];
  guint n_pos, k1, k2, m_a = 0, best = 0;
  double best_dev = G_MAXDOUBLE, best_len = G_MAXDOUBLE;
  Cut cut;

  n_pos = count_households (c, verts, m, &W);
  if (k > 1 && n_pos < k)
    {
      /* A grid needs households of its own. */
      guint can = MAX (n_pos, 1);
      c->lost_grids += k - can;
      k = can;
    }
  if (k <= 1 || m <= 1)
    {
      make_grid (c, verts, m, comp);
      return;
    }
  for (guint i = 0; i < m; i++)
    wmax = MAX (wmax, c->w[verts[i]]);

  k1 = k / 2;
  k2 = k - k1;
  cut.A = c->next_temp++;
  cut.B = c->next_temp++;
  cut.W1 = W * k1 / k;
  /* A side's error spreads over its grids, so large regions may be cut coarsely. */
  allow = MAX (0.03 * (W / k) * MIN (k1, k2), 0.5);

  principal_axis (c, verts, m, &ux, &uy);
  dirs[0][0] = ux;  dirs[0][1] = uy;
  dirs[1][0] = -ux; dirs[1][1] = -uy;
  dirs[2][0] = -uy; dirs[2][1] = ux;
  dirs[3][0] = uy;  dirs[3][1] = -ux;
  /* Cut across the long axis; other directions only when it leaves B in pieces. */
  for (guint d = 0; d < 4; d++)
    {
      gboolean whole = grow_side (c, verts, m, label, dirs[d][0], dirs[d][1], &cut);
      double dev = fabs (cut.wA - cut.W1);
      double len;

      if (d == 0 && whole)
        {
          best = 0;
          best_dev = -1.0;
          break;
        }
      len = cut_length (c, verts, m, cut.A, cut.B);
      if (dev < best_dev - 1e-9 || (dev <= best_dev + 1e-9 && len < best_len))
        {
          best = d;
          best_dev = dev;
          best_len = len;
        }
    }
  if (best_dev >= 0.0 && best != 3)
    grow_side (c, verts, m, label, dirs[best][0], dirs[best][1], &cut);
  balance_cut (c, verts, m, &cut, allow, wmax);

  /* Side A first in verts, then side B. */
  for (guint i = 0; i < m; i++)
    if (c->lab[verts[i]] == cut.A)
      {
        guint t = verts[m_a];
        verts[m_a++] = verts[i];
        verts[i] = t;
      }
  g_assert (m_a > 0 && m_a < m);
  split_region (c, verts, m_a, cut.A, k1, comp);
  split_region (c, verts + m_a, m - m_a, cut.B, k2, comp);
}

/* ---- k-way refinement -------------------------------------------------------------------- */

static double
balance_cost (const Ctx *c, double w)
{
  double d = (w - c->target) / c->target, a = fabs (d);

  return d * d + (a > 0.10 + 1e-12 ? STEP_10PCT : 0.0) + (a > c->tol + 1e-12 ? STEP_TOL : 0.0);
}

static double
polsby_popper (double area, double perimeter)
{
  return perimeter > 0.0 ? 4.0 * G_PI * area / (perimeter * perimeter) : 0.0;
}

static double
grid_cost (const Ctx *c, double w, double area, double perimeter)
{
  return balance_cost (c, w) - c->lambda * polsby_popper (area, perimeter);
}

/* Gain in cost if v moves from P to Q and u from Q to P (labels are restored). */
static double
swap_gain (Ctx *c, guint v, guint u, guint P, guint Q)
{
  double before = grid_cost (c, c->gw[P], c->garea[P], c->gperim[P])
                  + grid_cost (c, c->gw[Q], c->garea[Q], c->gperim[Q]);
  double per_p = c->gperim[P], per_q = c->gperim[Q];

  c->lab[v] = UNSET;
  per_p -= c->perim[v] - 2.0 * shared_with (c, v, P);
  per_q += c->perim[v] - 2.0 * shared_with (c, v, Q);
  c->lab[v] = Q;
  c->lab[u] = UNSET;
  per_q -= c->perim[u] - 2.0 * shared_with (c, u, Q);
  per_p += c->perim[u] - 2.0 * shared_with (c, u, P);
  c->lab[u] = Q;
  c->lab[v] = P;
  return before
         - grid_cost (c, c->gw[P] - c->w[v] + c->w[u], c->garea[P] - c->area[v] + c->area[u], per_p)
         - grid_cost (c, c->gw[Q] + c->w[v] - c->w[u], c->garea[Q] + c->area[v] - c->area[u], per_q);
}

/* Whether u touches a unit of P other than v. */
static gboolean
touches_besides (const Ctx *c, guint u, guint P, guint v)
{
  for (guint e = c->xadj[u]; e < c->xadj[u + 1]; e++)
    if (c->lab[c->adj[e]] == P && c->adj[e] != v)
      return TRUE;
  return FALSE;
}

#define SWAP_SCAN 48  /* grids up to this size are searched for a unit to exchange */
#define MAX_NEAR  16

/* Moves v to the neighbouring free grid where the total cost falls most, if any does and v's
 * grid stays connected; failing that, exchanges v for a unit of a neighbouring grid where that
 * lowers the cost (a boundary straightened without upsetting the households). */
static gboolean
refine_unit (Ctx *c, guint v)
{
  guint P = c->lab[v], best_q = UNSET, m = 0, best_u = UNSET;
  guint near[MAX_NEAR];
  double near_pp[MAX_NEAR];
  double lp = 0.0, best_gain = GAIN_EPS, base_p, wp, ap, pp;

  if (c->gfixed[P] || c->gsize[P] <= 1)
    return FALSE;
  for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
    if (c->lab[c->adj[e]] == P)
      lp += c->len[e];
  wp = c->gw[P] - c->w[v];
  ap = c->garea[P] - c->area[v];
  pp = c->gperim[P] - c->perim[v] + 2.0 * lp;
  base_p = grid_cost (c, c->gw[P], c->garea[P], c->gperim[P]) - grid_cost (c, wp, ap, pp);
  for (guint e = c->xadj[v]; e < c->xadj[v + 1] && m < MAX_NEAR; e++)
    {
      guint q = c->lab[c->adj[e]], i;
      double lq, gain;

      if (q == P || c->gfixed[q])
        continue;
      for (i = 0; i < m && near[i] != q; i++)
        ;
      if (i < m)
        continue;
      lq = shared_with (c, v, q);
      gain = base_p + grid_cost (c, c->gw[q], c->garea[q], c->gperim[q])
             - grid_cost (c, c->gw[q] + c->w[v], c->garea[q] + c->area[v],
                          c->gperim[q] + c->perim[v] - 2.0 * lq);
      /* What v alone would do to the two grids' compactness. */
      near_pp[m] = polsby_popper (ap, pp) - polsby_popper (c->garea[P], c->gperim[P])
                   + polsby_popper (c->garea[q] + c->area[v], c->gperim[q] + c->perim[v] - 2.0 * lq)
                   - polsby_popper (c->garea[q], c->gperim[q]);
      near[m++] = q;
      if (gain > best_gain)
        {
          best_gain = gain;
          best_q = q;
        }
    }
  if (best_q != UNSET)
    {
      if (!stays_connected (c, v, P))
        return FALSE;
      grid_remove (c, P, v);
      grid_add (c, best_q, v);
      return TRUE;
    }

  for (guint i = 0; i < m; i++)
    {
      guint q = near[i];
      double bal0, pp_room;

      /* Exchanges that straighten a boundary start with a unit that sticks out. */
      if (c->gsize[q] > SWAP_SCAN || near_pp[i] <= 0.0)
        continue;
      bal0 = balance_cost (c, c->gw[P]) + balance_cost (c, c->gw[q]);
      pp_room = c->lambda * (2.0 - polsby_popper (c->garea[P], c->gperim[P])
                             - polsby_popper (c->garea[q], c->gperim[q]));
      for (guint u = c->ghead[q]; u != UNSET; u = c->unext[u])
        {
          double gain, dw = c->w[u] - c->w[v];

          /* No compactness gained could make up for the households moved. */
          if (balance_cost (c, c->gw[P] + dw) + balance_cost (c, c->gw[q] - dw) - bal0 >= pp_room
              || !touches_besides (c, u, P, v))
            continue;
          gain = swap_gain (c, v, u, P, q);
          if (gain > best_gain)
            {
              best_gain = gain;
              best_q = q;
              best_u = u;
            }
        }
    }
  if (best_u == UNSET || !stays_connected (c, v, P))
    return FALSE;
  grid_remove (c, P, v);
  grid_add (c, best_q, v);
  if (c->gsize[best_q] > 1 && stays_connected (c, best_u, best_q))
    {
      grid_remove (c, best_q, best_u);
      grid_add (c, P, best_u);
      return TRUE;
    }
  grid_remove (c, best_q, v);
  grid_add (c, P, v);
  return FALSE;
}

static gboolean
on_free_boundary (const Ctx *c, guint v)
{
  guint P = c->lab[v];

  if (P == UNSET || c->gfixed[P])
    return FALSE;
  for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
    {
      guint q = c->lab[c->adj[e]];
      if (q != P && q != UNSET && !c->gfixed[q])
        return TRUE;
    }
  return FALSE;
}

/* Greedy boundary refinement: visits boundary units in a seeded order, moves each where the
 * cost falls, and revisits the neighbours of every unit moved, until nothing improves. */
static void
refine (Ctx *c, gboolean only_changed, guint passes)
{
  guint n = c->n, head = 0, count = 0;
  guint8 *queued = g_new0 (guint8, n);
  guint *ring = g_new (guint, n);
  guint64 moves = 0, max_moves = 40 * (guint64) n + 1000;

  for (guint pass = 0; pass < passes; pass++)
    {
      guint pass_moves = 0;

      head = count = 0;
      for (guint v = 0; v < n; v++)
        if ((!only_changed || pass > 0 || c->gchanged[c->lab[v]]) && on_free_boundary (c, v))
          {
            ring[count++] = v;
            queued[v] = 1;
          }
      for (guint i = count; i > 1; i--)
        {
          guint j = g_rand_int_range (c->rand, 0, (gint32) i), t = ring[i - 1];
          ring[i - 1] = ring[j];
          ring[j] = t;
        }
      while (count > 0 && moves < max_moves)
        {
          guint v = ring[head];

          head = (head + 1) % n;
          count--;
          queued[v] = 0;
          if (!refine_unit (c, v))
            continue;
          moves++;
          pass_moves++;
          for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
            {
              guint u = c->adj[e];
              if (!queued[u] && on_free_boundary (c, u))
                {
                  queued[u] = 1;
                  ring[(head + count++) % n] = u;
                }
            }
        }
      for (guint i = 0; i < count; i++)
        queued[ring[(head + i) % n]] = 0;
      if (pass_moves == 0 || moves >= max_moves)
        break;
    }
  g_free (ring);
  g_free (queued);
}

/* Recomputes grid g's sums and member list from the labels of its units in verts. */
static void
grid_rebuild (Ctx *c, guint g, const guint *verts, guint m)
{
  c->gw[g] = c->garea[g] = c->gperim[g] = 0.0;
  c->gsize[g] = 0;
  c->ghead[g] = UNSET;
  /* Out first, so each unit added counts only the boundary shared with those already in. */
  for (guint i = 0; i < m; i++)
    if (c->lab[verts[i]] == g)
      c->lab[verts[i]] = UNSET - 1;
  for (guint i = 0; i < m; i++)
    if (c->lab[verts[i]] == UNSET - 1)
      grid_add (c, g, verts[i]);
}

/* Cost of the two sides of a cut over verts, from scratch. */
static double
cut_cost (const Ctx *c, const guint *verts, guint m, guint A, guint B)
{
  double w[2] = { 0, 0 }, a[2] = { 0, 0 }, p[2] = { 0, 0 };

  for (guint i = 0; i < m; i++)
    {
      guint v = verts[i], s = c->lab[v] == A ? 0 : 1, L = c->lab[v];
      w[s] += c->w[v];
      a[s] += c->area[v];
      p[s] += c->perim[v];
      for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
        if (c->lab[c->adj[e]] == L)
          p[s] -= c->len[e];
    }
  (void) B;
  return grid_cost (c, w[0], a[0], p[0]) + grid_cost (c, w[1], a[1], p[1]);
}

#define RESPLIT_MAX   64  /* two grids with more units than this are not cut afresh */
#define RESPLIT_DIRS  6
/* Grids at least this compact and within ±10% are not cut afresh with a neighbour. */
#define RESPLIT_PP    0.4

/* Cuts the union of two neighbouring grids afresh from several directions and keeps the best
 * cut if it beats the present boundary. */
static gboolean
resplit_pair (Ctx *c, guint P, guint Q, guint *verts, guint8 *best_side)
{
  guint m = 0, region = c->next_temp++;
  double before, best = G_MAXDOUBLE, wmax = 0.0;
  Cut cut;

  if (c->gsize[P] + c->gsize[Q] > RESPLIT_MAX)
    return FALSE;
  /* Two compact grids on target are left alone: a fresh cut rarely beats them. */
  if (polsby_popper (c->garea[P], c->gperim[P]) >= RESPLIT_PP
      && polsby_popper (c->garea[Q], c->gperim[Q]) >= RESPLIT_PP
      && fabs (c->gw[P] - c->target) <= 0.1 * c->target
      && fabs (c->gw[Q] - c->target) <= 0.1 * c->target)
    return FALSE;
  for (guint u = c->ghead[P]; u != UNSET; u = c->unext[u])
    verts[m++] = u;
  for (guint u = c->ghead[Q]; u != UNSET; u = c->unext[u])
    verts[m++] = u;
  before = grid_cost (c, c->gw[P], c->garea[P], c->gperim[P])
           + grid_cost (c, c->gw[Q], c->garea[Q], c->gperim[Q]);
  for (guint i = 0; i < m; i++)
    wmax = MAX (wmax, c->w[verts[i]]);
  cut.A = c->next_temp++;
  cut.B = c->next_temp++;
  cut.W1 = 0.5 * (c->gw[P] + c->gw[Q]);
  for (guint d = 0; d < RESPLIT_DIRS; d++)
    {
      double angle = 2.0 * G_PI * d / RESPLIT_DIRS, cost;

      grow_side (c, verts, m, region, cos (angle), sin (angle), &cut);
      balance_cut (c, verts, m, &cut, 0.05 * c->target, wmax);
      cost = cut_cost (c, verts, m, cut.A, cut.B);
      if (cost < best)
        {
          best = cost;
          for (guint i = 0; i < m; i++)
            best_side[i] = c->lab[verts[i]] == cut.A;
        }
    }
  if (best < before - 1e-9)
    {
      for (guint i = 0; i < m; i++)
        c->lab[verts[i]] = best_side[i] ? P : Q;
      grid_rebuild (c, P, verts, m);
      grid_rebuild (c, Q, verts, m);
      return TRUE;
    }
  /* Put every unit back: the first gsize[P] listed were P's. */
  for (guint i = 0; i < m; i++)
    c->lab[verts[i]] = i < c->gsize[P] ? P : Q;
  return FALSE;
}

typedef struct {
  guint p, q;
} GridPair;

static int
cmp_grid_pair (const void *a, const void *b)
{
  const GridPair *x = a, *y = b;

  if (x->p != y->p)
    return x->p < y->p ? -1 : 1;
  return (x->q > y->q) - (x->q < y->q);
}

/* One round of fresh cuts over every pair of neighbouring free grids, in a seeded order. */
static guint
resplit_pairs (Ctx *c)
{
  GArray *pairs = g_array_new (FALSE, FALSE, sizeof (GridPair));
  guint *verts = g_new (guint, 2 * RESPLIT_MAX + 2);
  guint8 *side = g_new (guint8, 2 * RESPLIT_MAX + 2);
  guint n_pairs = 0, changed = 0;

  for (guint v = 0; v < c->n; v++)
    {
      guint P = c->lab[v];
      if (c->gfixed[P])
        continue;
      for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
        {
          guint Q = c->lab[c->adj[e]];
          if (Q > P && !c->gfixed[Q])
            {
              GridPair gp = { P, Q };
              g_array_append_val (pairs, gp);
            }
        }
    }
  g_array_sort (pairs, cmp_grid_pair);
  for (guint i = 0; i < pairs->len; i++)
    if (i == 0 || cmp_grid_pair (&g_array_index (pairs, GridPair, i),
                                 &g_array_index (pairs, GridPair, i - 1)) != 0)
      g_array_index (pairs, GridPair, n_pairs++) = g_array_index (pairs, GridPair, i);
  for (guint i = n_pairs; i > 1; i--)
    {
      guint j = g_rand_int_range (c->rand, 0, (gint32) i);
      GridPair t = g_array_index (pairs, GridPair, i - 1);
      g_array_index (pairs, GridPair, i - 1) = g_array_index (pairs, GridPair, j);
      g_array_index (pairs, GridPair, j) = t;
    }
  for (guint i = 0; i < n_pairs; i++)
    {
      GridPair *gp = &g_array_index (pairs, GridPair, i);
      changed += resplit_pair (c, gp->p, gp->q, verts, side);
    }
  g_free (side);
  g_free (verts);
  g_array_free (pairs, TRUE);
  return changed;
}

/* ---- chains for grids off target --------------------------------------------------------- */

#define CHAIN_DEPTH   6   /* grids a chain may pass households through */
#define CHAIN_BRANCH  3   /* units tried at each step */
#define CHAIN_CANDS   96

typedef struct {
  guint  u, from, to;
  double key;
} ChainCand;

static int
cmp_chain_cand (const void *a, const void *b)
{
  const ChainCand *x = a, *y = b;

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  if (x->u != y->u)
    return x->u < y->u ? -1 : 1;
  return (x->to > y->to) - (x->to < y->to);
}

/* Change of the total cost if u moves from grid `from` to grid `to`. */
static double
move_delta (Ctx *c, guint u, guint from, guint to)
{
  double lf = shared_with (c, u, from), lt = shared_with (c, u, to);

  return grid_cost (c, c->gw[from] - c->w[u], c->garea[from] - c->area[u],
                    c->gperim[from] - c->perim[u] + 2.0 * lf)
         + grid_cost (c, c->gw[to] + c->w[u], c->garea[to] + c->area[u],
                      c->gperim[to] + c->perim[u] - 2.0 * lt)
         - grid_cost (c, c->gw[from], c->garea[from], c->gperim[from])
         - grid_cost (c, c->gw[to], c->garea[to], c->gperim[to]);
}

static gboolean
in_chain (const guint *chain, guint n, guint g)
{
  for (guint i = 0; i < n; i++)
    if (chain[i] == g)
      return TRUE;
  return FALSE;
}

/* Grid X has too few households (need > 0) or too many (need < 0). Takes a unit from (or gives
 * one to) a neighbouring grid, which may pass the shortfall on in turn, and keeps the first
 * chain of moves that lowers the total cost; undoes the rest. */
static gboolean
chain_search (Ctx *c, guint X, gboolean need, guint *chain, guint depth, double delta)
{
  ChainCand cand[CHAIN_CANDS];
  guint n_cand = 0, tried = 0;

  if (c->gsize[X] > CHAIN_CANDS)
    return FALSE;
  chain[depth] = X;
  for (guint x = c->ghead[X]; x != UNSET; x = c->unext[x])
    for (guint e = c->xadj[x]; e < c->xadj[x + 1] && n_cand < CHAIN_CANDS; e++)
      {
        guint y = c->adj[e], Y = c->lab[y];
        ChainCand cc;
        gboolean dup = FALSE;

        if (Y == X || c->gfixed[Y] || in_chain (chain, depth + 1, Y))
          continue;
        cc.u = need ? y : x;
        cc.from = need ? Y : X;
        cc.to = need ? X : Y;
        for (guint i = 0; i < n_cand && !dup; i++)
          dup = cand[i].u == cc.u && cand[i].to == cc.to;
        if (dup)
          continue;
        cc.key = fabs (c->gw[X] + (need ? c->w[cc.u] : -c->w[cc.u]) - c->target);
        cand[n_cand++] = cc;
      }
  qsort (cand, n_cand, sizeof (ChainCand), cmp_chain_cand);
  for (guint i = 0; i < n_cand && tried < CHAIN_BRANCH; i++)
    {
      ChainCand *cc = &cand[i];
      double d;

      if (c->lab[cc->u] != cc->from || c->gsize[cc->from] <= 1 || !stays_connected (c, cc->u, cc->from))
        continue;
      tried++;
      d = delta + move_delta (c, cc->u, cc->from, cc->to);
      grid_remove (c, cc->from, cc->u);
      grid_add (c, cc->to, cc->u);
      if (d < -GAIN_EPS)
        return TRUE;
      if (depth + 1 < CHAIN_DEPTH
          && chain_search (c, need ? cc->from : cc->to, need, chain, depth + 1, d))
        return TRUE;
      grid_remove (c, cc->to, cc->u);
      grid_add (c, cc->from, cc->u);
    }
  return FALSE;
}

/* Grids outside ±10% of T, worst first, each get a chain search. */
static guint
repair_off_target (Ctx *c)
{
  GArray *off = g_array_new (FALSE, FALSE, sizeof (ChainCand));
  guint chain[CHAIN_DEPTH + 1], fixed = 0;

  for (guint g = 0; g < c->n_grids; g++)
    if (!c->gfixed[g] && fabs (c->gw[g] - c->target) > 0.10 * c->target + 1e-9)
      {
        ChainCand cc = { g, g, g, -fabs (c->gw[g] - c->target) };
        g_array_append_val (off, cc);
      }
  g_array_sort (off, cmp_chain_cand);
  for (guint i = 0; i < off->len; i++)
    {
      guint g = g_array_index (off, ChainCand, i).u;
      double dev = c->gw[g] - c->target;

      if (fabs (dev) > 0.10 * c->target + 1e-9)
        fixed += chain_search (c, g, dev < 0.0, chain, 0, 0.0);
    }
  g_array_free (off, TRUE);
  return fixed;
}

/* ---- validation -------------------------------------------------------------------------- */

typedef struct {
  guint  id;
  double len;
} Nb;

static int
cmp_nb (const void *a, const void *b)
{
  const Nb *na = a, *nb = b;

  if (na->id != nb->id)
    return na->id < nb->id ? -1 : 1;
  return (na->len > nb->len) - (na->len < nb->len);
}

static gboolean
finite_nonneg (const double *a, guint n, guint *bad)
{
  for (guint i = 0; i < n; i++)
    if (!isfinite (a[i]) || a[i] < 0.0)
      {
        *bad = i;
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_graph (const GpPartitionGraph *g, const GpPartitionOptions *o, GError **error)
{
  guint n = g->n_units, bad = 0;
  g_autofree guint *rxadj = NULL;
  g_autofree Nb *rev = NULL, *row = NULL;
  g_autofree guint *fill = NULL;
  guint max_deg = 0;

  if (!isfinite (o->target) || o->target <= 0.0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("The target of %g households per grid is not a positive number"), o->target);
      return FALSE;
    }
  if (!isfinite (o->tolerance) || o->tolerance < 0.0 || o->tolerance > 10.0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("The tolerance %g is not between 0 and 10"), o->tolerance);
      return FALSE;
    }
  if (n == 0)
    return TRUE;
  /* Temporary labels (a few per grid and per pair of grids) must stay below UNSET. */
  if (n >= (1u << 26))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("%u units are too many to split at once"), n);
      return FALSE;
    }
  if (g->households == NULL || g->x == NULL || g->y == NULL || g->area == NULL
      || g->perimeter == NULL || g->xadj == NULL || (g->adjncy == NULL && g->xadj[n] > 0))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("The units' households, points, areas, perimeters or neighbours are missing"));
      return FALSE;
    }
  if (!finite_nonneg (g->households, n, &bad))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("Unit %u: the household count %g is not a number of zero or more"), bad,
                   g->households[bad]);
      return FALSE;
    }
  if (!finite_nonneg (g->area, n, &bad) || !finite_nonneg (g->perimeter, n, &bad))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("Unit %u: the area or perimeter is negative or not a number"), bad);
      return FALSE;
    }
  for (guint v = 0; v < n; v++)
    {
      if (!isfinite (g->x[v]) || !isfinite (g->y[v]))
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                       _("Unit %u: its point is not a number"), v);
          return FALSE;
        }
      if (g->xadj[v + 1] < g->xadj[v] || (v == 0 && g->xadj[0] != 0))
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                       _("Unit %u: its neighbour list is out of order"), v);
          return FALSE;
        }
      max_deg = MAX (max_deg, g->xadj[v + 1] - g->xadj[v]);
      if (g->locked != NULL && g->locked[v] < -1)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                       _("Unit %u: the locked grid id %d is not -1 or a grid id"), v, g->locked[v]);
          return FALSE;
        }
    }
  if (g->shared_length != NULL && !finite_nonneg (g->shared_length, g->xadj[n], &bad))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("Neighbour entry %u: the shared boundary length is negative or not a number"),
                   bad);
      return FALSE;
    }

  /* Symmetry: each unit's neighbours, as a multiset with lengths, equal the units listing it. */
  rxadj = g_new0 (guint, n + 1);
  for (guint e = 0; e < g->xadj[n]; e++)
    {
      if (g->adjncy[e] >= n)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                       _("Neighbour entry %u names unit %u, beyond the %u units"), e, g->adjncy[e], n);
          return FALSE;
        }
      rxadj[g->adjncy[e] + 1]++;
    }
  for (guint v = 0; v < n; v++)
    rxadj[v + 1] += rxadj[v];
  rev = g_new (Nb, g->xadj[n] + 1);
  row = g_new (Nb, max_deg + 1);
  fill = g_memdup2 (rxadj, n * sizeof (guint));
  for (guint v = 0; v < n; v++)
    for (guint e = g->xadj[v]; e < g->xadj[v + 1]; e++)
      {
        Nb nb = { v, g->shared_length ? g->shared_length[e] : 1.0 };
        if (g->adjncy[e] == v)
          {
            g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                         _("Unit %u is listed as its own neighbour"), v);
            return FALSE;
          }
        rev[fill[g->adjncy[e]]++] = nb;
      }
  for (guint v = 0; v < n; v++)
    {
      guint d = g->xadj[v + 1] - g->xadj[v];

      if (rxadj[v + 1] - rxadj[v] != d)
        goto asymmetric;
      for (guint i = 0; i < d; i++)
        {
          row[i].id = g->adjncy[g->xadj[v] + i];
          row[i].len = g->shared_length ? g->shared_length[g->xadj[v] + i] : 1.0;
        }
      qsort (row, d, sizeof (Nb), cmp_nb);
      qsort (rev + rxadj[v], d, sizeof (Nb), cmp_nb);
      for (guint i = 0; i < d; i++)
        if (row[i].id != rev[rxadj[v] + i].id
            || fabs (row[i].len - rev[rxadj[v] + i].len) > 1e-6 * MAX (1.0, row[i].len))
          goto asymmetric;
      continue;
asymmetric:
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("Unit %u: its neighbours do not list it back with the same shared boundary"), v);
      return FALSE;
    }
  return TRUE;
}

/* ---- the whole split --------------------------------------------------------------------- */

void
gp_partition_options_init (GpPartitionOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  options->tolerance = 0.15;
}

void
gp_partition_free (GpPartition *partition)
{
  if (partition == NULL)
    return;
  g_free (partition->grid_of_unit);
  g_free (partition->grids);
  g_free (partition->explanation);
  g_free (partition);
}

static void
ctx_clear (Ctx *c)
{
  g_free (c->len_owned);
  g_free (c->lab);
  g_free (c->seen);
  g_free (c->mark);
  g_free (c->slot);
  g_free (c->key);
  g_free (c->order);
  g_free (c->bfsq);
  g_free (c->nbuf);
  g_free (c->uf);
  g_free (c->pairs);
  g_free (c->heap_v);
  g_free (c->heap_k);
  g_free (c->gw);
  g_free (c->garea);
  g_free (c->gperim);
  g_free (c->gsize);
  g_free (c->gfixed);
  g_free (c->gchanged);
  g_free (c->glocked);
  g_free (c->gflags);
  g_free (c->gcomp);
  g_free (c->ghead);
  g_free (c->unext);
  g_free (c->uprev);
  if (c->rand != NULL)
    g_rand_free (c->rand);
}

static void
ctx_init (Ctx *c, const GpPartitionGraph *g, const GpPartitionOptions *o)
{
  guint n = g->n_units;
  guint32 seed[2] = { (guint32) o->seed, (guint32) (o->seed >> 32) };

  memset (c, 0, sizeof *c);
  c->n = n;
  c->w = g->households;
  c->x = g->x;
  c->y = g->y;
  c->area = g->area;
  c->perim = g->perimeter;
  c->xadj = g->xadj;
  c->adj = g->adjncy;
  if (g->shared_length != NULL)
    c->len = g->shared_length;
  else
    {
      c->len_owned = g_new (double, g->xadj[n] + 1);
      for (guint e = 0; e < g->xadj[n]; e++)
        c->len_owned[e] = 1.0;
      c->len = c->len_owned;
    }
  c->target = o->target;
  c->tol = o->tolerance;
  {
    double sum = 0.0;
    guint n_pos = 0;

    for (guint v = 0; v < n; v++)
      if (g->households[v] > 0.0)
        {
          sum += g->households[v];
          n_pos++;
        }
    c->lambda = LAMBDA_PP * CLAMP (n_pos > 0 ? 6.0 * sum / n_pos / o->target : 1.0, 1.0, 3.0);
  }
  for (guint v = 0; v < n; v++)
    c->max_degree = MAX (c->max_degree, g->xadj[v + 1] - g->xadj[v]);
  c->lab = g_new (guint, n);
  for (guint v = 0; v < n; v++)
    c->lab[v] = UNSET;
  c->seen = g_new0 (guint, n);
  c->mark = g_new0 (guint, n);
  c->slot = g_new (guint, n);
  c->key = g_new0 (double, n);
  c->order = g_new (guint, n);
  c->bfsq = g_new (guint, n);
  c->nbuf = g_new (guint, c->max_degree + 1);
  c->uf = g_new (guint, c->max_degree + 1);
  c->pairs = g_new (guint, 2 * (8 * c->max_degree + 1));
  /* A unit enters the heap at most once per neighbour. */
  c->heap_v = g_new (guint, g->xadj[n] + n + 1);
  c->heap_k = g_new (double, g->xadj[n] + n + 1);
  c->gw = g_new (double, n);
  c->garea = g_new (double, n);
  c->gperim = g_new (double, n);
  c->gsize = g_new (guint, n);
  c->gfixed = g_new (guint8, n);
  c->gchanged = g_new0 (guint8, n);
  c->glocked = g_new (gint, n);
  c->gflags = g_new (guint, n);
  c->gcomp = g_new (guint, n);
  c->ghead = g_new (guint, n);
  c->unext = g_new (guint, n);
  c->uprev = g_new (guint, n);
  c->next_temp = TEMP_LABEL0;
  c->rand = g_rand_new_with_seed_array (seed, 2);
}

typedef struct {
  guint  start, size;  /* in the component list */
  double households;
  guint  n_pos;
  guint  k;
} Piece;

static int
cmp_gint (const void *a, const void *b)
{
  gint x = *(const gint *) a, y = *(const gint *) b;

  return (x > y) - (x < y);
}

/* Locked grids first, in ascending id order. */
static void
make_locked_grids (Ctx *c, const gint *locked)
{
  g_autofree gint *ids = NULL;
  guint n_ids = 0;

  if (locked == NULL)
    return;
  ids = g_new (gint, c->n);
  for (guint v = 0; v < c->n; v++)
    if (locked[v] >= 0)
      ids[n_ids++] = locked[v];
  if (n_ids == 0)
    return;
  qsort (ids, n_ids, sizeof (gint), cmp_gint);
  {
    guint u = 0;
    for (guint i = 0; i < n_ids; i++)
      if (i == 0 || ids[i] != ids[i - 1])
        ids[u++] = ids[i];
    n_ids = u;
  }
  for (guint i = 0; i < n_ids; i++)
    {
      guint gidx = grid_new (c, TRUE, UNSET);
      c->glocked[gidx] = ids[i];
      c->gflags[gidx] = GP_PARTITION_GRID_LOCKED;
    }
  for (guint v = 0; v < c->n; v++)
    if (locked[v] >= 0)
      {
        gint *hit = bsearch (&locked[v], ids, n_ids, sizeof (gint), cmp_gint);
        grid_add (c, (guint) (hit - ids), v);
      }
}

/* Shares the grids between the free units' pieces. With a number asked for, each piece with
 * households gets one and the rest go one at a time where they lower the squared deviation from
 * T most (the best split of a convex cost); otherwise each gets max (1, round (households / T)). */
static void
share_grids (Ctx *c, Piece *pieces, guint n_pieces, gboolean asked, guint n_grids)
{
  guint given = 0;

  for (guint i = 0; i < n_pieces; i++)
    {
      Piece *p = &pieces[i];
      p->k = p->households > 0.0 ? 1 : 0;
      if (!asked && p->households > 0.0)
        p->k = MAX (1, (guint) floor (p->households / c->target + 0.5));
      given += p->k;
    }
  while (n_grids > given)
    {
      guint best = UNSET;
      double best_gain = -G_MAXDOUBLE;

      for (guint i = 0; i < n_pieces; i++)
        {
          Piece *p = &pieces[i];
          double now, then;

          if (p->k == 0 || p->k >= p->n_pos)
            continue;
          /* k·(H/k - T)² = H²/k - 2HT + kT² */
          now = p->households * p->households / p->k + p->k * c->target * c->target;
          then = p->households * p->households / (p->k + 1) + (p->k + 1) * c->target * c->target;
          if (now - then > best_gain)
            {
              best_gain = now - then;
              best = i;
            }
        }
      if (best == UNSET)
        break;
      pieces[best].k++;
      given++;
    }
}

/* Collects into bfsq the units labelled g connected to s; returns how many. */
static guint
collect_piece (Ctx *c, guint s, guint g)
{
  guint stamp = next_stamp (c), head = 0, tail = 0;

  c->seen[s] = stamp;
  c->bfsq[tail++] = s;
  while (head < tail)
    {
      guint v = c->bfsq[head++];
      for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
        {
          guint u = c->adj[e];
          if (c->lab[u] == g && c->seen[u] != stamp)
            {
              c->seen[u] = stamp;
              c->bfsq[tail++] = u;
            }
        }
    }
  return tail;
}

/* Every free grid must be one piece. Should refinement ever break one, its lighter pieces join
 * the neighbouring free grid they share most boundary with; in the last round they become
 * grids of their own, which cannot fail. */
static void
repair_contiguity (Ctx *c)
{
  g_autofree double *best_w = g_new (double, c->n);
  g_autofree guint *best_root = g_new (guint, c->n);
  g_autofree guint *strays = g_new (guint, c->n);
  g_autofree guint8 *done = g_new (guint8, c->n);

  for (guint round = 0; round < 4; round++)
    {
      guint n_strays = 0;

      for (guint g = 0; g < c->n_grids; g++)
        best_w[g] = -1.0;
      /* Each piece once, from its lowest-numbered unit; the heaviest piece of a grid stays. */
      memset (done, 0, c->n);
      for (guint s = 0; s < c->n; s++)
        {
          guint g = c->lab[s], size;
          double pw = 0.0;

          if (c->gfixed[g] || done[s])
            continue;
          size = collect_piece (c, s, g);
          for (guint i = 0; i < size; i++)
            {
              done[c->bfsq[i]] = 1;
              pw += c->w[c->bfsq[i]];
            }
          if (best_w[g] >= 0.0)
            strays[n_strays++] = s;
          if (pw > best_w[g])
            {
              if (best_w[g] >= 0.0)
                strays[n_strays - 1] = best_root[g];
              best_w[g] = pw;
              best_root[g] = s;
            }
        }
      if (n_strays == 0)
        return;
      for (guint i = 0; i < n_strays; i++)
        {
          guint s = strays[i], g = c->lab[s], to = UNSET, size;
          double to_len = -1.0;

          size = collect_piece (c, s, g);
          /* A piece an earlier move joined back to its grid's main body stays. */
          for (guint j = 0; j < size && g != UNSET; j++)
            if (c->bfsq[j] == best_root[g])
              g = UNSET;
          if (g == UNSET)
            continue;
          for (guint j = 0; j < size && round < 3; j++)
            {
              guint v = c->bfsq[j];
              for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
                {
                  guint q = c->lab[c->adj[e]];
                  if (q != g && !c->gfixed[q])
                    {
                      double l = shared_with (c, v, q);
                      if (l > to_len || (l == to_len && q < to))
                        {
                          to_len = l;
                          to = q;
                        }
                    }
                }
            }
          if (to == UNSET)
            to = grid_new (c, FALSE, c->gcomp[g]);
          for (guint j = 0; j < size; j++)
            {
              grid_remove (c, g, c->bfsq[j]);
              grid_add (c, to, c->bfsq[j]);
            }
        }
    }
}

static void
explain (GString *s, char *sentence)
{
  if (s->len > 0)
    g_string_append_c (s, ' ');
  g_string_append (s, sentence);
  g_free (sentence);
}

static void
summarise (Ctx *c, GpPartition *r, const GpPartitionOptions *o, guint n_pieces,
           const guint *piece_of_unit, guint asked_grids, guint made_grids)
{
  guint n_off = 0, n_island = 0, n_in10 = 0, n_in20 = 0, n_intol = 0, n_plain = 0;
  double pp_sum = 0.0;
  g_autofree guint *grids_per_comp = g_new0 (guint, n_pieces + 1);
  g_autofree double *sx = g_new0 (double, c->n_grids);
  g_autofree double *sy = g_new0 (double, c->n_grids);
  g_autofree double *sa = g_new0 (double, c->n_grids);
  g_autofree guint *first = g_new (guint, c->n_grids);
  GString *text = g_string_new (NULL);

  r->n_grids = c->n_grids;
  r->grids = g_new0 (GpPartitionGrid, c->n_grids);
  r->grid_of_unit = g_memdup2 (c->lab, c->n * sizeof (guint));
  for (guint g = 0; g < c->n_grids; g++)
    {
      first[g] = UNSET;
      if (c->gcomp[g] != UNSET)
        grids_per_comp[c->gcomp[g]]++;
    }
  /* Stats from scratch rather than from the running sums, which drift in floating point. */
  for (guint v = 0; v < c->n; v++)
    {
      guint g = c->lab[v];
      GpPartitionGrid *gr = &r->grids[g];
      double a = c->area[v] > 0.0 ? c->area[v] : 1e-12;

      if (first[g] == UNSET)
        first[g] = v;
      gr->households += c->w[v];
      gr->n_units++;
      gr->area += c->area[v];
      gr->perimeter += c->perim[v];
      for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
        if (c->lab[c->adj[e]] == g)
          gr->perimeter -= c->len[e];
      sx[g] += a * c->x[v];
      sy[g] += a * c->y[v];
      sa[g] += a;
    }
  r->n_free_grids = 0;
  r->max_rel_dev = 0.0;
  for (guint g = 0; g < c->n_grids; g++)
    {
      GpPartitionGrid *gr = &r->grids[g];
      double dev;

      gr->perimeter = MAX (gr->perimeter, 0.0);
      gr->polsby_popper = polsby_popper (gr->area, gr->perimeter);
      gr->x = sx[g] / sa[g];
      gr->y = sy[g] / sa[g];
      gr->locked_id = c->glocked[g];
      gr->piece = piece_of_unit[first[g]];
      gr->flags = c->gflags[g];
      dev = fabs (gr->households - o->target) / o->target;
      if (dev > o->tolerance + 1e-12)
        gr->flags |= GP_PARTITION_GRID_OFF_TARGET;
      if (gr->flags & GP_PARTITION_GRID_LOCKED)
        continue;
      if (c->gcomp[g] != UNSET && grids_per_comp[c->gcomp[g]] == 1 && n_pieces > 1
          && (gr->flags & GP_PARTITION_GRID_OFF_TARGET) && !(gr->flags & GP_PARTITION_GRID_EMPTY))
        {
          gr->flags |= GP_PARTITION_GRID_ISLAND;
          n_island++;
        }
      r->n_free_grids++;
      r->max_rel_dev = MAX (r->max_rel_dev, dev);
      n_in10 += dev <= 0.10 + 1e-12;
      n_in20 += dev <= 0.20 + 1e-12;
      n_intol += dev <= o->tolerance + 1e-12;
      pp_sum += gr->polsby_popper;
      if (gr->flags & GP_PARTITION_GRID_OVERSIZE)
        r->n_oversize++;
      else if (gr->flags & GP_PARTITION_GRID_EMPTY)
        r->n_empty++;
      else if (!(gr->flags & GP_PARTITION_GRID_ISLAND))
        {
          n_plain++;
          if (gr->flags & GP_PARTITION_GRID_OFF_TARGET)
            n_off++;
        }
    }
  if (r->n_free_grids > 0)
    {
      r->within_10pct = (double) n_in10 / r->n_free_grids;
      r->within_20pct = (double) n_in20 / r->n_free_grids;
      r->within_tolerance = (double) n_intol / r->n_free_grids;
      r->mean_polsby_popper = pp_sum / r->n_free_grids;
    }

  /* Locked grids are kept as given even when broken, but the planner should know. */
  {
    guint stamp = next_stamp (c);
    g_autofree guint8 *seen_grid = g_new0 (guint8, c->n_grids);

    for (guint s = 0; s < c->n; s++)
      {
        guint g = c->lab[s], head = 0, tail = 0;

        if (!c->gfixed[g] || c->seen[s] == stamp)
          continue;
        if (seen_grid[g])
          {
            r->grids[g].flags |= GP_PARTITION_GRID_NONCONTIGUOUS;
            r->n_noncontiguous++;
          }
        seen_grid[g] = 1;
        c->seen[s] = stamp;
        c->bfsq[tail++] = s;
        while (head < tail)
          {
            guint v = c->bfsq[head++];
            for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
              if (c->lab[c->adj[e]] == g && c->seen[c->adj[e]] != stamp)
                {
                  c->seen[c->adj[e]] = stamp;
                  c->bfsq[tail++] = c->adj[e];
                }
          }
      }
    /* A grid counted once per extra piece: count grids instead. */
    r->n_noncontiguous = 0;
    for (guint g = 0; g < c->n_grids; g++)
      r->n_noncontiguous += (r->grids[g].flags & GP_PARTITION_GRID_NONCONTIGUOUS) != 0;
  }

  if (asked_grids > 0 && made_grids != asked_grids)
    explain (text, g_strdup_printf (made_grids > asked_grids
                                    ? _("%u grids were asked for, but the units make %u: every separate piece of the area needs a grid of its own.")
                                    : _("%u grids were asked for, but the units make only %u: a grid needs at least one unit with households."),
                                    asked_grids, made_grids));
  else if (c->lost_grids > 0)
    explain (text, g_strdup_printf (ngettext ("%u grid fewer than the households call for was made: part of the area has too few units with households, or units joined too sparsely, to make that many connected grids.",
                                              "%u grids fewer than the households call for were made: part of the area has too few units with households, or units joined too sparsely, to make that many connected grids.",
                                              c->lost_grids), c->lost_grids));
  if (r->n_oversize > 0)
    explain (text, g_strdup_printf (ngettext ("%u unit holds more than %.0f households (the target plus %g%%) and is a grid of its own.",
                                              "%u units hold more than %.0f households (the target plus %g%%) and are grids of their own.",
                                              r->n_oversize),
                                    r->n_oversize, o->target * (1.0 + o->tolerance), 100.0 * o->tolerance));
  if (n_island > 0)
    explain (text, g_strdup_printf (ngettext ("%u grid is the only one on a piece of the area cut off from the rest (by water, locked grids or oversize units), whose households do not make whole grids.",
                                              "%u grids are each the only one on a piece of the area cut off from the rest (by water, locked grids or oversize units), whose households do not make whole grids.",
                                              n_island), n_island));
  if (r->n_empty > 0)
    explain (text, g_strdup_printf (ngettext ("%u grid holds no households: a piece of the area without households that touches no grid it could join.",
                                              "%u grids hold no households: pieces of the area without households that touch no grid they could join.",
                                              r->n_empty), r->n_empty));
  if (n_off == 1 && n_plain == 1 && r->n_free_grids == 1)
    {
      /* The whole area is one grid: its total, not the units, is what misses the target. */
      const GpPartitionGrid *only = NULL;

      for (guint g = 0; g < r->n_grids && only == NULL; g++)
        if (!(r->grids[g].flags & GP_PARTITION_GRID_LOCKED))
          only = &r->grids[g];
      explain (text, g_strdup_printf (only->households < o->target
                                      ? _("The area's %.0f households make a single grid, short of %.0f households ±%g%%.")
                                      : _("The area's %.0f households make a single grid, more than %.0f households ±%g%%."),
                                      only->households, o->target, 100.0 * o->tolerance));
    }
  else if (n_off > 0)
    explain (text, g_strdup_printf (ngettext ("The units' household counts are too coarse: the best split leaves %u of %u grids outside %.0f households ±%g%%.",
                                              "The units' household counts are too coarse: the best split leaves %u of %u grids outside %.0f households ±%g%%.",
                                              n_off), n_off, n_plain, o->target, 100.0 * o->tolerance));
  if (r->n_noncontiguous > 0)
    explain (text, g_strdup_printf (ngettext ("%u locked grid is in several pieces; it was kept as it is.",
                                              "%u locked grids are in several pieces; they were kept as they are.",
                                              r->n_noncontiguous), r->n_noncontiguous));
  r->explanation = text->len > 0 ? g_string_free (text, FALSE) : (g_string_free (text, TRUE), NULL);
}

GpPartition *
gp_partition_compute (const GpPartitionGraph   *graph,
                      const GpPartitionOptions *options,
                      GError                  **error)
{
  g_autoptr(GpPartition) r = NULL;
  g_autofree guint *piece_of_unit = NULL;
  g_autofree guint *comp_list = NULL;
  GArray *pieces = NULL;
  guint n, n_whole = 0, made = 0, asked = 0;
  Ctx c;

  g_return_val_if_fail (graph != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_graph (graph, options, error))
    return NULL;
  n = graph->n_units;
  r = g_new0 (GpPartition, 1);
  r->n_units = n;
  if (n == 0)
    {
      r->grid_of_unit = g_new (guint, 1);
      r->grids = g_new0 (GpPartitionGrid, 1);
      return g_steal_pointer (&r);
    }

  ctx_init (&c, graph, options);

  /* Separate pieces of the whole area, for the report. */
  piece_of_unit = g_new (guint, n);
  {
    guint stamp = next_stamp (&c);
    for (guint s = 0; s < n; s++)
      {
        guint head = 0, tail = 0;
        if (c.seen[s] == stamp)
          continue;
        c.seen[s] = stamp;
        c.bfsq[tail++] = s;
        while (head < tail)
          {
            guint v = c.bfsq[head++];
            piece_of_unit[v] = n_whole;
            for (guint e = c.xadj[v]; e < c.xadj[v + 1]; e++)
              if (c.seen[c.adj[e]] != stamp)
                {
                  c.seen[c.adj[e]] = stamp;
                  c.bfsq[tail++] = c.adj[e];
                }
          }
        n_whole++;
      }
  }

  make_locked_grids (&c, graph->locked);
  for (guint v = 0; v < n; v++)
    if (c.lab[v] == UNSET && c.w[v] > options->target * (1.0 + options->tolerance))
      {
        guint g = grid_new (&c, TRUE, UNSET);
        c.gflags[g] = GP_PARTITION_GRID_OVERSIZE;
        grid_add (&c, g, v);
      }

  /* Pieces of the free units: connected once locked and oversize units are taken out. */
  pieces = g_array_new (FALSE, FALSE, sizeof (Piece));
  comp_list = g_new (guint, n);
  {
    guint tail = 0, piece_label = c.next_temp++;

    for (guint s = 0; s < n; s++)
      {
        Piece p = { tail, 0, 0.0, 0, 0 };
        guint head = tail;

        if (c.lab[s] != UNSET)
          continue;
        c.lab[s] = piece_label;
        comp_list[tail++] = s;
        while (head < tail)
          {
            guint v = comp_list[head++];
            for (guint e = c.xadj[v]; e < c.xadj[v + 1]; e++)
              if (c.lab[c.adj[e]] == UNSET)
                {
                  c.lab[c.adj[e]] = piece_label;
                  comp_list[tail++] = c.adj[e];
                }
          }
        p.size = tail - p.start;
        p.n_pos = count_households (&c, comp_list + p.start, p.size, &p.households);
        g_array_append_val (pieces, p);
      }
  }

  /* A piece without households joins an oversize grid it touches, else is a grid by itself. */
  {
    guint fixed_extra = 0;

    for (guint i = 0; i < pieces->len; i++)
      {
        Piece *p = &g_array_index (pieces, Piece, i);
        guint to = UNSET;
        double to_len = -1.0;

        if (p->households > 0.0)
          continue;
        for (guint j = 0; j < p->size; j++)
          {
            guint v = comp_list[p->start + j];
            for (guint e = c.xadj[v]; e < c.xadj[v + 1]; e++)
              {
                guint q = c.lab[c.adj[e]];
                if (q < c.n_grids && (c.gflags[q] & GP_PARTITION_GRID_OVERSIZE))
                  {
                    double l = shared_with (&c, v, q);
                    if (l > to_len || (l == to_len && q < to))
                      {
                        to_len = l;
                        to = q;
                      }
                  }
              }
          }
        if (to == UNSET)
          {
            to = grid_new (&c, TRUE, i);
            c.gflags[to] = GP_PARTITION_GRID_EMPTY;
            fixed_extra++;
          }
        for (guint j = 0; j < p->size; j++)
          grid_add (&c, to, comp_list[p->start + j]);
      }

    /* Oversize grids count among the grids asked for. */
    for (guint g = 0; g < c.n_grids; g++)
      fixed_extra += (c.gflags[g] & GP_PARTITION_GRID_OVERSIZE) != 0;
    asked = options->n_grids;
    share_grids (&c, (Piece *) pieces->data, pieces->len, asked > 0,
                 asked > fixed_extra ? asked - fixed_extra : 0);
  }

  for (guint i = 0; i < pieces->len; i++)
    {
      Piece *p = &g_array_index (pieces, Piece, i);
      if (p->households > 0.0)
        split_region (&c, comp_list + p->start, p->size, c.lab[comp_list[p->start]], p->k, i);
    }

  /* Greedy moves and exchanges; fresh cuts of neighbouring pairs; chains for grids still off
   * target; each followed by moves around what changed. */
  refine (&c, FALSE, 4);
  memset (c.gchanged, 0, c.n_grids);
  if (resplit_pairs (&c) > 0)
    refine (&c, TRUE, 2);
  memset (c.gchanged, 0, c.n_grids);
  if (repair_off_target (&c) > 0)
    refine (&c, TRUE, 2);
  repair_contiguity (&c);

  for (guint g = 0; g < c.n_grids; g++)
    made += !(c.gflags[g] & GP_PARTITION_GRID_LOCKED);
  summarise (&c, r, options, pieces->len, piece_of_unit, asked, made);

  g_array_free (pieces, TRUE);
  ctx_clear (&c);
  return g_steal_pointer (&r);
}
