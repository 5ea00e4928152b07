/* test-partition.c: the splitter's graph core on generated graphs: contiguity, balance, special units. */
#include "src/algo/gp-partition.h"
#include "src/core/gp-error.h"

#include <math.h>
#include <string.h>

/* A generated graph: units with geometry, an edge list turned into CSR. */
typedef struct {
  guint   n;
  double *w, *x, *y, *area, *perim;
  gint   *locked;
  GArray *edges;  /* Edge */
  guint  *xadj, *adj;
  double *len;
  GpPartitionGraph g;
} TestGraph;

typedef struct {
  guint  u, v;
  double len;
} Edge;

static TestGraph *
test_graph_new (guint n)
{
  TestGraph *t = g_new0 (TestGraph, 1);

  t->n = n;
  t->w = g_new0 (double, n + 1);
  t->x = g_new0 (double, n + 1);
  t->y = g_new0 (double, n + 1);
  t->area = g_new0 (double, n + 1);
  t->perim = g_new0 (double, n + 1);
  t->edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  return t;
}

static void
test_graph_free (TestGraph *t)
{
  g_free (t->w);
  g_free (t->x);
  g_free (t->y);
  g_free (t->area);
  g_free (t->perim);
  g_free (t->locked);
  g_array_free (t->edges, TRUE);
  g_free (t->xadj);
  g_free (t->adj);
  g_free (t->len);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestGraph, test_graph_free)

static void
add_edge (TestGraph *t, guint u, guint v, double len)
{
  Edge e = { u, v, len };

  g_array_append_val (t->edges, e);
}

/* Builds the symmetric CSR from the edge list and points g at it. */
static void
test_graph_finish (TestGraph *t)
{
  guint *fill;

  t->xadj = g_new0 (guint, t->n + 1);
  for (guint i = 0; i < t->edges->len; i++)
    {
      Edge *e = &g_array_index (t->edges, Edge, i);
      t->xadj[e->u + 1]++;
      t->xadj[e->v + 1]++;
    }
  for (guint v = 0; v < t->n; v++)
    t->xadj[v + 1] += t->xadj[v];
  t->adj = g_new (guint, t->xadj[t->n] + 1);
  t->len = g_new (double, t->xadj[t->n] + 1);
  fill = g_memdup2 (t->xadj, (t->n + 1) * sizeof (guint));
  for (guint i = 0; i < t->edges->len; i++)
    {
      Edge *e = &g_array_index (t->edges, Edge, i);
      t->adj[fill[e->u]] = e->v;
      t->len[fill[e->u]++] = e->len;
      t->adj[fill[e->v]] = e->u;
      t->len[fill[e->v]++] = e->len;
    }
  g_free (fill);
  t->g.n_units = t->n;
  t->g.households = t->w;
  t->g.x = t->x;
  t->g.y = t->y;
  t->g.area = t->area;
  t->g.perimeter = t->perim;
  t->g.xadj = t->xadj;
  t->g.adjncy = t->adj;
  t->g.shared_length = t->len;
  t->g.locked = t->locked;
}

static void
random_weights (TestGraph *t, GRand *rand, double lo, double hi)
{
  for (guint v = 0; v < t->n; v++)
    t->w[v] = g_rand_int_range (rand, (gint32) lo, (gint32) hi + 1);
}

/* A rows × cols lattice of 100 m squares, unit r * cols + c. */
static TestGraph *
square_lattice (guint rows, guint cols)
{
  TestGraph *t = test_graph_new (rows * cols);

  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < cols; c++)
      {
        guint v = r * cols + c;
        t->x[v] = 100.0 * c + 50.0;
        t->y[v] = 100.0 * r + 50.0;
        t->area[v] = 10000.0;
        t->perim[v] = 400.0;
        if (c + 1 < cols)
          add_edge (t, v, v + 1, 100.0);
        if (r + 1 < rows)
          add_edge (t, v, v + cols, 100.0);
      }
  return t;
}

/* Voronoi-like cells from a jittered lattice: rows of 100 m bricks, odd rows shifted half a
 * brick, so each cell is a hexagon with six neighbours, like the cells of scattered points.
 * Corner points are shared and jittered; areas, perimeters and shared lengths are exact. */
