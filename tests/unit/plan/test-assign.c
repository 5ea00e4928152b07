/* test-assign.c: full-time workers to grids through the project: own community only, one per grid before any second, the nearest, locks kept, shortages named. */
#include "gp-gpkg.h"
#include "gp-plan-assign.h"
#include "gp-plan-roster.h"
#include "gp-project-grids.h"
#include "gp-project-people.h"
#include "gp-project-private.h"
#include "unit/plan/plan-fixtures.h"

#include <string.h>

static const char *
grid_of (GpProject *project, const char *name)
{
  static char code[32];
  g_autofree char *sql = g_strdup_printf ("SELECT a.grid_code FROM assignments a JOIN people p ON p.id = a.person_id"
                                          " WHERE p.name = '%s'", name);
  sqlite3_stmt *stmt = NULL;

  code[0] = '\0';
  g_assert_cmpint (sqlite3_prepare_v2 (_gp_project_get_db (project), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    g_strlcpy (code, (const char *) sqlite3_column_text (stmt, 0), sizeof code);
  sqlite3_finalize (stmt);
  return code;
}

static void
test_assign (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = assign_project (dir);
  g_autofree char *roster = g_build_filename (dir, "roster.csv", NULL);
  g_autoptr(GpRosterResult) people = NULL;
  g_autoptr(GpAssignResult) r = NULL, again = NULL;
  g_autoptr(GError) error = NULL;

  /* Homes: 甲 by the west grid, 乙 and 丙 by the middle, 丁 by the east, 戊 far west; 己 in the
   * village; 庚 a party member (never a full-time worker). */
  g_assert_true (g_file_set_contents (roster,
    "姓名,身份,社区代码,经度,纬度\n"
    "甲,专职网格员,150602001001,109.905,39.82\n"
    "乙,专职网格员,150602001001,109.925,39.82\n"
    "丙,专职网格员,150602001001,109.926,39.83\n"
    "丁,专职网格员,150602001001,109.945,39.82\n"
    "戊,专职网格员,150602001001,109.901,39.81\n"
    "己,专职网格员,150602001002,109.990,39.82\n"
    "庚,党员,150602001002,109.960,39.82\n", -1, &error));
  people = gp_plan_import_roster (project, roster, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->imported, ==, 7);

  r = gp_plan_assign (project, NULL, &error);
  g_assert_no_error (error);
  /* 4 places in 宏泰社区 for 5 workers, 1 of 2 grids in the village. */
  g_assert_cmpuint (r->assigned[GP_ROLE_FULLTIME], ==, 5);
  g_assert_cmpuint (r->unplaced[GP_ROLE_FULLTIME], ==, 1);
  g_assert_cmpstr (grid_of (project, "乙"), ==, "150602001001002");
  g_assert_cmpstr (grid_of (project, "丙"), ==, "150602001001002");
  g_assert_cmpstr (grid_of (project, "丁"), ==, "150602001001003");
  g_assert_cmpstr (grid_of (project, "己"), ==, "150602001002002");
  /* 庚 is a party member: placed as one, by the grid nearest home. */
  g_assert_cmpstr (grid_of (project, "庚"), ==, "150602001002001");
  /* 甲 and 戊 both live by the west grid: one of them has it, the other none. */
  {
    gboolean jia = strcmp (grid_of (project, "甲"), "150602001001001") == 0;
    gboolean wu = strcmp (grid_of (project, "戊"), "150602001001001") == 0;

    g_assert_true (jia != wu);
  }
  g_assert_cmpuint (r->grids_without_worker->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (r->grids_without_worker, 0), ==, "150602001002001");
  g_assert_cmpuint (r->short_communities->len, ==, 1);
  g_assert_cmpstr (g_array_index (r->short_communities, GpAssignShort, 0).community, ==, "150602001002");

  /* A worker locked to the east grid by hand stays there on the next run, and counts. */
  g_assert_true (gp_sqlite_exec (_gp_project_get_db (project),
                                 "DELETE FROM assignments WHERE person_id = (SELECT id FROM people WHERE name = '丁');"
                                 "INSERT INTO assignments (person_id, grid_code, role, source, locked)"
                                 " SELECT id, '150602001001001', 'fulltime', 'manual', 1 FROM people WHERE name = '丁'",
                                 &error));
  again = gp_plan_assign (project, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->kept[GP_ROLE_FULLTIME], ==, 1);
  g_assert_cmpstr (grid_of (project, "丁"), ==, "150602001001001");
  /* The west grid is full with 丁: three places left (two in the middle, the east) for four workers. */
  g_assert_cmpuint (again->assigned[GP_ROLE_FULLTIME], ==, 4);
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

/* Party members fill their community's grids evenly, a place per 5 households (or --contact-ratio);
 * instructors spread one per grid; building heads go to the grid holding their home. */
static void
test_other_roles (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = assign_project (dir);
  g_autofree char *roster = g_build_filename (dir, "roster.csv", NULL);
  g_autoptr(GString) text = g_string_new ("姓名,身份,社区代码,经度,纬度\n");
  g_autoptr(GpRosterResult) people = NULL;
  g_autoptr(GpAssignResult) r = NULL, fewer = NULL;
  g_autoptr(GError) error = NULL;
  GpAssignOptions options;
  sqlite3_stmt *stmt = NULL;

  /* 60 party members all living in the west of 宏泰社区 (places: 40 + 100 + 50 at 5 households). */
  for (guint i = 0; i < 60; i++)
    g_string_append_printf (text, "党员%u,党员,150602001001,109.901,39.81\n", i);
  g_string_append (text, "指导一,部门指导员,150602001001,,\n指导二,部门指导员,150602001001,,\n"
                         "楼长甲,楼栋长,150602001001,109.940,39.82\n楼长乙,楼栋长,150602001001,,\n");
  g_assert_true (g_file_set_contents (roster, text->str, -1, &error));
  people = gp_plan_import_roster (project, roster, NULL, NULL, &error);
  g_assert_no_error (error);
  r = gp_plan_assign (project, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->assigned[GP_ROLE_PARTY], ==, 60);
  /* Evenly by share of places: 60 of 190 places is about a third of each grid's, so the middle
   * grid (100 places) gets the most although everyone lives in the west. */
  g_assert_cmpint (sqlite3_prepare_v2 (_gp_project_get_db (project),
                                       "SELECT grid_code, count(*) FROM assignments WHERE role = 'party'"
                                       " GROUP BY grid_code ORDER BY grid_code", -1, &stmt, NULL), ==, SQLITE_OK);
  {
    guint counts[3] = { 0 }, k = 0;

    while (sqlite3_step (stmt) == SQLITE_ROW && k < 3)
      counts[k++] = (guint) sqlite3_column_int (stmt, 1);
    g_test_message ("party members per grid: %u %u %u", counts[0], counts[1], counts[2]);
    g_assert_cmpuint (counts[1], >, counts[0]);
    g_assert_cmpuint (counts[1], >, counts[2]);
    g_assert_cmpuint (counts[0], >=, 12);
    g_assert_cmpuint (counts[2], >=, 15);
  }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (r->grids_short_of_party, ==, 5);
  g_assert_cmpuint (r->assigned[GP_ROLE_INSTRUCTOR], ==, 2);
  {
    g_autofree char *first = g_strdup (grid_of (project, "指导一"));

    g_assert_cmpstr (first, !=, "");
    g_assert_cmpstr (first, !=, grid_of (project, "指导二"));
  }
  g_assert_cmpstr (grid_of (project, "楼长甲"), ==, "150602001001003");
  g_assert_cmpuint (r->no_home, ==, 1);
  g_assert_cmpuint (r->unplaced[GP_ROLE_BUILDING_HEAD], ==, 1);

  /* One member per 20 households: 10 + 25 + 13 = 48 places for 60: 12 left over. */
  gp_assign_options_init (&options);
  options.contact_ratio = 20.0;
  fewer = gp_plan_assign (project, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fewer->assigned[GP_ROLE_PARTY], ==, 48);
  g_assert_cmpuint (fewer->unplaced[GP_ROLE_PARTY], ==, 12);
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

/* Instructors of one department go to different grids where the numbers allow, even when their
 * homes would stack them: 组织部's three live by the west grid, 民政局's three by the east. */
static void
test_departments_apart (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = assign_project (dir);
  g_autofree char *roster = g_build_filename (dir, "roster.csv", NULL);
  g_autoptr(GString) text = g_string_new ("姓名,身份,社区代码,经度,纬度,部门\n");
  g_autoptr(GpRosterResult) people = NULL;
  g_autoptr(GpAssignResult) r = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  guint rows = 0;

  for (guint i = 0; i < 3; i++)
    g_string_append_printf (text, "组织%u,部门指导员,150602001001,109.901,39.81,组织部\n"
                                  "民政%u,部门指导员,150602001001,109.949,39.81,民政局\n", i, i);
  g_assert_true (g_file_set_contents (roster, text->str, -1, &error));
  people = gp_plan_import_roster (project, roster, NULL, NULL, &error);
  g_assert_no_error (error);
  r = gp_plan_assign (project, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->assigned[GP_ROLE_INSTRUCTOR], ==, 6);
  /* Three grids, two each: one of each department on every grid. */
  g_assert_cmpint (sqlite3_prepare_v2 (_gp_project_get_db (project),
                                       "SELECT a.grid_code, p.department, count(*) FROM assignments a"
                                       " JOIN people p ON p.id = a.person_id WHERE a.role = 'instructor'"
                                       " GROUP BY a.grid_code, p.department", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 1);
      rows++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (rows, ==, 6);
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/assign/fulltime", test_assign);
  g_test_add_func ("/assign/other-roles", test_other_roles);
  g_test_add_func ("/assign/departments-apart", test_departments_apart);
  return g_test_run ();
}
