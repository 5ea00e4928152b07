/* test-edit.c: hand edits of grids: rename, lock, merge and moving units, each undone and redone
 * exactly; what would leave a grid in pieces, empty or cut off is refused with the reason and
 * nothing written; an undo after the grids changed otherwise is refused.
 *
 * The village (UTM 50N, 100 m units):   U1 U2 U3      G1 = U1 U2 U3 (90 households)
 *                                        U4 U4 U4      G2 = U4 (60) */
#include "gp-project-edit.h"
#include "gp-project-grids.h"
#include "gp-project-people.h"
#include "store-fixtures.h"

#include <math.h>
#include <string.h>

#define X0 500000.0
#define Y0 4400000.0

typedef struct {
  char *dir;
  GpProject *project;
} Fixture;

static GpShape *
square (double x0, double y0, double x1, double y1)
{
  return fixture_rect (X0 + x0 * 100, Y0 + y0 * 100, X0 + x1 * 100, Y0 + y1 * 100);
}

static GpProjectGrid *
grid_new (const char *code, gint64 households, GpShape *shape, const char *const *units)
{
  GpProjectGrid *grid = gp_project_grid_new ();

  grid->code = g_strdup (code);
  grid->area_code = g_strdup ("150602001001");
  grid->households = households;
  grid->shape = shape;
  for (guint i = 0; units[i] != NULL; i++)
    g_ptr_array_add (grid->unit_codes, g_strdup (units[i]));
  return grid;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GpLayer) areas = fixture_layer ("areas", V ("代码", "名称"), 32650);
  g_autoptr(GpLayer) units = fixture_layer ("units", V ("编码", "名称", "户数:i", "所属代码"), 32650);
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  const char *area[] = { "150602001001", NULL };
  g_autoptr(GError) error = NULL;

  f->dir = gp_test_tmpdir ();
  f->project = fixture_project (f->dir, "plan.gpkg");
  fixture_add (areas, square (0, 0, 3, 2), V ("150602001001", "宏泰社区"));
  fixture_add (units, square (0, 1, 1, 2), V ("U1", "一号院", "30", "150602001001"));
  fixture_add (units, square (1, 1, 2, 2), V ("U2", "二号院", "30", "150602001001"));
  fixture_add (units, square (2, 1, 3, 2), V ("U3", "三号院", "30", "150602001001"));
  fixture_add (units, square (0, 0, 3, 1), V ("U4", "四号院", "60", "150602001001"));
  fixture_import (f->project, areas, GP_IMPORT_AREAS, NULL);
  fixture_import (f->project, units, GP_IMPORT_UNITS, NULL);
  g_ptr_array_add (grids, grid_new ("150602001001001", 90, square (0, 1, 3, 2), V ("U1", "U2", "U3")));
  g_ptr_array_add (grids, grid_new ("150602001001002", 60, square (0, 0, 3, 1), V ("U4")));
  g_assert_true (gp_project_replace_grids (f->project, area, 1, grids, 100.0, 0.15, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->project);
  gp_test_rmdir (f->dir);
  g_free (f->dir);
}

/* The grids as a planner would read them: code, name, locked, households, units, area in m². */
static char *
describe (GpProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) grids = gp_project_load_grids (project, NULL, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < grids->len; i++)
    {
      GpProjectGrid *g = g_ptr_array_index (grids, i);
      double area = 0.0;

      for (guint p = 0; g->shape != NULL && p < g->shape->n_parts; p++)
        area += gp_shape_ring_signed_area (g->shape, p);
      g_string_append_printf (out, "%s %s%s %lld [", g->code, g->name != NULL ? g->name : "-", g->locked ? " locked" : "",
                              (long long) g->households);
      for (guint u = 0; u < g->unit_codes->len; u++)
        g_string_append_printf (out, "%s%s", u > 0 ? " " : "", (const char *) g_ptr_array_index (g->unit_codes, u));
      g_string_append_printf (out, "] %.0f m²\n", fabs (area));
    }
  return g_string_free (out, FALSE);
}

