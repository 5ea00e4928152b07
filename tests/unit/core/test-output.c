/* test-output.c: outputs appear whole on commit and leave nothing behind on failure. */
#include <glib/gstdio.h>
#include <string.h>

#include "gp-error.h"
#include "gp-output.h"
#include "gp-test-util.h"

static guint
count_entries (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;
  g_dir_close (d);
  return n;
}

static void
test_commit (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "out.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GpOutput *output = gp_output_new (path, &error);

  g_assert_no_error (error);
  fputs ("网格", gp_output_get_stream (output));
  /* Not visible before the commit. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (gp_output_commit (output, &error));
  g_assert_no_error (error);
  gp_output_free (output);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "网格");
  g_assert_cmpuint (count_entries (dir), ==, 1);
  gp_test_rmdir (dir);
}

static void
test_abort_keeps_old (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "out.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GpOutput *output;

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  output = gp_output_new (path, &error);
  fputs ("half", gp_output_get_stream (output));
  gp_output_free (output); /* an error path: never committed */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
  g_assert_cmpuint (count_entries (dir), ==, 1);
  gp_test_rmdir (dir);
}

static void
test_commit_all (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  const char *names[3] = { "a.shp", "a.shx", "a.dbf" };
  GpOutput *outputs[3];
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      outputs[i] = gp_output_new (path, &error);
      g_assert_no_error (error);
      fprintf (gp_output_get_stream (outputs[i]), "%u", i);
    }
  g_assert_true (gp_output_commit_all (outputs, 3, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    gp_output_free (outputs[i]);
  g_assert_cmpuint (count_entries (dir), ==, 3);
  gp_test_rmdir (dir);
}

static void
test_unwritable_dir (void)
{
  g_autoptr(GError) error = NULL;
  GpOutput *output = gp_output_new ("/nonexistent-dir/x/out.gpkg", &error);

  g_assert_null (output);
  g_assert_error (error, GP_ERROR, GP_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent-dir/x/out.gpkg"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/output/commit", test_commit);
  g_test_add_func ("/output/abort-keeps-old", test_abort_keeps_old);
  g_test_add_func ("/output/commit-all", test_commit_all);
  g_test_add_func ("/output/unwritable-dir", test_unwritable_dir);
  return g_test_run ();
}
