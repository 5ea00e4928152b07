/* gp-partition.c: the splitter's graph core: contiguous recursive bisection, then boundary refinement that keeps every grid connected. */
#include "gp-config.h"

#include "gp-partition.h"
#include "gp-partition-private.h"
#include "gp-error.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

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

static void
explain (GString *s, char *sentence)
{
  if (s->len > 0)
    g_string_append_c (s, ' ');
  g_string_append (s, sentence);
  g_free (sentence);
}

/* What the counts of a partition say in the explanation. */
typedef struct {
  guint n_off, n_island, n_plain;
} Counts;

/* The grids' figures, measured from scratch (running sums drift in floating point). */
static void
grid_figures (Ctx *c, GpPartition *r, const GpPartitionOptions *o, guint n_pieces, const guint *piece_of_unit,
              Counts *counts)
{
  guint n_in10 = 0, n_in20 = 0, n_intol = 0;
  double pp_sum = 0.0;
  g_autofree guint *grids_per_comp = g_new0 (guint, n_pieces + 1);
  g_autofree double *sx = g_new0 (double, c->n_grids);
  g_autofree double *sy = g_new0 (double, c->n_grids);
  g_autofree double *sa = g_new0 (double, c->n_grids);
  g_autofree guint *first = g_new (guint, c->n_grids);

  r->n_grids = c->n_grids;
  r->grids = g_new0 (GpPartitionGrid, c->n_grids);
  r->grid_of_unit = g_memdup2 (c->lab, c->n * sizeof (guint));
  for (guint g = 0; g < c->n_grids; g++)
    {
      first[g] = UNSET;
      if (c->gcomp[g] != UNSET)
        grids_per_comp[c->gcomp[g]]++;
    }
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
          counts->n_island++;
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
          counts->n_plain++;
          if (gr->flags & GP_PARTITION_GRID_OFF_TARGET)
            counts->n_off++;
        }
    }
  if (r->n_free_grids > 0)
    {
      r->within_10pct = (double) n_in10 / r->n_free_grids;
      r->within_20pct = (double) n_in20 / r->n_free_grids;
      r->within_tolerance = (double) n_intol / r->n_free_grids;
      r->mean_polsby_popper = pp_sum / r->n_free_grids;
    }

}

/* Locked grids are kept as given even when broken, but the planner should know. */
static void
flag_broken_locked (Ctx *c, GpPartition *r)
{
  guint stamp = next_stamp (c);
  g_autofree guint8 *seen_grid = g_new0 (guint8, c->n_grids);

  for (guint s = 0; s < c->n; s++)
    {
      guint g = c->lab[s];

      if (!c->gfixed[g] || c->seen[s] == stamp)
        continue;
      /* A second piece of a grid already walked: the grid is broken. */
      if (seen_grid[g])
        r->grids[g].flags |= GP_PARTITION_GRID_NONCONTIGUOUS;
      seen_grid[g] = 1;
      walk_piece (c, s, g, stamp, c->bfsq, 0);
    }
  r->n_noncontiguous = 0;
  for (guint g = 0; g < c->n_grids; g++)
    r->n_noncontiguous += (r->grids[g].flags & GP_PARTITION_GRID_NONCONTIGUOUS) != 0;
}

/* What could not be met and why, in the planner's words. */
static char *
explanation (Ctx *c, GpPartition *r, const GpPartitionOptions *o, const Counts *counts, guint asked_grids,
             guint made_grids)
{
  GString *text = g_string_new (NULL);
  guint n_off = counts->n_off, n_island = counts->n_island, n_plain = counts->n_plain;

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
  return text->len > 0 ? g_string_free (text, FALSE) : (g_string_free (text, TRUE), NULL);
}

static void
summarise (Ctx *c, GpPartition *r, const GpPartitionOptions *o, guint n_pieces,
           const guint *piece_of_unit, guint asked_grids, guint made_grids)
{
  Counts counts = { 0 };

  grid_figures (c, r, o, n_pieces, piece_of_unit, &counts);
  flag_broken_locked (c, r);
  r->explanation = explanation (c, r, o, &counts, asked_grids, made_grids);
}

