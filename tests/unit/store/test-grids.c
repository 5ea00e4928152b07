/* test-grids.c: grids and grid_units in the project: replace an area's grids in one transaction, keep locked grids and what refers to kept codes. */
#include "gp-project-grids.h"
#include "gp-project-people.h"
#include "gp-gpkg.h"
#include "gp-project-private.h"
#include "store-fixtures.h"

#include <math.h>

typedef struct {
  char      *dir;
  GpProject *project;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GpLayer) units = fixture_units ();

  f->dir = gp_test_tmpdir ();
  f->project = fixture_project (f->dir, "plan.gpkg");
  fixture_import (f->project, areas, GP_IMPORT_AREAS, NULL);
  fixture_import (f->project, units, GP_IMPORT_UNITS, NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->project);
  gp_test_rmdir (f->dir);
  g_free (f->dir);
}

static GpProjectGrid *
grid_new (const char *code, const char *area, gint64 households, const char *const *units,
          double x0, double x1)
{
  GpProjectGrid *grid = gp_project_grid_new ();

  grid->code = g_strdup (code);
  grid->name = g_strdup_printf ("宏泰社区第%s网格", code + 12);
  grid->area_code = g_strdup (area);
  grid->households = households;
  grid->shape = fixture_rect (x0, 39.80, x1, 39.85);
  grid->shape->flags |= GP_SHAPE_FORCE_MULTI;
  for (gsize i = 0; units != NULL && units[i] != NULL; i++)
    g_ptr_array_add (grid->unit_codes, g_strdup (units[i]));
  return grid;
}