static TestGraph *
brick_lattice (guint rows, guint cols, GRand *rand)
{
  guint np = 2 * cols + 2;
  g_autofree double *px = g_new (double, (rows + 1) * np);
  g_autofree double *py = g_new (double, (rows + 1) * np);
  TestGraph *t = test_graph_new (rows * cols);

  for (guint r = 0; r <= rows; r++)
    for (guint j = 0; j < np; j++)
      {
        px[r * np + j] = 100.0 * (0.5 * j + g_rand_double_range (rand, -0.12, 0.12));
        py[r * np + j] = 100.0 * (r + g_rand_double_range (rand, -0.2, 0.2));
      }
#define P(r, j) (px[(r) * np + (j)]), (py[(r) * np + (j)])
  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < cols; c++)
      {
        guint v = r * cols + c, j0 = 2 * c + (r & 1);
        double ring[12] = { P (r, j0), P (r, j0 + 1), P (r, j0 + 2),
                            P (r + 1, j0 + 2), P (r + 1, j0 + 1), P (r + 1, j0) };
        double a = 0.0, p = 0.0, cx = 0.0, cy = 0.0;

        for (guint i = 0; i < 6; i++)
          {
            guint k = (i + 1) % 6;
            a += ring[2 * i] * ring[2 * k + 1] - ring[2 * k] * ring[2 * i + 1];
            p += hypot (ring[2 * k] - ring[2 * i], ring[2 * k + 1] - ring[2 * i + 1]);
            cx += ring[2 * i] / 6.0;
            cy += ring[2 * i + 1] / 6.0;
          }
        t->area[v] = fabs (a) / 2.0;
        t->perim[v] = p;
        t->x[v] = cx;
        t->y[v] = cy;
        if (c + 1 < cols)
          add_edge (t, v, v + 1, hypot (ring[4] - ring[6], ring[5] - ring[7]));
        /* The row above covers this cell's top with two of its cells. */
        if (r + 1 < rows)
          for (guint s = 0; s < 2; s++)
            {
              guint j = j0 + s, off = (r + 1) & 1;
              if (j < off || (j - off) / 2 >= cols)
                continue;
              add_edge (t, v, (r + 1) * cols + (j - off) / 2,
                        hypot (px[(r + 1) * np + j + 1] - px[(r + 1) * np + j],
                               py[(r + 1) * np + j + 1] - py[(r + 1) * np + j]));
            }
      }
#undef P
  return t;
}

/* Checks what every split must give and returns the share of free grids within ±10%. */
static double
check_partition (const TestGraph *t, const GpPartition *r, double target)
{
  g_autofree double *hh = g_new0 (double, r->n_grids + 1);
  g_autofree guint *size = g_new0 (guint, r->n_grids + 1);
  g_autofree guint8 *seen = g_new0 (guint8, t->n + 1);
  g_autofree guint *queue = g_new (guint, t->n + 1);
  g_autofree guint8 *grid_seen = g_new0 (guint8, r->n_grids + 1);
  double total = 0.0, grids_total = 0.0;
  guint in10 = 0, n_free = 0;

  g_assert_cmpuint (r->n_units, ==, t->n);
  for (guint v = 0; v < t->n; v++)
    {
      guint g = r->grid_of_unit[v];
      g_assert_cmpuint (g, <, r->n_grids);
      hh[g] += t->w[v];
      size[g]++;
      total += t->w[v];
      /* Locked units stay in their locked grid; nothing else enters one. */
      if (t->locked != NULL && t->locked[v] >= 0)
        g_assert_cmpint (r->grids[g].locked_id, ==, t->locked[v]);
      else
        g_assert_cmpint (r->grids[g].locked_id, ==, -1);
    }
  for (guint g = 0; g < r->n_grids; g++)
    {
      g_assert_cmpuint (size[g], >, 0);
      g_assert_cmpuint (size[g], ==, r->grids[g].n_units);
      g_assert_cmpfloat_with_epsilon (hh[g], r->grids[g].households, 1e-6);
      g_assert_cmpfloat (r->grids[g].polsby_popper, >=, 0.0);
      grids_total += r->grids[g].households;
      if (r->grids[g].flags & GP_PARTITION_GRID_LOCKED)
        continue;
      g_assert_false (r->grids[g].flags & GP_PARTITION_GRID_NONCONTIGUOUS);
      n_free++;
      in10 += fabs (hh[g] - target) <= 0.10 * target + 1e-9;
    }
  g_assert_cmpfloat_with_epsilon (total, grids_total, 1e-6);
  g_assert_cmpuint (n_free, ==, r->n_free_grids);

  /* Every free grid is one connected piece. */
  for (guint s = 0; s < t->n; s++)
    {
      guint g = r->grid_of_unit[s], head = 0, tail = 0;

      if (seen[s] || (r->grids[g].flags & GP_PARTITION_GRID_LOCKED))
        continue;
      g_assert_false (grid_seen[g]);
      grid_seen[g] = 1;
      seen[s] = 1;
      queue[tail++] = s;
      while (head < tail)
        {
          guint v = queue[head++];
          for (guint e = t->xadj[v]; e < t->xadj[v + 1]; e++)
            {
              guint u = t->adj[e];
              if (!seen[u] && r->grid_of_unit[u] == g)
                {
                  seen[u] = 1;
                  queue[tail++] = u;
                }
            }
        }
      g_assert_cmpuint (tail, ==, size[g]);
    }
  if (n_free > 0)
    g_assert_cmpfloat_with_epsilon (r->within_10pct, (double) in10 / n_free, 1e-9);
  return n_free > 0 ? (double) in10 / n_free : 1.0;
}

