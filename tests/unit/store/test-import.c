/* test-import.c: importing areas, units and households: field guesses, parents, areas, CRS. */
#include <math.h>
#include <proj.h>

#include "gp-geom.h"
#include "gp-gpkg.h"
#include "gp-project-private.h"
#include "store-fixtures.h"

typedef struct {
  GpImportKind kind;
  const char *fields[6];
  int code, name, households, parent;
} GuessCase;

static void
test_guess_fields (void)
{
  static const GuessCase cases[] = {
    { GP_IMPORT_AREAS, { "代码", "名称", "户数", "所属街道" }, 0, 1, 2, 3 },
    { GP_IMPORT_AREAS, { "OBJECTID", "XZQDM", "XZQMC", "HH" }, 1, 2, 3, -1 },
    { GP_IMPORT_AREAS, { "adcode", "Name", "parent_code", "level" }, 0, 1, -1, 2 },
    { GP_IMPORT_AREAS, { "统计用区划代码", "名称", "总户数", "上级代码" }, 0, 1, 2, 3 },
    { GP_IMPORT_AREAS, { "社区编码1", "社区名称2020", "住户数 " }, 0, 1, 2, -1 },
    { GP_IMPORT_AREAS, { "ID", "CODE", "NAME" }, 1, 2, -1, -1 },
    { GP_IMPORT_UNITS, { "小区名称", "总户数", "社区代码", "小区编码" }, 3, 0, 1, 2 },
    { GP_IMPORT_UNITS, { "name", "Households", "area_code" }, -1, 0, 1, 2 },
    { GP_IMPORT_UNITS, { "村民小组", "户", "所属村" }, -1, 0, 1, 2 },
    { GP_IMPORT_UNITS, { "编码", "名称", "HH_COUNT", "区划代码" }, 0, 1, 2, 3 },
    { GP_IMPORT_HOUSEHOLDS, { "户编码", "所属社区", "户数" }, 0, -1, -1, 1 },
    { GP_IMPORT_HOUSEHOLDS, { "FID_1", "X", "Y" }, -1, -1, -1, -1 },
  };

  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GpLayer) layer = gp_layer_new ("case");
      g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) error = NULL;
      int fields[GP_IMPORT_N_ROLES];

      for (gsize i = 0; i < G_N_ELEMENTS (cases[c].fields) && cases[c].fields[i] != NULL; i++)
        gp_layer_add_field (layer, cases[c].fields[i], GP_FIELD_STRING, 0, 0);
      g_assert_true (_gp_import_map_fields (layer, cases[c].kind, NULL, fields, notes, &error));
      g_assert_no_error (error);
      g_test_message ("case %" G_GSIZE_FORMAT ": %s", c, cases[c].fields[0]);
      g_assert_cmpint (fields[GP_IMPORT_ROLE_CODE], ==, cases[c].code);
      g_assert_cmpint (fields[GP_IMPORT_ROLE_NAME], ==, cases[c].name);
      g_assert_cmpint (fields[GP_IMPORT_ROLE_HOUSEHOLDS], ==, cases[c].households);
      g_assert_cmpint (fields[GP_IMPORT_ROLE_PARENT], ==, cases[c].parent);
    }
}

