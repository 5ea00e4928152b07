/* gp-cli-convert.c: `gridplan-cli convert IN OUT`: a shapefile or GeoPackage layer to .geojson/.gpkg/.shp/.csv. */
#include "gp-config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <proj.h>
#include <string.h>

#include "gp-cli.h"
#include "gp-csv.h"
#include "gp-error.h"
#include "gp-geojson.h"
#include "gp-gpkg.h"
#include "gp-shp.h"
#include "gp-text.h"

typedef enum {
  FORMAT_NONE,
  FORMAT_GEOJSON,
  FORMAT_GPKG,
  FORMAT_SHP,
  FORMAT_CSV,
  FORMAT_ZIP,
} Format;

static Format
format_of (const char *path)
{
  static const struct { const char *suffix; Format format; } suffixes[] = {
    { ".geojson", FORMAT_GEOJSON }, { ".json", FORMAT_GEOJSON }, { ".gpkg", FORMAT_GPKG },
    { ".shp", FORMAT_SHP }, { ".csv", FORMAT_CSV }, { ".zip", FORMAT_ZIP },
  };
  g_autofree char *lower = g_ascii_strdown (path, -1);

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (lower, suffixes[i].suffix) && strlen (lower) > strlen (suffixes[i].suffix))
      return suffixes[i].format;
  return FORMAT_NONE;
}

/* A GeoPackage is an SQLite file: told by its name or, whatever its name, by its first bytes. */
gboolean
gp_cli_is_geopackage (const char *path)
{
  static const char magic[16] = "SQLite format 3";
  char head[16] = { 0 };
  FILE *file;
  gboolean yes;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return FALSE;
  if (format_of (path) == FORMAT_GPKG)
    return TRUE;
  file = g_fopen (path, "rb");
  if (file == NULL)
    return FALSE;
  yes = fread (head, 1, sizeof head, file) == sizeof head && memcmp (head, magic, sizeof head) == 0;
  fclose (file);
  return yes;
}

GpLayer *
gp_cli_read_layer (const char *path, const char *encoding, const char *table, guint shp_flags,
                   GError **error)
{
  Format format = format_of (path);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, "%s: %s", path, g_strerror (ENOENT));
      return NULL;
    }
  if (format != FORMAT_SHP && gp_cli_is_geopackage (path))
    return gp_gpkg_read_layer (path, table, error);
  if (format == FORMAT_SHP)
    return gp_shp_read (path, encoding, (GpShpReadFlags) shp_flags, error);
  /* Offices send shapefiles zipped; TABLE picks one of several. */
  if (format == FORMAT_ZIP)
    return gp_shp_read_zip (path, table, encoding, (GpShpReadFlags) shp_flags, error);
  g_set_error (error, GP_ERROR, GP_ERROR_FORMAT,
               _("%s: not a shapefile (.shp, or zipped), or a GeoPackage (.gpkg)"), path);
  return NULL;
}

int
gp_cli_fail_on (const char *file, GError *error)
{
  g_autofree char *stem = g_strdup (file);
  char *dot = strrchr (stem, '.');

  /* One line, always: some library messages quote text with line breaks in it. */
  g_strdelimit (error->message, "\r\n", ' ');
  if (dot != NULL && strchr (dot, G_DIR_SEPARATOR) == NULL)
    *dot = '\0';
  /* Library messages name the file (or its .dbf/.shx); anything else gets the file in front. */
  if (g_str_has_prefix (error->message, stem))
    return gp_cli_fail_error (error);
  return gp_cli_fail (file, "%s", error->message);
}

void
gp_cli_print_warnings (GpLayer *layer)
{
  gp_cli_print_warnings_from (layer, 0);
}

void
gp_cli_print_warnings_from (GpLayer *layer, guint first)
{
  GPtrArray *warnings = gp_layer_get_warnings (layer);

  for (guint i = first; i < warnings->len; i++)
    {
      g_autofree char *line = g_strdup (g_ptr_array_index (warnings, i));

      gp_cli_warn ("%s", g_strdelimit (line, "\r\n", ' '));
    }
}

