/* test-plan-split.c: the project split as the window and the CLI call it: grids stored, progress, cancel, async, errors. */
#include "gp-plan-data.h"
#include "gp-plan-split.h"
#include "gp-project-edit.h"
#include "gp-project-grids.h"
#include "gp-gpkg.h"
#include "gp-project-private.h"
#include "unit/store/store-fixtures.h"

#include <math.h>

/* One community (EPSG:32650) of ROWS × COLS blocks of 40 m with 10 m streets, 20..80 households each. */
static GpProject *
street_project (const char *dir, guint rows, guint cols)
{
  g_autoptr(GpProject) project = fixture_project (dir, "plan.gpkg");
  g_autoptr(GpLayer) areas = fixture_layer ("areas", V ("代码", "名称"), 32650);
  g_autoptr(GpLayer) units = fixture_layer ("units", V ("编码", "社区", "户数:i"), 32650);
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  double x0 = 400000.0, y0 = 4400000.0;

  fixture_add (areas, fixture_rect (x0, y0, x0 + cols * 50.0, y0 + rows * 50.0), V ("150602001001", "宏泰社区"));
  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < cols; c++)
      {
        double bx = x0 + 5.0 + c * 50.0, by = y0 + 5.0 + r * 50.0;
        g_autofree char *code = g_strdup_printf ("U%03u", r * cols + c);
        g_autofree char *hh = g_strdup_printf ("%d", g_rand_int_range (rand, 20, 81));

        fixture_add (units, fixture_rect (bx, by, bx + 40.0, by + 40.0), V (code, "150602001001", hh));
      }
  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  fixture_import (project, units, GP_IMPORT_UNITS, NULL);
  return g_steal_pointer (&project);
}

typedef struct {
  GArray  *fractions;
  GThread *thread;      /* where progress must arrive (async: the caller's) */
  gboolean wrong_thread;
  GCancellable *cancel_at_first;
} Seen;

static void
on_progress (double fraction, const char *sentence, gpointer user_data)
{
  Seen *seen = user_data;

  g_assert_nonnull (sentence);
  g_assert_cmpstr (sentence, !=, "");
  g_array_append_val (seen->fractions, fraction);
  if (seen->thread != NULL && g_thread_self () != seen->thread)
    seen->wrong_thread = TRUE;
  /* Cancelled in the middle of splitting, past reading the project. */
  if (seen->cancel_at_first != NULL && fraction > 0.1)
    g_cancellable_cancel (seen->cancel_at_first);
}

static void
assert_progress_sane (GArray *fractions)
{
  g_assert_cmpuint (fractions->len, >=, 3);
  for (guint i = 0; i < fractions->len; i++)
    {
      double f = g_array_index (fractions, double, i);

      g_assert_cmpfloat (f, >=, 0.0);
      g_assert_cmpfloat (f, <=, 1.0);
      if (i > 0)
        g_assert_cmpfloat (f, >=, g_array_index (fractions, double, i - 1));
    }
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1.0);
}

static guint
stored_grids (GpProject *project)
{
  g_autoptr(GError) error = NULL;
  gint64 n = gp_project_count (project, "grids", &error);

  g_assert_no_error (error);
  return (guint) n;
}

