/* test-check.c: the check before signing on a district with one of each problem placed by hand: a gap, an overlap, a grid in pieces, a grid reaching outside, households in no grid, grids without workers; each found once, in the right area and place. */
#include "gp-plan-check.h"
#include "gp-project-people.h"
#include "unit/plan/plan-fixtures.h"

#include <math.h>

/* Square metres of a lon/lat rectangle at this latitude, as the local frame measures it. */
static double
m2_of (double dx, double dy)
{
  double lat = 39.85 * G_PI / 180.0;

  return dx * 111320.0 * cos (lat) * dy * 110950.0;
}

/* Two rectangles side by side as one grid of two pieces. */
static GpProjectGrid *
grid_of_two (const char *code, const char *area, double x0, double x1, double x2, double x3, double y0, double y1)
{
  GpProjectGrid *grid = gp_project_grid_new ();
  GpShape *shape = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FORCE_MULTI, 10, 2, 2);
  const double xy[20] = { x0, y0, x0, y1, x1, y1, x1, y0, x0, y0, x2, y0, x2, y1, x3, y1, x3, y0, x2, y0 };

  memcpy (shape->xy, xy, sizeof xy);
  shape->part_start[1] = 5;
  shape->part_start[2] = 10;
  shape->polygon_start[1] = 1;
  shape->polygon_start[2] = 2;
  grid->code = g_strdup (code);
  grid->area_code = g_strdup (area);
  grid->households = 300;
  grid->shape = shape;
  return grid;
}

/* 宏泰社区 (001): A west, B east but short of the north edge by 0.01° (the gap), a compound in
 * the gap; 巴音门克村 (002): C and D overlapping by 0.01°, D reaching 0.01° east of the village;
 * 林荫社区 (003): E in two pieces with F between them; 铜川嘎查 (004): no grids at all. */
static GpProject *
check_project (const char *dir)
{
  g_autoptr(GpProject) project = fixture_project (dir, "check.gpkg");
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GpLayer) units = fixture_layer ("units", V ("编码", "小区名称", "户数:i"), 4326);
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_person_free);
  g_autoptr(GError) error = NULL;
  const char *codes[4] = { "150602001001", "150602001002", "150602001003", "150602001004" };
  GpProjectPerson *worker = gp_project_person_new ();
  const char *set[] = { "P000001=150602001001001", NULL };

  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  fixture_add (units, fixture_rect (109.905, 39.81, 109.915, 39.82), V ("U001", "阳光小区", "250"));
  fixture_add (units, fixture_rect (109.93, 39.842, 109.94, 39.848), V ("U002", "幸福里", "80"));
  fixture_import (project, units, GP_IMPORT_UNITS, NULL);
  g_ptr_array_add (grids, grid_new ("150602001001001", codes[0], 250, 109.90, 39.80, 109.92, 39.85));
  g_ptr_array_add (grids, grid_new ("150602001001002", codes[0], 0, 109.92, 39.80, 109.95, 39.84));
  g_ptr_array_add (grids, grid_new ("150602001002001", codes[1], 300, 109.95, 39.80, 109.98, 39.85));
  g_ptr_array_add (grids, grid_new ("150602001002002", codes[1], 300, 109.97, 39.80, 110.01, 39.85));
  g_ptr_array_add (grids, grid_of_two ("150602001003001", codes[2], 109.90, 109.92, 109.93, 109.95, 39.85, 39.90));
  g_ptr_array_add (grids, grid_new ("150602001003002", codes[2], 300, 109.92, 39.85, 109.93, 39.90));
  g_assert_true (gp_project_replace_grids (project, codes, 3, grids, 300.0, 0.15, NULL, NULL, &error));
  g_assert_no_error (error);

  worker->name = g_strdup ("甲");
  worker->role = g_strdup ("fulltime");
  worker->area_code = g_strdup (codes[0]);
  worker->capacity = -1;
  g_ptr_array_add (people, worker);
  g_assert_true (gp_project_put_people (project, people, NULL, NULL, &error));
  g_assert_true (gp_project_edit_assignments (project, set, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&project);
}

static const GpCheckProblem *
only (const GpCheckResult *r, GpCheckKind kind, const char *area)
{
  const GpCheckProblem *found = NULL;

  for (guint i = 0; i < r->problems->len; i++)
    {
      const GpCheckProblem *p = g_ptr_array_index (r->problems, i);

      if (p->kind != kind || g_strcmp0 (p->area, area) != 0)
        continue;
      g_assert_null (found);
      found = p;
    }
  g_assert_nonnull (found);
  return found;
}

static void
assert_at (const GpCheckProblem *p, double x0, double y0, double x1, double y1)
{
  g_assert_true (p->has_at);
  g_assert_cmpfloat (p->at[0], >=, x0);
  g_assert_cmpfloat (p->at[0], <=, x1);
  g_assert_cmpfloat (p->at[1], >=, y0);
  g_assert_cmpfloat (p->at[1], <=, y1);
}