static GpPartition *
split (TestGraph *t, double target, guint64 seed)
{
  GpPartitionOptions o;
  g_autoptr(GError) error = NULL;
  GpPartition *r;

  gp_partition_options_init (&o);
  o.target = target;
  o.seed = seed;
  r = gp_partition_compute (&t->g, &o, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

static guint
expected_grids (const TestGraph *t, double target)
{
  double h = 0.0;

  for (guint v = 0; v < t->n; v++)
    h += t->w[v];
  return MAX (1, (guint) floor (h / target + 0.5));
}

/* A large single piece is cut in halves first, and halves large enough in halves again (on as
 * many threads as allowed): the same grids whether one thread, two or four split it, as many as
 * asked, each connected, balanced as a single pass would make them. */
static void
test_halves (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(TestGraph) t = brick_lattice (210, 210, rand);
  g_autoptr(GpPartition) one = NULL;
  g_autoptr(GError) error = NULL;
  GpPartitionOptions o;
  guint threads[] = { 2, 4 };

  random_weights (t, rand, 20, 80);
  test_graph_finish (t);
  /* Each half is large enough to be halved again. */
  g_assert_cmpuint (t->n, >=, 2 * 20000);
  gp_partition_options_init (&o);
  o.target = 300.0;
  o.seed = 5;
  o.n_threads = 1;
  one = gp_partition_compute (&t->g, &o, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autoptr(GpPartition) more = NULL;

      o.n_threads = threads[i];
      more = gp_partition_compute (&t->g, &o, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (one->n_grids, ==, more->n_grids);
      g_assert_cmpmem (one->grid_of_unit, t->n * sizeof (guint), more->grid_of_unit, t->n * sizeof (guint));
    }
  g_assert_cmpuint (one->n_grids, ==, expected_grids (t, 300.0));
  g_assert_cmpfloat (check_partition (t, one, 300.0), >=, 0.95);
  g_assert_cmpfloat (one->max_rel_dev, <=, 0.15 + 1e-9);
}

static void
test_square_lattice (void)
{
  for (guint64 seed = 1; seed <= 3; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) seed);
      g_autoptr(TestGraph) t = square_lattice (40, 50);
      g_autoptr(GpPartition) r = NULL;

      random_weights (t, rand, 20, 80);
      test_graph_finish (t);
      r = split (t, 300.0, seed);
      g_assert_cmpuint (r->n_grids, ==, expected_grids (t, 300.0));
      g_assert_cmpfloat (check_partition (t, r, 300.0), >=, 0.95);
      g_assert_cmpuint (r->n_oversize, ==, 0);
    }
}

static void
test_brick_lattice (void)
{
  for (guint64 seed = 1; seed <= 4; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) (100 + seed));
      g_autoptr(TestGraph) t = brick_lattice (45 + seed, 60, rand);
      g_autoptr(GpPartition) r = NULL;

      random_weights (t, rand, 20, 80);
      test_graph_finish (t);
      r = split (t, 300.0, seed);
      g_assert_cmpuint (r->n_grids, ==, expected_grids (t, 300.0));
      g_assert_cmpfloat (check_partition (t, r, 300.0), >=, 0.95);
      g_assert_cmpfloat (r->mean_polsby_popper, >, 0.3);
    }
}

