/* gp-assign.c: people to grids as a minimum-cost flow solved with GLPK (glp_mincost_okalg), not a greedy loop. */
#include "gp-config.h"

#include "gp-assign.h"

#include <glib/gi18n-lib.h>
#include <glpk.h>
#include <math.h>
#include <stddef.h>

#include "gp-error.h"

/* Distances are whole units of this many metres (RELAX-IV wants integers), at most this many
 * units (1,000 km): farther is as far. */
#define COST_UNIT_M 100.0
#define COST_MAX    10000
/* Places of one grid at most (a grid of 1,000 households with a party member per 5). */
#define NEED_MAX    200

typedef struct { double rhs, pi; } VertexData;
typedef struct { double low, cap, cost, x; } ArcData;

/* Solves GRAPH's minimum-cost flow in place; on failure deletes it and says so (CONTACTS: the
 * party contacts' network, else the assignment's). Out-of-kilter: RELAX-IV is switched off in
 * Debian's GLPK (its licence), and the networks of one community or grid are small. */
static gboolean
solve (glp_graph *graph, gboolean contacts, GError **error)
{
  double total = 0.0;
  int status = glp_mincost_okalg (graph, offsetof (VertexData, rhs), offsetof (ArcData, low), offsetof (ArcData, cap),
                                  offsetof (ArcData, cost), &total, offsetof (ArcData, x), offsetof (VertexData, pi));

  if (status == 0)
    return TRUE;
  glp_delete_graph (graph);
  if (contacts)
    g_set_error (error, GP_ERROR, GP_ERROR_FAILED, _("the party contacts could not be linked (GLPK error %d)"), status);
  else
    g_set_error (error, GP_ERROR, GP_ERROR_FAILED, _("the assignment could not be solved (GLPK error %d)"), status);
  return FALSE;
}

/* The general network: each grid's places as arcs of rising cost (the k-th of NEED costs
 * k / need of a unit above any distance), for workers who may serve only some grids. */
static gint *
assign_by_places (guint n_workers, guint n_grids, const double *cost, const guint *need, GError **error)
{
  g_autofree gint *grid_of = g_new (gint, n_workers + 1);
  g_autofree glp_arc **worker_arc = NULL;
  g_autofree guint *worker_arc_grid = NULL;
  glp_graph *graph;
  guint slots = 0, n_arcs = 0, flow, source, sink;
  /* The k-th of a grid's NEED places costs k / need of this: grids fill evenly by their share,
   * and a grid's second place (of two) costs more than any rearrangement of first places could
   * save, so every grid has its first before any has its second. */
  double unit = 2.0 * ((double) COST_MAX * (n_grids + 1) + 1.0);
  double penalty = unit;

  for (guint w = 0; w < n_workers; w++)
    grid_of[w] = -1;
  for (guint g = 0; g < n_grids; g++)
    slots += MIN (need[g], (guint) NEED_MAX);
  flow = MIN (n_workers, slots);
  if (flow == 0)
    return g_steal_pointer (&grid_of);

  /* GLPK would print its progress on the terminal. */
  glp_term_out (GLP_OFF);
  /* Vertices: the source, the workers, the grids, the sink (GLPK numbers them from 1). */
  graph = glp_create_graph (sizeof (VertexData), sizeof (ArcData));
  glp_add_vertices (graph, (int) (n_workers + n_grids + 2));
  source = 1;
  sink = n_workers + n_grids + 2;
  ((VertexData *) graph->v[source]->data)->rhs = flow;
  ((VertexData *) graph->v[sink]->data)->rhs = -(double) flow;
  worker_arc = g_new0 (glp_arc *, (gsize) n_workers * n_grids + 1);
  worker_arc_grid = g_new (guint, (gsize) n_workers * n_grids + 1);
  for (guint w = 0; w < n_workers; w++)
    {
      glp_arc *a = glp_add_arc (graph, (int) source, (int) (2 + w));
      ArcData *d = a->data;

      d->cap = 1.0;
      for (guint g = 0; g < n_grids; g++)
        {
          double c = cost[(gsize) w * n_grids + g];

          if (need[g] == 0 || !(c >= 0.0))
            continue;
          a = glp_add_arc (graph, (int) (2 + w), (int) (2 + n_workers + g));
          d = a->data;
          d->cap = 1.0;
          d->cost = MIN (round (c / COST_UNIT_M), (double) COST_MAX);
          worker_arc[n_arcs] = a;
          worker_arc_grid[n_arcs++] = g;
        }
    }
  for (guint g = 0; g < n_grids; g++)
    for (guint k = 0; k < MIN (need[g], (guint) NEED_MAX); k++)
      {
        glp_arc *a = glp_add_arc (graph, (int) (2 + n_workers + g), (int) sink);
        ArcData *d = a->data;

        d->cap = 1.0;
        d->cost = round (unit * k / MIN (need[g], (guint) NEED_MAX));
      }
  /* Workers who can reach no grid, or more workers than places: let the surplus stay at the
   * source through a direct, expensive arc, so the flow is always feasible. */
  {
    glp_arc *a = glp_add_arc (graph, (int) source, (int) sink);
    ArcData *d = a->data;

    d->cap = flow;
    d->cost = penalty * 2.0;
  }
  if (!solve (graph, FALSE, error))
    return NULL;
  for (guint k = 0; k < n_arcs; k++)
    {
      glp_arc *a = worker_arc[k];

      if (((ArcData *) a->data)->x > 0.5)
        grid_of[a->tail->i - 2] = (gint) worker_arc_grid[k];
    }
  glp_delete_graph (graph);
  return g_steal_pointer (&grid_of);
}