static void
test_sync (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = street_project (dir, 10, 12);
  g_autoptr(GpPlanSplitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  Seen seen = { fractions, NULL, FALSE, NULL };
  GpPlanSplitOptions options;

  gp_plan_split_options_init (&options);
  options.target = 300.0;
  options.seed = 1;
  result = gp_plan_split (project, &options, on_progress, &seen, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->n_areas, ==, 1);
  g_assert_cmpuint (result->n_units, ==, 120);
  assert_progress_sane (fractions);
  /* The report is of what was stored. */
  g_assert_cmpuint (gp_split_report_get_n_grids (result->report), ==, stored_grids (project));
  g_assert_cmpuint (gp_split_report_get_noncontiguous (result->report), ==, 0);
  g_assert_cmpfloat (gp_split_report_get_gap_area (result->report), <=,
                     1e-6 * gp_split_report_get_parent_area (result->report));
  g_assert_cmpfloat (gp_split_report_get_overlap_area (result->report), <=,
                     1e-6 * gp_split_report_get_parent_area (result->report));
  g_assert_cmpuint (stored_grids (project), >=, 16);
  {
    /* The areas' names by code, read from the areas alone (the people list's communities). */
    g_autoptr(GHashTable) names = gp_plan_area_names (project, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_hash_table_size (names), ==, 1);
    g_assert_cmpstr (g_hash_table_lookup (names, "150602001001"), ==, "宏泰社区");
  }
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

/* Two communities side by side whose units come interleaved in the file (A's, B's, A's...):
 * each community's grids hold its own units, all of them, and nothing of the other's. */
static void
test_areas (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = fixture_project (dir, "areas.gpkg");
  g_autoptr(GpLayer) areas = fixture_layer ("areas", V ("代码", "名称"), 32650);
  g_autoptr(GpLayer) units = fixture_layer ("units", V ("编码", "社区", "户数:i"), 32650);
  g_autoptr(GpPlanSplitResult) result = NULL;
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GError) error = NULL;
  const char *codes[2] = { "150602001001", "150602001002" };
  double x0 = 400000.0, y0 = 4400000.0;
  guint seen[2] = { 0, 0 };
  GpPlanSplitOptions options;

  fixture_add (areas, fixture_rect (x0, y0, x0 + 400.0, y0 + 400.0), V (codes[0], "宏泰社区"));
  fixture_add (areas, fixture_rect (x0 + 400.0, y0, x0 + 800.0, y0 + 400.0), V (codes[1], "民族社区"));
  for (guint k = 0; k < 128; k++)
    {
      guint a = k % 2, i = k / 2;
      double bx = x0 + 400.0 * a + 5.0 + (i % 8) * 50.0, by = y0 + 5.0 + (i / 8) * 50.0;
      g_autofree char *code = g_strdup_printf ("%c%02u", a == 0 ? 'A' : 'B', i);

      fixture_add (units, fixture_rect (bx, by, bx + 40.0, by + 40.0), V (code, codes[a], "50"));
    }
  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  fixture_import (project, units, GP_IMPORT_UNITS, NULL);
  gp_plan_split_options_init (&options);
  options.target = 300.0;
  result = gp_plan_split (project, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_areas, ==, 2);
  g_assert_cmpuint (result->n_units, ==, 128);
  grids = gp_project_load_grids (project, NULL, &error);
  g_assert_no_error (error);
  for (guint g = 0; g < grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (grids, g);
      guint a = g_strcmp0 (grid->area_code, codes[1]) == 0;

      g_assert_cmpstr (grid->area_code, ==, codes[a]);
      for (guint i = 0; i < grid->unit_codes->len; i++)
        g_assert_cmpint (((const char *) g_ptr_array_index (grid->unit_codes, i))[0], ==, a == 0 ? 'A' : 'B');
      seen[a] += grid->unit_codes->len;
    }
  g_assert_cmpuint (seen[0], ==, 64);
  g_assert_cmpuint (seen[1], ==, 64);
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

static void
on_split_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GpPlanSplitResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gp_plan_split_finish (GP_PROJECT (source), res, &error);
  g_assert_no_error (error);
}

/* In a worker: progress arrives on the caller's thread, in its main loop; the result too. */
static void
test_async (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = street_project (dir, 8, 8);
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  Seen seen = { fractions, g_thread_self (), FALSE, NULL };
  GpPlanSplitResult *result = NULL;
  const char *only[] = { "150602001001", NULL };
  GpPlanSplitOptions options;

  gp_plan_split_options_init (&options);
  options.target = 300.0;
  options.areas = only;
  gp_plan_split_async (project, &options, on_progress, &seen, NULL, on_split_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* Progress calls queued before the result are all run by now; drain any left. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (seen.wrong_thread);
  assert_progress_sane (fractions);
  g_assert_cmpuint (gp_split_report_get_n_grids (result->report), ==, stored_grids (project));
  gp_plan_split_result_free (result);
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

/* Cancelled while splitting: fails as cancelled and the stored grids are untouched. */
static void
test_cancel (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = street_project (dir, 8, 8);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  Seen seen = { fractions, NULL, FALSE, cancellable };
  g_autoptr(GpPlanSplitResult) first = NULL, second = NULL;
  g_autoptr(GError) error = NULL;
  GpPlanSplitOptions options;
  guint before;

  gp_plan_split_options_init (&options);
  options.target = 300.0;
  first = gp_plan_split (project, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  before = stored_grids (project);
  options.target = 150.0;
  second = gp_plan_split (project, &options, on_progress, &seen, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (second);
  g_assert_cmpuint (fractions->len, >=, 1);
  g_assert_cmpuint (stored_grids (project), ==, before);
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

static void
test_errors (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = street_project (dir, 3, 3);
  g_autoptr(GpProject) empty = fixture_project (dir, "empty.gpkg");
  g_autoptr(GError) error = NULL;
  const char *unknown[] = { "150602001099", NULL };
  GpPlanSplitOptions options;

  gp_plan_split_options_init (&options);
  options.target = 300.0;
  options.areas = unknown;
  g_assert_null (gp_plan_split (project, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "150602001099"));
  g_clear_error (&error);

  options.areas = NULL;
  g_assert_null (gp_plan_split (empty, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_NOT_FOUND);
  g_clear_error (&error);

  options.target = 0.0;
  g_assert_null (gp_plan_split (project, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (stored_grids (project), ==, 0);
  g_clear_object (&project);
  g_clear_object (&empty);
  gp_test_rmdir (dir);
}

static void
exec_sql (GpProject *project, const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gp_sqlite_exec (_gp_project_get_db (project), sql, &error));
  g_assert_no_error (error);
}

static GpPlanSplitResult *
split_at (GpProject *project, double target, gboolean fresh)
{
  g_autoptr(GError) error = NULL;
  GpPlanSplitResult *result;
  GpPlanSplitOptions options;

  gp_plan_split_options_init (&options);
  options.target = target;
  options.seed = 1;
  options.fresh = fresh;
  result = gp_plan_split (project, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static gboolean
has_note (GpSplitReport *report, const char *text)
{
  const GPtrArray *notes = gp_split_report_get_notes (report);

  for (guint i = 0; i < notes->len; i++)
    if (strstr (g_ptr_array_index (notes, i), text) != NULL)
      return TRUE;
  return FALSE;
}

/* A re-split of the project keeps what no change touched, and lists the people whose grid went
 * away or moved instead of moving them. */
static void
test_resplit (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = street_project (dir, 20, 20);
  g_autoptr(GpPlanSplitResult) first = split_at (project, 300.0, FALSE);
  g_autoptr(GpPlanSplitResult) same = NULL, changed = NULL, smaller = NULL;
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *assign = NULL;
  guint n = stored_grids (project);

  grids = gp_project_load_grids (project, NULL, &error);
  g_assert_no_error (error);
  assign = g_strdup_printf ("INSERT INTO people (id, name, role) VALUES ('P1', '张三', 'fulltime');"
                            "INSERT INTO assignments (person_id, grid_code, role) VALUES ('P1', '%s', 'fulltime');",
                            ((GpProjectGrid *) g_ptr_array_index (grids, 0))->code);
  exec_sql (project, assign);

  /* Nothing changed: nothing is redrawn. */
  same = split_at (project, 300.0, FALSE);
  g_assert_cmpuint (same->n_unchanged, ==, n);
  g_assert_cmpuint (same->unplaced->len, ==, 0);

  /* Five compounds spread over the community gain 40 households each. */
  exec_sql (project, "UPDATE units SET households = households + 40"
                     " WHERE code IN ('U021', 'U107', 'U190', 'U283', 'U377')");
  changed = split_at (project, 300.0, FALSE);
  {
    g_autoptr(GPtrArray) after = gp_project_load_grids (project, NULL, &error);
    g_autoptr(GHashTable) before = g_hash_table_new (g_str_hash, g_str_equal);
    guint same_units = 0;

    g_assert_no_error (error);
    for (guint g = 0; g < grids->len; g++)
      g_hash_table_insert (before, ((GpProjectGrid *) g_ptr_array_index (grids, g))->code,
                           g_ptr_array_index (grids, g));
    for (guint g = 0; g < after->len; g++)
      {
        GpProjectGrid *b = g_ptr_array_index (after, g), *a = g_hash_table_lookup (before, b->code);
        gboolean same = a != NULL && a->unit_codes->len == b->unit_codes->len;

        for (guint i = 0; same && i < a->unit_codes->len; i++)
          same = strcmp (g_ptr_array_index (a->unit_codes, i), g_ptr_array_index (b->unit_codes, i)) == 0;
        same_units += same;
      }
    g_test_message ("%u of %u grids keep code and units (%u untouched, %u kept their code)", same_units,
                    after->len, changed->n_unchanged, changed->n_kept_code);
    g_assert_cmpuint (same_units, >=, 0.9 * after->len);
    g_assert_cmpuint (changed->n_unchanged, >=, 0.8 * after->len);
    g_assert_cmpuint (changed->n_kept_code, >=, same_units);
  }

  /* Grids a third the size: the worker's grid is gone or moved, and the split says so. */
  smaller = split_at (project, 100.0, TRUE);
  g_assert_cmpuint (smaller->unplaced->len, ==, 1);
  g_assert_cmpstr (((GpProjectUnplaced *) g_ptr_array_index (smaller->unplaced, 0))->name, ==, "张三");
  g_assert_true (has_note (smaller->report, "张三"));
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

/* The project's grids are EXPECTED ones: the same codes, units and outlines. */
static void
assert_same_grids (GpProject *project, GPtrArray *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) now = gp_project_load_grids (project, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (now->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      GpProjectGrid *e = g_ptr_array_index (expected, i);
      gboolean found = FALSE;

      for (guint j = 0; j < now->len && !found; j++)
        {
          GpProjectGrid *n = g_ptr_array_index (now, j);

          if (g_strcmp0 (n->code, e->code) != 0)
            continue;
          found = TRUE;
          g_assert_cmpuint (n->unit_codes->len, ==, e->unit_codes->len);
          g_assert_true (gp_shape_equal (n->shape, e->shape));
        }
      g_assert_true (found);
    }
}

/* Redrawing two grids: the other grids stay exactly as they were (code, units, outline), the two
 * are drawn again in the ground they covered (here at half the target: more, smaller grids), and
 * the community is still covered exactly. Locked grids and unknown codes are refused. */
static void
test_redraw (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = street_project (dir, 10, 12);
  g_autoptr(GpPlanSplitResult) first = NULL, second = NULL;
  g_autoptr(GPtrArray) before = NULL, after = NULL;
  g_autoptr(GError) error = NULL;
  GpPlanSplitOptions options;
  const char *redraw[3] = { NULL, NULL, NULL };
  const char *area[] = { "150602001001", NULL };
  g_autoptr(GpProjectEdit) edit = NULL;
  guint kept = 0, redrawn_after = 0;

  gp_plan_split_options_init (&options);
  options.target = 300.0;
  options.seed = 1;
  first = gp_plan_split (project, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  before = gp_project_load_grids (project, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, >=, 6);
  redraw[0] = ((GpProjectGrid *) g_ptr_array_index (before, 1))->code;
  redraw[1] = ((GpProjectGrid *) g_ptr_array_index (before, 2))->code;

  options.target = 150.0;
  options.redraw = redraw;
  /* As the window does: the redraw kept as an edit, to undo. */
  edit = gp_project_edit_begin_areas (project, area, "Redrew 2 grids", &error);
  g_assert_no_error (error);
  second = gp_plan_split (project, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
  g_assert_true (gp_project_edit_end_areas (project, edit, &error));
  g_assert_no_error (error);
  after = gp_project_load_grids (project, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < before->len; i++)
    {
      GpProjectGrid *b = g_ptr_array_index (before, i);

      if (g_strv_contains (redraw, b->code))
        continue;
      for (guint j = 0; j < after->len; j++)
        {
          GpProjectGrid *a = g_ptr_array_index (after, j);

          if (g_strcmp0 (a->code, b->code) != 0)
            continue;
          g_assert_cmpuint (a->unit_codes->len, ==, b->unit_codes->len);
          for (guint u = 0; u < a->unit_codes->len; u++)
            g_assert_cmpstr (g_ptr_array_index (a->unit_codes, u), ==, g_ptr_array_index (b->unit_codes, u));
          g_assert_true (gp_shape_equal (a->shape, b->shape));
          kept++;
        }
    }
  g_assert_cmpuint (kept, ==, before->len - 2);
  /* The two grids' ground, at half the target, makes more grids than two. */
  redrawn_after = after->len - kept;
  g_assert_cmpuint (redrawn_after, >, 2);
  g_assert_cmpuint (gp_split_report_get_noncontiguous (second->report), ==, 0);
  g_assert_cmpfloat (gp_split_report_get_gap_area (second->report), <=,
                     1e-6 * gp_split_report_get_parent_area (second->report));
  g_assert_cmpfloat (gp_split_report_get_overlap_area (second->report), <=,
                     1e-6 * gp_split_report_get_parent_area (second->report));

  /* Undone: the grids exactly as before the redraw; redone: as after it. */
  g_assert_true (gp_project_edit_undo (project, edit, &error));
  g_assert_no_error (error);
  assert_same_grids (project, before);
  g_assert_true (gp_project_edit_redo (project, edit, &error));
  g_assert_no_error (error);
  assert_same_grids (project, after);

  /* Unknown and locked grids are refused, the project as it was. */
  {
    const char *unknown[] = { "150602001001999", NULL };
    const char *both[] = { ((GpProjectGrid *) g_ptr_array_index (after, 0))->code, NULL };
    g_autoptr(GpPlanSplitResult) none = NULL;
    g_autoptr(GpProjectEdit) lock = NULL;

    options.redraw = unknown;
    none = gp_plan_split (project, &options, NULL, NULL, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, GP_ERROR, GP_ERROR_NOT_FOUND);
    g_clear_error (&error);
    lock = gp_project_lock_grids (project, both, TRUE, &error);
    g_assert_no_error (error);
    g_assert_nonnull (lock);
    options.redraw = both;
    none = gp_plan_split (project, &options, NULL, NULL, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    g_assert_cmpuint (stored_grids (project), ==, after->len);
  }
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plan/split/sync", test_sync);
  g_test_add_func ("/plan/split/areas", test_areas);
  g_test_add_func ("/plan/split/async", test_async);
  g_test_add_func ("/plan/split/cancel", test_cancel);
  g_test_add_func ("/plan/split/errors", test_errors);
  g_test_add_func ("/plan/split/resplit", test_resplit);
  g_test_add_func ("/plan/split/redraw", test_redraw);
  return g_test_run ();
}