static void
test_each_problem_once (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = check_project (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpCheckResult) r = gp_plan_check (project, NULL, &error);
  const GpCheckProblem *p;

  g_assert_no_error (error);
  for (guint i = 0; i < r->problems->len; i++)
    g_test_message ("%s", ((GpCheckProblem *) g_ptr_array_index (r->problems, i))->message);

  /* The gap of 宏泰社区: 0.03° × 0.01° north of B; and all of 铜川嘎查. */
  g_assert_cmpuint (r->counts[GP_CHECK_TERRITORY_GAP], ==, 2);
  p = only (r, GP_CHECK_TERRITORY_GAP, "150602001001");
  g_assert_cmpfloat_with_epsilon (p->area_m2, m2_of (0.03, 0.01), 0.01 * m2_of (0.03, 0.01));
  assert_at (p, 109.92, 39.84, 109.95, 39.85);
  p = only (r, GP_CHECK_TERRITORY_GAP, "150602001004");
  g_assert_cmpfloat_with_epsilon (p->area_m2, m2_of (0.05, 0.05), 0.01 * m2_of (0.05, 0.05));

  /* The overlap of C and D, and D reaching outside 巴音门克村. */
  g_assert_cmpuint (r->counts[GP_CHECK_OVERLAP], ==, 1);
  p = only (r, GP_CHECK_OVERLAP, "150602001002");
  g_assert_cmpstr (p->grid, ==, "150602001002001");
  g_assert_cmpstr (p->other, ==, "150602001002002");
  g_assert_cmpfloat_with_epsilon (p->area_m2, m2_of (0.01, 0.05), 0.01 * m2_of (0.01, 0.05));
  assert_at (p, 109.97, 39.80, 109.98, 39.85);
  g_assert_cmpuint (r->counts[GP_CHECK_CROSSING_PARENT], ==, 1);
  p = only (r, GP_CHECK_CROSSING_PARENT, "150602001002");
  g_assert_cmpstr (p->grid, ==, "150602001002002");
  assert_at (p, 110.0, 39.80, 110.01, 39.85);

  /* E in two pieces, the smaller marked. */
  g_assert_cmpuint (r->counts[GP_CHECK_GRID_IN_PIECES], ==, 1);
  p = only (r, GP_CHECK_GRID_IN_PIECES, "150602001003");
  g_assert_cmpstr (p->grid, ==, "150602001003001");
  g_assert_cmpint (p->count, ==, 2);

  /* 幸福里 lies in the gap: its 80 households in no grid. */
  g_assert_cmpuint (r->counts[GP_CHECK_HOUSEHOLDS_OUTSIDE], ==, 1);
  p = only (r, GP_CHECK_HOUSEHOLDS_OUTSIDE, "150602001001");
  g_assert_cmpint (p->count, ==, 80);
  assert_at (p, 109.93, 39.842, 109.94, 39.848);

  /* The people: 甲 on A; every other grid without a worker; every community short of them. */
  g_assert_true (r->people_checked);
  g_assert_cmpuint (r->counts[GP_CHECK_GRID_WITHOUT_WORKER], ==, 5);
  for (guint i = 0; i < r->problems->len; i++)
    {
      p = g_ptr_array_index (r->problems, i);
      if (p->kind == GP_CHECK_GRID_WITHOUT_WORKER)
        g_assert_cmpstr (p->grid, !=, "150602001001001");
    }
  p = only (r, GP_CHECK_COMMUNITY_SHORT_OF_WORKERS, "150602001001");
  g_assert_cmpint (p->count, ==, 1);
  g_assert_cmpuint (r->counts[GP_CHECK_PERSON_UNPLACED], ==, 0);
  gp_test_rmdir (dir);
}

/* Tiling grids that cover their village exactly, households all inside: nothing to report but
 * the people, and before a roster nothing at all. */
static void
test_clean (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = fixture_project (dir, "clean.gpkg");
  g_autoptr(GpLayer) areas = fixture_layer ("areas", V ("代码", "名称"), 4326);
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpCheckResult) r = NULL;
  const char *codes[1] = { "150602001001" };

  fixture_add (areas, fixture_rect (109.90, 39.80, 109.95, 39.85), V ("150602001001", "宏泰社区"));
  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  g_ptr_array_add (grids, grid_new ("150602001001001", codes[0], 300, 109.90, 39.80, 109.92, 39.85));
  g_ptr_array_add (grids, grid_new ("150602001001002", codes[0], 280, 109.92, 39.80, 109.95, 39.85));
  g_assert_true (gp_project_replace_grids (project, codes, 1, grids, 300.0, 0.15, NULL, NULL, &error));
  g_assert_no_error (error);
  r = gp_plan_check (project, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->problems->len, ==, 0);
  g_assert_false (r->people_checked);
  gp_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/check/each-problem-once", test_each_problem_once);
  g_test_add_func ("/check/clean", test_clean);
  return g_test_run ();
}
