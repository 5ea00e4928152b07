/* gp-output.c: temp-file-and-rename output, so no error or crash leaves a half-written file. */
#include "gp-config.h"

#include "gp-output.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "gp-error.h"

struct _GpOutput
{
  char *path;
  char *temp_path;
  FILE *stream;
  int lock_fd;          /* holds the temporary's flock while this writer lives */
  gboolean committed;
};

/* A temporary younger than this is left alone even when unlocked: its writer may be between
 * creating and locking it. */
#define STALE_AGE_SECONDS 10

int
gp_output_hold (const char *temp_path)
{
  int fd = open (temp_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

  if (fd >= 0 && flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

void
gp_output_remove_dir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_dir_close (d);
  g_rmdir (dir);
}

/* 1 when NAME is a temporary of PREFIX (".PREFIX.XXXXXX" or ".PREFIX.XXXXXX.part"), 2 when it is
 * what SQLite keeps beside one (".PREFIX.XXXXXX.part-journal", "-wal", "-shm"), else 0. */
static int
temporary_kind (const char *name, const char *prefix)
{
  static const char *const sidecars[] = { ".part-journal", ".part-wal", ".part-shm" };
  size_t n = strlen (prefix);
  const char *rest;

  if (name[0] != '.' || strncmp (name + 1, prefix, n) != 0 || name[n + 1] != '.')
    return 0;
  rest = name + n + 2;
  if (strlen (rest) < 6)
    return 0;
  for (guint i = 0; i < 6; i++)
    if (!g_ascii_isalnum (rest[i]))
      return 0;
  if (rest[6] == '\0' || strcmp (rest + 6, ".part") == 0)
    return 1;
  for (guint i = 0; i < G_N_ELEMENTS (sidecars); i++)
    if (strcmp (rest + 6, sidecars[i]) == 0)
      return 2;
  return 0;
}

void
gp_output_sweep (const char *dir, const char *prefix)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      struct stat st;
      int fd;

      int kind = temporary_kind (name, prefix);

      if (kind == 0)
        continue;
      path = g_build_filename (dir, name, NULL);
      if (lstat (path, &st) != 0 || now - (gint64) st.st_mtime < STALE_AGE_SECONDS)
        continue;
      if (kind == 2)
        {
          /* A journal goes with its temporary: only once that one is gone. */
          g_autofree char *owner = g_strndup (path, strrchr (path, '-') - path);

          if (!g_file_test (owner, G_FILE_TEST_EXISTS))
            g_unlink (path);
          continue;
        }
      /* Unlocked: its writer is gone (a lock dies with its process). */
      fd = gp_output_hold (path);
      if (fd < 0)
        continue;
      if (S_ISDIR (st.st_mode))
        gp_output_remove_dir (path);
      else if (S_ISREG (st.st_mode))
        {
          static const char *const sidecars[] = { "-journal", "-wal", "-shm" };

          g_unlink (path);
          for (guint i = 0; i < G_N_ELEMENTS (sidecars); i++)
            {
              g_autofree char *sidecar = g_strconcat (path, sidecars[i], NULL);
              g_unlink (sidecar);
            }
        }
      close (fd);
    }
  g_dir_close (d);
}

GpOutput *
gp_output_new (const char *path, GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *template = NULL;
  GpOutput *output;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  gp_output_sweep (dir, base);
  template = g_strdup_printf ("%s%s.%s.XXXXXX.part", dir, G_DIR_SEPARATOR_S, base);
  fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot write: %s"), path, g_strerror (saved));
      return NULL;
    }
  /* Fresh and private: nobody else can hold it yet. */
  (void) flock (fd, LOCK_EX | LOCK_NB);

  output = g_new0 (GpOutput, 1);
  output->path = g_strdup (path);
  output->temp_path = g_steal_pointer (&template);
  output->lock_fd = fd;
  return output;
}

FILE *
gp_output_get_stream (GpOutput *output)
{
  g_return_val_if_fail (output != NULL, NULL);

  if (output->stream == NULL && !output->committed)
    {
      output->stream = fopen (output->temp_path, "wb");
      if (output->stream != NULL)
        setvbuf (output->stream, NULL, _IOFBF, 1 << 20);
    }
  return output->stream;
}

const char *
gp_output_get_temp_path (GpOutput *output)
{
  g_return_val_if_fail (output != NULL, NULL);
  return output->temp_path;
}

const char *
gp_output_get_path (GpOutput *output)
{
  g_return_val_if_fail (output != NULL, NULL);
  return output->path;
}

/* Flush, fsync and close, so that the rename that follows publishes complete data. */
static gboolean
output_finish (GpOutput *output, GError **error)
{
  int fd;

  if (output->stream != NULL)
    {
      FILE *stream = g_steal_pointer (&output->stream);
      gboolean ok = fflush (stream) == 0 && !ferror (stream);
      int saved = errno;

      if (ok && fsync (fileno (stream)) != 0)
        ok = FALSE, saved = errno;
      if (fclose (stream) != 0 && ok)
        ok = FALSE, saved = errno;
      if (!ok)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot write: %s"),
                       output->path, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }

  fd = open (output->temp_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot write: %s"),
                   output->path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static void
sync_directory (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      (void) fsync (fd);
      close (fd);
    }
}

gboolean
gp_output_commit_all (GpOutput **outputs, guint n, GError **error)
{
  for (guint i = 0; i < n; i++)
    if (!output_finish (outputs[i], error))
      return FALSE;

  for (guint i = 0; i < n; i++)
    {
      if (g_rename (outputs[i]->temp_path, outputs[i]->path) != 0)
        {
          int saved = errno;
          g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot write: %s"),
                       outputs[i]->path, g_strerror (saved));
          return FALSE;
        }
      outputs[i]->committed = TRUE;
    }
  if (n > 0)
    sync_directory (outputs[0]->path);
  return TRUE;
}

gboolean
gp_output_commit (GpOutput *output, GError **error)
{
  g_return_val_if_fail (output != NULL, FALSE);
  return gp_output_commit_all (&output, 1, error);
}

void
gp_output_free (GpOutput *output)
{
  if (output == NULL)
    return;
  if (output->stream != NULL)
    fclose (output->stream);
  if (!output->committed)
    g_unlink (output->temp_path);
  if (output->lock_fd >= 0)
    close (output->lock_fd);
  g_free (output->path);
  g_free (output->temp_path);
  g_free (output);
}
