/* test-export.c: the lists leadership asks for: masks, the assignment list as a workbook read back, people as CSV with a BOM, grids as a shapefile reopened with Chinese intact, nothing left on failure. */
#include "gp-error.h"
#include "gp-plan-assign.h"
#include "gp-plan-contacts.h"
#include "gp-plan-export.h"
#include "gp-plan-load.h"
#include "gp-plan-roster.h"
#include "gp-shp.h"
#include "gp-xlsx.h"
#include "unit/plan/plan-fixtures.h"

#include <string.h>

static void
test_masks (void)
{
  struct { const char *in, *phone, *id; } cases[] = {
    { "13812345678", "138****5678", "138123*5678" },
    { "0477-8123456", "047*****3456", "0477-8**3456" },
    { "150603199001011234", "150***********1234", "150603********1234" },
    { "15060319900101123X", "150***********123X", "150603********123X" },
    { "12345", "***45", "***45" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *phone = gp_mask_phone (cases[i].in);
      g_autofree char *id = gp_mask_id_number (cases[i].in);

      g_assert_cmpstr (phone, ==, cases[i].phone);
      g_assert_cmpstr (id, ==, cases[i].id);
    }
  g_assert_null (gp_mask_phone (NULL));
  g_assert_null (gp_mask_id_number (NULL));
}

/* The assign fixture with a roster (phones, one ID number) and its automatic assignment. */
static GpProject *
export_project (const char *dir)
{
  g_autoptr(GpProject) project = assign_project (dir);
  g_autofree char *roster = g_build_filename (dir, "roster.csv", NULL);
  g_autoptr(GpRosterResult) people = NULL;
  g_autoptr(GpAssignResult) r = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (roster,
    "姓名,身份,社区代码,经度,纬度,手机,身份证号\n"
    "甲,专职网格员,150602001001,109.905,39.82,13812345678,150621190009078195\n"
    "乙,专职网格员,150602001001,109.925,39.82,13900001111,\n"
    "丙,专职网格员,150602001001,109.926,39.83,,\n"
    "丁,专职网格员,150602001001,109.945,39.82,,\n"
    "己,专职网格员,150602001002,109.990,39.82,,\n"
    "庚,党员,150602001002,109.960,39.82,,\n", -1, &error));
  people = gp_plan_import_roster (project, roster, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->imported, ==, 6);
  r = gp_plan_assign (project, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&project);
}

static const GpTableRow *
row_of (GpTable *table, const char *first)
{
  for (guint i = 0; i < table->rows->len; i++)
    {
      const GpTableRow *row = g_ptr_array_index (table->rows, i);

      if (g_strcmp0 (gp_table_row_cell (row, 0), first) == 0)
        return row;
    }
  g_assert_not_reached ();
}