static void
test_guess_notes_and_map (void)
{
  g_autoptr(GpLayer) layer = gp_layer_new ("case");
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GpFieldMap map = { .households_field = "hh_2023" };
  GpFieldMap wrong = { .code_field = "编号" };
  int fields[GP_IMPORT_N_ROLES];

  gp_layer_add_field (layer, "代码", GP_FIELD_STRING, 0, 0);
  gp_layer_add_field (layer, "户数", GP_FIELD_INTEGER, 0, 0);
  gp_layer_add_field (layer, "HH_2023", GP_FIELD_INTEGER, 0, 0);

  g_assert_true (_gp_import_map_fields (layer, GP_IMPORT_UNITS, NULL, fields, notes, &error));
  g_assert_cmpint (fields[GP_IMPORT_ROLE_HOUSEHOLDS], ==, 1);
  g_assert_true (fixture_has_note (notes, "guessed households from field 户数"));
  g_assert_true (fixture_has_note (notes, "guessed the code from field 代码"));
  g_ptr_array_set_size (notes, 0);

  /* A named field wins over every guess, and is not noted as a guess. */
  g_assert_true (_gp_import_map_fields (layer, GP_IMPORT_UNITS, &map, fields, notes, &error));
  g_assert_cmpint (fields[GP_IMPORT_ROLE_HOUSEHOLDS], ==, 2);
  g_assert_false (fixture_has_note (notes, "households"));

  g_assert_false (_gp_import_map_fields (layer, GP_IMPORT_UNITS, &wrong, fields, notes, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "编号"));
  g_assert_nonnull (strstr (error->message, "代码, 户数, HH_2023"));
}