typedef struct {
  guint g, k;   /* the k-th place (from 0) of grid g */
} Place;

static guint
capped_need (const guint *need, guint g)
{
  return MIN (need[g], (guint) NEED_MAX);
}

/* k/need of A against B's, exactly (cross-multiplied). */
static int
compare_places (const void *pa, const void *pb, gpointer user_data)
{
  const Place *a = pa, *b = pb;
  const guint *need = user_data;
  guint64 x = (guint64) a->k * capped_need (need, b->g), y = (guint64) b->k * capped_need (need, a->g);

  return (x > y) - (x < y);
}

/* Where every worker may serve every grid with places (the roster's case), the evenness comes
 * first and decides how many each grid gets: the FLOW cheapest places (k / need) of all. Only
 * places at the share where the last ones are taken are open to choice, and all cost the same,
 * so distance alone chooses among them: a network without the rising place costs, which
 * out-of-kilter solves many times faster (their range, not the network, made it slow), to the
 * same optimum. Returns per grid the places sure to be taken in FIXED, and 1 in TIED where a
 * grid has a place at that share. */
static void
even_shares (guint n_grids, const guint *need, guint flow, guint *fixed, guint8 *tied)
{
  g_autoptr(GArray) places = g_array_new (FALSE, FALSE, sizeof (Place));
  Place last;

  for (guint g = 0; g < n_grids; g++)
    {
      fixed[g] = 0;
      tied[g] = 0;
      for (guint k = 0; k < capped_need (need, g); k++)
        {
          Place p = { g, k };

          g_array_append_val (places, p);
        }
    }
  g_array_sort_with_data (places, compare_places, (gpointer) need);
  last = g_array_index (places, Place, flow - 1);
  for (guint i = 0; i < places->len; i++)
    {
      const Place *p = &g_array_index (places, Place, i);
      int c = compare_places (p, &last, (gpointer) need);

      if (c < 0)
        fixed[p->g]++;
      else if (c == 0)
        tied[p->g] = 1;
      else
        break;
    }
}

