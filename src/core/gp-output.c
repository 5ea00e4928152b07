/* gp-output.c: temp-file-and-rename output, so no error or crash leaves a half-written file. */
#include "gp-config.h"

#include "gp-output.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "gp-error.h"

struct _GpOutput
{
  char *path;
  char *temp_path;
  FILE *stream;
  gboolean committed;
};

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
  template = g_strdup_printf ("%s%s.%s.XXXXXX.part", dir, G_DIR_SEPARATOR_S, base);
  fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot write: %s"), path, g_strerror (saved));
      return NULL;
    }
  close (fd);

  output = g_new0 (GpOutput, 1);
  output->path = g_strdup (path);
  output->temp_path = g_steal_pointer (&template);
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
  g_free (output->path);
  g_free (output->temp_path);
  g_free (output);
}
