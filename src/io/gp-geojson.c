/* gp-geojson.c: streaming GeoJSON (RFC 7946) output of a layer, numbers in their shortest exact form. */
#include "gp-config.h"

#include "gp-geojson.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gp-error.h"
#include "gp-output.h"

/* ---------------------------------------------------------------------------------------------
 * Numbers
 * ------------------------------------------------------------------------------------------- */

/* Writes r / 10^decimals in fixed notation. */
static gsize
format_fixed (gboolean negative, guint64 r, int decimals, char *buf)
{
  char digits[24];
  int n = 0, at = 0;

  /* Trailing zeros would only repeat the same number. */
  while (decimals > 0 && r % 10 == 0)
    {
      r /= 10;
      decimals--;
    }
  do
    {
      digits[n++] = (char) ('0' + r % 10);
      r /= 10;
    }
  while (r > 0);
  while (n <= decimals)
    digits[n++] = '0';

  if (negative)
    buf[at++] = '-';
  for (int i = n - 1; i >= 0; i--)
    {
      buf[at++] = digits[i];
      if (i == decimals && i > 0)
        buf[at++] = '.';
    }
  buf[at] = '\0';
  return (gsize) at;
}

typedef unsigned __int128 guint128;

#define POW10_19 G_GUINT64_CONSTANT (10000000000000000000)

static const guint128 pow10_128[22] = {
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
  G_GUINT64_CONSTANT (10000000000), G_GUINT64_CONSTANT (100000000000),
  G_GUINT64_CONSTANT (1000000000000), G_GUINT64_CONSTANT (10000000000000),
  G_GUINT64_CONSTANT (100000000000000), G_GUINT64_CONSTANT (1000000000000000),
  G_GUINT64_CONSTANT (10000000000000000), G_GUINT64_CONSTANT (100000000000000000),
  G_GUINT64_CONSTANT (1000000000000000000), POW10_19,
  (guint128) POW10_19 * 10, (guint128) POW10_19 * 100,
};

/* The interval of reals that read back as one double, scaled to integers (see below). */
typedef struct {
  guint128 low, centre, high;
  int shift;
  gboolean inclusive;
} Interval;

/* The integers r with r·10^-k inside the interval are [*r_min, *r_max]; FALSE when none. */
static gboolean
interval_candidates (const Interval *iv, int k, guint128 *r_min, guint128 *r_max)
{
  guint128 mask = ((guint128) 1 << iv->shift) - 1;
  guint128 lo = iv->low * pow10_128[k], hi = iv->high * pow10_128[k];

  *r_min = (lo >> iv->shift) + (((lo & mask) != 0 || !iv->inclusive) ? 1 : 0);
  *r_max = (hi >> iv->shift) - (((hi & mask) == 0 && !iv->inclusive) ? 1 : 0);
  return *r_min <= *r_max;
}

/* The shortest decimal that reads back as x, for 1e-4 <= |x| < 1e15, found exactly with
 * 128-bit integers: |x| = m·2^e, and every decimal strictly inside half an ulp of it (or on
 * the boundary when m is even, as strtod rounds half to even) reads back as x. We look for
 * the fewest decimals k such that an integer r has r·10^-k in that interval, and take the
 * candidate nearest x. A k that works makes k + 1 work too, so k is found by bisection.
 * With m < 2^53 and k <= 21, (4m + 2)·10^k stays below 2^128, and 20 decimals are enough
 * for 17 significant digits from 1e-4 up. Returns 0 when x is outside that range. */
