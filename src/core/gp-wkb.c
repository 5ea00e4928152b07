/* gp-wkb.c: ISO WKB and GeoPackage binary geometry, written and parsed with bounds checks. */
#include "gp-config.h"

#include "gp-wkb.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "gp-error.h"

enum {
  WKB_POINT = 1,
  WKB_LINESTRING = 2,
  WKB_POLYGON = 3,
  WKB_MULTIPOINT = 4,
  WKB_MULTILINESTRING = 5,
  WKB_MULTIPOLYGON = 6,
  WKB_GEOMETRYCOLLECTION = 7,
};

/* ---- writing (little-endian, as every x86/ARM reader expects and GDAL writes) ---- */

static inline void
put_u32 (GByteArray *out, guint32 v)
{
  v = GUINT32_TO_LE (v);
  g_byte_array_append (out, (const guint8 *) &v, 4);
}

static inline void
put_header (GByteArray *out, guint32 type, GpShapeFlags flags)
{
  static const guint8 le = 1;

  if (flags & GP_SHAPE_HAS_Z)
    type += 1000;
  if (flags & GP_SHAPE_HAS_M)
    type += 2000;
  g_byte_array_append (out, &le, 1);
  put_u32 (out, type);
}

static void
put_points (GByteArray *out, const GpShape *shape, guint start, guint end)
{
  gboolean has_z = (shape->flags & GP_SHAPE_HAS_Z) && shape->z != NULL;
  gboolean has_m = (shape->flags & GP_SHAPE_HAS_M) && shape->m != NULL;
  guint dims = 2 + (has_z ? 1 : 0) + (has_m ? 1 : 0);
  gsize old = out->len;
  double *dst;

  g_byte_array_set_size (out, old + (gsize) (end - start) * dims * sizeof (double));
  dst = (double *) (gpointer) (out->data + old);
  for (guint i = start; i < end; i++)
    {
      double v[4];
      guint d = 0;

      v[d++] = shape->xy[2 * i];
      v[d++] = shape->xy[2 * i + 1];
      if (has_z)
        v[d++] = shape->z[i];
      if (has_m)
        v[d++] = shape->m[i];
#if G_BYTE_ORDER == G_BIG_ENDIAN
      for (guint k = 0; k < d; k++)
        {
          guint64 bits;
          memcpy (&bits, &v[k], 8);
          bits = GUINT64_SWAP_LE_BE (bits);
          memcpy (&v[k], &bits, 8);
        }
#endif
      memcpy (dst, v, d * sizeof (double));
      dst += d;
    }
}

static void
put_polygon (GByteArray *out, const GpShape *shape, guint p)
{
  guint first = shape->polygon_start[p], last = shape->polygon_start[p + 1];

  put_header (out, WKB_POLYGON, shape->flags);
  put_u32 (out, last - first);
  for (guint r = first; r < last; r++)
    {
      put_u32 (out, shape->part_start[r + 1] - shape->part_start[r]);
      put_points (out, shape, shape->part_start[r], shape->part_start[r + 1]);
    }
}

gboolean
gp_wkb_append (GByteArray *out, const GpShape *shape)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (shape == NULL || shape->kind == GP_SHAPE_NULL)
    return FALSE;

  switch (shape->kind)
    {
    case GP_SHAPE_POINT:
      put_header (out, WKB_POINT, shape->flags);
      if (shape->n_points == 0)
        {
          /* An empty point is NaN coordinates in WKB. */
          GpShape nan_point = *shape;
          double nan_xy[2] = { NAN, NAN }, nan_zm[1] = { NAN };

          nan_point.xy = nan_xy;
          nan_point.z = nan_zm;
          nan_point.m = nan_zm;
          put_points (out, &nan_point, 0, 1);
        }
      else
        put_points (out, shape, 0, 1);
      return TRUE;

    case GP_SHAPE_MULTIPOINT:
      put_header (out, WKB_MULTIPOINT, shape->flags);
      put_u32 (out, shape->n_points);
      for (guint i = 0; i < shape->n_points; i++)
        {
          put_header (out, WKB_POINT, shape->flags);
          put_points (out, shape, i, i + 1);
        }
      return TRUE;

    case GP_SHAPE_LINE:
      if (shape->n_parts == 1 && !(shape->flags & GP_SHAPE_FORCE_MULTI))
        {
          put_header (out, WKB_LINESTRING, shape->flags);
          put_u32 (out, shape->part_start[1] - shape->part_start[0]);
          put_points (out, shape, shape->part_start[0], shape->part_start[1]);
          return TRUE;
        }
      put_header (out, WKB_MULTILINESTRING, shape->flags);
      put_u32 (out, shape->n_parts);
      for (guint r = 0; r < shape->n_parts; r++)
        {
          put_header (out, WKB_LINESTRING, shape->flags);
          put_u32 (out, shape->part_start[r + 1] - shape->part_start[r]);
          put_points (out, shape, shape->part_start[r], shape->part_start[r + 1]);
        }
      return TRUE;

    case GP_SHAPE_POLYGON:
      if (shape->n_polygons == 1 && !(shape->flags & GP_SHAPE_FORCE_MULTI))
        {
          put_polygon (out, shape, 0);
          return TRUE;
        }
      put_header (out, WKB_MULTIPOLYGON, shape->flags);
      put_u32 (out, shape->n_polygons);
      for (guint p = 0; p < shape->n_polygons; p++)
        put_polygon (out, shape, p);
      return TRUE;

    case GP_SHAPE_NULL:
    default:
      return FALSE;
    }
}