/* Per unit, which separate piece of the whole graph it lies in; returns how many pieces. */
static guint
whole_pieces (Ctx *c, guint *piece_of_unit)
{
  guint stamp = next_stamp (c), n_whole = 0;

  for (guint s = 0; s < c->n; s++)
    {
      guint tail;

      if (c->seen[s] == stamp)
        continue;
      tail = walk_piece (c, s, ANY_LABEL, stamp, c->bfsq, 0);
      for (guint k = 0; k < tail; k++)
        piece_of_unit[c->bfsq[k]] = n_whole;
      n_whole++;
    }
  return n_whole;
}

/* Pieces of the free units (connected once locked and oversize units are taken out), their
 * units listed in COMP_LIST, each labelled with one temporary label. */
static GArray *
free_unit_pieces (Ctx *c, guint *comp_list)
{
  GArray *pieces = g_array_new (FALSE, FALSE, sizeof (Piece));
  guint tail = 0, piece_label = c->next_temp++;

  for (guint s = 0; s < c->n; s++)
    {
      Piece p = { tail, 0, 0.0, 0, 0 };

      if (c->lab[s] != UNSET)
        continue;
      tail = walk_piece (c, s, UNSET, next_stamp (c), comp_list, tail);
      for (guint k = p.start; k < tail; k++)
        c->lab[comp_list[k]] = piece_label;
      p.size = tail - p.start;
      p.n_pos = count_households (c, comp_list + p.start, p.size, &p.households);
      g_array_append_val (pieces, p);
    }
  return pieces;
}

/* A piece without households joins an oversize grid it touches, else is a grid by itself; then
 * the grids asked for (less the fixed ones) are shared among the pieces. Returns the grids asked. */
static guint
place_empty_pieces (Ctx *c, GArray *pieces, const guint *comp_list, const GpPartitionOptions *options)
{
  guint fixed_extra = 0, asked;

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

          for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
            {
              guint q = c->lab[c->adj[e]];

              if (q < c->n_grids && (c->gflags[q] & GP_PARTITION_GRID_OVERSIZE))
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
        {
          to = grid_new (c, TRUE, i);
          c->gflags[to] = GP_PARTITION_GRID_EMPTY;
          fixed_extra++;
        }
      for (guint j = 0; j < p->size; j++)
        grid_add (c, to, comp_list[p->start + j]);
    }

  /* Oversize grids count among the grids asked for. */
  for (guint g = 0; g < c->n_grids; g++)
    fixed_extra += (c->gflags[g] & GP_PARTITION_GRID_OVERSIZE) != 0;
  asked = options->n_grids;
  share_grids (c, (Piece *) pieces->data, pieces->len, asked > 0, asked > fixed_extra ? asked - fixed_extra : 0);
  return asked;
}

/* One half of a large piece: its units (indices into the whole graph) as a graph of its own. */
typedef struct {
  const guint        *verts;
  guint               m;
  GpPartitionOptions  options;
  GpPartitionGraph    graph;
  guint              *xadj, *adjncy;
  double             *w, *x, *y, *area, *perim, *len;
  GpPartition        *result;
  GError             *error;
} Half;

/* The subgraph of the whole graph G induced by H's units; LOCAL (n entries) maps a unit of G to
 * its index in the half, or UNSET. */