static gsize
format_shortest_fixed (double x, char *buf)
{
  double ax = fabs (x);
  Interval iv;
  guint128 r_min, r_max, r, c, rest, half;
  int lo_k = 0, hi_k = 21;
  guint64 bits, m;

  if (!(ax >= 1e-4 && ax < 1e15))
    return 0;
  /* ax = m·2^e exactly, from its bits (a normal double in this range): m has the implicit
   * leading 1, e = biased exponent - 1075. Bounds are in units of 2^-shift = 2^(e - 2). */
  memcpy (&bits, &ax, sizeof bits);
  m = (bits & ((G_GUINT64_CONSTANT (1) << 52) - 1)) | (G_GUINT64_CONSTANT (1) << 52);
  iv.shift = 2 - ((int) (bits >> 52) - 1075);
  iv.inclusive = (m % 2) == 0;
  iv.centre = (guint128) m << 2;
  iv.high = iv.centre + 2;
  /* Just above a power of two the next double down is half as far away. */
  iv.low = iv.centre - (m == (G_GUINT64_CONSTANT (1) << 52) ? 1 : 2);

  while (lo_k < hi_k)
    {
      int mid = (lo_k + hi_k) / 2;

      if (interval_candidates (&iv, mid, &r_min, &r_max))
        hi_k = mid;
      else
        lo_k = mid + 1;
    }
  if (!interval_candidates (&iv, lo_k, &r_min, &r_max))
    return 0;

  c = iv.centre * pow10_128[lo_k];
  r = c >> iv.shift;
  rest = c & (((guint128) 1 << iv.shift) - 1);
  half = (guint128) 1 << (iv.shift - 1);
  if (rest > half || (rest == half && (r & 1)))
    r++;
  r = MIN (MAX (r, r_min), r_max);
  return format_fixed (x < 0, (guint64) r, lo_k, buf);
}

/* Numbers outside the fixed range (and none inside it) go through printf with 15, 16 and
 * then 17 digits, the first that reads back. */
gsize
gp_geojson_format_number (double x, char buf[GP_NUMBER_BUFSIZE])
{
  gsize len;

  if (!isfinite (x))
    {
      memcpy (buf, "null", 5);
      return 4;
    }
  if (x == 0.0)
    {
      memcpy (buf, "0", 2);
      return 1;
    }
  len = format_shortest_fixed (x, buf);
  if (len > 0)
    return len;

  for (int digits = 15; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, GP_NUMBER_BUFSIZE, format, x);
      if (digits == 17 || g_ascii_strtod (buf, NULL) == x)
        break;
    }
  return strlen (buf);
}

/* ---------------------------------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------------------------------- */

/* stdio's own buffer (1 MiB from GpOutput) with the unlocked calls: one writer per stream,
 * and no lock taken per number. */
static inline void
put (FILE *f, const char *s, gsize n)
{
  fwrite_unlocked (s, 1, n, f);
}

#define PUT_LITERAL(f, s) put ((f), (s), sizeof (s) - 1)

static void
put_number (FILE *f, double x)
{
  char buf[GP_NUMBER_BUFSIZE];

  put (f, buf, gp_geojson_format_number (x, buf));
}

static void
put_integer (FILE *f, gint64 v)
{
  char buf[24];
  int at = (int) sizeof buf;
  guint64 u = v < 0 ? (guint64) 0 - (guint64) v : (guint64) v;

  do
    {
      buf[--at] = (char) ('0' + u % 10);
      u /= 10;
    }
  while (u > 0);
  if (v < 0)
    buf[--at] = '-';
  put (f, buf + at, sizeof buf - (gsize) at);
}

/* A JSON string: quotes, backslashes and control characters escaped, UTF-8 as it is. */
static void
put_string (FILE *f, const char *text)
{
  g_autofree char *valid = NULL;
  const char *run;
  const char *p;

  /* Text is decoded to UTF-8 when read; anything that slipped through still must not make
   * the whole file unreadable. */
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  fputc_unlocked ('"', f);
  for (run = p = text; *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;
      char escape[8];
      gsize len;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      put (f, run, (gsize) (p - run));
      switch (c)
        {
        case '"':  len = 2; memcpy (escape, "\\\"", 2); break;
        case '\\': len = 2; memcpy (escape, "\\\\", 2); break;
        case '\n': len = 2; memcpy (escape, "\\n", 2); break;
        case '\r': len = 2; memcpy (escape, "\\r", 2); break;
        case '\t': len = 2; memcpy (escape, "\\t", 2); break;
        case '\b': len = 2; memcpy (escape, "\\b", 2); break;
        case '\f': len = 2; memcpy (escape, "\\f", 2); break;
        default:   len = (gsize) g_snprintf (escape, sizeof escape, "\\u%04x", c); break;
        }
      put (f, escape, len);
      run = p + 1;
    }
  put (f, run, (gsize) (p - run));
  fputc_unlocked ('"', f);
}