guint8 *
gp_gpkg_blob_new (const GpShape *shape, gint32 srs_id, gsize *length)
{
  GByteArray *out;
  double bbox[4];
  gboolean empty, envelope;
  guint8 header[8];
  gint32 srs_le = GINT32_TO_LE (srs_id);

  g_return_val_if_fail (length != NULL, NULL);

  *length = 0;
  if (shape == NULL || shape->kind == GP_SHAPE_NULL)
    return NULL;

  empty = !gp_shape_get_bbox (shape, bbox);
  /* Points need no envelope: it would only repeat the coordinates (GDAL does the same). */
  envelope = !empty && shape->kind != GP_SHAPE_POINT;
  out = g_byte_array_sized_new (64 + 16 * shape->n_points);
  header[0] = 'G';
  header[1] = 'P';
  header[2] = 0;
  header[3] = 0x01 /* little-endian */ | (envelope ? (1 << 1) : 0) | (empty ? (1 << 4) : 0);
  memcpy (header + 4, &srs_le, 4);
  g_byte_array_append (out, header, 8);
  if (envelope)
    {
      double env[4] = { bbox[0], bbox[2], bbox[1], bbox[3] };
      g_byte_array_append (out, (const guint8 *) env, sizeof env);
    }
  gp_wkb_append (out, shape);
  *length = out->len;
  return g_byte_array_free (out, FALSE);
}

/* ---- parsing ---- */

typedef struct {
  const guint8 *data;
  gsize length;
  gsize pos;
  GError **error;
} Reader;

/* Collected while walking one geometry: the kind decides how the parts are grouped. */
typedef struct {
  GpShapeKind kind;
  GpShapeFlags flags;
  GArray *xy, *z, *m;       /* double */
  GArray *parts;            /* guint: start index of each part */
  GArray *polygons;         /* guint: first part of each polygon */
} Builder;

static gboolean
fail (Reader *r, const char *what)
{
  if (r->error != NULL && *r->error == NULL)
    g_set_error (r->error, GP_ERROR, GP_ERROR_FORMAT, _("broken WKB geometry at byte %zu: %s"),
                 r->pos, what);
  return FALSE;
}

static gboolean
get_u32 (Reader *r, gboolean le, guint32 *v)
{
  guint32 raw;

  if (r->length - r->pos < 4)
    return fail (r, _("truncated"));
  memcpy (&raw, r->data + r->pos, 4);
  r->pos += 4;
  *v = le ? GUINT32_FROM_LE (raw) : GUINT32_FROM_BE (raw);
  return TRUE;
}

static gboolean
get_double (Reader *r, gboolean le, double *v)
{
  guint64 raw;

  if (r->length - r->pos < 8)
    return fail (r, _("truncated"));
  memcpy (&raw, r->data + r->pos, 8);
  r->pos += 8;
  raw = le ? GUINT64_FROM_LE (raw) : GUINT64_FROM_BE (raw);
  memcpy (v, &raw, 8);
  return TRUE;
}

static gboolean
get_header (Reader *r, gboolean *le, guint32 *base, GpShapeFlags *flags)
{
  guint32 type;

  if (r->pos >= r->length)
    return fail (r, _("truncated"));
  if (r->data[r->pos] > 1)
    return fail (r, _("bad byte order"));
  *le = r->data[r->pos++] == 1;
  if (!get_u32 (r, *le, &type))
    return FALSE;
  *flags = GP_SHAPE_FLAGS_NONE;
  /* EWKB high-bit flags, as PostGIS and older GDAL write them. */
  if (type & 0x80000000u)
    *flags |= GP_SHAPE_HAS_Z;
  if (type & 0x40000000u)
    *flags |= GP_SHAPE_HAS_M;
  type &= 0x0fffffffu;
  switch (type / 1000)
    {
    case 0: break;
    case 1: *flags |= GP_SHAPE_HAS_Z; break;
    case 2: *flags |= GP_SHAPE_HAS_M; break;
    case 3: *flags |= GP_SHAPE_HAS_Z | GP_SHAPE_HAS_M; break;
    default: return fail (r, _("unknown geometry type"));
    }
  *base = type % 1000;
  if (*base < WKB_POINT || *base > WKB_GEOMETRYCOLLECTION)
    return fail (r, _("unknown geometry type"));
  return TRUE;
}