/* Lakes and inlets: bricks removed at random, the largest remaining piece kept, so regions
 * are concave and bisections meet pockets. */
static void
test_brick_with_holes (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(TestGraph) full = brick_lattice (50, 50, rand);
  g_autoptr(TestGraph) t = test_graph_new (full->n);
  g_autofree gint *map = g_new (gint, full->n);
  g_autoptr(GpPartition) r = NULL;
  guint kept = 0;

  test_graph_finish (full);
  /* Holes: discs around random centres. */
  for (guint v = 0; v < full->n; v++)
    map[v] = 0;
  for (guint h = 0; h < 25; h++)
    {
      double cx = g_rand_double_range (rand, 0, 5000), cy = g_rand_double_range (rand, 0, 5000);
      double rad = g_rand_double_range (rand, 80, 400);
      for (guint v = 0; v < full->n; v++)
        if (hypot (full->x[v] - cx, full->y[v] - cy) < rad)
          map[v] = -1;
    }
  for (guint v = 0; v < full->n; v++)
    if (map[v] == 0)
      {
        map[v] = (gint) kept;
        t->x[kept] = full->x[v];
        t->y[kept] = full->y[v];
        t->area[kept] = full->area[v];
        t->perim[kept] = full->perim[v];
        t->w[kept] = g_rand_int_range (rand, 20, 81);
        kept++;
      }
  t->n = kept;
  for (guint v = 0; v < full->n; v++)
    for (guint e = full->xadj[v]; e < full->xadj[v + 1]; e++)
      if (map[v] >= 0 && map[full->adj[e]] >= 0 && (guint) map[v] < (guint) map[full->adj[e]])
        add_edge (t, (guint) map[v], (guint) map[full->adj[e]], full->len[e]);
  test_graph_finish (t);
  r = split (t, 300.0, 3);
  /* Pieces cut off by the holes get grids of their own, so only contiguity and a high share
   * are asserted, not the exact count. */
  g_assert_cmpfloat (check_partition (t, r, 300.0), >=, 0.85);
}

static void
test_determinism (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(TestGraph) t = brick_lattice (30, 30, rand);
  g_autoptr(GpPartition) a = NULL;
  g_autoptr(GpPartition) b = NULL;

  random_weights (t, rand, 20, 80);
  test_graph_finish (t);
  a = split (t, 300.0, 42);
  b = split (t, 300.0, 42);
  g_assert_cmpuint (a->n_grids, ==, b->n_grids);
  g_assert_cmpmem (a->grid_of_unit, t->n * sizeof (guint), b->grid_of_unit, t->n * sizeof (guint));
  g_assert_cmpfloat (a->mean_polsby_popper, ==, b->mean_polsby_popper);
}

