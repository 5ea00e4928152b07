/* test-demo-data.c: data/demo is exactly what gp-make-demo makes from seed 20231, and its checks
 * pass on it and fail on a damaged copy. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gp-test-util.h"

/* Paths come from the environment meson sets for this test. */
static const char *
env_path (const char *name)
{
  const char *value = g_getenv (name);
  g_assert_nonnull (value);
  return value;
}

static int
run_generator (const char *const *args, char **err)
{
  const char *generator = env_path ("GP_DEMO_GENERATOR");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) generator);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GError) error = NULL;
  int status = 0;
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                err, &status, &error);
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static GPtrArray *
file_names (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    if (name[0] != '.') /* .gitattributes is no output of the generator */
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

static void
test_reproducible (void)
{
  g_autofree char *tmp = gp_test_tmpdir ();
  g_autofree char *out = g_build_filename (tmp, "demo", NULL);
  g_autofree char *err = NULL;
  const char *args[] = { "--seed", "20231", "--out", out, NULL };
  int status = run_generator (args, &err);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);

  const char *demo = env_path ("GP_DEMO_DIR");
  g_autoptr (GPtrArray) expected = file_names (demo);
  g_autoptr (GPtrArray) made = file_names (out);
  /* Areas (5 files), units (4), sites (4), the roster and the service-item ledger. */
  g_assert_cmpuint (made->len, ==, 15);
  g_assert_cmpuint (expected->len, ==, made->len);
  for (guint i = 0; i < made->len; i++)
    {
      g_assert_cmpstr (expected->pdata[i], ==, made->pdata[i]);
      g_autofree char *a_path = g_build_filename (demo, expected->pdata[i], NULL);
      g_autofree char *b_path = g_build_filename (out, made->pdata[i], NULL);
      g_autofree char *a = NULL, *b = NULL;
      gsize a_len = 0, b_len = 0;
      g_assert_true (g_file_get_contents (a_path, &a, &a_len, NULL));
      g_assert_true (g_file_get_contents (b_path, &b, &b_len, NULL));
      if (a_len != b_len || memcmp (a, b, a_len) != 0)
        g_test_message ("%s differs from a fresh run of seed 20231; rerun `ninja -C build "
                        "demo-data` and commit data/demo", a_path);
      g_assert_cmpmem (a, a_len, b, b_len);
    }
  gp_test_rmdir (tmp);
}

static void
test_check_passes (void)
{
  g_autofree char *err = NULL;
  const char *args[] = { "--check", env_path ("GP_DEMO_DIR"), NULL };
  int status = run_generator (args, &err);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
}

/* A roster with a wrong check digit, as a typo would leave it, must be caught. */
static void
test_check_catches_damage (void)
{
  const char *demo = env_path ("GP_DEMO_DIR");
  g_autofree char *tmp = gp_test_tmpdir ();
  g_autoptr (GPtrArray) names = file_names (demo);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *from = g_build_filename (demo, names->pdata[i], NULL);
      g_autofree char *to = g_build_filename (tmp, names->pdata[i], NULL);
      g_autofree char *data = NULL;
      gsize len = 0;
      g_assert_true (g_file_get_contents (from, &data, &len, NULL));
      if (g_str_has_suffix (to, ".csv"))
        {
          /* The first ID number starts after the header line and three commas. */
          char *id = strstr (data, "\r\n");
          g_assert_nonnull (id);
          for (int commas = 0; commas < 3; id++)
            commas += *id == ',';
          id[17] = id[17] == '0' ? '1' : '0';
        }
      g_assert_true (g_file_set_contents (to, data, (gssize) len, NULL));
    }
  g_autofree char *err = NULL;
  const char *args[] = { "--check", tmp, NULL };
  int status = run_generator (args, &err);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "ID number"));
  gp_test_rmdir (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/demo-data/reproducible", test_reproducible);
  g_test_add_func ("/demo-data/check-passes", test_check_passes);
  g_test_add_func ("/demo-data/check-catches-damage", test_check_catches_damage);
  return g_test_run ();
}
