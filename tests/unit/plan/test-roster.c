/* test-roster.c: the roster import: encodings, quoting, headers, every problem with its row, ID numbers, re-import in place. */
#include "gp-gpkg.h"
#include "gp-plan-roster.h"
#include "gp-project-people.h"
#include "gp-project-private.h"
#include "gp-table.h"
#include "unit/store/store-fixtures.h"

#include <string.h>
#include <xlsxwriter.h>

/* A project with the four villages/communities of the store fixtures (lon/lat). */
static GpProject *
roster_project (const char *dir)
{
  g_autoptr(GpProject) project = fixture_project (dir, "roster.gpkg");
  g_autoptr(GpLayer) areas = fixture_areas ();

  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  return g_steal_pointer (&project);
}

static char *
write_file (const char *dir, const char *name, const char *utf8, const char *encoding, gboolean bom)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GString) bytes = g_string_new (bom ? "\xEF\xBB\xBF" : "");
  g_autoptr(GError) error = NULL;

  if (encoding != NULL)
    {
      gsize n = 0;
      g_autofree char *converted = g_convert (utf8, -1, encoding, "UTF-8", NULL, &n, &error);

      g_assert_no_error (error);
      g_string_append_len (bytes, converted, n);
    }
  else
    g_string_append (bytes, utf8);
  g_assert_true (g_file_set_contents (path, bytes->str, bytes->len, &error));
  return g_steal_pointer (&path);
}

static const GpRosterProblem *
problem_at (GpRosterResult *r, guint row)
{
  for (guint i = 0; i < r->problems->len; i++)
    if (g_array_index (r->problems, GpRosterProblem, i).row == row)
      return &g_array_index (r->problems, GpRosterProblem, i);
  return NULL;
}

static void
test_id_numbers (void)
{
  /* The demo's: region 150621, born 1900-09-07, check digit 5. */
  g_assert_true (gp_id_number_valid ("150621190009078195"));
  g_assert_false (gp_id_number_valid ("150621190009078194"));   /* check digit */
  g_assert_true (gp_id_number_valid ("11010519491231002X"));    /* X as check digit */
  g_assert_true (gp_id_number_valid ("11010519491231002x"));
  g_assert_false (gp_id_number_valid ("110105194902300021"));   /* 30 February */
  g_assert_false (gp_id_number_valid ("110105299901010028"));   /* born in 2999 */
  g_assert_true (gp_id_number_valid ("150621850101123"));       /* 15 digits, before 1999 */
  g_assert_false (gp_id_number_valid ("1506211900090781"));
  g_assert_false (gp_id_number_valid ("1.50621E+17"));
  g_assert_false (gp_id_number_valid (NULL));
}

static void
test_roles (void)
{
  GpRole role;

  g_assert_true (gp_role_parse ("专职网格员", &role) && role == GP_ROLE_FULLTIME);
  g_assert_true (gp_role_parse ("部门指导员", &role) && role == GP_ROLE_INSTRUCTOR);
  g_assert_true (gp_role_parse ("指导员", &role) && role == GP_ROLE_INSTRUCTOR);
  g_assert_true (gp_role_parse (" Party ", &role) && role == GP_ROLE_PARTY);
  g_assert_true (gp_role_parse ("building_head", &role) && role == GP_ROLE_BUILDING_HEAD);
  g_assert_true (gp_role_parse ("单元长", &role) && role == GP_ROLE_UNIT_HEAD);
  g_assert_true (gp_role_parse ("社区工作者", &role) && role == GP_ROLE_COMMUNITY_WORKER);
  g_assert_false (gp_role_parse ("保安", &role));
  g_assert_cmpstr (gp_role_name (GP_ROLE_PARTTIME), ==, "parttime");
}

/* The same roster in GBK, and in UTF-8 with a BOM, quoted fields with commas and a line break, a
 * title row above the header: the same people, and problems on the file's own lines. */