/* Each coordinate is at least 16 bytes, so a count larger than what is left is a lie. */
static gboolean
check_count (Reader *r, guint32 count, gsize min_bytes_each)
{
  if (min_bytes_each > 0 && count > (r->length - r->pos) / min_bytes_each)
    return fail (r, _("count larger than the data"));
  return TRUE;
}

static gboolean
get_points (Reader *r, Builder *b, gboolean le, GpShapeFlags flags, guint32 count)
{
  gboolean has_z = flags & GP_SHAPE_HAS_Z, has_m = flags & GP_SHAPE_HAS_M;

  if (!check_count (r, count, 16 + (has_z ? 8 : 0) + (has_m ? 8 : 0)))
    return FALSE;
  for (guint32 i = 0; i < count; i++)
    {
      double x, y, z = 0.0, m = NAN;

      if (!get_double (r, le, &x) || !get_double (r, le, &y)
          || (has_z && !get_double (r, le, &z)) || (has_m && !get_double (r, le, &m)))
        return FALSE;
      g_array_append_val (b->xy, x);
      g_array_append_val (b->xy, y);
      g_array_append_val (b->z, z);
      g_array_append_val (b->m, m);
    }
  return TRUE;
}

static gboolean
set_kind (Reader *r, Builder *b, GpShapeKind kind, GpShapeFlags flags)
{
  if (b->kind != GP_SHAPE_NULL && b->kind != kind)
    return fail (r, _("a collection of mixed geometry kinds"));
  b->kind = kind;
  b->flags |= flags;
  return TRUE;
}

static gboolean parse_geometry (Reader *r, Builder *b, guint depth);