static gint *
assign_by_shares (guint n_workers, guint n_grids, const double *cost, const guint *need, guint flow,
                  GError **error)
{
  g_autofree gint *grid_of = g_new (gint, n_workers + 1);
  g_autofree guint *fixed = g_new (guint, n_grids + 1);
  g_autofree guint8 *tied = g_new (guint8, n_grids + 1);
  g_autoptr(GPtrArray) arcs = g_ptr_array_new ();
  glp_graph *graph;
  guint sink = n_workers + n_grids + 2;

  even_shares (n_grids, need, flow, fixed, tied);
  for (guint w = 0; w < n_workers; w++)
    grid_of[w] = -1;
  glp_term_out (GLP_OFF);
  graph = glp_create_graph (sizeof (VertexData), sizeof (ArcData));
  glp_add_vertices (graph, (int) sink);
  ((VertexData *) graph->v[1]->data)->rhs = flow;
  ((VertexData *) graph->v[sink]->data)->rhs = -(double) flow;
  for (guint w = 0; w < n_workers; w++)
    {
      ((ArcData *) glp_add_arc (graph, 1, (int) (2 + w))->data)->cap = 1.0;
      for (guint g = 0; g < n_grids; g++)
        {
          glp_arc *a;

          if (fixed[g] + tied[g] == 0)
            continue;
          a = glp_add_arc (graph, (int) (2 + w), (int) (2 + n_workers + g));
          ((ArcData *) a->data)->cap = 1.0;
          ((ArcData *) a->data)->cost = MIN (round (cost[(gsize) w * n_grids + g] / COST_UNIT_M), (double) COST_MAX);
          g_ptr_array_add (arcs, a);
        }
    }
  /* A grid's fixed places must all be taken (a lower bound), then FLOW − Σ fixed of the tied
   * places, whichever distance prefers. */
  for (guint g = 0; g < n_grids; g++)
    {
      if (fixed[g] > 0)
        {
          ArcData *d = glp_add_arc (graph, (int) (2 + n_workers + g), (int) sink)->data;

          d->low = d->cap = fixed[g];
        }
      if (tied[g] > 0)
        ((ArcData *) glp_add_arc (graph, (int) (2 + n_workers + g), (int) sink)->data)->cap = 1.0;
    }
  if (!solve (graph, FALSE, error))
    return NULL;
  for (guint k = 0; k < arcs->len; k++)
    {
      glp_arc *a = g_ptr_array_index (arcs, k);

      if (((ArcData *) a->data)->x > 0.5)
        grid_of[a->tail->i - 2] = a->head->i - 2 - (int) n_workers;
    }
  glp_delete_graph (graph);
  return g_steal_pointer (&grid_of);
}

gint *
gp_assign_workers (guint n_workers, guint n_grids, const double *cost, const guint *need, GError **error)
{
  guint slots = 0;
  gboolean everyone_everywhere = TRUE;

  for (guint g = 0; g < n_grids; g++)
    slots += capped_need (need, g);
  for (guint w = 0; w < n_workers && everyone_everywhere; w++)
    for (guint g = 0; g < n_grids && everyone_everywhere; g++)
      everyone_everywhere = need[g] == 0 || cost[(gsize) w * n_grids + g] >= 0.0;
  if (everyone_everywhere && MIN (n_workers, slots) > 0)
    return assign_by_shares (n_workers, n_grids, cost, need, MIN (n_workers, slots), error);
  return assign_by_places (n_workers, n_grids, cost, need, error);
}

/* Contacts lie within one grid: distances in whole units of 10 m, at most 100 km. */
#define CONTACT_COST_UNIT_M 10.0
/* A member is offered their nearest places until these many times their reach is on offer, and
 * each place its this many nearest members: enough to link every household the members reach
 * in practice, without a member × place network on grids of 300 household points. */
#define CONTACT_OFFER      3
#define CONTACT_NEIGHBOURS 3

typedef struct {
  double d;
  guint  i;
} Near;

static int
compare_near (const void *a, const void *b)
{
  const Near *x = a, *y = b;

  return (x->d > y->d) - (x->d < y->d);
}

/* Metres from member M's home to place P; infinite when either is not known. */
static double
contact_distance (const double *member_xy, guint m, const double *place_xy, guint p)
{
  double d = hypot (member_xy[2 * m] - place_xy[2 * p], member_xy[2 * m + 1] - place_xy[2 * p + 1]);

  return isfinite (d) ? d : INFINITY;
}