static gint64
count_sql (GpProject *project, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (_gp_project_get_db (project), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
exec_sql (GpProject *project, const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gp_sqlite_exec (_gp_project_get_db (project), sql, &error));
  g_assert_no_error (error);
}

static void
replace (GpProject *project, const char *area, GPtrArray *grids)
{
  g_autoptr(GError) error = NULL;
  const char *areas[1] = { area };

  g_assert_true (gp_project_replace_grids (project, areas, 1, grids, 300.0, 0.15, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_replace_and_load (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  double target = 0.0, tolerance = 0.0;
  GpProjectGrid *g0;

  g_assert_false (gp_project_get_split_target (f->project, &target, &tolerance));
  g_ptr_array_add (grids, grid_new ("150602001001001", "150602001001", 320, V ("U001"), 109.90, 109.92));
  g_ptr_array_add (grids, grid_new ("150602001001002", "150602001001", 280, V ("U002"), 109.92, 109.95));
  replace (f->project, "150602001001", grids);

  loaded = gp_project_load_grids (f->project, "150602001001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 2);
  g0 = g_ptr_array_index (loaded, 0);
  g_assert_cmpstr (g0->code, ==, "150602001001001");
  g_assert_cmpstr (g0->name, ==, "宏泰社区第001网格");
  g_assert_cmpstr (g0->area_code, ==, "150602001001");
  g_assert_cmpint (g0->households, ==, 320);
  g_assert_false (g0->locked);
  g_assert_false (g0->exclusive);
  g_assert_nonnull (g0->shape);
  g_assert_cmpuint (g0->shape->n_polygons, ==, 1);
  g_assert_cmpuint (g0->unit_codes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (g0->unit_codes, 0), ==, "U001");
  g_assert_true (gp_project_get_split_target (f->project, &target, &tolerance));
  g_assert_cmpfloat (target, ==, 300.0);
  g_assert_cmpfloat (fabs (tolerance - 0.15), <, 1e-12);
  g_assert_cmpint (count_sql (f->project, "SELECT count(*) FROM edit_log WHERE action = 'split'"), ==, 1);

  /* Every grid when no area is named; none for an area without grids. */
  g_clear_pointer (&loaded, g_ptr_array_unref);
  loaded = gp_project_load_grids (f->project, NULL, &error);
  g_assert_cmpuint (loaded->len, ==, 2);
  g_clear_pointer (&loaded, g_ptr_array_unref);
  loaded = gp_project_load_grids (f->project, "150602001003", &error);
  g_assert_cmpuint (loaded->len, ==, 0);
}

/* A re-split updates a grid whose code survives (its worker stays assigned) and removes the
 * grids that are gone, with their assignments, listing who lost one. */
static void
test_kept_code_keeps_assignments (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GPtrArray) second = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (first, grid_new ("150602001001001", "150602001001", 320, V ("U001"), 109.90, 109.92));
  g_ptr_array_add (first, grid_new ("150602001001002", "150602001001", 280, V ("U002"), 109.92, 109.95));
  replace (f->project, "150602001001", first);
  exec_sql (f->project,
            "INSERT INTO people (id, name, role) VALUES ('P1', '张三', 'worker'), ('P2', '李四', 'worker');"
            "INSERT INTO assignments (person_id, grid_code, role) VALUES"
            " ('P1', '150602001001001', 'worker'), ('P2', '150602001001002', 'worker');");

  g_ptr_array_add (second, grid_new ("150602001001001", "150602001001", 600, V ("U001", "U002"), 109.90, 109.95));
  {
    const char *areas[1] = { "150602001001" };
    g_autoptr(GPtrArray) unplaced = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_unplaced_free);
    GpProjectUnplaced *u;

    g_assert_true (gp_project_replace_grids (f->project, areas, 1, second, 300.0, 0.15, NULL, unplaced, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (unplaced->len, ==, 1);
    u = g_ptr_array_index (unplaced, 0);
    g_assert_cmpstr (u->person_id, ==, "P2");
    g_assert_cmpstr (u->name, ==, "李四");
    g_assert_cmpstr (u->role, ==, "worker");
    g_assert_cmpstr (u->grid_code, ==, "150602001001002");
    g_assert_true (u->grid_gone);
  }
  loaded = gp_project_load_grids (f->project, "150602001001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_cmpint (((GpProjectGrid *) g_ptr_array_index (loaded, 0))->households, ==, 600);
  g_assert_cmpuint (((GpProjectGrid *) g_ptr_array_index (loaded, 0))->unit_codes->len, ==, 2);
  g_assert_cmpint (count_sql (f->project, "SELECT count(*) FROM assignments WHERE person_id = 'P1'"), ==, 1);
  g_assert_cmpint (count_sql (f->project, "SELECT count(*) FROM assignments WHERE person_id = 'P2'"), ==, 0);
  g_assert_cmpint (count_sql (f->project, "SELECT count(*) FROM grid_units"), ==, 2);
}

/* A grid whose code survives but whose ground moved loses its assignments, listed; a failed
 * replace lists nobody and keeps every assignment. */
static void
test_moved_grid_unassigned (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GPtrArray) second = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GPtrArray) unplaced = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_unplaced_free);
  g_autoptr(GError) error = NULL;
  const char *areas[1] = { "150602001001" };
  GpProjectGrid *moved;

  g_ptr_array_add (first, grid_new ("150602001001001", "150602001001", 320, V ("U001"), 109.90, 109.92));
  g_ptr_array_add (first, grid_new ("150602001001002", "150602001001", 280, V ("U002"), 109.92, 109.95));
  replace (f->project, "150602001001", first);
  exec_sql (f->project,
            "INSERT INTO people (id, name, role) VALUES ('P1', '张三', 'worker'), ('P2', '李四', 'worker');"
            "INSERT INTO assignments (person_id, grid_code, role) VALUES"
            " ('P1', '150602001001001', 'worker'), ('P2', '150602001001002', 'party');");

  /* Nothing written, nobody listed, when the replace fails (a grid of another area). */
  g_ptr_array_add (bad, grid_new ("150602001002001", "150602001002", 10, NULL, 109.95, 109.97));
  g_assert_false (gp_project_replace_grids (f->project, areas, 1, bad, 300.0, 0.15, NULL, unplaced, &error));
  g_clear_error (&error);
  g_assert_cmpuint (unplaced->len, ==, 0);
  g_assert_cmpint (count_sql (f->project, "SELECT count(*) FROM assignments"), ==, 2);

  g_ptr_array_add (second, grid_new ("150602001001001", "150602001001", 320, V ("U001"), 109.90, 109.92));
  moved = grid_new ("150602001001002", "150602001001", 280, V ("U002"), 109.92, 109.95);
  moved->moved = TRUE;
  g_ptr_array_add (second, moved);
  g_assert_true (gp_project_replace_grids (f->project, areas, 1, second, 300.0, 0.15, NULL, unplaced, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (unplaced->len, ==, 1);
  g_assert_cmpstr (((GpProjectUnplaced *) g_ptr_array_index (unplaced, 0))->person_id, ==, "P2");
  g_assert_cmpstr (((GpProjectUnplaced *) g_ptr_array_index (unplaced, 0))->role, ==, "party");
  g_assert_false (((GpProjectUnplaced *) g_ptr_array_index (unplaced, 0))->grid_gone);
  g_assert_cmpint (count_sql (f->project, "SELECT count(*) FROM assignments WHERE person_id = 'P1'"), ==, 1);
  g_assert_cmpint (count_sql (f->project, "SELECT count(*) FROM assignments WHERE person_id = 'P2'"), ==, 0);
  g_assert_cmpint (count_sql (f->project, "SELECT count(*) FROM grids"), ==, 2);
}

/* Locked and exclusive grids survive a re-split of their area; a new grid may not take their
 * codes, and then nothing at all is written. */
static void
test_locked_kept_and_all_or_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GPtrArray) second = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GPtrArray) clash = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const char *areas[1] = { "150602001001" };

  g_ptr_array_add (first, grid_new ("150602001001001", "150602001001", 320, V ("U001"), 109.90, 109.92));
  g_ptr_array_add (first, grid_new ("150602001001002", "150602001001", 280, V ("U002"), 109.92, 109.95));
  replace (f->project, "150602001001", first);
  exec_sql (f->project, "UPDATE grids SET locked = 1 WHERE code = '150602001001001'");

  g_ptr_array_add (second, grid_new ("150602001001003", "150602001001", 280, V ("U002"), 109.92, 109.95));
  replace (f->project, "150602001001", second);
  loaded = gp_project_load_grids (f->project, "150602001001", &error);
  g_assert_cmpuint (loaded->len, ==, 2);
  g_assert_cmpstr (((GpProjectGrid *) g_ptr_array_index (loaded, 0))->code, ==, "150602001001001");
  g_assert_true (((GpProjectGrid *) g_ptr_array_index (loaded, 0))->locked);
  g_assert_cmpstr (((GpProjectGrid *) g_ptr_array_index (loaded, 1))->code, ==, "150602001001003");

  /* The locked grid's code again: refused, and the grids stay as they were. */
  g_ptr_array_add (clash, grid_new ("150602001001004", "150602001001", 10, NULL, 109.92, 109.93));
  g_ptr_array_add (clash, grid_new ("150602001001001", "150602001001", 10, NULL, 109.93, 109.95));
  g_assert_false (gp_project_replace_grids (f->project, areas, 1, clash, 300.0, 0.15, NULL, NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "150602001001001"));
  g_clear_error (&error);
  g_assert_cmpint (count_sql (f->project, "SELECT count(*) FROM grids"), ==, 2);
  g_assert_cmpint (count_sql (f->project, "SELECT count(*) FROM grids WHERE code = '150602001001003'"), ==, 1);

  /* A grid of an area not being split is refused too. */
  g_ptr_array_set_size (clash, 0);
  g_ptr_array_add (clash, grid_new ("150602001003001", "150602001003", 10, NULL, 109.90, 109.95));
  g_assert_false (gp_project_replace_grids (f->project, areas, 1, clash, 300.0, 0.15, NULL, NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (count_sql (f->project, "SELECT count(*) FROM grids"), ==, 2);
}

/* Grids of one area leave the other areas' grids alone. */
static void
test_other_areas_untouched (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GPtrArray) b = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);

  g_ptr_array_add (a, grid_new ("150602001001001", "150602001001", 600, V ("U001", "U002"), 109.90, 109.95));
  replace (f->project, "150602001001", a);
  g_ptr_array_add (b, grid_new ("150602001003001", "150602001003", 410, V ("U003"), 109.90, 109.95));
  replace (f->project, "150602001003", b);
  g_ptr_array_add (again, grid_new ("150602001001001", "150602001001", 320, V ("U001"), 109.90, 109.92));
  g_ptr_array_add (again, grid_new ("150602001001002", "150602001001", 280, V ("U002"), 109.92, 109.95));
  replace (f->project, "150602001001", again);
  g_assert_cmpint (count_sql (f->project, "SELECT households FROM grids WHERE code = '150602001003001'"), ==, 410);
  g_assert_cmpint (count_sql (f->project, "SELECT count(*) FROM grid_units WHERE grid_code = '150602001003001'"), ==, 1);
  g_assert_cmpint (count_sql (f->project, "SELECT count(*) FROM grids"), ==, 3);
}

/* One grid's load as the inspector shows it: its full-time workers (not the other roles), the
 * households its party members are in contact with, its service items by status; a grid with
 * nothing on it has zeros. */
static void
test_grid_load (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GError) error = NULL;
  GpProjectGridLoad load;

  g_ptr_array_add (grids, grid_new ("150602001001001", "150602001001", 320, V ("U001"), 109.90, 109.92));
  g_ptr_array_add (grids, grid_new ("150602001001002", "150602001001", 280, V ("U002"), 109.92, 109.95));
  replace (f->project, "150602001001", grids);
  exec_sql (f->project,
            "INSERT INTO people (id, name, role) VALUES ('P1', '张三', 'fulltime'), ('P2', '李四', 'fulltime'),"
            " ('P3', '王五', 'party');"
            "INSERT INTO assignments (person_id, grid_code, role) VALUES ('P1', '150602001001001', 'fulltime'),"
            " ('P2', '150602001001001', 'fulltime'), ('P3', '150602001001001', 'party');"
            "INSERT INTO party_contacts (person_id, grid_code, unit_code, households) VALUES"
            " ('P3', '150602001001001', 'U001', 5), ('P3', '150602001001001', 'U001', 4);"
            "INSERT INTO events (code, name, status, grid_code) VALUES ('E1', '路灯', 'red', '150602001001001'),"
            " ('E2', '井盖', 'yellow', '150602001001001'), ('E3', '垃圾', 'green', '150602001001001'),"
            " ('E4', '绿化', 'green', '150602001001001'), ('E5', '停车', 'red', '150602001001002');");
  g_assert_true (gp_project_grid_load (f->project, "150602001001001", &load, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (load.workers, ==, 2);
  g_assert_cmpint (load.contact_households, ==, 9);
  g_assert_cmpuint (load.items[0], ==, 2);
  g_assert_cmpuint (load.items[1], ==, 1);
  g_assert_cmpuint (load.items[2], ==, 1);
  {
    /* Who serves it, each once per role, in the order they were put there. */
    g_autoptr(GPtrArray) people = gp_project_load_grid_people (f->project, "150602001001001", &error);
    GpProjectPerson *third;

    g_assert_no_error (error);
    g_assert_cmpuint (people->len, ==, 3);
    third = g_ptr_array_index (people, 2);
    g_assert_cmpstr (((GpProjectPerson *) g_ptr_array_index (people, 0))->name, ==, "张三");
    g_assert_cmpstr (third->name, ==, "王五");
    g_assert_cmpstr (third->role, ==, "party");
  }
  g_assert_true (gp_project_grid_load (f->project, "150602001001999", &load, &error));
  g_assert_cmpuint (load.workers + load.items[0] + load.items[1] + load.items[2], ==, 0);
  g_assert_cmpint (load.contact_households, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/grids/replace-and-load", Fixture, NULL, fixture_set_up, test_replace_and_load, fixture_tear_down);
  g_test_add ("/grids/grid-load", Fixture, NULL, fixture_set_up, test_grid_load, fixture_tear_down);
  g_test_add ("/grids/kept-code-keeps-assignments", Fixture, NULL, fixture_set_up,
              test_kept_code_keeps_assignments, fixture_tear_down);
  g_test_add ("/grids/moved-grid-unassigned", Fixture, NULL, fixture_set_up, test_moved_grid_unassigned,
              fixture_tear_down);
  g_test_add ("/grids/locked-kept-and-all-or-nothing", Fixture, NULL, fixture_set_up,
              test_locked_kept_and_all_or_nothing, fixture_tear_down);
  g_test_add ("/grids/other-areas-untouched", Fixture, NULL, fixture_set_up, test_other_areas_untouched,
              fixture_tear_down);
  return g_test_run ();
}
