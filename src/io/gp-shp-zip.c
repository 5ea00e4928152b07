/* gp-shp-zip.c: shapefiles inside .zip archives, the way offices send them: members found in any folder, names in GBK or UTF-8, the chosen shapefile's files extracted to a private temporary folder and read there, messages naming the archive. */
#include "gp-config.h"

#include "gp-shp.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <zip.h>

#include "gp-error.h"

/* A member larger than this is not a shapefile anyone sends (and may be a zip bomb). */
#define MAX_MEMBER_BYTES (G_GUINT64_CONSTANT (4) << 30)

/* A member's name as UTF-8: as stored when it is UTF-8 already, else GBK (what Chinese Windows
 * writes without saying so), else as libzip guesses (CP437). */
static char *
member_name (zip_t *zip, zip_uint64_t i)
{
  const char *raw = zip_get_name (zip, i, ZIP_FL_ENC_RAW);
  char *name;

  if (raw == NULL)
    return NULL;
  if (g_utf8_validate (raw, -1, NULL))
    return g_strdup (raw);
  name = g_convert (raw, -1, "UTF-8", "GB18030", NULL, NULL, NULL);
  if (name != NULL)
    return name;
  raw = zip_get_name (zip, i, ZIP_FL_ENC_GUESS);
  return raw != NULL ? g_strdup (raw) : NULL;
}

static gboolean
has_suffix_ci (const char *name, const char *suffix)
{
  size_t n = strlen (name), m = strlen (suffix);

  return n > m && g_ascii_strcasecmp (name + n - m, suffix) == 0;
}

/* The .shp members (UTF-8 names), leaving out the resource forks macOS adds. */
static GPtrArray *
shapefile_members (zip_t *zip, GPtrArray *names)
{
  GPtrArray *shps = g_ptr_array_new ();
  zip_int64_t n = zip_get_num_entries (zip, 0);

  for (zip_int64_t i = 0; i < n; i++)
    {
      char *name = member_name (zip, (zip_uint64_t) i);

      g_ptr_array_add (names, name);
      if (name != NULL && has_suffix_ci (name, ".shp") && !g_str_has_prefix (name, "__MACOSX/")
          && strstr (name, "/._") == NULL && !g_str_has_prefix (name, "._"))
        g_ptr_array_add (shps, name);
    }
  return shps;
}

/* The layer name a member goes by: its file name without .shp. */
static char *
layer_name (const char *member)
{
  g_autofree char *base = g_path_get_basename (member);

  base[strlen (base) - 4] = '\0';
  return g_steal_pointer (&base);
}

GPtrArray *
gp_shp_zip_list (const char *path, GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) shps = NULL;
  GPtrArray *layers = g_ptr_array_new_with_free_func (g_free);
  int zerr = 0;
  zip_t *zip = zip_open (path, ZIP_RDONLY, &zerr);

  if (zip == NULL)
    {
      g_set_error (error, GP_ERROR, zerr == ZIP_ER_NOENT || zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ
                                      ? GP_ERROR_IO : GP_ERROR_FORMAT,
                   _("%s: not a readable .zip archive"), path);
      g_ptr_array_unref (layers);
      return NULL;
    }
  shps = shapefile_members (zip, names);
  for (guint i = 0; i < shps->len; i++)
    g_ptr_array_add (layers, layer_name (g_ptr_array_index (shps, i)));
  zip_discard (zip);
  return layers;
}

/* Copies member I of ZIP to DEST; FALSE with ERROR naming the archive and member. */
static gboolean
extract (zip_t *zip, zip_uint64_t i, const char *member, const char *archive, const char *dest, GError **error)
{
  zip_stat_t st;
  zip_file_t *in;
  FILE *out;
  char buffer[65536];
  zip_int64_t got;
  gboolean ok = TRUE;

  zip_stat_init (&st);
  if (zip_stat_index (zip, i, 0, &st) != 0 || ((st.valid & ZIP_STAT_SIZE) && st.size > MAX_MEMBER_BYTES))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: %s is too large or unreadable"), archive, member);
      return FALSE;
    }
  in = zip_fopen_index (zip, i, 0);
  if (in == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: cannot read %s (%s)"), archive, member,
                   zip_strerror (zip));
      return FALSE;
    }
  out = g_fopen (dest, "wb");
  if (out == NULL)
    {
      zip_fclose (in);
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot unpack %s: %s"), archive, member, g_strerror (errno));
      return FALSE;
    }
  while ((got = zip_fread (in, buffer, sizeof buffer)) > 0)
    if (fwrite (buffer, 1, (size_t) got, out) != (size_t) got)
      {
        ok = FALSE;
        break;
      }
  if (got < 0)
    ok = FALSE;
  zip_fclose (in);
  if (fclose (out) != 0)
    ok = FALSE;
  if (!ok)
    g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: %s is damaged"), archive, member);
  return ok;
}

