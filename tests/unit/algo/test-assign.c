/* test-assign.c: people to grids: as many as places, first workers before second ones, own grids only, the least distance (checked by brute force). */
#include "src/algo/gp-assign.h"

#include <math.h>

/* The best by trying every assignment: per worker a grid or none. Scores (placed, shares,
 * distance): more placed first, then grids filled evenly (the k-th of a grid's NEED places
 * costs k / need: firsts before seconds), then less distance (in whole 100 m as the solver
 * counts). SHARES is that sum times 6 (needs are at most 3), so it compares exactly. */
static void
score_of (guint nw, guint ng, const double *cost, const guint *need, const gint *grid_of, guint *placed,
          guint *shares, double *distance)
{
  g_autofree guint *count = g_new0 (guint, ng);

  *placed = 0;
  *shares = 0;
  *distance = 0.0;
  for (guint w = 0; w < nw; w++)
    if (grid_of[w] >= 0)
      {
        count[grid_of[w]]++;
        (*placed)++;
        *distance += MIN (round (cost[w * ng + grid_of[w]] / 100.0), 10000.0);
      }
  for (guint g = 0; g < ng; g++)
    for (guint k = 0; k < count[g]; k++)
      *shares += 6 * k / need[g];
}

static gboolean
feasible (guint nw, guint ng, const double *cost, const guint *need, const gint *grid_of)
{
  g_autofree guint *count = g_new0 (guint, ng);

  for (guint w = 0; w < nw; w++)
    if (grid_of[w] >= 0)
      {
        if (!(cost[w * ng + grid_of[w]] >= 0.0))
          return FALSE;
        if (++count[grid_of[w]] > need[grid_of[w]])
          return FALSE;
      }
  return TRUE;
}

static void
brute (guint nw, guint ng, const double *cost, const guint *need, gint *cur, guint w, guint *best_placed,
       guint *best_firsts, double *best_distance)
{
  if (w == nw)
    {
      guint placed, firsts;
      double d;

      if (!feasible (nw, ng, cost, need, cur))
        return;
      score_of (nw, ng, cost, need, cur, &placed, &firsts, &d);
      if (placed > *best_placed || (placed == *best_placed && firsts < *best_firsts)
          || (placed == *best_placed && firsts == *best_firsts && d < *best_distance))
        {
          *best_placed = placed;
          *best_firsts = firsts;
          *best_distance = d;
        }
      return;
    }
  for (gint g = -1; g < (gint) ng; g++)
    {
      cur[w] = g;
      brute (nw, ng, cost, need, cur, w + 1, best_placed, best_firsts, best_distance);
    }
}

/* EVERYWHERE: every worker may serve every grid (the roster's case, solved by shares first). */
static void
brute_force_rounds (gboolean everywhere)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (everywhere ? 4 : 3);

  for (guint round = 0; round < 300; round++)
    {
      guint nw = g_rand_int_range (rand, 0, 6), ng = g_rand_int_range (rand, 1, 5);
      g_autofree double *cost = g_new (double, nw * ng + 1);
      g_autofree guint *need = g_new (guint, ng);
      g_autofree gint *cur = g_new (gint, nw + 1);
      g_autofree gint *got = NULL;
      g_autoptr(GError) error = NULL;
      guint best_placed = 0, best_firsts = G_MAXUINT, placed, firsts;
      double best_distance = INFINITY, d;

      for (guint i = 0; i < nw * ng; i++)
        cost[i] = !everywhere && g_rand_int_range (rand, 0, 6) == 0 ? -1.0 : g_rand_double_range (rand, 0.0, 5000.0);
      for (guint g = 0; g < ng; g++)
        need[g] = g_rand_int_range (rand, 0, everywhere ? 4 : 3);
      brute (nw, ng, cost, need, cur, 0, &best_placed, &best_firsts, &best_distance);
      got = gp_assign_workers (nw, ng, cost, need, &error);
      g_assert_no_error (error);
      g_assert_true (feasible (nw, ng, cost, need, got));
      score_of (nw, ng, cost, need, got, &placed, &firsts, &d);
      g_assert_cmpuint (placed, ==, best_placed);
      g_assert_cmpuint (firsts, ==, best_firsts);
      g_assert_cmpfloat (d, ==, best_distance);
    }
}

static void
test_brute_force (void)
{
  brute_force_rounds (FALSE);
  brute_force_rounds (TRUE);
}

/* Three grids, two workers: two grids get one each, none gets two; the nearer pairs win. */
static void
test_first_before_second (void)
{
  const double cost[2 * 3] = { 100.0, 5000.0, 9000.0, 200.0, 8000.0, 300.0 };
  const guint need[3] = { 2, 1, 1 };
  g_autoptr(GError) error = NULL;
  g_autofree gint *got = gp_assign_workers (2, 3, cost, need, &error);

  g_assert_no_error (error);
  g_assert_cmpint (got[0], ==, 0);
  g_assert_cmpint (got[1], ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/assign/brute-force", test_brute_force);
  g_test_add_func ("/assign/first-before-second", test_first_before_second);
  return g_test_run ();
}