static gboolean
parse_members (Reader *r, Builder *b, gboolean le, guint depth, guint32 expected)
{
  guint32 count;

  if (!get_u32 (r, le, &count) || !check_count (r, count, 5))
    return FALSE;
  for (guint32 i = 0; i < count; i++)
    {
      gsize save = r->pos;
      gboolean member_le;
      guint32 base;
      GpShapeFlags flags;

      if (!get_header (r, &member_le, &base, &flags))
        return FALSE;
      if (expected != 0 && base != expected)
        return fail (r, _("a multi-geometry with a member of another type"));
      r->pos = save;
      if (!parse_geometry (r, b, depth + 1))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_geometry (Reader *r, Builder *b, guint depth)
{
  gboolean le;
  guint32 base, count;
  GpShapeFlags flags;

  if (depth > 8)
    return fail (r, _("nested too deeply"));
  if (!get_header (r, &le, &base, &flags))
    return FALSE;

  switch (base)
    {
    case WKB_POINT:
      {
        guint before = b->xy->len;

        if (!set_kind (r, b, b->kind == GP_SHAPE_MULTIPOINT ? GP_SHAPE_MULTIPOINT : GP_SHAPE_POINT, flags)
            || !get_points (r, b, le, flags, 1))
          return FALSE;
        /* NaN coordinates are an empty point: drop it. */
        if (isnan (g_array_index (b->xy, double, before)))
          {
            g_array_set_size (b->xy, before);
            g_array_set_size (b->z, before / 2);
            g_array_set_size (b->m, before / 2);
          }
        return TRUE;
      }

    case WKB_LINESTRING:
      {
        guint start = b->xy->len / 2;

        if (!set_kind (r, b, GP_SHAPE_LINE, flags) || !get_u32 (r, le, &count)
            || !get_points (r, b, le, flags, count))
          return FALSE;
        g_array_append_val (b->parts, start);
        return TRUE;
      }

    case WKB_POLYGON:
      {
        guint first_part = b->parts->len;

        if (!set_kind (r, b, GP_SHAPE_POLYGON, flags) || !get_u32 (r, le, &count)
            || !check_count (r, count, 4))
          return FALSE;
        if (count == 0)
          return TRUE;
        for (guint32 i = 0; i < count; i++)
          {
            guint32 n;
            guint start = b->xy->len / 2;

            if (!get_u32 (r, le, &n) || !get_points (r, b, le, flags, n))
              return FALSE;
            g_array_append_val (b->parts, start);
          }
        g_array_append_val (b->polygons, first_part);
        return TRUE;
      }

    case WKB_MULTIPOINT:
      if (!set_kind (r, b, GP_SHAPE_MULTIPOINT, flags))
        return FALSE;
      return parse_members (r, b, le, depth, WKB_POINT);

    case WKB_MULTILINESTRING:
      if (!set_kind (r, b, GP_SHAPE_LINE, flags))
        return FALSE;
      b->flags |= GP_SHAPE_FORCE_MULTI;
      return parse_members (r, b, le, depth, WKB_LINESTRING);

    case WKB_MULTIPOLYGON:
      if (!set_kind (r, b, GP_SHAPE_POLYGON, flags))
        return FALSE;
      b->flags |= GP_SHAPE_FORCE_MULTI;
      return parse_members (r, b, le, depth, WKB_POLYGON);

    case WKB_GEOMETRYCOLLECTION:
      /* Accepted when its members are all of one kind, e.g. polygons from a make-valid. */
      return parse_members (r, b, le, depth, 0);

    default:
      return fail (r, _("unknown geometry type"));
    }
}

static GpShape *
builder_finish (Builder *b)
{
  guint n_points = b->xy->len / 2;
  GpShapeFlags flags = b->flags;
  GpShape *shape;

  if (b->kind == GP_SHAPE_NULL)
    return gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, 0, 0, 0);

  shape = gp_shape_new (b->kind, flags, n_points,
                        (b->kind == GP_SHAPE_LINE || b->kind == GP_SHAPE_POLYGON) ? b->parts->len : 0,
                        b->kind == GP_SHAPE_POLYGON ? b->polygons->len : 0);
  /* An empty geometry (POLYGON EMPTY) leaves the arrays without storage: copy nothing. */
  if (n_points > 0)
    {
      memcpy (shape->xy, b->xy->data, sizeof (double) * 2 * n_points);
      if (shape->z != NULL)
        memcpy (shape->z, b->z->data, sizeof (double) * n_points);
      if (shape->m != NULL)
        memcpy (shape->m, b->m->data, sizeof (double) * n_points);
    }
  if (b->kind == GP_SHAPE_LINE || b->kind == GP_SHAPE_POLYGON)
    {
      if (b->parts->len > 0)
        memcpy (shape->part_start, b->parts->data, sizeof (guint) * b->parts->len);
      shape->part_start[b->parts->len] = n_points;
    }
  if (b->kind == GP_SHAPE_POLYGON)
    {
      if (b->polygons->len > 0)
        memcpy (shape->polygon_start, b->polygons->data, sizeof (guint) * b->polygons->len);
      shape->polygon_start[b->polygons->len] = b->parts->len;
    }
  return shape;
}

static GpShape *
parse_wkb (const guint8 *data, gsize length, GError **error)
{
  Reader r = { data, length, 0, error };
  Builder b = { GP_SHAPE_NULL, GP_SHAPE_FLAGS_NONE, NULL, NULL, NULL, NULL, NULL };
  GpShape *shape = NULL;

  b.xy = g_array_new (FALSE, FALSE, sizeof (double));
  b.z = g_array_new (FALSE, FALSE, sizeof (double));
  b.m = g_array_new (FALSE, FALSE, sizeof (double));
  b.parts = g_array_new (FALSE, FALSE, sizeof (guint));
  b.polygons = g_array_new (FALSE, FALSE, sizeof (guint));

  if (parse_geometry (&r, &b, 0))
    shape = builder_finish (&b);

  g_array_unref (b.xy);
  g_array_unref (b.z);
  g_array_unref (b.m);
  g_array_unref (b.parts);
  g_array_unref (b.polygons);
  return shape;
}

GpShape *
gp_wkb_parse (const guint8 *data, gsize length, GError **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  return parse_wkb (data, length, error);
}

GpShape *
gp_gpkg_blob_parse (const guint8 *data, gsize length, gint32 *srs_id, GError **error)
{
  static const gsize envelope_sizes[8] = { 0, 32, 48, 48, 64, 0, 0, 0 };
  guint8 flags;
  guint envelope;
  gint32 srs_raw;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 8 || data[0] != 'G' || data[1] != 'P')
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("not a GeoPackage geometry blob"));
      return NULL;
    }
  flags = data[3];
  envelope = (flags >> 1) & 0x07;
  if (envelope > 4)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT,
                   _("GeoPackage geometry blob with an unknown envelope kind %u"), envelope);
      return NULL;
    }
  if (flags & (1 << 5))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT,
                   _("GeoPackage geometry blob of an extended type"));
      return NULL;
    }
  memcpy (&srs_raw, data + 4, 4);
  if (srs_id != NULL)
    *srs_id = (flags & 1) ? GINT32_FROM_LE (srs_raw) : GINT32_FROM_BE (srs_raw);
  if (length < 8 + envelope_sizes[envelope])
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("truncated GeoPackage geometry blob"));
      return NULL;
    }
  return parse_wkb (data + 8 + envelope_sizes[envelope], length - 8 - envelope_sizes[envelope],
                    error);
}