/* The grids are as EXPECTED says (describe's text). */
static void
check_grids (GpProject *project, const char *expected)
{
  g_autofree char *now = describe (project);

  g_assert_cmpstr (now, ==, expected);
}

static void
test_rename_lock (Fixture *f, gconstpointer data)
{
  g_autofree char *start = describe (f->project);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProjectEdit) rename = gp_project_rename_grid (f->project, "150602001001002", "南片", &error);
  const char *both[] = { "150602001001001", "150602001001002", NULL };
  g_autoptr(GpProjectEdit) lock = NULL;
  g_autofree char *named = NULL, *locked = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (gp_project_edit_describe (rename), ==, "Renamed grid 150602001001002");
  named = describe (f->project);
  g_assert_nonnull (strstr (named, "150602001001002 南片 60"));
  lock = gp_project_lock_grids (f->project, both, TRUE, &error);
  g_assert_no_error (error);
  locked = describe (f->project);
  g_assert_nonnull (strstr (locked, "150602001001001 - locked"));
  g_assert_nonnull (strstr (locked, "150602001001002 南片 locked"));

  /* A locked grid is not merged. */
  g_assert_null (gp_project_merge_grids (f->project, both, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "locked"));
  g_clear_error (&error);

  {
    /* Exclusive, and back. */
    g_autoptr(GpProjectEdit) exclusive = gp_project_set_exclusive (f->project, V ("150602001001001"), TRUE, &error);
    g_autoptr(GPtrArray) grids = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (gp_project_edit_describe (exclusive), ==, "Made 1 grid exclusive");
    grids = gp_project_load_grids (f->project, NULL, &error);
    g_assert_true (((GpProjectGrid *) g_ptr_array_index (grids, 0))->exclusive);
    g_assert_true (gp_project_edit_undo (f->project, exclusive, &error));
    check_grids (f->project, locked);
  }
  g_assert_true (gp_project_edit_undo (f->project, lock, &error));
  g_assert_no_error (error);
  check_grids (f->project, named);
  g_assert_true (gp_project_edit_undo (f->project, rename, &error));
  g_assert_no_error (error);
  check_grids (f->project, start);
  g_assert_true (gp_project_edit_redo (f->project, rename, &error));
  g_assert_true (gp_project_edit_redo (f->project, lock, &error));
  g_assert_no_error (error);
  check_grids (f->project, locked);
}

static void
test_move_units (Fixture *f, gconstpointer data)
{
  g_autofree char *start = describe (f->project);
  g_autofree char *moved = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProjectEdit) edit = NULL;

  /* The middle compound: the top row would fall apart. */
  g_assert_null (gp_project_move_units (f->project, V ("U2"), "150602001001002", &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "grid 150602001001001 would be left in pieces"));
  g_clear_error (&error);
  /* The bottom strip's only unit: nothing would be left of its grid. */
  g_assert_null (gp_project_move_units (f->project, V ("U4"), "150602001001001", &error));
  g_assert_nonnull (strstr (error->message, "grid 150602001001002 would have no units left; merge it instead"));
  g_clear_error (&error);
  check_grids (f->project, start);

  edit = gp_project_move_units (f->project, V ("U3"), "150602001001002", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gp_project_edit_describe (edit), ==, "Moved 1 unit to grid 150602001001002");
  moved = describe (f->project);
  g_assert_cmpstr (moved, ==, "150602001001001 - 60 [U1 U2] 20000 m²\n150602001001002 - 90 [U3 U4] 40000 m²\n");

  g_assert_true (gp_project_edit_undo (f->project, edit, &error));
  g_assert_no_error (error);
  check_grids (f->project, start);
  g_assert_true (gp_project_edit_redo (f->project, edit, &error));
  after = describe (f->project);
  g_assert_cmpstr (after, ==, moved);

  /* Undone twice would put back what is not there any more: refused, nothing written. */
  g_assert_true (gp_project_edit_undo (f->project, edit, &error));
  g_assert_false (gp_project_edit_undo (f->project, edit, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_FAILED);
  check_grids (f->project, start);
}