static void
test_oversize (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autoptr(TestGraph) t = square_lattice (20, 20);
  g_autoptr(GpPartition) r = NULL;
  guint big[] = { 0, 45, 210, 399 };
  double h = 0.0;

  random_weights (t, rand, 20, 80);
  for (guint i = 0; i < G_N_ELEMENTS (big); i++)
    t->w[big[i]] = 500.0;   /* above 300 × 1.15 */
  for (guint v = 0; v < t->n; v++)
    h += t->w[v];
  test_graph_finish (t);
  r = split (t, 300.0, 1);
  check_partition (t, r, 300.0);
  g_assert_cmpuint (r->n_oversize, ==, G_N_ELEMENTS (big));
  for (guint i = 0; i < G_N_ELEMENTS (big); i++)
    {
      const GpPartitionGrid *g = &r->grids[r->grid_of_unit[big[i]]];
      g_assert_true (g->flags & GP_PARTITION_GRID_OVERSIZE);
      g_assert_cmpuint (g->n_units, ==, 1);
    }
  g_assert_cmpuint (r->n_grids, ==,
                    G_N_ELEMENTS (big) + (guint) floor ((h - 2000.0) / 300.0 + 0.5));
  g_assert_nonnull (r->explanation);
  /* The explanation names the limit, 300 × 1.15. */
  g_assert_nonnull (strstr (r->explanation, "345"));
  g_clear_pointer (&r, gp_partition_free);

  /* Fewer grids asked for than oversize units: the rest of the units still make one. */
  {
    GpPartitionOptions o;

    gp_partition_options_init (&o);
    o.target = 300.0;
    o.n_grids = 3;
    r = gp_partition_compute (&t->g, &o, NULL);
    check_partition (t, r, 300.0);
    g_assert_cmpuint (r->n_grids, ==, G_N_ELEMENTS (big) + 1);
    g_assert_nonnull (strstr (r->explanation, "asked for"));
  }
}

static void
test_zero_households (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  g_autoptr(TestGraph) t = brick_lattice (30, 30, rand);
  g_autoptr(GpPartition) r = NULL;

  random_weights (t, rand, 20, 80);
  /* A third of the units hold nobody, among them a whole band. */
  for (guint v = 0; v < t->n; v++)
    if (g_rand_int_range (rand, 0, 3) == 0 || (v / 30 >= 10 && v / 30 < 13))
      t->w[v] = 0.0;
  test_graph_finish (t);
  r = split (t, 300.0, 2);
  check_partition (t, r, 300.0);
  g_assert_cmpuint (r->n_grids, ==, expected_grids (t, 300.0));
  g_assert_cmpuint (r->n_empty, ==, 0);
  for (guint g = 0; g < r->n_grids; g++)
    g_assert_cmpfloat (r->grids[g].households, >, 0.0);
}

static void
test_all_zero (void)
{
  g_autoptr(TestGraph) t = square_lattice (10, 10);
  g_autoptr(GpPartition) r = NULL;

  test_graph_finish (t);
  r = split (t, 300.0, 0);
  check_partition (t, r, 300.0);
  g_assert_cmpuint (r->n_grids, ==, 1);
  g_assert_cmpuint (r->grids[0].n_units, ==, 100);
  g_assert_true (r->grids[0].flags & GP_PARTITION_GRID_EMPTY);
  /* A 1 km square: perimeter 4 km. */
  g_assert_cmpfloat_with_epsilon (r->grids[0].perimeter, 4000.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (r->grids[0].polsby_popper, G_PI / 4.0, 1e-9);
}

static void
test_locked (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);
  g_autoptr(TestGraph) t = square_lattice (20, 30);
  g_autoptr(GpPartition) r = NULL;
  guint n_locked7 = 0;

  random_weights (t, rand, 20, 80);
  t->locked = g_new (gint, t->n);
  for (guint v = 0; v < t->n; v++)
    {
      guint row = v / 30, col = v % 30;
      t->locked[v] = -1;
      /* Grid 7: a block across the middle; grid 3: two separate cells (kept broken). */
      if (row >= 5 && row < 9 && col >= 10 && col < 14)
        {
          t->locked[v] = 7;
          n_locked7++;
        }
    }
  t->locked[0] = 3;
  t->locked[599] = 3;
  test_graph_finish (t);
  r = split (t, 300.0, 4);
  check_partition (t, r, 300.0);
  g_assert_cmpuint (r->grids[r->grid_of_unit[5 * 30 + 10]].n_units, ==, n_locked7);
  g_assert_cmpint (r->grids[r->grid_of_unit[0]].locked_id, ==, 3);
  g_assert_cmpuint (r->grids[r->grid_of_unit[0]].n_units, ==, 2);
  g_assert_true (r->grids[r->grid_of_unit[0]].flags & GP_PARTITION_GRID_NONCONTIGUOUS);
  g_assert_cmpuint (r->n_noncontiguous, ==, 1);
  g_assert_cmpuint (r->n_grids - r->n_free_grids, ==, 2);
  g_assert_nonnull (r->explanation);
}