/* Marks in OFFER (n_members × n_places) the member–place pairs the network carries. */
static void
contact_offers (guint n_members, const guint *reach, const double *member_xy, guint n_places,
                const guint *households, const double *place_xy, guint8 *offer)
{
  g_autofree Near *near = g_new (Near, MAX (n_members, n_places) + 1);

  for (guint m = 0; m < n_members; m++)
    {
      guint64 offered = 0;

      for (guint p = 0; p < n_places; p++)
        near[p] = (Near) { contact_distance (member_xy, m, place_xy, p), p };
      qsort (near, n_places, sizeof (Near), compare_near);
      for (guint k = 0; k < n_places; k++)
        {
          /* Without a home every place is as near: all are offered. */
          if (isfinite (near[k].d) && k >= CONTACT_NEIGHBOURS && offered >= (guint64) CONTACT_OFFER * reach[m])
            break;
          offer[(gsize) m * n_places + near[k].i] = 1;
          offered += households[near[k].i];
        }
    }
  /* Members without a home sort last here. */
  for (guint p = 0; p < n_places; p++)
    {
      for (guint m = 0; m < n_members; m++)
        near[m] = (Near) { contact_distance (member_xy, m, place_xy, p), m };
      qsort (near, n_members, sizeof (Near), compare_near);
      for (guint k = 0; k < MIN (n_members, (guint) CONTACT_NEIGHBOURS); k++)
        offer[(gsize) near[k].i * n_places + p] = 1;
    }
}

GArray *
gp_assign_contacts (guint n_members, const guint *reach, const double *member_xy, guint n_places,
                    const guint *households, const double *place_xy, GError **error)
{
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (GpContactLink));
  g_autofree guint8 *offer = NULL;
  g_autoptr(GPtrArray) arcs = g_ptr_array_new ();
  guint64 reached = 0, held = 0;
  double flow, bypass;
  glp_graph *graph;
  guint sink;

  for (guint m = 0; m < n_members; m++)
    reached += reach[m];
  for (guint p = 0; p < n_places; p++)
    held += households[p];
  flow = (double) MIN (reached, held);
  if (flow == 0.0)
    return g_steal_pointer (&links);
  offer = g_new0 (guint8, (gsize) n_members * n_places + 1);
  contact_offers (n_members, reach, member_xy, n_places, households, place_xy, offer);

  glp_term_out (GLP_OFF);
  /* Vertices: the source, the members, the places, the sink. */
  graph = glp_create_graph (sizeof (VertexData), sizeof (ArcData));
  glp_add_vertices (graph, (int) (n_members + n_places + 2));
  sink = n_members + n_places + 2;
  ((VertexData *) graph->v[1]->data)->rhs = flow;
  ((VertexData *) graph->v[sink]->data)->rhs = -flow;
  for (guint m = 0; m < n_members; m++)
    {
      glp_arc *a = glp_add_arc (graph, 1, (int) (2 + m));

      ((ArcData *) a->data)->cap = reach[m];
      for (guint p = 0; p < n_places; p++)
        {
          ArcData *d;
          double dist;

          if (!offer[(gsize) m * n_places + p] || households[p] == 0 || reach[m] == 0)
            continue;
          a = glp_add_arc (graph, (int) (2 + m), (int) (2 + n_members + p));
          d = a->data;
          d->cap = MIN (reach[m], households[p]);
          /* A member without a home costs nothing anywhere: they take what the others leave. */
          dist = contact_distance (member_xy, m, place_xy, p);
          d->cost = isfinite (dist) ? MIN (round (dist / CONTACT_COST_UNIT_M), (double) COST_MAX) : 0.0;
          g_ptr_array_add (arcs, a);
        }
    }
  for (guint p = 0; p < n_places; p++)
    ((ArcData *) glp_add_arc (graph, (int) (2 + n_members + p), (int) sink)->data)->cap = households[p];
  /* What the offered pairs cannot carry goes straight to the sink, at a price above any path
   * through the network (one that reroutes others included), so the most households are linked
   * before distance counts. */
  bypass = ((double) n_members + n_places + 1) * COST_MAX;
  {
    ArcData *d = glp_add_arc (graph, 1, (int) sink)->data;

    d->cap = flow;
    d->cost = bypass;
  }
  if (!solve (graph, TRUE, error))
    return NULL;
  for (guint k = 0; k < arcs->len; k++)
    {
      glp_arc *a = g_ptr_array_index (arcs, k);
      double x = ((ArcData *) a->data)->x;

      if (x > 0.5)
        {
          GpContactLink link = { (guint) a->tail->i - 2, (guint) a->head->i - 2 - n_members, (guint) llround (x) };

          g_array_append_val (links, link);
        }
    }
  glp_delete_graph (graph);
  return g_steal_pointer (&links);
}
