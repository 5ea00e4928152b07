/* test-codes.c: grid codes: prefixes, map reading order, free numbers, codes kept across re-splits. */
#include "src/algo/gp-codes.h"

#include <string.h>

static void
test_prefix (void)
{
  g_autofree char *village = gp_codes_prefix ("150603001001");
  g_autofree char *none = gp_codes_prefix (NULL);
  g_autofree char *empty = gp_codes_prefix ("");
  g_autofree char *name = gp_codes_prefix ("A");
  g_autofree char *short_code = gp_codes_prefix ("150603");

  g_assert_cmpstr (village, ==, "150603001001");
  g_assert_cmpstr (none, ==, "000000000000");
  g_assert_cmpstr (empty, ==, "000000000000");
  g_assert_cmpstr (name, ==, "A-");
  g_assert_cmpstr (short_code, ==, "150603-");
}

/* A 3 × 4 block of 100 m grids with staggered centroids, given in a scrambled order: read in
 * rows from the north, west to east. */
static void
test_reading_order (void)
{
  double x[12], y[12], area[12];
  guint scramble[12] = { 7, 2, 11, 0, 5, 9, 3, 10, 1, 6, 8, 4 };
  g_autofree guint *order = NULL;

  for (guint i = 0; i < 12; i++)
    {
      guint cell = scramble[i], row = cell / 4, col = cell % 4;

      x[i] = 50.0 + 100.0 * col;
      /* ±20 m of stagger inside a row: still one row. */
      y[i] = 1000.0 - 100.0 * row + ((col % 2) ? 20.0 : -20.0);
      area[i] = 10000.0;
    }
  order = gp_codes_reading_order (12, x, y, area);
  for (guint j = 0; j < 12; j++)
    g_assert_cmpuint (scramble[order[j]], ==, j);
}

static void
test_reading_order_edge_cases (void)
{
  double x[3] = { 5.0, 5.0, 5.0 }, y[3] = { 1.0, 1.0, 1.0 };
  g_autofree guint *empty = gp_codes_reading_order (0, NULL, NULL, NULL);
  g_autofree guint *same = gp_codes_reading_order (3, x, y, NULL);

  g_assert_nonnull (empty);
  /* Identical centroids and no areas: the order falls back to the indices. */
  g_assert_cmpuint (same[0], ==, 0);
  g_assert_cmpuint (same[1], ==, 1);
  g_assert_cmpuint (same[2], ==, 2);
}

static void
test_assign (void)
{
  double x[4] = { 300.0, 100.0, 100.0, 300.0 }, y[4] = { 100.0, 100.0, 300.0, 300.0 };
  double area[4] = { 40000.0, 40000.0, 40000.0, 40000.0 };
  char **codes = gp_codes_assign ("150603001001", 4, x, y, area, NULL, NULL, 0, NULL, 0);

  /* North row first (grid 2 then 3), then the south row (1 then 0). */
  g_assert_cmpstr (codes[2], ==, "150603001001001");
  g_assert_cmpstr (codes[3], ==, "150603001001002");
  g_assert_cmpstr (codes[1], ==, "150603001001003");
  g_assert_cmpstr (codes[0], ==, "150603001001004");
  g_strfreev (codes);
}

/* Kept codes survive; codes of locked grids are never reused; new grids fill the gaps. */
static void
test_assign_keep_and_taken (void)
{
  double x[4] = { 300.0, 100.0, 100.0, 300.0 }, y[4] = { 100.0, 100.0, 300.0, 300.0 };
  const char *keep[4] = { NULL, "150603001001001", NULL, NULL };
  const char *taken[1] = { "150603001001002" };
  char **codes = gp_codes_assign ("150603001001", 4, x, y, NULL, keep, taken, 1, NULL, 0);

  g_assert_cmpstr (codes[1], ==, "150603001001001");
  g_assert_cmpstr (codes[2], ==, "150603001001003");
  g_assert_cmpstr (codes[3], ==, "150603001001004");
  g_assert_cmpstr (codes[0], ==, "150603001001005");
  g_strfreev (codes);

  /* A kept code already held by a locked grid is not given twice. */
  {
    const char *clash[1] = { "150603001001002" };
    char **again = gp_codes_assign ("150603001001", 1, x, y, NULL, clash, taken, 1, NULL, 0);

    g_assert_cmpstr (again[0], ==, "150603001001001");
    g_strfreev (again);
  }
}

