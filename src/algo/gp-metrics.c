/* gp-metrics.c: planar measures of polygon shapes (call on shapes in a local metric frame). */
#include "gp-metrics.h"

#include <math.h>

double
gp_metrics_area (const GpShape *shape)
{
  double area = 0.0;

  if (shape == NULL || shape->kind != GP_SHAPE_POLYGON)
    return 0.0;
  /* Outer rings count positive and holes negative whatever their stored orientation. */
  for (guint p = 0; p < shape->n_polygons; p++)
    for (guint r = shape->polygon_start[p]; r < shape->polygon_start[p + 1]; r++)
      {
        double a = fabs (gp_shape_ring_signed_area (shape, r));
        area += (r == shape->polygon_start[p]) ? a : -a;
      }
  return area;
}

double
gp_metrics_perimeter (const GpShape *shape)
{
  double length = 0.0;

  if (shape == NULL || shape->kind != GP_SHAPE_POLYGON)
    return 0.0;
  for (guint r = 0; r < shape->n_parts; r++)
    {
      guint start = shape->part_start[r], end = shape->part_start[r + 1];

      for (guint i = start; i + 1 < end; i++)
        length += hypot (shape->xy[2 * (i + 1)] - shape->xy[2 * i],
                         shape->xy[2 * (i + 1) + 1] - shape->xy[2 * i + 1]);
      /* An unclosed ring still has its closing edge. */
      if (end - start > 2 && (shape->xy[2 * start] != shape->xy[2 * (end - 1)]
                              || shape->xy[2 * start + 1] != shape->xy[2 * (end - 1) + 1]))
        length += hypot (shape->xy[2 * start] - shape->xy[2 * (end - 1)],
                         shape->xy[2 * start + 1] - shape->xy[2 * (end - 1) + 1]);
    }
  return length;
}

double
gp_metrics_polsby_popper (const GpShape *shape)
{
  double perimeter = gp_metrics_perimeter (shape);

  if (perimeter <= 0.0)
    return 0.0;
  return 4.0 * G_PI * gp_metrics_area (shape) / (perimeter * perimeter);
}