static void
test_list_workbook (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = export_project (dir);
  g_autofree char *path = g_build_filename (dir, "list.xlsx", NULL);
  g_autoptr(GpTable) all = NULL, community = NULL, full = NULL;
  g_autoptr(GpExport) masked = NULL, in_full = NULL;
  g_autoptr(GError) error = NULL;
  GpExportOptions options;
  const GpTableRow *middle, *village;

  gp_export_options_init (&options);
  masked = gp_export_load (project, &options, &error);
  g_assert_no_error (error);
  g_assert_true (gp_export_list (masked, path, &error));
  g_assert_no_error (error);
  all = gp_xlsx_read_table (path, NULL, &error);
  g_assert_no_error (error);
  /* A title, the header, five grids. */
  g_assert_cmpuint (all->rows->len, ==, 7);
  g_assert_cmpuint (((GpTableRow *) g_ptr_array_index (all->rows, 0))->line, ==, 1);
  g_assert_cmpstr (gp_table_row_cell (g_ptr_array_index (all->rows, 1), 0), ==, "Grid code");
  middle = row_of (all, "150602001001002");
  g_assert_cmpstr (gp_table_row_cell (middle, 2), ==, "交通街道");
  g_assert_cmpstr (gp_table_row_cell (middle, 3), ==, "宏泰社区");
  g_assert_cmpstr (gp_table_row_cell (middle, 5), ==, "500");
  /* 乙 and 丙 live by the middle grid of 500 households: both on it; the phone masked. */
  g_assert_nonnull (strstr (gp_table_row_cell (middle, 7), "乙"));
  g_assert_nonnull (strstr (gp_table_row_cell (middle, 7), "丙"));
  g_assert_nonnull (strstr (gp_table_row_cell (middle, 7), "、"));
  g_assert_cmpstr (gp_table_row_cell (middle, 8), ==, "139****1111");
  village = row_of (all, "150602001002001");
  /* 庚, the village's party member: one member, five households in contact. */
  g_assert_cmpstr (gp_table_row_cell (village, 10), ==, "1");
  g_assert_cmpstr (gp_table_row_cell (village, 11), ==, "5");

  /* One sheet per community, by its name. */
  community = gp_xlsx_read_table (path, "巴音门克村", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (community->rows->len, ==, 4);

  /* In full only when asked. */
  options.personal_data = TRUE;
  in_full = gp_export_load (project, &options, &error);
  g_assert_no_error (error);
  g_assert_true (gp_export_list (in_full, path, &error));
  full = gp_xlsx_read_table (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gp_table_row_cell (row_of (full, "150602001001002"), 8), ==, "13900001111");
}

static void
test_people_csv (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = export_project (dir);
  g_autofree char *path = g_build_filename (dir, "people.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GpTable) table = NULL;
  g_autoptr(GError) error = NULL;
  const GpTableRow *jia;

  g_autoptr(GpExport) export = gp_export_load (project, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (gp_export_people (export, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF"));
  g_assert_null (strstr (text, "13812345678"));
  g_assert_null (strstr (text, "150621190009078195"));
  table = gp_table_read_csv (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (table->rows->len, ==, 7);
  jia = row_of (table, "P000001");
  g_assert_cmpstr (gp_table_row_cell (jia, 1), ==, "甲");
  g_assert_cmpstr (gp_table_row_cell (jia, 6), ==, "138****5678");
  g_assert_cmpstr (gp_table_row_cell (jia, 7), ==, "150621********8195");
}

static void
test_grids_shapefile (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = export_project (dir);
  g_autofree char *path = g_build_filename (dir, "网格.shp", NULL);
  g_autofree char *cpg = g_build_filename (dir, "网格.cpg", NULL);
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GError) error = NULL;
  GpFeature *f;

  g_autoptr(GpExport) export = gp_export_load (project, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (gp_export_grids (export, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (cpg, G_FILE_TEST_EXISTS));
  layer = gp_shp_read (path, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gp_layer_get_n_features (layer), ==, 5);
  f = gp_layer_get_feature (layer, 1);
  g_assert_cmpstr (f->values[gp_layer_find_field (layer, "code")].text, ==, "150602001001002");
  g_assert_cmpstr (f->values[gp_layer_find_field (layer, "community")].text, ==, "宏泰社区");
  g_assert_cmpstr (f->values[gp_layer_find_field (layer, "township")].text, ==, "交通街道");
  g_assert_cmpint (f->values[gp_layer_find_field (layer, "households")].integer, ==, 500);
  g_assert_nonnull (f->shape);
}

/* The report's people side: 5 workers on 5 grids but one village grid without; 庚 reaches 5 of
 * its grid's 300 households, nobody the others'. */
static void
test_people_load (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = export_project (dir);
  g_autoptr(GError) error = NULL;
  GpPeopleLoad load;

  g_assert_true (gp_plan_people_load (project, &load, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (load.total, ==, 6);
  g_assert_cmpuint (load.by_role[GP_ROLE_FULLTIME], ==, 5);
  g_assert_cmpuint (load.by_role[GP_ROLE_PARTY], ==, 1);
  g_assert_cmpuint (load.unassigned, ==, 0);
  g_assert_cmpuint (load.grids, ==, 5);
  g_assert_cmpuint (load.grids_without_worker, ==, 1);
  /* 200, 500 / 2, 250 and 300 households per worker. */
  g_assert_cmpfloat (load.per_worker_median, ==, 250.0);
  g_assert_cmpfloat (load.per_worker_max, ==, 300.0);
  g_assert_cmpint (load.households_without_party_contact, ==, 200 + 500 + 250 + 295 + 300);
  /* Linked again at ten households each: 庚 reaches ten. */
  g_assert_true (gp_plan_relink_contacts (project, 10.0, &error));
  g_assert_no_error (error);
  g_assert_true (gp_plan_people_load (project, &load, &error));
  g_assert_cmpint (load.households_without_party_contact, ==, 200 + 500 + 250 + 290 + 300);
}

static void
test_failures_leave_nothing (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = export_project (dir);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "list.xlsx", NULL);
  g_autofree char *odd = g_build_filename (dir, "list.txt", NULL);
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n = 0;

  g_autoptr(GpExport) export = gp_export_load (project, NULL, NULL);

  g_assert_false (gp_export_list (export, missing, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_IO);
  g_clear_error (&error);
  g_assert_false (gp_export_people (export, odd, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* Only the project and its roster in the directory. */
  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_assert_true (g_str_has_prefix (name, "assign.gpkg") || g_str_equal (name, "roster.csv"));
      n++;
    }
  g_assert_cmpuint (n, >=, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/export/masks", test_masks);
  g_test_add_func ("/export/list-workbook", test_list_workbook);
  g_test_add_func ("/export/people-csv", test_people_csv);
  g_test_add_func ("/export/grids-shapefile", test_grids_shapefile);
  g_test_add_func ("/export/people-load", test_people_load);
  g_test_add_func ("/export/failures-leave-nothing", test_failures_leave_nothing);
  return g_test_run ();
}
