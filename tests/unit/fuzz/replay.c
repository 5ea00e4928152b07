/* replay.c: runs a libFuzzer harness of bench/fuzz over the inputs its fuzzer once found
 * (tests/data/fuzz/NAME/), so each stays fixed: built with the ordinary compiler, no libFuzzer.
 * TAP: one test per input; the harness aborts on a broken promise, the sanitizers of
 * `tools/dev test` catch memory errors and leaks. Usage: replay DIR */
#include <glib.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t len);

static void
replay_one (gconstpointer user_data)
{
  const char *path = user_data;
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (LLVMFuzzerTestOneInput ((const uint8_t *) data, len), ==, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_test_init (&argc, &argv, NULL);
  if (argc < 2 || (dir = g_dir_open (argv[1], 0, NULL)) == NULL)
    {
      g_printerr ("replay: no directory of found inputs given\n");
      return 2;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (paths, g_build_filename (argv[1], name, NULL));
  g_ptr_array_sort (paths, (GCompareFunc) g_strcmp0);
  g_assert_cmpuint (paths->len, >, 0);
  for (guint i = 0; i < paths->len; i++)
    {
      g_autofree char *base = g_path_get_basename (g_ptr_array_index (paths, i));
      g_autofree char *test = g_strdup_printf ("/fuzz/%s", base);
      g_test_add_data_func (test, g_ptr_array_index (paths, i), replay_one);
    }
  return g_test_run ();
}