static void
put_position (FILE *f, const GpShape *shape, guint i)
{
  fputc_unlocked ('[', f);
  put_number (f, shape->xy[2 * (gsize) i]);
  fputc_unlocked (',', f);
  put_number (f, shape->xy[2 * (gsize) i + 1]);
  /* M is not part of GeoJSON; a Z that is not a number is left out rather than made up. */
  if (shape->z != NULL && isfinite (shape->z[i]))
    {
      fputc_unlocked (',', f);
      put_number (f, shape->z[i]);
    }
  fputc_unlocked (']', f);
}

/* Positions [start, end); a ring is closed when its source left it open, as RFC 7946 requires. */
static void
put_positions (FILE *f, const GpShape *shape, guint start, guint end, gboolean ring)
{
  fputc_unlocked ('[', f);
  for (guint i = start; i < end; i++)
    {
      if (i > start)
        fputc_unlocked (',', f);
      put_position (f, shape, i);
    }
  if (ring && end - start > 1
      && (shape->xy[2 * start] != shape->xy[2 * (end - 1)]
          || shape->xy[2 * start + 1] != shape->xy[2 * (end - 1) + 1]))
    {
      fputc_unlocked (',', f);
      put_position (f, shape, start);
    }
  fputc_unlocked (']', f);
}

static void
put_polygon (FILE *f, const GpShape *shape, guint polygon)
{
  guint first = shape->polygon_start[polygon], last = shape->polygon_start[polygon + 1];

  fputc_unlocked ('[', f);
  for (guint r = first; r < last; r++)
    {
      if (r > first)
        fputc_unlocked (',', f);
      put_positions (f, shape, shape->part_start[r], shape->part_start[r + 1], TRUE);
    }
  fputc_unlocked (']', f);
}

/* The geometry member's value. Lines and polygons are single when there is one of them (as
 * mbostock's shapefile reader, the reference users compare with, writes them) or none; a
 * multipoint stays a MultiPoint even with one point. */
static void
put_geometry (FILE *f, const GpShape *shape)
{
  gboolean multi = (shape->flags & GP_SHAPE_FORCE_MULTI) != 0;

  if (shape->kind == GP_SHAPE_NULL || (shape->kind == GP_SHAPE_POINT && shape->n_points == 0))
    {
      PUT_LITERAL (f, "null");
      return;
    }

  switch (shape->kind)
    {
    case GP_SHAPE_POINT:
      PUT_LITERAL (f, "{\"type\":\"Point\",\"coordinates\":");
      put_position (f, shape, 0);
      break;

    case GP_SHAPE_MULTIPOINT:
      PUT_LITERAL (f, "{\"type\":\"MultiPoint\",\"coordinates\":");
      put_positions (f, shape, 0, shape->n_points, FALSE);
      break;

    case GP_SHAPE_LINE:
      if (shape->n_parts <= 1 && !multi)
        {
          PUT_LITERAL (f, "{\"type\":\"LineString\",\"coordinates\":");
          put_positions (f, shape, shape->part_start[0], shape->part_start[shape->n_parts], FALSE);
          break;
        }
      PUT_LITERAL (f, "{\"type\":\"MultiLineString\",\"coordinates\":[");
      for (guint p = 0; p < shape->n_parts; p++)
        {
          if (p > 0)
            fputc_unlocked (',', f);
          put_positions (f, shape, shape->part_start[p], shape->part_start[p + 1], FALSE);
        }
      fputc_unlocked (']', f);
      break;

    case GP_SHAPE_POLYGON:
      if (shape->n_polygons <= 1 && !multi)
        {
          PUT_LITERAL (f, "{\"type\":\"Polygon\",\"coordinates\":");
          if (shape->n_polygons == 1)
            put_polygon (f, shape, 0);
          else
            PUT_LITERAL (f, "[]");
          break;
        }
      PUT_LITERAL (f, "{\"type\":\"MultiPolygon\",\"coordinates\":[");
      for (guint p = 0; p < shape->n_polygons; p++)
        {
          if (p > 0)
            fputc_unlocked (',', f);
          put_polygon (f, shape, p);
        }
      fputc_unlocked (']', f);
      break;

    case GP_SHAPE_NULL:
    default:
      g_assert_not_reached ();
    }
  fputc_unlocked ('}', f);
}