/* Two separate lattices and a lone unit without households: each piece gets its own grids. */
static void
test_islands (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);
  g_autoptr(TestGraph) big = square_lattice (12, 12);
  g_autoptr(TestGraph) t = test_graph_new (144 + 4 + 1);
  g_autoptr(GpPartition) r = NULL;
  guint lone = 148;

  test_graph_finish (big);
  for (guint v = 0; v < 144; v++)
    {
      t->x[v] = big->x[v];
      t->y[v] = big->y[v];
      t->area[v] = big->area[v];
      t->perim[v] = big->perim[v];
      t->w[v] = g_rand_int_range (rand, 20, 81);
      for (guint e = big->xadj[v]; e < big->xadj[v + 1]; e++)
        if (big->adj[e] > v)
          add_edge (t, v, big->adj[e], big->len[e]);
    }
  /* A 2 × 2 island of 4 × 30 households east of the lattice. */
  for (guint i = 0; i < 4; i++)
    {
      guint v = 144 + i;
      t->x[v] = 2000.0 + 100.0 * (i % 2);
      t->y[v] = 100.0 * (i / 2);
      t->area[v] = 10000.0;
      t->perim[v] = 400.0;
      t->w[v] = 30.0;
    }
  add_edge (t, 144, 145, 100.0);
  add_edge (t, 146, 147, 100.0);
  add_edge (t, 144, 146, 100.0);
  add_edge (t, 145, 147, 100.0);
  t->x[lone] = -3000.0;
  t->area[lone] = 500.0;
  t->perim[lone] = 90.0;
  test_graph_finish (t);
  r = split (t, 300.0, 1);
  check_partition (t, r, 300.0);
  /* No grid spans two pieces. */
  for (guint v = 0; v < 144; v++)
    g_assert_cmpuint (r->grid_of_unit[v], !=, r->grid_of_unit[144]);
  g_assert_cmpuint (r->grids[r->grid_of_unit[144]].n_units, ==, 4);
  g_assert_true (r->grids[r->grid_of_unit[144]].flags & GP_PARTITION_GRID_ISLAND);
  g_assert_true (r->grids[r->grid_of_unit[lone]].flags & GP_PARTITION_GRID_EMPTY);
  g_assert_cmpuint (r->grids[r->grid_of_unit[lone]].n_units, ==, 1);
  g_assert_cmpuint (r->n_empty, ==, 1);
  g_assert_cmpuint (r->grids[r->grid_of_unit[lone]].piece, !=, r->grids[r->grid_of_unit[0]].piece);
  g_assert_nonnull (r->explanation);
}

static void
test_one_grid (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (19);
  g_autoptr(TestGraph) t = brick_lattice (8, 8, rand);
  g_autoptr(GpPartition) r = NULL;
  GpPartitionOptions o;

  random_weights (t, rand, 20, 80);
  test_graph_finish (t);
  r = split (t, 1e6, 0);
  check_partition (t, r, 1e6);
  g_assert_cmpuint (r->n_grids, ==, 1);
  g_clear_pointer (&r, gp_partition_free);

  gp_partition_options_init (&o);
  o.target = 300.0;
  o.n_grids = 1;
  r = gp_partition_compute (&t->g, &o, NULL);
  g_assert_nonnull (r);
  check_partition (t, r, 300.0);
  g_assert_cmpuint (r->n_grids, ==, 1);
  g_assert_cmpuint (r->grids[0].n_units, ==, 64);
}

static void
test_asked_grids (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (23);
  g_autoptr(TestGraph) t = brick_lattice (20, 20, rand);
  GpPartitionOptions o;

  random_weights (t, rand, 20, 80);
  test_graph_finish (t);
  gp_partition_options_init (&o);
  o.target = 300.0;
  for (guint k = 2; k <= 41; k += 13)
    {
      g_autoptr(GpPartition) r = NULL;
      o.n_grids = k;
      r = gp_partition_compute (&t->g, &o, NULL);
      check_partition (t, r, 300.0);
      g_assert_cmpuint (r->n_grids, ==, k);
    }
}

