/* test-events.c: service items from a ledger: statuses in every hand, placed by grid code or by place, every problem reason with its row, re-import by code, the grid's worst item. */
#include "gp-plan-events.h"
#include "gp-plan-values.h"
#include "unit/plan/plan-fixtures.h"

#include <math.h>
#include <string.h>

static void
test_status_words (void)
{
  const struct { const char *text; GpEventStatus status; } cases[] = {
    { "红", GP_EVENT_RED }, { "超期", GP_EVENT_RED }, { " Red ", GP_EVENT_RED }, { "黄色", GP_EVENT_YELLOW },
    { "办理中", GP_EVENT_YELLOW }, { "In progress", GP_EVENT_YELLOW }, { "已办结", GP_EVENT_GREEN },
    { "GREEN", GP_EVENT_GREEN },
  };
  GpEventStatus s;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_true (gp_event_status_parse (cases[i].text, &s));
      g_assert_cmpint (s, ==, cases[i].status);
    }
  g_assert_false (gp_event_status_parse ("完成了吗", &s));
  g_assert_false (gp_event_status_parse ("", &s));
}

static const char *
reason_on (const GpEventsResult *r, guint row, gboolean *rejected)
{
  for (guint i = 0; i < r->problems->len; i++)
    {
      const GpRosterProblem *p = &g_array_index (r->problems, GpRosterProblem, i);

      if (p->row == row)
        {
          *rejected = p->rejected;
          return p->reason;
        }
    }
  return NULL;
}

static double
value_of (GHashTable *values, const char *code)
{
  const double *v = g_hash_table_lookup (values, code);

  g_assert_nonnull (v);
  return *v;
}

static void
test_ledger (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = assign_project (dir);
  g_autofree char *path = g_build_filename (dir, "台账.csv", NULL);
  g_autoptr(GpEventsResult) r = NULL, again = NULL;
  g_autoptr(GHashTable) status = NULL;
  g_autoptr(GError) error = NULL;
  const struct { guint row; gboolean rejected; const char *words; } want[] = {
    { 6, TRUE, "no code" }, { 7, TRUE, "already on row 3" }, { 8, TRUE, "none of" }, { 9, TRUE, "neither" },
    { 10, TRUE, "no grid NOSUCH" }, { 11, TRUE, "not a place" }, { 12, FALSE, "in no grid" },
    { 13, FALSE, "not a date" },
  };

  g_assert_true (g_file_set_contents (path,
    "网格服务事项台账\n"
    "编号,事项,状态,日期,经度,纬度,网格编码\n"
    "E1,路灯损坏,超期,2026-03-05,109.905,39.82,\n"
    "E2,低保咨询,办理中,2026/3/5,,,150602001002002\n"
    "E3,垃圾清运,已办结,20260305,109.96,39.82,\n"
    ",没有编号,红,,109.905,39.82,\n"
    "E1,重复,红,,109.905,39.82,\n"
    "E5,状态不明,完成了吗,,109.905,39.82,\n"
    "E6,无处可放,红,,,,\n"
    "E7,网格不存在,红,,,,NOSUCH\n"
    "E8,经度错,红,,200,39.82,\n"
    "E9,网格外,黄,,109.93,39.87,\n"
    "E10,日期错,绿,明天,109.905,39.82,\n", -1, &error));
  r = gp_plan_import_events (project, path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->imported, ==, 5);
  g_assert_cmpuint (r->rejected, ==, 6);
  g_assert_cmpuint (r->flagged, ==, 2);
  g_assert_cmpuint (r->by_status[GP_EVENT_RED], ==, 1);
  g_assert_cmpuint (r->by_status[GP_EVENT_YELLOW], ==, 2);
  g_assert_cmpuint (r->by_status[GP_EVENT_GREEN], ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      gboolean rejected = !want[i].rejected;
      const char *reason = reason_on (r, want[i].row, &rejected);

      g_test_message ("row %u: %s", want[i].row, reason);
      g_assert_nonnull (reason);
      g_assert_nonnull (strstr (reason, want[i].words));
      g_assert_cmpint (rejected, ==, want[i].rejected);
    }

  /* The worst item of each grid: E1 red in the west grid, E2 yellow in the village's east one,
   * E3 green (and E10) in the grids they lie in; a grid without items has no value. */
  status = gp_plan_grid_values (project, "status", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (value_of (status, "150602001001001"), ==, 2.0);
  g_assert_cmpfloat (value_of (status, "150602001002002"), ==, 1.0);
  g_assert_cmpfloat (value_of (status, "150602001002001"), ==, 0.0);
  g_assert_true (isnan (value_of (status, "150602001001003")));

  /* E1 done: updated in place, the west grid now green only. */
  g_assert_true (g_file_set_contents (path, "编号,状态,网格编码\nE1,已办结,150602001001001\n", -1, &error));
  again = gp_plan_import_events (project, path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->imported, ==, 0);
  g_assert_cmpuint (again->updated, ==, 1);
  g_clear_pointer (&status, g_hash_table_unref);
  status = gp_plan_grid_values (project, "status", &error);
  g_assert_cmpfloat (value_of (status, "150602001001001"), ==, 0.0);
  gp_test_rmdir (dir);
}

static void
test_no_status_column (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = assign_project (dir);
  g_autofree char *path = g_build_filename (dir, "x.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "编号,事项\nE1,路灯\n", -1, &error));
  g_assert_null (gp_plan_import_events (project, path, NULL, NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "状态"));
  gp_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/events/status-words", test_status_words);
  g_test_add_func ("/events/ledger", test_ledger);
  g_test_add_func ("/events/no-status-column", test_no_status_column);
  return g_test_run ();
}