static void
put_value (FILE *f, const GpField *field, const GpValue *value)
{
  char date[16];

  if (value->is_null)
    {
      PUT_LITERAL (f, "null");
      return;
    }
  switch (field->type)
    {
    case GP_FIELD_STRING:
      put_string (f, value->text != NULL ? value->text : "");
      break;
    case GP_FIELD_INTEGER:
      put_integer (f, value->integer);
      break;
    case GP_FIELD_REAL:
      put_number (f, value->real);   /* NaN and infinities come out as null */
      break;
    case GP_FIELD_DATE:
      g_snprintf (date, sizeof date, "\"%04u-%02u-%02u\"",
                  value->date.year, value->date.month, value->date.day);
      put (f, date, strlen (date));
      break;
    case GP_FIELD_LOGICAL:
      if (value->logical)
        PUT_LITERAL (f, "true");
      else
        PUT_LITERAL (f, "false");
      break;
    default:
      PUT_LITERAL (f, "null");
      break;
    }
}

/* `"name":` for every field, escaped once rather than once per feature. */
static GPtrArray *
property_keys (GpLayer *layer)
{
  guint n_fields = gp_layer_get_n_fields (layer);
  GPtrArray *keys = g_ptr_array_new_full (n_fields, g_free);

  for (guint i = 0; i < n_fields; i++)
    {
      char *buf = NULL;
      gsize size = 0;
      FILE *mem = open_memstream (&buf, &size);

      if (mem == NULL)
        g_error ("out of memory");
      put_string (mem, gp_layer_get_field (layer, i)->name);
      fputc (':', mem);
      fclose (mem);
      g_ptr_array_add (keys, buf);
    }
  return keys;
}

gboolean
gp_geojson_write_layer (GpLayer *layer, const char *path, GError **error)
{
  g_autoptr(GpOutput) output = NULL;
  g_autoptr(GPtrArray) keys = NULL;
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

  keys = property_keys (layer);
  n_fields = gp_layer_get_n_fields (layer);
  n_features = gp_layer_get_n_features (layer);

  PUT_LITERAL (f, "{\"type\":\"FeatureCollection\",\"features\":[\n");
  for (guint i = 0; i < n_features; i++)
    {
      GpFeature *feature = gp_layer_get_feature (layer, i);

      PUT_LITERAL (f, "{\"type\":\"Feature\",\"properties\":{");
      for (guint j = 0; j < n_fields; j++)
        {
          if (j > 0)
            fputc_unlocked (',', f);
          fputs_unlocked (keys->pdata[j], f);
          put_value (f, gp_layer_get_field (layer, j), &feature->values[j]);
        }
      PUT_LITERAL (f, "},\"geometry\":");
      if (feature->shape != NULL)
        put_geometry (f, feature->shape);
      else
        PUT_LITERAL (f, "null");
      if (i + 1 < n_features)
        PUT_LITERAL (f, "},\n");
      else
        PUT_LITERAL (f, "}\n");

      if (ferror (f))
        break;
    }
  PUT_LITERAL (f, "]}\n");

  if (ferror (f))
    {
      int saved = errno;
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot write: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return gp_output_commit (output, error);
}
