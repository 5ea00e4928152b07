/* gp-test-util.h: what the unit tests share: shared-data paths that skip cleanly, temp dirs. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

/* Path of REL under ../shared/data (GP_SHARED_DATA), or NULL after g_test_skip() when that
 * folder or file is absent, so a test without the shared data skips instead of failing. */
static inline char *
gp_test_shared_path (const char *rel)
{
  const char *root = g_getenv ("GP_SHARED_DATA");
  g_autofree char *path = NULL;

  if (root == NULL || !g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("../shared/data is absent");
      return NULL;
    }
  path = g_build_filename (root, rel, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *msg = g_strdup_printf ("%s is absent", path);
      g_test_skip (msg);
      return NULL;
    }
  return g_steal_pointer (&path);
}

/* A fresh temporary directory for one test; remove it with gp_test_rmdir(). */
static inline char *
gp_test_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("gridplan-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static inline void
gp_test_rmdir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        gp_test_rmdir (path);
      else
        g_unlink (path);
    }
  g_dir_close (d);
  g_rmdir (dir);
}

/* Path of REL in the source tree (GP_SOURCE_DIR). */
static inline char *
gp_test_source_path (const char *rel)
{
  const char *root = g_getenv ("GP_SOURCE_DIR");

  g_assert_nonnull (root);
  return g_build_filename (root, rel, NULL);
}