static void
test_single_unit (void)
{
  g_autoptr(TestGraph) t = test_graph_new (1);
  g_autoptr(GpPartition) r = NULL;

  t->w[0] = 120.0;
  t->area[0] = 100.0;
  t->perim[0] = 40.0;
  test_graph_finish (t);
  r = split (t, 300.0, 0);
  check_partition (t, r, 300.0);
  g_assert_cmpuint (r->n_grids, ==, 1);
  g_assert_cmpfloat (r->grids[0].households, ==, 120.0);
  g_assert_true (r->grids[0].flags & GP_PARTITION_GRID_OFF_TARGET);
  g_assert_nonnull (r->explanation);
}

static void
test_empty_graph (void)
{
  g_autoptr(TestGraph) t = test_graph_new (0);
  g_autoptr(GpPartition) r = NULL;

  test_graph_finish (t);
  r = split (t, 300.0, 0);
  g_assert_cmpuint (r->n_grids, ==, 0);
  g_assert_cmpuint (r->n_units, ==, 0);
  g_assert_null (r->explanation);
}

/* Graphs no map would give (stars, paths, random sparse ones with heavy units) must still come
 * back whole and connected. */
static void
test_odd_graphs (void)
{
  for (guint seed = 0; seed < 60; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      guint n = g_rand_int_range (rand, 2, 400);
      g_autoptr(TestGraph) t = test_graph_new (n);
      g_autoptr(GpPartition) r = NULL;
      guint kind = seed % 3;

      for (guint v = 0; v < n; v++)
        {
          t->x[v] = g_rand_double_range (rand, 0, 1000);
          t->y[v] = g_rand_double_range (rand, 0, 1000);
          t->area[v] = g_rand_double_range (rand, 0, 1000);
          t->perim[v] = g_rand_double_range (rand, 0, 200);
          t->w[v] = g_rand_int_range (rand, 0, 4) == 0 ? 0.0 : g_rand_double_range (rand, 1, 200);
          if (kind == 0 && v > 0)
            add_edge (t, 0, v, 10.0);                       /* star */
          else if (kind == 1 && v > 0)
            add_edge (t, v - 1, v, 10.0);                   /* path */
          else if (kind == 2 && v > 0)
            {
              /* Random tree plus chords, with a few islands left out. */
              if (g_rand_int_range (rand, 0, 20) != 0)
                add_edge (t, g_rand_int_range (rand, 0, (gint32) v), v, g_rand_double_range (rand, 0, 50));
              if (g_rand_boolean (rand))
                {
                  guint u = g_rand_int_range (rand, 0, (gint32) v);
                  add_edge (t, u, v, g_rand_double_range (rand, 0, 50));
                }
            }
        }
      if (seed % 5 == 0)
        t->w[n / 2] = 2000.0;
      test_graph_finish (t);
      r = split (t, 300.0, seed);
      check_partition (t, r, 300.0);
    }
}

/* A row of n square units of the given side. */
static TestGraph *
row_of_units (guint n, double side)
{
  TestGraph *t = test_graph_new (n);

  for (guint v = 0; v < n; v++)
    {
      t->x[v] = side * v;
      t->area[v] = side * side;
      t->perim[v] = 4.0 * side;
      if (v > 0)
        add_edge (t, v - 1, v, side);
    }
  return t;
}

static void
test_path_balance (void)
{
  g_autoptr(TestGraph) t = row_of_units (600, 10.0);
  g_autoptr(GRand) rand = g_rand_new_with_seed (29);
  g_autoptr(GpPartition) r = NULL;

  random_weights (t, rand, 20, 80);
  test_graph_finish (t);
  r = split (t, 300.0, 1);
  g_assert_cmpfloat (check_partition (t, r, 300.0), >=, 0.9);
}