static void
half_build (Half *h, const GpPartitionGraph *g, guint *local)
{
  guint n_edges = 0;

  for (guint i = 0; i < h->m; i++)
    local[h->verts[i]] = i;
  for (guint i = 0; i < h->m; i++)
    for (guint e = g->xadj[h->verts[i]]; e < g->xadj[h->verts[i] + 1]; e++)
      n_edges += local[g->adjncy[e]] != UNSET;
  h->xadj = g_new (guint, h->m + 1);
  h->adjncy = g_new (guint, n_edges + 1);
  h->len = g_new (double, n_edges + 1);
  h->w = g_new (double, h->m + 1);
  h->x = g_new (double, h->m + 1);
  h->y = g_new (double, h->m + 1);
  h->area = g_new (double, h->m + 1);
  h->perim = g_new (double, h->m + 1);
  n_edges = 0;
  for (guint i = 0; i < h->m; i++)
    {
      guint v = h->verts[i];

      h->xadj[i] = n_edges;
      h->w[i] = g->households[v];
      h->x[i] = g->x[v];
      h->y[i] = g->y[v];
      h->area[i] = g->area[v];
      h->perim[i] = g->perimeter[v];
      for (guint e = g->xadj[v]; e < g->xadj[v + 1]; e++)
        if (local[g->adjncy[e]] != UNSET)
          {
            h->adjncy[n_edges] = local[g->adjncy[e]];
            h->len[n_edges] = g->shared_length != NULL ? g->shared_length[e] : 1.0;
            n_edges++;
          }
    }
  h->xadj[h->m] = n_edges;
  for (guint i = 0; i < h->m; i++)
    local[h->verts[i]] = UNSET;
  h->graph = (GpPartitionGraph) { h->m, h->w, h->x, h->y, h->area, h->perim, h->xadj, h->adjncy, h->len, NULL };
}

static void
half_clear (Half *h)
{
  g_free (h->xadj);
  g_free (h->adjncy);
  g_free (h->len);
  g_free (h->w);
  g_free (h->x);
  g_free (h->y);
  g_free (h->area);
  g_free (h->perim);
  g_clear_pointer (&h->result, gp_partition_free);
  g_clear_error (&h->error);
}

static gpointer
half_run (gpointer data)
{
  Half *h = data;

  h->result = gp_partition_compute (&h->graph, &h->options, &h->error);
  return NULL;
}

/* A large piece (VERTS, M units labelled LABEL, K grids, piece COMP): cut in two as a bisection
 * would, each half split on its own (in parallel when the options allow), the halves' grids
 * taken into C, and the grids along the seam refined together. */
