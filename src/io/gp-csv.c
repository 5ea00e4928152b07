/* gp-csv.c: a layer as CSV the way Excel and WPS open it: UTF-8 with BOM, RFC 4180, CRLF, WKT. */
#include "gp-config.h"

#include "gp-csv.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gp-error.h"
#include "gp-geojson.h"
#include "gp-output.h"

/* Without the BOM Excel takes UTF-8 for the local ANSI code page and garbles Chinese text. */
#define UTF8_BOM "\xEF\xBB\xBF"

/* One field, quoted (with quotes doubled) only when it holds a comma, quote or line break. */
static void
put_field (GString *line, const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (line, text);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *quote; (quote = strchr (text, '"')) != NULL; text = quote + 1)
    {
      g_string_append_len (line, text, quote - text + 1);
      g_string_append_c (line, '"');
    }
  g_string_append (line, text);
  g_string_append_c (line, '"');
}

void
gp_csv_write_field (FILE *out, const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      fputs (text, out);
      return;
    }
  fputc ('"', out);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        fputc ('"', out);
      fputc (*p, out);
    }
  fputc ('"', out);
}

static void
put_number (GString *out, double x)
{
  char buf[GP_NUMBER_BUFSIZE];

  gp_geojson_format_number (x, buf);
  g_string_append (out, buf);
}

/* ---------------------------------------------------------------------------------------------
 * WKT, written straight from the shape (same exact numbers as the GeoJSON output)
 * ------------------------------------------------------------------------------------------- */

static void
wkt_position (GString *wkt, const GpShape *shape, guint i)
{
  put_number (wkt, shape->xy[2 * (gsize) i]);
  g_string_append_c (wkt, ' ');
  put_number (wkt, shape->xy[2 * (gsize) i + 1]);
  if (shape->z != NULL)
    {
      g_string_append_c (wkt, ' ');
      put_number (wkt, isfinite (shape->z[i]) ? shape->z[i] : 0.0);
    }
}

static void
wkt_positions (GString *wkt, const GpShape *shape, guint start, guint end, gboolean ring)
{
  g_string_append_c (wkt, '(');
  for (guint i = start; i < end; i++)
    {
      if (i > start)
        g_string_append (wkt, ", ");
      wkt_position (wkt, shape, i);
    }
  /* WKT rings are closed; a source that left one open gets its first point again. */
  if (ring && end - start > 1
      && (shape->xy[2 * start] != shape->xy[2 * (end - 1)]
          || shape->xy[2 * start + 1] != shape->xy[2 * (end - 1) + 1]))
    {
      g_string_append (wkt, ", ");
      wkt_position (wkt, shape, start);
    }
  g_string_append_c (wkt, ')');
}

static void
wkt_polygon (GString *wkt, const GpShape *shape, guint polygon)
{
  guint first = shape->polygon_start[polygon], last = shape->polygon_start[polygon + 1];

  if (first == last)
    {
      g_string_append (wkt, "EMPTY");
      return;
    }
  g_string_append_c (wkt, '(');
  for (guint r = first; r < last; r++)
    {
      if (r > first)
        g_string_append (wkt, ", ");
      wkt_positions (wkt, shape, shape->part_start[r], shape->part_start[r + 1], TRUE);
    }
  g_string_append_c (wkt, ')');
}

/* Writes the type keyword; returns FALSE (after writing EMPTY) when there is nothing more. */
static gboolean
wkt_tag (GString *wkt, const char *type, const GpShape *shape, guint n_members)
{
  g_string_append (wkt, type);
  g_string_append (wkt, shape->z != NULL ? " Z " : " ");
  if (n_members == 0)
    {
      g_string_append (wkt, "EMPTY");
      return FALSE;
    }
  return TRUE;
}