static void
test_parent_by_code (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = fixture_project (dir, "plan.gpkg");
  g_autoptr(GpLayer) township = fixture_layer ("township", V ("代码", "名称"), 4326);
  g_autoptr(GpLayer) villages = fixture_layer ("villages", V ("代码", "名称"), 4326);
  g_autoptr(GpLayer) stored = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  /* The township's 9-digit form; one village lies outside it, so location could not tell. */
  fixture_add (township, fixture_rect (109.90, 39.80, 110.00, 39.90), V ("150602001", "交通街道"));
  fixture_add (villages, fixture_rect (109.90, 39.80, 109.95, 39.85), V ("150602001001", "宏泰社区"));
  fixture_add (villages, fixture_rect (111.00, 41.00, 111.05, 41.05), V ("150602001002", "巴音门克村"));
  fixture_import (project, township, GP_IMPORT_AREAS, NULL);
  fixture_import (project, villages, GP_IMPORT_AREAS, notes);
  fixture_print_notes (notes);
  g_assert_true (fixture_has_note (notes, "found the parent of 2 areas by their codes"));

  stored = gp_project_load_layer (project, "areas", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fixture_lookup (stored, "150602001001", "parent_code"), ==, "150602001");
  g_assert_cmpstr (fixture_lookup (stored, "150602001002", "parent_code"), ==, "150602001");
  g_assert_null (fixture_lookup (stored, "150602001", "parent_code"));
  g_assert_cmpstr (fixture_lookup (stored, "150602001", "level"), ==, "township");
  g_assert_cmpstr (fixture_lookup (stored, "150602001001", "level"), ==, "village");
  g_assert_cmpstr (fixture_lookup (stored, "150602001001", "kind"), ==, "urban");
  g_assert_cmpstr (fixture_lookup (stored, "150602001002", "kind"), ==, "rural");
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

static void
test_parent_in_one_import (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = fixture_project (dir, "plan.gpkg");
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GpLayer) stored = NULL;
  g_autoptr(GError) error = NULL;
  int households;

  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  stored = gp_project_load_layer (project, "areas", &error);
  g_assert_no_error (error);
  for (guint i = 1; i < 5; i++)
    g_assert_cmpstr (fixture_lookup (stored, gp_layer_get_feature (areas, i)->values[0].text, "parent_code"),
                     ==, "150602001000");
  households = gp_layer_find_field (stored, "households");
  g_assert_cmpint (gp_layer_get_feature (stored, 1)->values[households].integer, ==, 1200);
  /* The street had no count in the file: it carries its four villages' and communities'. */
  g_assert_false (gp_layer_get_feature (stored, 0)->values[households].is_null);
  g_assert_cmpint (gp_layer_get_feature (stored, 0)->values[households].integer, ==, 1200 + 800 + 950 + 400);
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

static void
test_parent_by_field (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = fixture_project (dir, "plan.gpkg");
  g_autoptr(GpLayer) areas = fixture_layer ("areas", V ("CODE", "NAME", "所属街道"), 4326);
  g_autoptr(GpLayer) stored = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  /* Codes say nothing, places would say otherwise: the field (by code or by name) decides. */
  fixture_add (areas, fixture_rect (109.90, 39.80, 110.00, 39.90), V ("JT", "交通街道", NULL));
  fixture_add (areas, fixture_rect (110.00, 39.80, 110.10, 39.90), V ("TX", "天骄街道", NULL));
  fixture_add (areas, fixture_rect (109.90, 39.80, 109.95, 39.85), V ("HT", "宏泰社区", "天骄街道"));
  fixture_add (areas, fixture_rect (110.00, 39.80, 110.05, 39.85), V ("LY", "林荫社区", "JT"));
  fixture_add (areas, fixture_rect (110.05, 39.80, 110.10, 39.85), V ("XX", "新星社区", "不存在街道"));
  fixture_import (project, areas, GP_IMPORT_AREAS, notes);
  fixture_print_notes (notes);
  g_assert_true (fixture_has_note (notes, "guessed the parent area from field 所属街道"));
  g_assert_true (fixture_has_note (notes, "found the parent of 2 areas by the parent field"));
  g_assert_true (fixture_has_note (notes, "1 area names a parent that is not in the project (records 4)"));

  stored = gp_project_load_layer (project, "areas", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fixture_lookup (stored, "HT", "parent_code"), ==, "TX");
  g_assert_cmpstr (fixture_lookup (stored, "LY", "parent_code"), ==, "JT");
  /* An unknown parent falls back to location. */
  g_assert_cmpstr (fixture_lookup (stored, "XX", "parent_code"), ==, "TX");
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

static void
test_parent_by_location (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = fixture_project (dir, "plan.gpkg");
  g_autoptr(GpLayer) upper = fixture_layer ("upper", V ("代码", "名称"), 4326);
  g_autoptr(GpLayer) villages = fixture_layer ("villages", V ("代码", "名称"), 4326);
  g_autoptr(GpLayer) stored = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  fixture_add (upper, fixture_rect (109.0, 39.0, 111.0, 41.0), V ("C", "东胜区"));
  fixture_add (upper, fixture_rect (109.90, 39.80, 110.00, 39.90), V ("T1", "交通街道"));
  fixture_add (upper, fixture_rect (110.00, 39.80, 110.10, 39.90), V ("T2", "天骄街道"));
  fixture_import (project, upper, GP_IMPORT_AREAS, notes);
  g_assert_true (fixture_has_note (notes, "found the parent of 2 areas by location"));

  /* An L-shaped village whose bounding-box centre lies outside it, in the other street. */
  {
    GpShape *l = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, 7, 1, 1);
    const double xy[14] = { 110.00, 39.80, 110.00, 39.89, 110.01, 39.89, 110.01, 39.81,
                            110.09, 39.81, 110.09, 39.80, 110.00, 39.80 };

    memcpy (l->xy, xy, sizeof xy);
    fixture_add (villages, l, V ("V3", "L形村"));
  }
  fixture_add (villages, fixture_rect (109.91, 39.81, 109.92, 39.82), V ("V1", "宏泰社区"));
  fixture_add (villages, fixture_rect (110.01, 39.81, 110.02, 39.82), V ("V2", "林荫社区"));
  fixture_add (villages, fixture_rect (120.0, 30.0, 120.1, 30.1), V ("V4", "远方村"));
  g_ptr_array_set_size (notes, 0);
  fixture_import (project, villages, GP_IMPORT_AREAS, notes);
  fixture_print_notes (notes);
  g_assert_true (fixture_has_note (notes, "found the parent of 3 areas by location"));
  g_assert_true (fixture_has_note (notes, "1 area has no parent area in the project"));

  stored = gp_project_load_layer (project, "areas", &error);
  g_assert_no_error (error);
  g_assert_null (fixture_lookup (stored, "C", "parent_code"));
  g_assert_cmpstr (fixture_lookup (stored, "T1", "parent_code"), ==, "C");
  g_assert_cmpstr (fixture_lookup (stored, "T2", "parent_code"), ==, "C");
  g_assert_cmpstr (fixture_lookup (stored, "V1", "parent_code"), ==, "T1");
  g_assert_cmpstr (fixture_lookup (stored, "V2", "parent_code"), ==, "T2");
  g_assert_cmpstr (fixture_lookup (stored, "V3", "parent_code"), ==, "T2");
  g_assert_null (fixture_lookup (stored, "V4", "parent_code"));
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

static void
test_units_by_location (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = fixture_project (dir, "plan.gpkg");
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GpLayer) units = fixture_units ();
  g_autoptr(GpLayer) stored = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  int households;

  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  /* One unit without a households value, one without a code, one far outside every area. */
  fixture_add (units, fixture_rect (109.96, 39.86, 109.97, 39.87), V ("U005", "二组", NULL));
  fixture_add (units, fixture_rect (109.91, 39.86, 109.92, 39.87), V (NULL, "无名小区", "50"));
  fixture_add (units, gp_shape_new_point (120.0, 30.0), V ("U007", "远方小区", "5"));
  fixture_import (project, units, GP_IMPORT_UNITS, notes);
  fixture_print_notes (notes);
  g_assert_true (fixture_has_note (notes, "found the area of 6 units by location"));
  g_assert_true (fixture_has_note (notes, "1 unit has no households value and counts as 0 (records 4)"));
  g_assert_true (fixture_has_note (notes, "no area of the project holds 1 unit (records 6)"));
  g_assert_true (fixture_has_note (notes, "gave 1 unit without a code"));

  stored = gp_project_load_layer (project, "units", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fixture_lookup (stored, "U001", "area_code"), ==, "150602001001");
  g_assert_cmpstr (fixture_lookup (stored, "U002", "area_code"), ==, "150602001001");
  g_assert_cmpstr (fixture_lookup (stored, "U003", "area_code"), ==, "150602001003");
  g_assert_cmpstr (fixture_lookup (stored, "U004", "area_code"), ==, "150602001002");
  g_assert_cmpstr (fixture_lookup (stored, "U005", "area_code"), ==, "150602001004");
  g_assert_cmpstr (fixture_lookup (stored, "150602001003-0001", "name"), ==, "无名小区");
  g_assert_null (fixture_lookup (stored, "U007", "area_code"));
  households = gp_layer_find_field (stored, "households");
  g_assert_cmpint (gp_layer_get_feature (stored, 4)->values[households].integer, ==, 0);
  g_assert_cmpint (gp_layer_get_feature (stored, 0)->values[households].integer, ==, 320);
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

static void
test_units_by_code (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = fixture_project (dir, "plan.gpkg");
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GpLayer) units = fixture_layer ("units", V ("小区编码", "小区名称", "户数:i", "社区代码"), 4326);
  g_autoptr(GpLayer) stored = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  /* The field wins over the place (the first lies in 宏泰社区 but is booked to 林荫社区); a name
   * works as well as a code; an unknown code is noted and the place decides. */
  fixture_add (units, fixture_rect (109.905, 39.805, 109.92, 39.82), V ("U1", "阳光小区", "320", "150602001003"));
  fixture_add (units, fixture_rect (109.925, 39.805, 109.94, 39.82), V ("U2", "幸福里", "280", "宏泰社区"));
  fixture_add (units, fixture_rect (109.955, 39.805, 109.97, 39.82), V ("U3", "一组", "60", "150602009999"));
  fixture_import (project, units, GP_IMPORT_UNITS, notes);
  fixture_print_notes (notes);
  g_assert_true (fixture_has_note (notes, "guessed the parent area from field 社区代码"));
  g_assert_true (fixture_has_note (notes, "found the area of 2 units by the area field"));
  g_assert_true (fixture_has_note (notes, "an unknown area in the area field of 1 unit (records 2)"));

  stored = gp_project_load_layer (project, "units", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fixture_lookup (stored, "U1", "area_code"), ==, "150602001003");
  g_assert_cmpstr (fixture_lookup (stored, "U2", "area_code"), ==, "150602001001");
  g_assert_cmpstr (fixture_lookup (stored, "U3", "area_code"), ==, "150602001002");
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

static void
test_households (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = fixture_project (dir, "plan.gpkg");
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GpLayer) units = fixture_units ();
  g_autoptr(GpLayer) households = fixture_layer ("households", V ("户编码"), 4326);
  g_autoptr(GpLayer) stored = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  fixture_import (project, units, GP_IMPORT_UNITS, NULL);
  fixture_add (households, gp_shape_new_point (109.91, 39.81), V ("H1"));
  fixture_add (households, gp_shape_new_point (109.945, 39.845), V ("H2"));
  fixture_add (households, fixture_rect (109.906, 39.856, 109.907, 39.857), V ("H3"));
  fixture_add (households, gp_shape_new_point (100.0, 30.0), V ("H4"));
  fixture_import (project, households, GP_IMPORT_HOUSEHOLDS, notes);
  fixture_print_notes (notes);
  g_assert_true (fixture_has_note (notes, "1 household is a polygon"));
  g_assert_true (fixture_has_note (notes, "found the unit of 2 households by location"));

  stored = gp_project_load_layer (project, "households", &error);
  g_assert_no_error (error);
  g_assert_cmpint (gp_layer_get_geometry_type (stored), ==, GP_GEOMETRY_TYPE_POINT);
  g_assert_cmpstr (fixture_lookup (stored, "H1", "area_code"), ==, "150602001001");
  g_assert_cmpstr (fixture_lookup (stored, "H1", "unit_code"), ==, "U001");
  g_assert_cmpstr (fixture_lookup (stored, "H2", "area_code"), ==, "150602001001");
  g_assert_null (fixture_lookup (stored, "H2", "unit_code"));
  g_assert_cmpstr (fixture_lookup (stored, "H3", "unit_code"), ==, "U003");
  g_assert_null (fixture_lookup (stored, "H4", "area_code"));
  g_assert_cmpint (gp_layer_get_feature (stored, 2)->shape->kind, ==, GP_SHAPE_POINT);
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

/* Moves every point of LAYER from lon/lat into UTM zone 49N (EPSG:32649) and labels it so. */
static void
to_utm (GpLayer *layer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpCrs) utm = gp_crs_new_from_epsg (32649, &error);
  PJ_CONTEXT *ctx = proj_context_create ();
  PJ *raw = proj_create_crs_to_crs (ctx, "EPSG:4326", "EPSG:32649", NULL);
  PJ *op = proj_normalize_for_visualization (ctx, raw);

  g_assert_no_error (error);
  g_assert_nonnull (op);
  for (guint i = 0; i < gp_layer_get_n_features (layer); i++)
    {
      GpShape *shape = gp_layer_get_feature (layer, i)->shape;

      proj_trans_generic (op, PJ_FWD, shape->xy, 2 * sizeof (double), shape->n_points,
                          shape->xy + 1, 2 * sizeof (double), shape->n_points, NULL, 0, 0, NULL, 0, 0);
    }
  gp_layer_set_crs (layer, utm);
  proj_destroy (op);
  proj_destroy (raw);
  proj_context_destroy (ctx);
}

static void
test_reprojection (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = fixture_project (dir, "plan.gpkg");
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GpLayer) lonlat = fixture_units ();
  g_autoptr(GpLayer) units = fixture_units ();
  g_autoptr(GpLayer) stored = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  to_utm (units);
  g_assert_cmpfloat (gp_layer_get_feature (units, 0)->shape->xy[0], >, 100000.0);
  fixture_import (project, units, GP_IMPORT_UNITS, notes);
  fixture_print_notes (notes);
  g_assert_true (fixture_has_note (notes, "transformed from WGS 84 / UTM zone 49N"));
  g_assert_true (fixture_has_note (notes, "found the area of 4 units by location"));

  stored = gp_project_load_layer (project, "units", &error);
  g_assert_no_error (error);
  g_assert_cmpint (gp_crs_get_epsg (gp_layer_get_crs (stored)), ==, 4326);
  for (guint i = 0; i < gp_layer_get_n_features (lonlat); i++)
    {
      GpShape *want = gp_layer_get_feature (lonlat, i)->shape;
      GpShape *got = gp_layer_get_feature (stored, i)->shape;

      g_assert_cmpuint (got->n_points, ==, want->n_points);
      for (guint k = 0; k < 2 * want->n_points; k++)
        g_assert_cmpfloat_with_epsilon (got->xy[k], want->xy[k], 1e-7);
    }
  g_assert_cmpstr (fixture_lookup (stored, "U004", "area_code"), ==, "150602001002");

  /* Without a .prj: lon/lat is recognised by its range, metres are refused. */
  {
    g_autoptr(GpLayer) bare = fixture_layer ("bare", V ("编码"), 0);
    g_autoptr(GpLayer) metres = fixture_layer ("metres", V ("编码"), 0);

    fixture_add (bare, gp_shape_new_point (109.96, 39.86), V ("P1"));
    fixture_import (project, bare, GP_IMPORT_UNITS, NULL);
    g_clear_object (&stored);
    stored = gp_project_load_layer (project, "units", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (fixture_lookup (stored, "P1", "area_code"), ==, "150602001004");
    g_assert_cmpfloat (gp_layer_get_feature (stored, 4)->shape->xy[0], ==, 109.96);

    fixture_add (metres, gp_shape_new_point (500000.0, 4400000.0), V ("P2"));
    g_assert_false (gp_project_import (project, metres, GP_IMPORT_UNITS, NULL, NULL, NULL, &error));
    g_assert_error (error, GP_ERROR, GP_ERROR_CRS);
    g_assert_nonnull (strstr (error->message, "metres.shp has no coordinate system"));
    g_clear_error (&error);
  }
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

static void
test_repair_and_refusals (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = fixture_project (dir, "plan.gpkg");
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GpLayer) units = fixture_units ();
  g_autoptr(GpLayer) lines = fixture_layer ("roads", V ("代码"), 4326);
  g_autoptr(GpLayer) nameless = fixture_layer ("nameless", V ("名称"), 4326);
  g_autoptr(GpLayer) stored = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GpShape *bowtie = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, 5, 1, 1);
  GpShape *line = gp_shape_new (GP_SHAPE_LINE, GP_SHAPE_FLAGS_NONE, 2, 1, 0);
  const double xy[10] = { 109.91, 39.81, 109.93, 39.83, 109.93, 39.81, 109.91, 39.83, 109.91, 39.81 };

  memcpy (bowtie->xy, xy, sizeof xy);
  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  fixture_add (units, bowtie, V ("U9", "蝴蝶小区", "10"));
  fixture_import (project, units, GP_IMPORT_UNITS, notes);
  fixture_print_notes (notes);
  g_assert_true (fixture_has_note (notes, "repaired 1 invalid polygon"));
  stored = gp_project_load_layer (project, "units", &error);
  g_assert_no_error (error);
  g_assert_true (gp_shape_is_valid (gp_layer_get_feature (stored, 4)->shape));
  g_assert_cmpstr (fixture_lookup (stored, "U9", "area_code"), ==, "150602001001");

  line->xy[0] = 109.9, line->xy[1] = 39.8, line->xy[2] = 110.0, line->xy[3] = 39.9;
  fixture_add (lines, line, V ("R1"));
  g_assert_false (gp_project_import (project, lines, GP_IMPORT_UNITS, NULL, NULL, NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_GEOMETRY);
  g_assert_nonnull (strstr (error->message, "roads.shp: record 0"));
  g_clear_error (&error);

  fixture_add (nameless, fixture_rect (1, 1, 2, 2), V ("某村"));
  g_assert_false (gp_project_import (project, nameless, GP_IMPORT_AREAS, NULL, NULL, NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "--code-field"));
  g_assert_cmpint (gp_project_count (project, "areas", NULL), ==, 5);
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

static char *
declared_geometry_type (GpProject *project)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = _gp_project_get_db (project);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT c.type || ' ' || g.geometry_type_name"
                                           " FROM pragma_table_info('units') c, gpkg_geometry_columns g"
                                           " WHERE c.name = 'geom' AND g.table_name = 'units'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static void
test_unit_geometry_type (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = fixture_project (dir, "plan.gpkg");
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GpLayer) units = fixture_units ();
  g_autoptr(GpLayer) groups = fixture_layer ("groups", V ("编码", "名称", "户数:i"), 4326);
  g_autoptr(GpLayer) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = declared_geometry_type (project);
  g_autofree char *polygons = NULL;
  g_autofree char *mixed = NULL;
  sqlite3 *db = _gp_project_get_db (project);

  g_assert_cmpstr (empty, ==, "GEOMETRY GEOMETRY");
  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  fixture_import (project, units, GP_IMPORT_UNITS, NULL);
  polygons = declared_geometry_type (project);
  g_assert_cmpstr (polygons, ==, "MULTIPOLYGON MULTIPOLYGON");

  /* A grid made of U001: widening the column must not cascade into grid_units. */
  g_assert_cmpint (sqlite3_exec (db, "BEGIN; INSERT INTO grids (code) VALUES ('150602001001001');"
                                     "INSERT INTO grid_units (unit_code, grid_code) VALUES ('U001', '150602001001001');"
                                     "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);

  /* Villager groups known only as points, in the village. */
  fixture_add (groups, gp_shape_new_point (109.97, 39.83), V ("G1", "二组", "45"));
  fixture_import (project, groups, GP_IMPORT_UNITS, NULL);
  mixed = declared_geometry_type (project);
  g_assert_cmpstr (mixed, ==, "GEOMETRY GEOMETRY");

  g_assert_cmpint (gp_project_count (project, "units", NULL), ==, 5);
  g_assert_cmpint (gp_project_count (project, "grid_units", NULL), ==, 1);
  stored = gp_project_load_layer (project, "units", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fixture_lookup (stored, "G1", "area_code"), ==, "150602001002");
  g_assert_cmpstr (fixture_lookup (stored, "U001", "name"), ==, "阳光小区");
  g_assert_cmpint (gp_layer_get_feature (stored, 4)->shape->kind, ==, GP_SHAPE_POINT);

  /* Foreign keys are back on: a unit of an unknown area cannot be written behind its back. */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO units (code, area_code) VALUES ('X', 'nowhere')",
                                 NULL, NULL, NULL), !=, SQLITE_OK);
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

/* The integer FIELD of the row CODE of TABLE as stored. */
static gint64
stored_int (GpProject *project, const char *table, const char *code, const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpLayer) layer = gp_project_load_layer (project, table, &error);
  int code_index, index;

  g_assert_no_error (error);
  code_index = gp_layer_find_field (layer, "code");
  index = gp_layer_find_field (layer, field);
  for (guint i = 0; i < gp_layer_get_n_features (layer); i++)
    {
      GpFeature *feature = gp_layer_get_feature (layer, i);

      if (g_strcmp0 (feature->values[code_index].text, code) == 0)
        {
          g_assert_false (feature->values[index].is_null);
          return feature->values[index].integer;
        }
    }
  g_assert_not_reached ();
  return -1;
}

/* The half-yearly redraw: the office sends the compounds again, some changed, one new, one
 * gone. The import updates by code in one go and says what changed; nothing else moves. */
static void
test_reimport_by_code (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = fixture_project (dir, "plan.gpkg");
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GpLayer) units = fixture_units ();
  g_autoptr(GpLayer) redrawn = fixture_layer ("units", V ("编码", "小区名称", "户数:i"), 4326);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  double x0, y0, x1, y1;

  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  fixture_import (project, units, GP_IMPORT_UNITS, NULL);
  g_assert_true (gp_project_get_frame_origin (project, &x0, &y0));
  g_assert_cmpfloat_with_epsilon (x0, 109.95, 1e-9);
  g_assert_cmpfloat_with_epsilon (y0, 39.85, 1e-9);
  g_assert_cmpint (stored_int (project, "areas", "150602001001", "households"), ==, 320 + 280);

  fixture_add (redrawn, fixture_rect (109.905, 39.805, 109.92, 39.82), V ("U001", "阳光小区", "350"));
  fixture_add (redrawn, fixture_rect (109.925, 39.805, 109.94, 39.82), V ("U002", "幸福里二期", "280"));
  fixture_add (redrawn, fixture_rect (109.905, 39.855, 109.925, 39.875), V ("U003", "林荫家园", "410"));
  fixture_add (redrawn, fixture_rect (109.91, 39.825, 109.92, 39.83), V ("U005", "新建小区", "90"));
  /* Far to the east: the project's frame stays where it was chosen. */
  fixture_add (redrawn, fixture_rect (110.5, 39.805, 110.51, 39.815), V ("U006", "远方", "5"));
  g_assert_true (gp_project_import (project, redrawn, GP_IMPORT_UNITS, NULL, NULL, notes, &error));
  g_assert_no_error (error);
  g_assert_true (fixture_has_note (notes, "updated the households of 1 unit by their code (records 0)"));
  g_assert_true (fixture_has_note (notes, "updated the name of 1 unit by their code (records 1)"));
  g_assert_true (fixture_has_note (notes, "updated the outline of 1 unit by their code (records 2)"));
  g_assert_true (fixture_has_note (notes, "1 unit of the project are not in this file and are kept (U004)"));
  g_assert_cmpint (gp_project_count (project, "units", NULL), ==, 6);
  g_assert_cmpint (stored_int (project, "units", "U001", "households"), ==, 350);
  g_assert_cmpint (stored_int (project, "areas", "150602001001", "households"), ==, 350 + 280 + 90);
  /* The street: its communities' units, and 铜川嘎查's own count (400: it has no units). */
  g_assert_cmpint (stored_int (project, "areas", "150602001000", "households"), ==, 350 + 280 + 90 + 410 + 60 + 400);
  g_assert_true (gp_project_get_frame_origin (project, &x1, &y1));
  g_assert_cmpfloat (x1, ==, x0);
  g_assert_cmpfloat (y1, ==, y0);

  /* The same file once more changes nothing, and says so. */
  g_ptr_array_set_size (notes, 0);
  g_assert_true (gp_project_import (project, redrawn, GP_IMPORT_UNITS, NULL, NULL, notes, &error));
  g_assert_no_error (error);
  g_assert_true (fixture_has_note (notes, "5 units already in the project unchanged"));
  g_assert_false (fixture_has_note (notes, "updated the"));
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/import/guess-fields", test_guess_fields);
  g_test_add_func ("/import/guess-notes-and-map", test_guess_notes_and_map);
  g_test_add_func ("/import/parent-by-code", test_parent_by_code);
  g_test_add_func ("/import/parent-in-one-import", test_parent_in_one_import);
  g_test_add_func ("/import/parent-by-field", test_parent_by_field);
  g_test_add_func ("/import/parent-by-location", test_parent_by_location);
  g_test_add_func ("/import/units-by-location", test_units_by_location);
  g_test_add_func ("/import/units-by-code", test_units_by_code);
  g_test_add_func ("/import/households", test_households);
  g_test_add_func ("/import/reprojection", test_reprojection);
  g_test_add_func ("/import/repair-and-refusals", test_repair_and_refusals);
  g_test_add_func ("/import/unit-geometry-type", test_unit_geometry_type);
  g_test_add_func ("/import/reimport-by-code", test_reimport_by_code);
  return g_test_run ();
}
