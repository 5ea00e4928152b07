/* fuzz-common.h: what the libFuzzer harnesses share: the readers take paths, so each input is
 * written to files in a private directory (tmpfs when there is one) and read back from there. */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The harness's scratch directory, made once per process. */
G_GNUC_UNUSED static const char *
fuzz_dir (void)
{
  static char *dir;
  if (dir == NULL)
    {
      const char *base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir ();
      char *tmpl = g_build_filename (base, "gridplan-fuzz-XXXXXX", NULL);
      dir = g_mkdtemp (tmpl);
      if (dir == NULL)
        abort ();
    }
  return dir;
}

/* Writes LEN bytes as NAME in the scratch directory and returns its path (owned by the caller).
 * A NULL DATA removes the file instead: a member that is missing. */
G_GNUC_UNUSED static char *
fuzz_file (const char *name, const uint8_t *data, size_t len)
{
  char *path = g_build_filename (fuzz_dir (), name, NULL);
  if (data == NULL)
    {
      remove (path);
      return path;
    }
  if (!g_file_set_contents (path, (const char *) data, (gssize) len, NULL))
    abort ();
  return path;
}

/* Splits DATA at the separator "\n--8<--\n" into at most N pieces (the rest stays in the last).
 * Returns how many there were; absent pieces get NULL. */
G_GNUC_UNUSED static guint
fuzz_split (const uint8_t *data, size_t len, guint n, const uint8_t **piece, size_t *piece_len)
{
  static const char sep[] = "\n--8<--\n";
  const size_t sep_len = sizeof sep - 1;
  guint count = 0;
  size_t start = 0;
  for (guint i = 0; i < n; i++)
    piece[i] = NULL, piece_len[i] = 0;
  while (count < n)
    {
      size_t end = len;
      if (count + 1 < n)
        for (size_t i = start; i + sep_len <= len; i++)
          if (memcmp (data + i, sep, sep_len) == 0)
            {
              end = i;
              break;
            }
      piece[count] = data + start;
      piece_len[count] = end - start;
      count++;
      if (end == len)
        break;
      start = end + sep_len;
    }
  return count;
}