static void
test_merge (Fixture *f, gconstpointer data)
{
  g_autofree char *start = describe (f->project);
  const char *both[] = { "150602001001002", "150602001001001", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProjectEdit) edit = gp_project_merge_grids (f->project, both, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (gp_project_edit_describe (edit), ==, "Merged 2 grids into 150602001001002");
  check_grids (f->project, "150602001001002 - 150 [U1 U2 U3 U4] 60000 m²\n");
  g_assert_cmpint (gp_project_count (f->project, "grids", NULL), ==, 1);
  g_assert_true (gp_project_edit_undo (f->project, edit, &error));
  g_assert_no_error (error);
  check_grids (f->project, start);
  g_assert_null (gp_project_merge_grids (f->project, V ("150602001001001"), &error));
  g_assert_nonnull (strstr (error->message, "two grids or more"));
}

/* Where person P000001 serves, as "grid:role;..." in grid order. */
static char *
placements (GpProject *project)
{
  g_autoptr(GPtrArray) all = gp_project_load_assignments (project, NULL);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < all->len; i++)
    {
      GpProjectAssignment *a = g_ptr_array_index (all, i);

      if (g_strcmp0 (a->person_id, "P000001") == 0)
        g_string_append_printf (out, "%s:%s%s;", a->grid_code, a->role, a->manual ? ":manual" : "");
    }
  return g_string_free (out, FALSE);
}

static void
check_placements (GpProject *project, const char *expected)
{
  g_autofree char *now = placements (project);

  g_assert_cmpstr (now, ==, expected);
}