static void
wkt_geometry (GString *wkt, const GpShape *shape)
{
  gboolean multi = (shape->flags & GP_SHAPE_FORCE_MULTI) != 0;

  switch (shape->kind)
    {
    case GP_SHAPE_POINT:
      if (wkt_tag (wkt, "POINT", shape, shape->n_points))
        wkt_positions (wkt, shape, 0, 1, FALSE);
      break;

    case GP_SHAPE_MULTIPOINT:
      if (!wkt_tag (wkt, "MULTIPOINT", shape, shape->n_points))
        break;
      g_string_append_c (wkt, '(');
      for (guint i = 0; i < shape->n_points; i++)
        {
          if (i > 0)
            g_string_append (wkt, ", ");
          wkt_positions (wkt, shape, i, i + 1, FALSE);
        }
      g_string_append_c (wkt, ')');
      break;

    case GP_SHAPE_LINE:
      if (shape->n_parts <= 1 && !multi)
        {
          if (wkt_tag (wkt, "LINESTRING", shape, shape->n_parts))
            wkt_positions (wkt, shape, shape->part_start[0], shape->part_start[1], FALSE);
          break;
        }
      if (!wkt_tag (wkt, "MULTILINESTRING", shape, shape->n_parts))
        break;
      g_string_append_c (wkt, '(');
      for (guint p = 0; p < shape->n_parts; p++)
        {
          if (p > 0)
            g_string_append (wkt, ", ");
          wkt_positions (wkt, shape, shape->part_start[p], shape->part_start[p + 1], FALSE);
        }
      g_string_append_c (wkt, ')');
      break;

    case GP_SHAPE_POLYGON:
      if (shape->n_polygons <= 1 && !multi)
        {
          if (wkt_tag (wkt, "POLYGON", shape, shape->n_polygons))
            wkt_polygon (wkt, shape, 0);
          break;
        }
      if (!wkt_tag (wkt, "MULTIPOLYGON", shape, shape->n_polygons))
        break;
      g_string_append_c (wkt, '(');
      for (guint p = 0; p < shape->n_polygons; p++)
        {
          if (p > 0)
            g_string_append (wkt, ", ");
          wkt_polygon (wkt, shape, p);
        }
      g_string_append_c (wkt, ')');
      break;

    case GP_SHAPE_NULL:
    default:
      break;
    }
}

/* ---------------------------------------------------------------------------------------------
 * Records
 * ------------------------------------------------------------------------------------------- */

static void
put_value (GString *line, const GpField *field, const GpValue *value)
{
  if (value->is_null)
    return;
  switch (field->type)
    {
    case GP_FIELD_STRING:
      put_field (line, value->text != NULL ? value->text : "");
      break;
    case GP_FIELD_INTEGER:
      g_string_append_printf (line, "%" G_GINT64_FORMAT, value->integer);
      break;
    case GP_FIELD_REAL:
      if (isfinite (value->real))
        put_number (line, value->real);
      break;
    case GP_FIELD_DATE:
      g_string_append_printf (line, "%04u-%02u-%02u",
                              value->date.year, value->date.month, value->date.day);
      break;
    case GP_FIELD_LOGICAL:
      g_string_append (line, value->logical ? "true" : "false");
      break;
    default:
      break;
    }
}

gboolean
gp_csv_write_layer (GpLayer *layer, const char *path, GError **error)
{
  g_autoptr(GpOutput) output = NULL;
  g_autoptr(GString) line = g_string_sized_new (4096);
  g_autoptr(GString) wkt = g_string_sized_new (4096);
  guint n_fields, n_features;
  FILE *f;

  g_return_val_if_fail (GP_IS_LAYER (layer), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  output = gp_output_new (path, error);
  if (output == NULL)
    return FALSE;
  f = gp_output_get_stream (output);
  if (f == NULL)
    {
      int saved = errno;
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot write: %s"), path, g_strerror (saved));
      return FALSE;
    }

  n_fields = gp_layer_get_n_fields (layer);
  n_features = gp_layer_get_n_features (layer);

  g_string_append (line, UTF8_BOM);
  for (guint j = 0; j < n_fields; j++)
    {
      put_field (line, gp_layer_get_field (layer, j)->name);
      g_string_append_c (line, ',');
    }
  /* Excel and WPS expect CRLF; LF alone inside a quoted field stays part of the text. */
  g_string_append (line, "WKT\r\n");
  fwrite (line->str, 1, line->len, f);

  for (guint i = 0; i < n_features && !ferror (f); i++)
    {
      GpFeature *feature = gp_layer_get_feature (layer, i);

      g_string_truncate (line, 0);
      for (guint j = 0; j < n_fields; j++)
        {
          put_value (line, gp_layer_get_field (layer, j), &feature->values[j]);
          g_string_append_c (line, ',');
        }
      if (feature->shape != NULL && feature->shape->kind != GP_SHAPE_NULL)
        {
          g_string_truncate (wkt, 0);
          wkt_geometry (wkt, feature->shape);
          put_field (line, wkt->str);
        }
      g_string_append (line, "\r\n");
      fwrite (line->str, 1, line->len, f);
    }

  if (ferror (f))
    {
      int saved = errno;
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot write: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return gp_output_commit (output, error);
}