/* ---- reprojection ---- */

static char *
proj_definition (GpCrs *crs)
{
  if (gp_crs_get_epsg (crs) > 0)
    return g_strdup_printf ("EPSG:%d", gp_crs_get_epsg (crs));
  if (gp_crs_get_wkt2 (crs) != NULL && *gp_crs_get_wkt2 (crs) != '\0')
    return g_strdup (gp_crs_get_wkt2 (crs));
  return g_strdup (gp_crs_get_wkt (crs));
}

static gboolean
transform_shape (PJ *transform, GpShape *shape)
{
  size_t n = shape->n_points;
  gboolean has_z = shape->z != NULL;

  if (n == 0)
    return TRUE;
  proj_trans_generic (transform, PJ_FWD,
                      shape->xy, 2 * sizeof (double), n,
                      shape->xy + 1, 2 * sizeof (double), n,
                      has_z ? shape->z : NULL, has_z ? sizeof (double) : 0, has_z ? n : 0,
                      NULL, 0, 0);
  /* PROJ marks a point it could not transform with HUGE_VAL rather than failing the call. */
  for (size_t i = 0; i < 2 * n; i++)
    if (!isfinite (shape->xy[i]) || fabs (shape->xy[i]) == HUGE_VAL)
      return FALSE;
  return TRUE;
}

/* Coordinates of every shape to TARGET, in place, with lon/lat in that order whatever the
 * CRS's official axis order says (proj_normalize_for_visualization), as GeoJSON wants. */
static gboolean
reproject_layer (GpLayer *layer, GpCrs *target, const char *to, GError **error)
{
  GpCrs *source = gp_layer_get_crs (layer);
  const char *path = gp_layer_get_source_path (layer);
  g_autofree char *source_def = NULL;
  g_autofree char *target_def = NULL;
  PJ_CONTEXT *ctx;
  PJ *raw, *transform = NULL;
  gboolean ok = TRUE;

  if (source == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_CRS,
                   _("%s: the coordinate system is unknown (no .prj), so it cannot be converted to %s"),
                   path, to);
      return FALSE;
    }
  if (gp_crs_equal (source, target))
    return TRUE;

  source_def = proj_definition (source);
  target_def = proj_definition (target);
  ctx = proj_context_create ();
  proj_log_level (ctx, PJ_LOG_NONE);
  raw = proj_create_crs_to_crs (ctx, source_def, target_def, NULL);
  if (raw != NULL)
    {
      transform = proj_normalize_for_visualization (ctx, raw);
      proj_destroy (raw);
    }
  if (transform == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_CRS, _("%s: no way to convert %s coordinates to %s"),
                   path, gp_crs_get_name (source), to);
      proj_context_destroy (ctx);
      return FALSE;
    }

  for (guint i = 0; ok && i < gp_layer_get_n_features (layer); i++)
    {
      GpFeature *feature = gp_layer_get_feature (layer, i);

      if (feature->shape != NULL && !transform_shape (transform, feature->shape))
        {
          g_set_error (error, GP_ERROR, GP_ERROR_CRS,
                       _("%s: record %u: coordinates cannot be converted to %s"), path,
                       feature->record, to);
          ok = FALSE;
        }
    }
  proj_destroy (transform);
  proj_context_destroy (ctx);
  if (ok)
    gp_layer_set_crs (layer, target);
  return ok;
}

/* ---- the command ---- */

