/* test-output.c: outputs appear whole on commit and leave nothing behind on failure. */
#include <glib/gstdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

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

/* Makes FILE in DIR with some bytes, its time set AGE seconds back. */
static char *
make_aged (const char *dir, const char *name, int age)
{
  char *path = g_build_filename (dir, name, NULL);
  struct utimbuf times;

  g_assert_true (g_file_set_contents (path, "half", -1, NULL));
  times.actime = times.modtime = time (NULL) - age;
  g_assert_cmpint (utime (path, &times), ==, 0);
  return path;
}

/* A writer killed outright leaves its hidden temporary; the next write of the same target removes
 * it, but never the temporary of a writer still alive (locked), a fresh one, or anyone else's. */
static void
test_sweep_stale (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *target = g_build_filename (dir, "map.pdf", NULL);
  g_autofree char *dead = make_aged (dir, ".map.pdf.a1B2c3.part", 60);
  g_autofree char *dead_journal = make_aged (dir, ".map.pdf.a1B2c3.part-journal", 60);
  g_autofree char *orphan_wal = make_aged (dir, ".map.pdf.zzzzzz.part-wal", 60);
  g_autofree char *alive = make_aged (dir, ".map.pdf.Q9w8e7.part", 60);
  g_autofree char *young = make_aged (dir, ".map.pdf.y0y0y0.part", 0);
  g_autofree char *other = make_aged (dir, ".board.pdf.a1B2c3.part", 60);
  g_autofree char *mine = make_aged (dir, "map.pdf.notes", 60);
  g_autofree char *dead_dir = g_build_filename (dir, ".map.pdf.d1r2x3", NULL);
  g_autofree char *inside = NULL;
  g_autoptr(GError) error = NULL;
  int hold = gp_output_hold (alive);
  struct utimbuf times;

  g_assert_cmpint (hold, >=, 0);
  g_assert_cmpint (g_mkdir (dead_dir, 0755), ==, 0);
  inside = make_aged (dead_dir, "map.shp", 60);
  times.actime = times.modtime = time (NULL) - 60;
  g_assert_cmpint (utime (dead_dir, &times), ==, 0);

  GpOutput *output = gp_output_new (target, &error);
  g_assert_no_error (error);
  g_assert_nonnull (output);
  /* A live writer's temporary cannot be held by another. */
  g_assert_cmpint (gp_output_hold (gp_output_get_temp_path (output)), ==, -1);
  g_assert_true (fputs ("whole", gp_output_get_stream (output)) >= 0);
  g_assert_true (gp_output_commit (output, &error));
  g_assert_no_error (error);
  gp_output_free (output);

  g_assert_false (g_file_test (dead, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dead_journal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (orphan_wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dead_dir, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (alive, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (young, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (mine, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (target, G_FILE_TEST_IS_REGULAR));
  close (hold);
  /* Its writer gone, the temporary goes with the next sweep. */
  gp_output_sweep (dir, "map.pdf");
  g_assert_false (g_file_test (alive, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (young, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/output/commit", test_commit);
  g_test_add_func ("/output/abort-keeps-old", test_abort_keeps_old);
  g_test_add_func ("/output/commit-all", test_commit_all);
  g_test_add_func ("/output/unwritable-dir", test_unwritable_dir);
  g_test_add_func ("/output/sweep-stale", test_sweep_stale);
  return g_test_run ();
}
