/* test-zip.c: zipped shapefiles as offices send them: GBK member names in folders, several in one archive (listed, one chosen), none, damaged ones, macOS forks left aside, messages naming the archive. */
#include "gp-error.h"
#include "gp-shp.h"
#include "gp-test-util.h"

#include <string.h>
#include <zip.h>

/* Writes DIR/NAME.shp (three points, a Chinese name field) and returns its files' paths. */
static GPtrArray *
write_points (const char *dir, const char *name, guint n)
{
  g_autoptr(GpLayer) layer = gp_layer_new (name);
  g_autofree char *base = g_build_filename (dir, name, NULL);
  g_autofree char *shp = g_strconcat (base, ".shp", NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *suffixes[] = { ".shp", ".shx", ".dbf", ".cpg" };

  gp_layer_add_field (layer, "名称", GP_FIELD_STRING, 20, 0);
  gp_layer_set_geometry_type (layer, GP_GEOMETRY_TYPE_POINT);
  for (guint i = 0; i < n; i++)
    {
      GpFeature *f = gp_layer_append (layer, gp_shape_new_point (110.0 + i, 40.0), i);

      gp_feature_set_text (layer, f, 0, i == 0 ? "召南社区" : "城关社区");
    }
  g_assert_true (gp_shp_write (layer, shp, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    g_ptr_array_add (files, g_strconcat (base, suffixes[i], NULL));
  return files;
}

/* Adds FILES to ZIP under FOLDER (UTF-8 here, stored as GBK bytes when GBK is TRUE). */
static void
add_files (zip_t *zip, GPtrArray *files, const char *folder, gboolean gbk)
{
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *base = g_path_get_basename (g_ptr_array_index (files, i));
      g_autofree char *member = g_strconcat (folder, base, NULL);
      g_autofree char *raw = gbk ? g_convert (member, -1, "GB18030", "UTF-8", NULL, NULL, NULL) : g_strdup (member);
      zip_source_t *src = zip_source_file (zip, g_ptr_array_index (files, i), 0, -1);

      g_assert_nonnull (src);
      g_assert_cmpint (zip_file_add (zip, raw, src, ZIP_FL_ENC_RAW), >=, 0);
    }
}

static char *
make_zip (const char *dir, const char *name, GPtrArray *a, const char *folder_a, GPtrArray *b, gboolean gbk,
          gboolean fork)
{
  char *path = g_build_filename (dir, name, NULL);
  int err = 0;
  zip_t *zip = zip_open (path, ZIP_CREATE | ZIP_TRUNCATE, &err);

  g_assert_nonnull (zip);
  if (a != NULL)
    add_files (zip, a, folder_a, gbk);
  if (b != NULL)
    add_files (zip, b, "", gbk);
  if (fork)
    {
      static const char junk[] = "resource fork";
      zip_source_t *src = zip_source_buffer (zip, junk, sizeof junk, 0);

      zip_file_add (zip, "__MACOSX/._村界.shp", src, ZIP_FL_ENC_UTF_8);
    }
  if (a == NULL && b == NULL)
    {
      static const char text[] = "nothing here";

      zip_file_add (zip, "说明.txt", zip_source_buffer (zip, text, sizeof text, 0), ZIP_FL_ENC_UTF_8);
    }
  g_assert_cmpint (zip_close (zip), ==, 0);
  return path;
}

static void
test_gbk_names_in_folders (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GPtrArray) files = write_points (dir, "村界", 3);
  g_autofree char *path = make_zip (dir, "送审.zip", files, "内蒙古/达拉特旗/", NULL, TRUE, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpLayer) layer = gp_shp_read (path, NULL, GP_SHP_READ_DEFAULT, &error);
  g_autoptr(GPtrArray) list = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (gp_layer_get_n_features (layer), ==, 3);
  g_assert_cmpstr (gp_layer_get_field (layer, 0)->name, ==, "名称");
  g_assert_cmpstr (gp_layer_get_feature (layer, 0)->values[0].text, ==, "召南社区");
  /* The layer is named and placed as in the archive, never by the temporary folder. */
  g_assert_true (g_str_has_suffix (gp_layer_get_source_path (layer), "送审.zip/内蒙古/达拉特旗/村界.shp"));
  list = gp_shp_zip_list (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (list, 0), ==, "村界");
  gp_test_rmdir (dir);
}

static void
test_several (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GPtrArray) a = write_points (dir, "村界", 3);
  g_autoptr(GPtrArray) b = write_points (dir, "小区", 5);
  g_autofree char *path = make_zip (dir, "两层.zip", a, "边界/", b, FALSE, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpLayer) none = gp_shp_read (path, NULL, GP_SHP_READ_DEFAULT, &error);
  g_autoptr(GpLayer) units = NULL, areas = NULL, missing = NULL;

  g_assert_null (none);
  g_assert_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "村界"));
  g_assert_nonnull (strstr (error->message, "小区"));
  g_assert_nonnull (strstr (error->message, "--layer"));
  g_clear_error (&error);
  units = gp_shp_read_zip (path, "小区", NULL, GP_SHP_READ_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gp_layer_get_n_features (units), ==, 5);
  areas = gp_shp_read_zip (path, "边界/村界.shp", NULL, GP_SHP_READ_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gp_layer_get_n_features (areas), ==, 3);
  missing = gp_shp_read_zip (path, "道路", NULL, GP_SHP_READ_DEFAULT, &error);
  g_assert_error (error, GP_ERROR, GP_ERROR_NOT_FOUND);
  gp_test_rmdir (dir);
}

static void
test_nothing_and_damage (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *empty = make_zip (dir, "空.zip", NULL, NULL, NULL, FALSE, FALSE);
  g_autofree char *junk = g_build_filename (dir, "junk.zip", NULL);
  g_autofree char *absent = g_build_filename (dir, "absent.zip", NULL);
  g_autoptr(GPtrArray) files = write_points (dir, "坏", 3);
  g_autofree char *broken = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (gp_shp_read (empty, NULL, GP_SHP_READ_DEFAULT, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "no shapefile"));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (junk, "PK not really", -1, NULL));
  g_assert_null (gp_shp_read (junk, NULL, GP_SHP_READ_DEFAULT, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
  g_clear_error (&error);
  g_assert_null (gp_shp_read (absent, NULL, GP_SHP_READ_DEFAULT, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_IO);
  g_clear_error (&error);
  /* A damaged .shp inside: the message names the archive, not where it was unpacked. */
  g_assert_true (g_file_set_contents (g_ptr_array_index (files, 0), "not a shapefile at all", -1, NULL));
  broken = make_zip (dir, "坏.zip", files, "", NULL, FALSE, FALSE);
  g_assert_null (gp_shp_read (broken, NULL, GP_SHP_READ_DEFAULT, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "坏.zip"));
  g_assert_null (strstr (error->message, "gridplan-zip-"));
  gp_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zip/gbk-names-in-folders", test_gbk_names_in_folders);
  g_test_add_func ("/zip/several", test_several);
  g_test_add_func ("/zip/nothing-and-damage", test_nothing_and_damage);
  return g_test_run ();
}
