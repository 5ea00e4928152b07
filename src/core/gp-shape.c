/* gp-shape.c: flat-array geometries shared by every reader, writer and algorithm. */
#include "gp-shape.h"

#include <math.h>
#include <string.h>

G_DEFINE_BOXED_TYPE (GpShape, gp_shape, gp_shape_copy, gp_shape_free)

GpShape *
gp_shape_new (GpShapeKind kind,
              GpShapeFlags flags,
              guint n_points,
              guint n_parts,
              guint n_polygons)
{
  GpShape *shape = g_new0 (GpShape, 1);

  shape->kind = kind;
  shape->flags = flags;
  shape->n_points = n_points;
  shape->n_parts = n_parts;
  shape->n_polygons = n_polygons;
  shape->xy = g_new0 (double, 2 * (gsize) n_points + 1);
  if (flags & GP_SHAPE_HAS_Z)
    shape->z = g_new0 (double, (gsize) n_points + 1);
  if (flags & GP_SHAPE_HAS_M)
    shape->m = g_new0 (double, (gsize) n_points + 1);
  shape->part_start = g_new0 (guint, (gsize) n_parts + 1);
  shape->part_start[n_parts] = n_points;
  shape->polygon_start = g_new0 (guint, (gsize) n_polygons + 1);
  shape->polygon_start[n_polygons] = n_parts;
  return shape;
}

GpShape *
gp_shape_new_point (double x, double y)
{
  GpShape *shape = gp_shape_new (GP_SHAPE_POINT, GP_SHAPE_FLAGS_NONE, 1, 0, 0);

  shape->xy[0] = x;
  shape->xy[1] = y;
  return shape;
}

GpShape *
gp_shape_copy (const GpShape *shape)
{
  GpShape *copy;

  g_return_val_if_fail (shape != NULL, NULL);

  copy = gp_shape_new (shape->kind, shape->flags, shape->n_points, shape->n_parts, shape->n_polygons);
  memcpy (copy->xy, shape->xy, sizeof (double) * 2 * shape->n_points);
  if (shape->z != NULL && copy->z != NULL)
    memcpy (copy->z, shape->z, sizeof (double) * shape->n_points);
  if (shape->m != NULL && copy->m != NULL)
    memcpy (copy->m, shape->m, sizeof (double) * shape->n_points);
  memcpy (copy->part_start, shape->part_start, sizeof (guint) * (shape->n_parts + 1));
  memcpy (copy->polygon_start, shape->polygon_start, sizeof (guint) * (shape->n_polygons + 1));
  return copy;
}

void
gp_shape_free (GpShape *shape)
{
  if (shape == NULL)
    return;
  g_free (shape->xy);
  g_free (shape->z);
  g_free (shape->m);
  g_free (shape->part_start);
  g_free (shape->polygon_start);
  g_free (shape);
}

gboolean
gp_shape_is_empty (const GpShape *shape)
{
  return shape == NULL || shape->kind == GP_SHAPE_NULL || shape->n_points == 0;
}

gboolean
gp_shape_get_bbox (const GpShape *shape, double bbox[4])
{
  double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;

  if (gp_shape_is_empty (shape))
    return FALSE;

  for (guint i = 0; i < shape->n_points; i++)
    {
      double x = shape->xy[2 * i], y = shape->xy[2 * i + 1];

      if (x < minx) minx = x;
      if (x > maxx) maxx = x;
      if (y < miny) miny = y;
      if (y > maxy) maxy = y;
    }
  bbox[0] = minx;
  bbox[1] = miny;
  bbox[2] = maxx;
  bbox[3] = maxy;
  return TRUE;
}

double
gp_shape_ring_signed_area (const GpShape *shape, guint part)
{
  guint start, end;
  double sum = 0.0;

  g_return_val_if_fail (shape != NULL && part < shape->n_parts, 0.0);

  start = shape->part_start[part];
  end = shape->part_start[part + 1];
  if (end - start < 3)
    return 0.0;
  /* Shift to the first vertex so large projected coordinates do not eat the precision. */
  for (guint i = start; i < end; i++)
    {
      guint j = (i + 1 < end) ? i + 1 : start;
      double x0 = shape->xy[2 * i] - shape->xy[2 * start];
      double y0 = shape->xy[2 * i + 1] - shape->xy[2 * start + 1];
      double x1 = shape->xy[2 * j] - shape->xy[2 * start];
      double y1 = shape->xy[2 * j + 1] - shape->xy[2 * start + 1];
      sum += x0 * y1 - x1 * y0;
    }
  return sum / 2.0;
}

static gboolean
doubles_equal (const double *a, const double *b, gsize n)
{
  if (a == NULL || b == NULL)
    return a == b;
  for (gsize i = 0; i < n; i++)
    if (!(a[i] == b[i] || (isnan (a[i]) && isnan (b[i]))))
      return FALSE;
  return TRUE;
}

gboolean
gp_shape_equal (const GpShape *a, const GpShape *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->kind != b->kind || a->n_points != b->n_points || a->n_parts != b->n_parts
      || a->n_polygons != b->n_polygons)
    return FALSE;
  if ((a->flags & (GP_SHAPE_HAS_Z | GP_SHAPE_HAS_M)) != (b->flags & (GP_SHAPE_HAS_Z | GP_SHAPE_HAS_M)))
    return FALSE;
  if (memcmp (a->part_start, b->part_start, sizeof (guint) * (a->n_parts + 1)) != 0
      || memcmp (a->polygon_start, b->polygon_start, sizeof (guint) * (a->n_polygons + 1)) != 0)
    return FALSE;
  return doubles_equal (a->xy, b->xy, 2 * (gsize) a->n_points)
         && doubles_equal (a->z, b->z, a->n_points)
         && doubles_equal (a->m, b->m, a->n_points);
}