static void
test_encodings_and_quoting (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  const char *text =
    "宏泰社区网格员花名册（2026年12月）\r\n"
    "序号,姓名,身份,身份证号,联系电话,所属社区,工作单位\r\n"
    "1,云国军,专职网格员,150621190009078195,15800008642,宏泰社区,\"锡尼街道,宏泰社区\"\r\n"
    "2,刘雪,党员,150621190005226541,136-0000-5155,宏泰社区,\"第一行\r\n第二行\"\r\n"
    "3,王龙强,兼职网格员,,,巴音门克村,\r\n";
  const char *encodings[3] = { "GB18030", NULL, NULL };
  gboolean boms[3] = { FALSE, TRUE, FALSE };

  for (guint k = 0; k < 3; k++)
    {
      g_autoptr(GpProject) project = NULL;
      g_autofree char *name = g_strdup_printf ("roster%u.gpkg", k);
      g_autofree char *path = write_file (dir, k == 0 ? "gbk.csv" : k == 1 ? "bom.csv" : "utf8.csv", text,
                                          encodings[k], boms[k]);
      g_autoptr(GpRosterResult) r = NULL;
      g_autoptr(GPtrArray) people = NULL;
      g_autoptr(GError) error = NULL;

      project = fixture_project (dir, name);
      {
        g_autoptr(GpLayer) areas = fixture_areas ();

        fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
      }
      r = gp_plan_import_roster (project, path, NULL, NULL, &error);
      g_assert_no_error (error);
      /* GBK and GB18030 agree on everything a roster holds: either name will do. */
      if (k == 0)
        g_assert_true (g_str_has_prefix (r->encoding, "GB"));
      else
        g_assert_cmpstr (r->encoding, ==, "UTF-8");
      g_assert_cmpuint (r->imported, ==, 3);
      g_assert_cmpuint (r->rejected, ==, 0);
      g_assert_cmpuint (r->by_role[GP_ROLE_FULLTIME], ==, 1);
      g_assert_cmpuint (r->by_role[GP_ROLE_PARTY], ==, 1);
      g_assert_cmpuint (r->by_role[GP_ROLE_PARTTIME], ==, 1);
      people = gp_project_load_people (project, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (people->len, ==, 3);
      g_assert_cmpstr (((GpProjectPerson *) g_ptr_array_index (people, 0))->org, ==, "锡尼街道,宏泰社区");
      g_assert_cmpstr (((GpProjectPerson *) g_ptr_array_index (people, 1))->org, ==, "第一行\r\n第二行");
      g_assert_cmpstr (((GpProjectPerson *) g_ptr_array_index (people, 1))->phone, ==, "13600005155");
      g_assert_cmpstr (((GpProjectPerson *) g_ptr_array_index (people, 2))->area_code, ==, "150602001002");
      g_clear_object (&project);
    }
  gp_test_rmdir (dir);
}

/* Every problem, on its line, with the good rows imported all the same. */
static void
test_problems (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = roster_project (dir);
  const char *text =
    "name,role,id_number,phone,community,lon,lat,capacity\n"                 /* 1 */
    "张三,fulltime,150621190009078195,15800008642,150602001001,109.92,39.82,5\n" /* 2: good */
    ",party,,,150602001001,,,\n"                                               /* 3: no name */
    "李四,保安,,,150602001001,,,\n"                                            /* 4: unknown role */
    "王五,party,150621190009078194,,150602001001,,,\n"                         /* 5: check digit */
    "赵六,party,150621190009078195,,150602001001,,,\n"                         /* 6: same as row 2 */
    "钱七,party,,,青山村,,,\n"                                                  /* 7: unknown community */
    "孙八,party,,12345,宏泰社区,,,\n"                                           /* 8: not a phone */
    "周九,party,,,150602001001,120.5,31.2,\n"                                  /* 9: home far away */
    "吴十,party,,,150602001001,,,many\n"                                       /* 10: capacity */
    "郑一,party,1.50621E+17,,150602001001,,,\n";                               /* 11: Excel number */
  g_autofree char *path = write_file (dir, "problems.csv", text, NULL, FALSE);
  g_autofree char *rejects = g_build_filename (dir, "rejects.csv", NULL);
  g_autoptr(GpRosterResult) r = NULL;
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;

  r = gp_plan_import_roster (project, path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->imported, ==, 4);
  g_assert_cmpuint (r->rejected, ==, 6);
  g_assert_cmpuint (r->flagged, ==, 3);
  g_assert_true (problem_at (r, 3)->rejected && strstr (problem_at (r, 3)->reason, "name") != NULL);
  g_assert_true (problem_at (r, 4)->rejected && strstr (problem_at (r, 4)->reason, "保安") != NULL);
  g_assert_true (problem_at (r, 5)->rejected && strstr (problem_at (r, 5)->reason, "ID number") != NULL);
  g_assert_true (problem_at (r, 6)->rejected && strstr (problem_at (r, 6)->reason, "row 2") != NULL);
  g_assert_true (problem_at (r, 7)->rejected && strstr (problem_at (r, 7)->reason, "青山村") != NULL);
  g_assert_false (problem_at (r, 8)->rejected);
  g_assert_nonnull (strstr (problem_at (r, 8)->reason, "phone"));
  g_assert_false (problem_at (r, 9)->rejected);
  g_assert_false (problem_at (r, 10)->rejected);
  g_assert_true (problem_at (r, 11)->rejected && strstr (problem_at (r, 11)->reason, "text") != NULL);
  g_assert_null (problem_at (r, 2));
  /* No reason repeats personal data. */
  for (guint i = 0; i < r->problems->len; i++)
    {
      const char *reason = g_array_index (r->problems, GpRosterProblem, i).reason;

      g_assert_null (strstr (reason, "150621190009078"));
      g_assert_null (strstr (reason, "12345"));
    }

  people = gp_project_load_people (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->len, ==, 4);
  {
    GpProjectPerson *zhang = g_ptr_array_index (people, 0), *sun = g_ptr_array_index (people, 1);
    GpProjectPerson *zhou = g_ptr_array_index (people, 2), *wu = g_ptr_array_index (people, 3);

    g_assert_cmpstr (zhang->name, ==, "张三");
    g_assert_true (zhang->has_home);
    g_assert_cmpfloat (zhang->home_x, ==, 109.92);
    g_assert_cmpint (zhang->capacity, ==, 5);
    g_assert_cmpstr (sun->name, ==, "孙八");
    g_assert_null (sun->phone);
    g_assert_cmpstr (sun->area_code, ==, "150602001001");
    g_assert_false (zhou->has_home);
    g_assert_cmpint (wu->capacity, ==, -1);
  }

  /* The rejects file: BOM, the roster's columns, the row and the reason. */
  g_assert_true (gp_roster_write_rejects (r, rejects, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (rejects, &written, NULL, NULL));
  g_assert_true (g_str_has_prefix (written, "\xEF\xBB\xBF" "row,name,role,id_number"));
  g_assert_nonnull (strstr (written, "\r\n4,李四,保安,"));
  {
    g_auto(GStrv) lines = g_strsplit (written, "\r\n", -1);

    /* The header, nine problem rows, and nothing after the last line break. */
    g_assert_cmpuint (g_strv_length (lines), ==, 1 + 9 + 1);
  }
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

/* Re-importing an updated roster updates people in place (by ID number, else name and phone):
 * their ids and assignments stay. */
static void
test_reimport (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = roster_project (dir);
  g_autofree char *first = write_file (dir, "first.csv",
                                       "姓名,角色,身份证号,手机\n"
                                       "张三,专职网格员,150621190009078195,15800008642\n"
                                       "李四,党员,,13600005155\n", NULL, FALSE);
  g_autofree char *second = write_file (dir, "second.csv",
                                        "姓名,角色,身份证号,手机\n"
                                        "张三,兼职网格员,150621190009078195,15800000000\n"
                                        "李四,党员,,13600005155\n"
                                        "王五,楼栋长,,\n", NULL, FALSE);
  g_autoptr(GpRosterResult) r1 = NULL, r2 = NULL;
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GError) error = NULL;

  r1 = gp_plan_import_roster (project, first, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r1->imported, ==, 2);
  g_assert_true (gp_sqlite_exec (_gp_project_get_db (project),
                                 "INSERT INTO grids (code, area_code) VALUES ('150602001001001', '150602001001');"
                                 "INSERT INTO assignments (person_id, grid_code, role, locked) VALUES"
                                 " ('P000001', '150602001001001', 'fulltime', 1)", &error));
  r2 = gp_plan_import_roster (project, second, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r2->imported, ==, 1);
  g_assert_cmpuint (r2->updated, ==, 2);
  people = gp_project_load_people (project, &error);
  g_assert_cmpuint (people->len, ==, 3);
  g_assert_cmpstr (((GpProjectPerson *) g_ptr_array_index (people, 0))->id, ==, "P000001");
  g_assert_cmpstr (((GpProjectPerson *) g_ptr_array_index (people, 0))->role, ==, "parttime");
  g_assert_cmpstr (((GpProjectPerson *) g_ptr_array_index (people, 0))->phone, ==, "15800000000");
  g_assert_cmpstr (((GpProjectPerson *) g_ptr_array_index (people, 2))->id, ==, "P000003");
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (_gp_project_get_db (project),
                                         "SELECT count(*) FROM assignments WHERE person_id = 'P000001' AND locked = 1",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_finalize (stmt);
  }
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

/* A file that cannot be a roster fails whole, naming the file and the problem; nothing is written. */
static void
test_errors (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = roster_project (dir);
  g_autofree char *no_name = write_file (dir, "no-name.csv", "a,b,c\n1,2,3\n", NULL, FALSE);
  g_autofree char *quote = write_file (dir, "quote.csv", "姓名,角色\n\"张三,party\n", NULL, FALSE);
  g_autofree char *missing = g_build_filename (dir, "none.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (gp_plan_import_roster (project, no_name, NULL, NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "no-name.csv"));
  g_clear_error (&error);
  g_assert_null (gp_plan_import_roster (project, quote, NULL, NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_error (&error);
  g_assert_null (gp_plan_import_roster (project, missing, NULL, NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_IO);
  g_clear_error (&error);
  g_assert_cmpint (gp_project_count (project, "people", NULL), ==, 0);
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

/* An .xlsx roster: the sheet asked for, rows by their sheet numbers, an ID number typed as a number
 * rejected with the way to fix it. */
static void
test_xlsx (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = roster_project (dir);
  g_autofree char *path = g_build_filename (dir, "roster.xlsx", NULL);
  g_autoptr(GpRosterResult) r = NULL;
  g_autoptr(GError) error = NULL;
  lxw_workbook *book = workbook_new (path);
  lxw_worksheet *notes = workbook_add_worksheet (book, "说明");
  lxw_worksheet *sheet = workbook_add_worksheet (book, "人员");

  worksheet_write_string (notes, 0, 0, "填表说明", NULL);
  worksheet_write_string (sheet, 0, 0, "2026年网格员名单", NULL);
  worksheet_write_string (sheet, 2, 0, "姓名", NULL);
  worksheet_write_string (sheet, 2, 1, "身份", NULL);
  worksheet_write_string (sheet, 2, 2, "身份证号", NULL);
  worksheet_write_string (sheet, 2, 3, "联系电话", NULL);
  worksheet_write_string (sheet, 3, 0, "张三", NULL);
  worksheet_write_string (sheet, 3, 1, "专职网格员", NULL);
  worksheet_write_string (sheet, 3, 2, "150621190009078195", NULL);
  worksheet_write_number (sheet, 3, 3, 15800008642.0, NULL);
  worksheet_write_string (sheet, 4, 0, "李四", NULL);
  worksheet_write_string (sheet, 4, 1, "党员", NULL);
  worksheet_write_number (sheet, 4, 2, 150621190005226541.0, NULL);
  g_assert_cmpint (workbook_close (book), ==, LXW_NO_ERROR);

  r = gp_plan_import_roster (project, path, NULL, "人员", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->imported, ==, 1);
  g_assert_cmpuint (r->rejected, ==, 1);
  g_assert_true (problem_at (r, 5)->rejected);
  g_assert_nonnull (strstr (problem_at (r, 5)->reason, "text"));
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/roster/id-numbers", test_id_numbers);
  g_test_add_func ("/roster/roles", test_roles);
  g_test_add_func ("/roster/encodings-and-quoting", test_encodings_and_quoting);
  g_test_add_func ("/roster/problems", test_problems);
  g_test_add_func ("/roster/reimport", test_reimport);
  g_test_add_func ("/roster/errors", test_errors);
  g_test_add_func ("/roster/xlsx", test_xlsx);
  return g_test_run ();
}