/* A unit without households that touches only an oversize unit joins its grid. */
static void
test_zero_beside_oversize (void)
{
  g_autoptr(TestGraph) t = row_of_units (8, 100.0);
  g_autoptr(GpPartition) r = NULL;

  for (guint v = 0; v < 8; v++)
    t->w[v] = 100.0;
  t->w[0] = 0.0;
  t->w[1] = 900.0;
  test_graph_finish (t);
  r = split (t, 300.0, 1);
  check_partition (t, r, 300.0);
  g_assert_cmpuint (r->grid_of_unit[0], ==, r->grid_of_unit[1]);
  g_assert_true (r->grids[r->grid_of_unit[0]].flags & GP_PARTITION_GRID_OVERSIZE);
  g_assert_cmpuint (r->grids[r->grid_of_unit[0]].n_units, ==, 2);
  g_assert_cmpuint (r->n_oversize, ==, 1);
  g_assert_cmpuint (r->n_empty, ==, 0);
  /* 600 households left in a row of 100s: two grids of 300. */
  g_assert_cmpuint (r->n_grids, ==, 3);
  g_assert_cmpfloat (r->grids[r->grid_of_unit[7]].households, ==, 300.0);
}

/* Units of 200 households cannot make grids of 300: the report says so. */
static void
test_too_coarse (void)
{
  g_autoptr(TestGraph) t = square_lattice (3, 5);
  g_autoptr(GpPartition) r = NULL;

  for (guint v = 0; v < t->n; v++)
    t->w[v] = 200.0;
  test_graph_finish (t);
  r = split (t, 300.0, 1);
  check_partition (t, r, 300.0);
  g_assert_cmpuint (r->n_grids, ==, 10);
  g_assert_cmpuint (r->n_oversize, ==, 0);
  g_assert_cmpfloat (r->within_tolerance, <, 1.0);
  g_assert_nonnull (r->explanation);
  g_assert_nonnull (strstr (r->explanation, "too coarse"));
  for (guint g = 0; g < r->n_grids; g++)
    g_assert_cmpuint (r->grids[g].flags & GP_PARTITION_GRID_OFF_TARGET, !=, 0);
}

static void
expect_invalid (TestGraph *t, double target)
{
  GpPartitionOptions o;
  g_autoptr(GError) error = NULL;
  GpPartition *r;

  gp_partition_options_init (&o);
  o.target = target;
  r = gp_partition_compute (&t->g, &o, &error);
  g_assert_null (r);
  g_assert_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT);
}

static void
test_invalid (void)
{
  g_autoptr(TestGraph) t = square_lattice (3, 3);

  test_graph_finish (t);
  expect_invalid (t, 0.0);
  expect_invalid (t, NAN);
  /* One-sided neighbour. */
  t->adj[0] = 4;
  expect_invalid (t, 300.0);
  t->adj[0] = 0;   /* itself */
  expect_invalid (t, 300.0);
  t->adj[0] = 1;
  t->len[0] = 99.0; /* lengths differ by side */
  expect_invalid (t, 300.0);
  t->len[0] = 100.0;
  t->w[3] = -1.0;
  expect_invalid (t, 300.0);
  t->w[3] = 0.0;
  t->adj[1] = 77;
  expect_invalid (t, 300.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/partition/square-lattice", test_square_lattice);
  g_test_add_func ("/partition/brick-lattice", test_brick_lattice);
  g_test_add_func ("/partition/brick-with-holes", test_brick_with_holes);
  g_test_add_func ("/partition/determinism", test_determinism);
  g_test_add_func ("/partition/halves", test_halves);
  g_test_add_func ("/partition/oversize", test_oversize);
  g_test_add_func ("/partition/zero-households", test_zero_households);
  g_test_add_func ("/partition/all-zero", test_all_zero);
  g_test_add_func ("/partition/locked", test_locked);
  g_test_add_func ("/partition/islands", test_islands);
  g_test_add_func ("/partition/one-grid", test_one_grid);
  g_test_add_func ("/partition/asked-grids", test_asked_grids);
  g_test_add_func ("/partition/single-unit", test_single_unit);
  g_test_add_func ("/partition/empty-graph", test_empty_graph);
  g_test_add_func ("/partition/odd-graphs", test_odd_graphs);
  g_test_add_func ("/partition/path-balance", test_path_balance);
  g_test_add_func ("/partition/zero-beside-oversize", test_zero_beside_oversize);
  g_test_add_func ("/partition/too-coarse", test_too_coarse);
  g_test_add_func ("/partition/invalid", test_invalid);
  return g_test_run ();
}