static void
test_assign_wide (void)
{
  guint n = 1200;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  char **codes;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n; i++)
    {
      x[i] = (i % 40) * 10.0;
      y[i] = -(double) (i / 40) * 10.0;
    }
  codes = gp_codes_assign (NULL, n, x, y, NULL, NULL, NULL, 0, NULL, 0);
  /* More than 999 grids: 4 digits, all distinct, still in reading order. */
  g_assert_cmpstr (codes[0], ==, "0000000000000001");
  g_assert_cmpstr (codes[n - 1], ==, "0000000000001200");
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (strlen (codes[i]), ==, 16);
      g_assert_true (g_hash_table_add (seen, codes[i]));
      if (i > 0)
        g_assert_cmpstr (codes[i - 1], <, codes[i]);
    }
  g_strfreev (codes);
}

/* Codes follow ground: the old grid sharing most, at least half of the new one; one heir each. */
static void
test_inherit (void)
{
  const char *old_codes[3] = { "X-001", "X-002", "X-003" };
  double weight[5] = { 300.0, 300.0, 300.0, 300.0, 0.0 };
  /* New 0 is old 0 with a unit more; old 1 split in two halves (1, 2); new 3 takes a third of
   * old 2 and two thirds of new ground; new 4 is empty. Listed in no particular order. */
  const GpCodesShare shares[] = {
    { 3, 2, 100.0 }, { 1, 1, 150.0 }, { 0, 0, 280.0 }, { 2, 1, 150.0 }, { 2, 2, 20.0 }, { 0, 1, 20.0 },
  };
  g_autofree const char **match = gp_codes_inherit (5, weight, 3, old_codes, shares, G_N_ELEMENTS (shares));

  g_assert_cmpstr (match[0], ==, "X-001");
  /* A tie: the lower new grid takes it; the other half gets a new number. */
  g_assert_cmpstr (match[1], ==, "X-002");
  g_assert_null (match[2]);
  g_assert_null (match[3]);     /* a third is not half */
  g_assert_null (match[4]);
}

/* After a re-split that retired codes, new grids are numbered after the highest ever used. */
static void
test_assign_retired (void)
{
  double x[3] = { 100.0, 300.0, 500.0 }, y[3] = { 100.0, 100.0, 100.0 };
  const char *keep[3] = { "150603001001001", NULL, NULL };
  const char *retired[2] = { "150603001001002", "150603001001007" };
  char **codes = gp_codes_assign ("150603001001", 3, x, y, NULL, keep, NULL, 0, retired, 2);

  g_assert_cmpstr (codes[0], ==, "150603001001001");
  g_assert_cmpstr (codes[1], ==, "150603001001008");
  g_assert_cmpstr (codes[2], ==, "150603001001009");
  g_strfreev (codes);

  /* Past 999 grids every code of the area has 4 digits: a kept 3-digit code is renumbered. */
  {
    guint n = 1000;
    g_autofree double *xs = g_new (double, n);
    g_autofree double *ys = g_new (double, n);
    g_autofree const char **keep_one = g_new0 (const char *, n);
    char **wide;

    for (guint i = 0; i < n; i++)
      {
        xs[i] = i % 40;
        ys[i] = -(double) (i / 40);
      }
    keep_one[5] = "150603001001001";
    wide = gp_codes_assign ("150603001001", n, xs, ys, NULL, keep_one, NULL, 0, NULL, 0);
    for (guint i = 0; i < n; i++)
      g_assert_cmpuint (strlen (wide[i]), ==, 16);
    g_strfreev (wide);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/codes/prefix", test_prefix);
  g_test_add_func ("/codes/reading-order", test_reading_order);
  g_test_add_func ("/codes/reading-order-edge-cases", test_reading_order_edge_cases);
  g_test_add_func ("/codes/assign", test_assign);
  g_test_add_func ("/codes/assign-keep-and-taken", test_assign_keep_and_taken);
  g_test_add_func ("/codes/assign-wide", test_assign_wide);
  g_test_add_func ("/codes/inherit", test_inherit);
  g_test_add_func ("/codes/assign-retired", test_assign_retired);
  return g_test_run ();
}