static void
split_in_halves (Ctx *c, const GpPartitionGraph *graph, const GpPartitionOptions *o, guint *verts, guint m,
                 guint label, guint k, guint comp)
{
  g_autofree guint *local = g_new (guint, c->n);
  g_autofree guint8 *side = g_new0 (guint8, c->n);
  Half halves[2] = { { 0 }, { 0 } };
  guint k1, m_a;

  m_a = bisect_once (c, verts, m, label, k, &k1);
  for (guint v = 0; v < c->n; v++)
    local[v] = UNSET;
  for (guint i = m_a; i < m; i++)
    side[verts[i]] = 1;
  halves[0].verts = verts;
  halves[0].m = m_a;
  halves[1].verts = verts + m_a;
  halves[1].m = m - m_a;
  for (guint h = 0; h < 2; h++)
    {
      half_build (&halves[h], graph, local);
      gp_partition_options_init (&halves[h].options);
      halves[h].options.target = o->target;
      halves[h].options.tolerance = o->tolerance;
      halves[h].options.n_grids = h == 0 ? k1 : k - k1;
      /* Each half its own seed, derived from the run's: the same grids every time. */
      halves[h].options.seed = o->seed * 2654435761u + h + 1;
      /* The threads shared between the halves: a half large enough is halved again, its
       * quarters then run at once too (halving depends on sizes only, never on threads). */
      halves[h].options.n_threads = MAX (1u, h == 0 ? (o->n_threads + 1) / 2 : o->n_threads / 2);
    }
  if (o->n_threads > 1)
    {
      GThread *other = g_thread_new ("gridplan-half", half_run, &halves[1]);

      half_run (&halves[0]);
      g_thread_join (other);
    }
  else
    for (guint h = 0; h < 2; h++)
      half_run (&halves[h]);

  /* The halves' grids, in order: the first half's, then the second's. */
  for (guint h = 0; h < 2; h++)
    {
      Half *hf = &halves[h];
      g_autofree guint *gid = NULL;

      for (guint i = 0; i < hf->m; i++)
        c->lab[hf->verts[i]] = UNSET;
      if (hf->result == NULL)
        {
          /* A half graph is well formed by construction; should it fail all the same, the
           * half is split here as one region. */
          guint half_label = c->next_temp++;

          for (guint i = 0; i < hf->m; i++)
            c->lab[hf->verts[i]] = half_label;
          split_region (c, (guint *) hf->verts, hf->m, half_label, hf->options.n_grids, comp);
          continue;
        }
      gid = g_new (guint, hf->result->n_grids + 1);
      for (guint g = 0; g < hf->result->n_grids; g++)
        {
          GpPartitionGridFlags flags = hf->result->grids[g].flags & GP_PARTITION_GRID_EMPTY;

          gid[g] = grid_new (c, flags != 0, comp);
          c->gflags[gid[g]] = flags;
        }
      for (guint i = 0; i < hf->m; i++)
        grid_add (c, gid[hf->result->grid_of_unit[i]], hf->verts[i]);
      if (hf->result->n_grids < hf->options.n_grids)
        c->lost_grids += hf->options.n_grids - hf->result->n_grids;
    }
  for (guint h = 0; h < 2; h++)
    half_clear (&halves[h]);

  /* The seam: grids with a unit across from the other half move units between them as
   * anywhere else; the rest were refined in their half. */
  memset (c->gchanged, 0, c->n_grids);
  for (guint i = 0; i < m; i++)
    {
      guint v = verts[i];

      for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
        if (c->lab[c->adj[e]] < c->n_grids && side[c->adj[e]] != side[v] && !c->gfixed[c->lab[c->adj[e]]])
          c->gchanged[c->lab[v]] = 1;
    }
  refine (c, TRUE, 2);
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
  guint n, made = 0, asked;
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
  whole_pieces (&c, piece_of_unit);

  make_locked_grids (&c, graph->locked);
  for (guint v = 0; v < n; v++)
    if (c.lab[v] == UNSET && c.w[v] > options->target * (1.0 + options->tolerance))
      {
        guint g = grid_new (&c, TRUE, UNSET);
        c.gflags[g] = GP_PARTITION_GRID_OVERSIZE;
        grid_add (&c, g, v);
      }

  comp_list = g_new (guint, n);
  pieces = free_unit_pieces (&c, comp_list);
  asked = place_empty_pieces (&c, pieces, comp_list, options);
  if (pieces->len == 1 && graph->locked == NULL && g_array_index (pieces, Piece, 0).households > 0.0
      && g_array_index (pieces, Piece, 0).size >= HALVES_MIN_UNITS
      && g_array_index (pieces, Piece, 0).k >= 2 * HALVES_MIN_GRIDS)
    {
      /* One large piece: two halves, each split and refined on its own, then the seam. */
      Piece *p = &g_array_index (pieces, Piece, 0);

      split_in_halves (&c, graph, options, comp_list + p->start, p->size, c.lab[comp_list[p->start]], p->k, 0);
    }
  else
    {
      for (guint i = 0; i < pieces->len; i++)
        {
          Piece *p = &g_array_index (pieces, Piece, i);

          if (p->households > 0.0)
            split_region (&c, comp_list + p->start, p->size, c.lab[comp_list[p->start]], p->k, i);
        }

      /* Greedy moves and exchanges; fresh cuts of neighbouring pairs; chains for grids still
       * off target; each followed by moves around what changed. */
      refine (&c, FALSE, 4);
      memset (c.gchanged, 0, c.n_grids);
      if (resplit_pairs (&c) > 0)
        refine (&c, TRUE, 2);
      memset (c.gchanged, 0, c.n_grids);
      if (repair_off_target (&c) > 0)
        refine (&c, TRUE, 2);
    }
  repair_contiguity (&c);

  for (guint g = 0; g < c.n_grids; g++)
    made += !(c.gflags[g] & GP_PARTITION_GRID_LOCKED);
  summarise (&c, r, options, pieces->len, piece_of_unit, asked, made);

  g_array_free (pieces, TRUE);
  ctx_clear (&c);
  return g_steal_pointer (&r);
}
