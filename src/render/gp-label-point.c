/* gp-label-point.c: the "polylabel" search (Mapbox, 2016) for a label's anchor in a polygon.
 *
 * A centroid can fall outside a concave or crescent-shaped village; the pole of inaccessibility
 * is inside and as far from the boundary as possible, which is where a reader looks. */
#include "gp-config.h"

#include <math.h>

#include "gp-label-point.h"

typedef struct {
  double x, y;      /* cell centre */
  double h;         /* half the cell size */
  double d;         /* signed distance from the centre to the polygon (positive inside) */
  double max;       /* best distance any point of the cell could have */
} Cell;

typedef struct {
  const double *xy;
  const guint *part_start;
  guint first_ring;
  guint n_rings;
} Polygon;

static double
segment_distance_sq (double px, double py, double ax, double ay, double bx, double by)
{
  double dx = bx - ax, dy = by - ay;
  double x = ax, y = ay;

  if (dx != 0 || dy != 0)
    {
      double t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);

      if (t > 1)
        {
          x = bx;
          y = by;
        }
      else if (t > 0)
        {
          x += dx * t;
          y += dy * t;
        }
    }
  dx = px - x;
  dy = py - y;
  return dx * dx + dy * dy;
}

/* Even-odd inside test and the distance to the nearest edge, in one pass over the rings. */
static double
point_to_polygon (const Polygon *poly, double px, double py)
{
  gboolean inside = FALSE;
  double min_sq = G_MAXDOUBLE;

  for (guint r = 0; r < poly->n_rings; r++)
    {
      guint start = poly->part_start[poly->first_ring + r];
      guint end = poly->part_start[poly->first_ring + r + 1];

      if (end - start < 2)
        continue;
      for (guint i = start, j = end - 1; i < end; j = i++)
        {
          double ax = poly->xy[2 * i], ay = poly->xy[2 * i + 1];
          double bx = poly->xy[2 * j], by = poly->xy[2 * j + 1];

          if ((ay > py) != (by > py) && px < (bx - ax) * (py - ay) / (by - ay) + ax)
            inside = !inside;
          min_sq = MIN (min_sq, segment_distance_sq (px, py, ax, ay, bx, by));
        }
    }
  if (min_sq == G_MAXDOUBLE)
    return 0.0;
  return (inside ? 1 : -1) * sqrt (min_sq);
}

static Cell
make_cell (const Polygon *poly, double x, double y, double h)
{
  Cell c = { x, y, h, 0, 0 };

  c.d = point_to_polygon (poly, x, y);
  c.max = c.d + h * G_SQRT2;
  return c;
}

/* A binary max-heap on Cell.max. */
static void
heap_push (GArray *heap, Cell cell)
{
  guint i;

  g_array_append_val (heap, cell);
  i = heap->len - 1;
  while (i > 0)
    {
      guint parent = (i - 1) / 2;
      Cell *cells = (Cell *) heap->data;
      Cell t;

      if (cells[parent].max >= cells[i].max)
        break;
      t = cells[parent];
      cells[parent] = cells[i];
      cells[i] = t;
      i = parent;
    }
}

static Cell
heap_pop (GArray *heap)
{
  Cell *cells = (Cell *) heap->data;
  Cell top = cells[0];
  guint i = 0;

  cells[0] = cells[heap->len - 1];
  g_array_set_size (heap, heap->len - 1);
  cells = (Cell *) heap->data;
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, best = i;
      Cell t;

      if (l < heap->len && cells[l].max > cells[best].max)
        best = l;
      if (r < heap->len && cells[r].max > cells[best].max)
        best = r;
      if (best == i)
        break;
      t = cells[best];
      cells[best] = cells[i];
      cells[i] = t;
      i = best;
    }
  return top;
}

double
gp_label_point (const double *xy, const guint *part_start, guint first_ring, guint n_rings,
                double precision, double *x, double *y)
{
  Polygon poly = { xy, part_start, first_ring, n_rings };
  double minx = G_MAXDOUBLE, miny = G_MAXDOUBLE, maxx = -G_MAXDOUBLE, maxy = -G_MAXDOUBLE;
  double area = 0, cx = 0, cy = 0;
  double w, h, size;
  guint start, end;
  g_autoptr(GArray) heap = NULL;
  Cell best;
  /* Bounds the work for pathological rings; the answer is then merely good, not best. */
  guint budget = 4096;

  g_return_val_if_fail (xy != NULL && part_start != NULL && x != NULL && y != NULL, 0.0);

  start = part_start[first_ring];
  end = part_start[first_ring + 1];
  for (guint i = start; i < end; i++)
    {
      minx = MIN (minx, xy[2 * i]);
      miny = MIN (miny, xy[2 * i + 1]);
      maxx = MAX (maxx, xy[2 * i]);
      maxy = MAX (maxy, xy[2 * i + 1]);
    }
  if (end <= start)
    {
      *x = *y = 0;
      return 0.0;
    }
  w = maxx - minx;
  h = maxy - miny;
  size = MIN (w, h);
  if (size <= 0 || n_rings == 0)
    {
      *x = (minx + maxx) / 2;
      *y = (miny + maxy) / 2;
      return 0.0;
    }
  if (!(precision > 0))
    precision = size / 100.0;

  /* The outer ring's centroid is a good first guess for compact shapes. */
  for (guint i = start, j = end - 1; i < end; j = i++)
    {
      double f = xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];

      cx += (xy[2 * i] + xy[2 * j]) * f;
      cy += (xy[2 * i + 1] + xy[2 * j + 1]) * f;
      area += f * 3;
    }
  if (area != 0)
    best = make_cell (&poly, cx / area, cy / area, 0);
  else
    best = make_cell (&poly, xy[2 * start], xy[2 * start + 1], 0);
  {
    Cell bbox_cell = make_cell (&poly, minx + w / 2, miny + h / 2, 0);

    if (bbox_cell.d > best.d)
      best = bbox_cell;
  }

  heap = g_array_new (FALSE, FALSE, sizeof (Cell));
  {
    /* Very long thin shapes start from at most 64 cells along their length. */
    double cell = MAX (size, MAX (w, h) / 64), half = cell / 2;

    for (double ix = minx; ix < maxx; ix += cell)
      for (double iy = miny; iy < maxy; iy += cell)
        heap_push (heap, make_cell (&poly, ix + half, iy + half, half));
  }

  while (heap->len > 0 && budget-- > 0)
    {
      Cell c = heap_pop (heap);
      double hh;

      if (c.d > best.d)
        best = c;
      if (c.max - best.d <= precision)
        continue;
      hh = c.h / 2;
      heap_push (heap, make_cell (&poly, c.x - hh, c.y - hh, hh));
      heap_push (heap, make_cell (&poly, c.x + hh, c.y - hh, hh));
      heap_push (heap, make_cell (&poly, c.x - hh, c.y + hh, hh));
      heap_push (heap, make_cell (&poly, c.x + hh, c.y + hh, hh));
    }

  *x = best.x;
  *y = best.y;
  return MAX (best.d, 0.0);
}
