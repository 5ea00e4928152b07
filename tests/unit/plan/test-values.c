/* test-values.c: the per-grid numbers of the heatmaps on the assign fixture: households, deviation, households per worker (a grid without one is +∞), contact coverage, and no data before a roster. */
#include "gp-error.h"
#include "gp-plan-assign.h"
#include "gp-plan-roster.h"
#include "gp-plan-values.h"
#include "unit/plan/plan-fixtures.h"

#include <math.h>

static double
value_of (GHashTable *values, const char *code)
{
  const double *v = g_hash_table_lookup (values, code);

  g_assert_nonnull (v);
  return *v;
}

static GHashTable *
values (GpProject *project, const char *metric)
{
  g_autoptr(GError) error = NULL;
  GHashTable *v = gp_plan_grid_values (project, metric, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (v), ==, 5);
  return v;
}

static void
test_values (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = assign_project (dir);
  g_autofree char *roster = g_build_filename (dir, "roster.csv", NULL);
  g_autoptr(GpRosterResult) people = NULL;
  g_autoptr(GpAssignResult) r = NULL;
  g_autoptr(GHashTable) h = NULL, dev = NULL, before = NULL, per = NULL, cover = NULL;
  g_autoptr(GError) error = NULL;

  h = values (project, "households");
  g_assert_cmpfloat (value_of (h, "150602001001002"), ==, 500.0);
  dev = values (project, "deviation");
  g_assert_cmpfloat_with_epsilon (value_of (dev, "150602001001001"), -1.0 / 3.0, 1e-12);
  /* Before a roster: no worker data, which is not "no worker". */
  before = values (project, "per-worker");
  g_assert_true (isnan (value_of (before, "150602001001001")));

  g_assert_true (g_file_set_contents (roster,
    "姓名,身份,社区代码,经度,纬度\n"
    "甲,专职网格员,150602001001,109.905,39.82\n乙,专职网格员,150602001001,109.925,39.82\n"
    "丙,专职网格员,150602001001,109.926,39.83\n丁,专职网格员,150602001001,109.945,39.82\n"
    "己,专职网格员,150602001002,109.990,39.82\n庚,党员,150602001002,109.960,39.82\n", -1, &error));
  people = gp_plan_import_roster (project, roster, NULL, NULL, &error);
  g_assert_no_error (error);
  r = gp_plan_assign (project, NULL, &error);
  g_assert_no_error (error);
  per = values (project, "per-worker");
  g_assert_cmpfloat (value_of (per, "150602001001002"), ==, 250.0);
  g_assert_cmpfloat (value_of (per, "150602001002002"), ==, 300.0);
  g_assert_true (isinf (value_of (per, "150602001002001")));
  cover = values (project, "contact-coverage");
  g_assert_cmpfloat_with_epsilon (value_of (cover, "150602001002001"), 5.0 / 300.0, 1e-12);
  g_assert_cmpfloat (value_of (cover, "150602001001001"), ==, 0.0);
  g_assert_null (gp_plan_grid_values (project, "beauty", &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT);
  gp_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/values/grids", test_values);
  return g_test_run ();
}