/* TEXT with the temporary folder's path put back as the archive's. */
static char *
in_archive (const char *text, const char *tmp, const char *archive)
{
  g_auto(GStrv) parts = g_strsplit (text, tmp, -1);

  return g_strjoinv (archive, parts);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

GpLayer *
gp_shp_read_zip (const char *path, const char *layer, const char *encoding, GpShpReadFlags flags, GError **error)
{
  static const char *const sidecars[] = { ".shp", ".shx", ".dbf", ".prj", ".cpg" };
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) shps = NULL;
  g_autofree char *tmp = NULL, *stem = NULL, *chosen_name = NULL, *prefix = NULL, *shp_path = NULL;
  g_autoptr(GError) local_error = NULL;
  GpLayer *result = NULL;
  const char *chosen = NULL;
  int zerr = 0;
  zip_t *zip;

  g_return_val_if_fail (path != NULL, NULL);
  zip = zip_open (path, ZIP_RDONLY, &zerr);
  if (zip == NULL)
    {
      g_set_error (error, GP_ERROR, zerr == ZIP_ER_NOENT || zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ
                                      ? GP_ERROR_IO : GP_ERROR_FORMAT,
                   _("%s: not a readable .zip archive"), path);
      return NULL;
    }
  shps = shapefile_members (zip, names);
  for (guint i = 0; i < shps->len && chosen == NULL; i++)
    {
      g_autofree char *name = layer_name (g_ptr_array_index (shps, i));

      if (layer == NULL ? shps->len == 1
                        : g_strcmp0 (name, layer) == 0 || g_strcmp0 (g_ptr_array_index (shps, i), layer) == 0)
        chosen = g_ptr_array_index (shps, i);
    }
  if (chosen == NULL)
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < shps->len; i++)
        {
          g_autofree char *name = layer_name (g_ptr_array_index (shps, i));

          g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", name);
        }
      if (shps->len == 0)
        g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: the archive holds no shapefile (.shp)"), path);
      else if (layer == NULL)
        g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                     _("%s: the archive holds %u shapefiles (%s): choose one with --layer NAME"), path, shps->len,
                     list->str);
      else
        g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, _("%s: no shapefile %s in the archive (it holds %s)"),
                     path, layer, list->str);
      zip_discard (zip);
      return NULL;
    }

  /* The chosen shapefile's files, by the same stem in the same folder, under its own name. */
  tmp = g_dir_make_tmp ("gridplan-zip-XXXXXX", &local_error);
  if (tmp == NULL)
    {
      zip_discard (zip);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  stem = g_strndup (chosen, strlen (chosen) - 4);
  chosen_name = layer_name (chosen);
  for (guint i = 0; i < names->len && local_error == NULL; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      for (gsize k = 0; name != NULL && k < G_N_ELEMENTS (sidecars); k++)
        if (strlen (name) == strlen (stem) + 4 && g_ascii_strncasecmp (name, stem, strlen (stem)) == 0
            && has_suffix_ci (name, sidecars[k]))
          {
            g_autofree char *file = g_strconcat (chosen_name, sidecars[k], NULL);
            g_autofree char *dest = g_build_filename (tmp, file, NULL);

            extract (zip, i, name, path, dest, &local_error);
          }
    }
  zip_discard (zip);
  if (local_error == NULL)
    {
      g_autofree char *file = g_strconcat (chosen_name, ".shp", NULL);

      shp_path = g_build_filename (tmp, file, NULL);
      result = gp_shp_read (shp_path, encoding, flags, &local_error);
    }
  /* Messages name the archive and the member's folder, never the temporary folder. */
  prefix = g_strdup_printf ("%s/%.*s", path, (int) (strrchr (chosen, '/') != NULL ? strrchr (chosen, '/') - chosen : 0),
                            chosen);
  if (prefix[strlen (prefix) - 1] == '/')
    prefix[strlen (prefix) - 1] = '\0';
  if (result != NULL)
    {
      GPtrArray *warnings = gp_layer_get_warnings (result);
      g_autofree char *source = in_archive (shp_path, tmp, prefix);

      for (guint i = 0; i < warnings->len; i++)
        {
          char *fixed = in_archive (g_ptr_array_index (warnings, i), tmp, prefix);

          g_free (g_ptr_array_index (warnings, i));
          g_ptr_array_index (warnings, i) = fixed;
        }
      gp_layer_set_source_path (result, source);
    }
  else if (local_error != NULL)
    {
      char *fixed = in_archive (local_error->message, tmp, prefix);

      g_free (local_error->message);
      local_error->message = fixed;
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  remove_tree (tmp);
  return result;
}