static void
test_place_person (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_person_free);
  GpProjectPerson *worker = gp_project_person_new ();
  const char *set[] = { "P000001=150602001001001", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProjectEdit) place = NULL;
  g_autoptr(GpProjectEdit) merge = NULL;
  g_autofree char *first = NULL;

  worker->name = g_strdup ("王芳");
  worker->role = g_strdup ("fulltime");
  worker->area_code = g_strdup ("150602001001");
  g_ptr_array_add (people, worker);
  g_assert_true (gp_project_put_people (f->project, people, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (gp_project_edit_assignments (f->project, set, NULL, NULL, &error));
  first = placements (f->project);
  g_assert_cmpstr (first, ==, "150602001001001:fulltime:manual;");

  place = gp_project_place_person (f->project, "P000001", "150602001001002", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gp_project_edit_describe (place), ==, "Put 王芳 on grid 150602001001002");
  check_placements (f->project, "150602001001002:fulltime:manual;");
  g_assert_true (gp_project_edit_undo (f->project, place, &error));
  check_placements (f->project, first);

  /* Merged away and back: the worker stays with the ground. */
  merge = gp_project_merge_grids (f->project, V ("150602001001002", "150602001001001"), &error);
  g_assert_no_error (error);
  check_placements (f->project, "150602001001002:fulltime:manual;");
  g_assert_true (gp_project_edit_undo (f->project, merge, &error));
  check_placements (f->project, first);

  g_assert_null (gp_project_place_person (f->project, "P000099", "150602001001002", &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_NOT_FOUND);
}

/* A grid split along a line drawn across it: each compound falls to the side holding most of it,
 * the side with more households keeps the code, the other is a new grid numbered after the
 * village's highest; undone, the grid is whole again. Lines that do not cut it in two, or leave
 * every compound on one side, are refused. */
static void
test_split_grid (Fixture *f, gconstpointer data)
{
  g_autofree char *start = describe (f->project);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProjectEdit) edit = NULL;
  /* x 140 m: U1 (0..100) left, U2 (100..200) mostly right, U3 right; from inside grid 002 to
   * beyond the top. */
  const double across[] = { X0 + 140, Y0 + 50, X0 + 140, Y0 + 250 };
  const double inside[] = { X0 + 140, Y0 + 120, X0 + 160, Y0 + 180 };
  const double edge[] = { X0 + 10, Y0 + 50, X0 + 10, Y0 + 250 };

  edit = gp_project_split_grid (f->project, "150602001001001", across, 2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (edit);
  check_grids (f->project, "150602001001001 - 60 [U2 U3] 20000 m²\n"
                           "150602001001002 - 60 [U4] 30000 m²\n"
                           "150602001001003 - 30 [U1] 10000 m²\n");
  g_assert_true (gp_project_edit_undo (f->project, edit, &error));
  g_assert_no_error (error);
  check_grids (f->project, start);

  g_assert_null (gp_project_split_grid (f->project, "150602001001001", inside, 2, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "across"));
  g_clear_error (&error);
  g_assert_null (gp_project_split_grid (f->project, "150602001001001", edge, 2, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "one side"));
  g_clear_error (&error);
  check_grids (f->project, start);
}

/* Compounds with streets between them: a compound moved into the grid across the street takes
 * its share of the street (to the middle) with it, so it borders its new grid and the grids
 * still cover the community exactly. */
static void
test_move_across_street (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = fixture_project (dir, "streets.gpkg");
  g_autoptr(GpLayer) areas = fixture_layer ("areas", V ("代码", "名称"), 32650);
  g_autoptr(GpLayer) units = fixture_layer ("units", V ("编码", "名称", "户数:i", "所属代码"), 32650);
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  const char *area[] = { "150602001001", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProjectEdit) edit = NULL;

  /* Three compounds in a row, 20 m streets between them; the first grid reaches to the middle
   * of the first street (x 90 m), the second holds the rest. */
  fixture_add (areas, square (0, 0, 3, 1), V ("150602001001", "宏泰社区"));
  fixture_add (units, square (0, 0, 0.8, 1), V ("U1", "一号院", "40", "150602001001"));
  fixture_add (units, square (1, 0, 1.8, 1), V ("U2", "二号院", "50", "150602001001"));
  fixture_add (units, square (2, 0, 3, 1), V ("U3", "三号院", "60", "150602001001"));
  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  fixture_import (project, units, GP_IMPORT_UNITS, NULL);
  g_ptr_array_add (grids, grid_new ("150602001001001", 40, square (0, 0, 0.9, 1), V ("U1")));
  g_ptr_array_add (grids, grid_new ("150602001001002", 110, square (0.9, 0, 3, 1), V ("U2", "U3")));
  g_assert_true (gp_project_replace_grids (project, area, 1, grids, 100.0, 0.15, NULL, NULL, &error));
  g_assert_no_error (error);

  /* U2 is 10 m from the first grid: it comes with the street to its west and half the street to
   * its east (x 90 to 190 m). */
  edit = gp_project_move_units (project, V ("U2"), "150602001001001", &error);
  g_assert_no_error (error);
  g_assert_nonnull (edit);
  check_grids (project, "150602001001001 - 90 [U1 U2] 19000 m²\n"
                        "150602001001002 - 60 [U3] 11000 m²\n");
  gp_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/edit/rename-lock", Fixture, NULL, fixture_set_up, test_rename_lock, fixture_tear_down);
  g_test_add ("/edit/move-units", Fixture, NULL, fixture_set_up, test_move_units, fixture_tear_down);
  g_test_add ("/edit/merge", Fixture, NULL, fixture_set_up, test_merge, fixture_tear_down);
  g_test_add ("/edit/place-person", Fixture, NULL, fixture_set_up, test_place_person, fixture_tear_down);
  g_test_add_func ("/edit/move-across-street", test_move_across_street);
  g_test_add ("/edit/split-grid", Fixture, NULL, fixture_set_up, test_split_grid, fixture_tear_down);
  return g_test_run ();
}