/* OUT must not overwrite IN (for a shapefile, IN.shp with OUT.shp also means the .dbf). */
static gboolean
same_file (const char *in, const char *out)
{
  GStatBuf a, b;

  if (g_stat (in, &a) != 0 || g_stat (out, &b) != 0)
    return FALSE;
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static gboolean
write_layer (GpLayer *layer, Format format, const char *out, const char *out_encoding, GError **error)
{
  switch (format)
    {
    case FORMAT_GEOJSON: return gp_geojson_write_layer (layer, out, error);
    case FORMAT_GPKG: return gp_gpkg_write_layer (layer, out, error);
    case FORMAT_SHP: return gp_shp_write_encoded (layer, out, out_encoding, error);
    case FORMAT_CSV: return gp_csv_write_layer (layer, out, error);
    case FORMAT_ZIP:
    case FORMAT_NONE:
    default:
      g_assert_not_reached ();
    }
}

int
gp_cli_convert (int argc, char **argv)
{
  g_autofree char *encoding = NULL;
  g_autofree char *out_encoding = NULL;
  g_autofree char *to = NULL;
  g_autofree char *table = NULL;
  guint read_warnings;
  const GOptionEntry entries[] = {
    { "out-encoding", 0, 0, G_OPTION_ARG_STRING, &out_encoding,
      N_("Text encoding of a shapefile output's DBF: UTF-8 (default) or GBK for old software"), N_("ENC") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding,
      N_("Text encoding of the input's DBF (GBK, UTF-8, CP1252...), overriding .cpg and detection"),
      N_("ENC") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("Convert coordinates to this coordinate system (e.g. EPSG:4326)"), N_("CRS") },
    { "layer", 0, 0, G_OPTION_ARG_STRING, &table,
      N_("Table to read from a GeoPackage input (default: its first feature table), or shapefile from a .zip"),
      N_("NAME") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("IN OUT"));
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GpCrs) target = NULL;
  g_autoptr(GError) error = NULL;
  const char *in, *out;
  Format format;
  int status = GP_CLI_OK;

  g_option_context_set_summary (context,
    _("Convert a shapefile (.shp) or a GeoPackage layer (.gpkg) to GeoJSON (.geojson, .json),\n"
      "GeoPackage (.gpkg), shapefile (.shp) or CSV (.csv), chosen by OUT’s extension."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gp_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return gp_cli_usage (argv[0], _("expected an input and an output file"));
  in = argv[1];
  out = argv[2];

  format = format_of (out);
  if (format == FORMAT_ZIP)
    format = FORMAT_NONE;
  if (out_encoding != NULL)
    {
      const char *canonical = gp_text_canonical_encoding (out_encoding);

      if (format != FORMAT_SHP || canonical == NULL
          || (g_strcmp0 (canonical, "UTF-8") != 0 && g_strcmp0 (canonical, "GBK") != 0
              && g_strcmp0 (canonical, "GB18030") != 0))
        return gp_cli_usage (argv[0], _("--out-encoding is UTF-8 or GBK, for a shapefile output"));
      g_free (out_encoding);
      out_encoding = g_strdup (g_strcmp0 (canonical, "UTF-8") == 0 ? "UTF-8" : "GBK");
    }
  if (format == FORMAT_NONE)
    {
      g_autofree char *message =
        g_strdup_printf (_("%s: unknown output format (use .geojson, .json, .gpkg, .shp or .csv)"), out);
      return gp_cli_usage (argv[0], message);
    }
  if (encoding != NULL && gp_text_canonical_encoding (encoding) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("unknown encoding “%s”"), encoding);
      return gp_cli_usage (argv[0], message);
    }
  if (to != NULL)
    {
      target = gp_crs_new_from_definition (to, NULL);
      if (target == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("unknown coordinate system “%s”"), to);
          return gp_cli_usage (argv[0], message);
        }
    }
  if (same_file (in, out))
    return gp_cli_fail (out, _("is the input file; choose another output"));

  layer = gp_cli_read_layer (in, encoding, table, GP_SHP_READ_DEFAULT, &error);
  if (layer == NULL)
    return gp_cli_fail_on (in, error);
  gp_cli_print_warnings (layer);
  read_warnings = gp_layer_get_warnings (layer)->len;

  if (target != NULL && !reproject_layer (layer, target, to, &error))
    return gp_cli_fail_on (in, error);
  if (!write_layer (layer, format, out, out_encoding, &error))
    return gp_cli_fail_on (out, error);
  /* What writing changed (fields renamed to fit, text shortened), once the file is there. */
  gp_cli_print_warnings_from (layer, read_warnings);
  return GP_CLI_OK;
}
