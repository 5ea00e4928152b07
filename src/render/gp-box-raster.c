/* gp-box-raster.c: crowded-view boxes written into the pixels of an image surface. 100,000 grids
 * at 1920 × 1080 are boxes a few pixels across: cairo fills and outlines them as a path of
 * 500,000 rectangles in ~150 ms; marking a byte mask and blending it once takes a few. */
#include "gp-config.h"

#include "gp-box-raster.h"

#include <math.h>
#include <string.h>

enum {
  MASK_FILL = 1 << 0,
  MASK_LINE = 1 << 1,
};

typedef struct {
  int x0, y0, x1, y1;   /* the region drawn into: the clip within the surface */
  int width;            /* x1 - x0: the mask's row length */
  guint8 *mask;
} Region;

static void
mark (Region *r, int x0, int y0, int x1, int y1, guint8 bit)
{
  x0 = MAX (x0, r->x0);
  y0 = MAX (y0, r->y0);
  x1 = MIN (x1, r->x1);
  y1 = MIN (y1, r->y1);
  for (int y = y0; y < y1; y++)
    {
      guint8 *row = r->mask + (gsize) (y - r->y0) * r->width - r->x0;

      for (int x = x0; x < x1; x++)
        row[x] |= bit;
    }
}

/* A colour premultiplied, 0..255 per channel, as cairo stores ARGB32. */
typedef struct {
  guint32 a, r, g, b;
} Premultiplied;

static Premultiplied
premultiply (const GpColor *c)
{
  double a = CLAMP (c->alpha, 0.0, 1.0);
  Premultiplied p = { (guint32) lround (a * 255.0), (guint32) lround (CLAMP (c->red, 0.0, 1.0) * a * 255.0),
                      (guint32) lround (CLAMP (c->green, 0.0, 1.0) * a * 255.0),
                      (guint32) lround (CLAMP (c->blue, 0.0, 1.0) * a * 255.0) };
  return p;
}

/* x * y / 255, rounded, as pixman's DIV_255 does it. */
static inline guint32
mul_255 (guint32 x, guint32 y)
{
  guint32 t = x * y + 128;
  return (t + (t >> 8)) >> 8;
}

static inline guint32
over (const Premultiplied *s, guint32 pixel)
{
  guint32 keep = 255 - s->a;
  guint32 a = s->a + mul_255 ((pixel >> 24) & 0xff, keep);
  guint32 r = s->r + mul_255 ((pixel >> 16) & 0xff, keep);
  guint32 g = s->g + mul_255 ((pixel >> 8) & 0xff, keep);
  guint32 b = s->b + mul_255 (pixel & 0xff, keep);

  return (MIN (a, 255u) << 24) | (MIN (r, 255u) << 16) | (MIN (g, 255u) << 8) | MIN (b, 255u);
}

/* The one clip rectangle in whole pixels within the surface; FALSE when the clip is anything
 * else. An empty clip gives an empty region. */
static gboolean
clip_region (cairo_t *cr, int width, int height, Region *r)
{
  cairo_rectangle_list_t *list = cairo_copy_clip_rectangle_list (cr);
  gboolean ok = list->status == CAIRO_STATUS_SUCCESS && list->num_rectangles <= 1;

  r->x0 = r->y0 = 0;
  r->x1 = width;
  r->y1 = height;
  if (ok && list->num_rectangles == 0)
    r->x1 = r->y1 = 0;
  else if (ok)
    {
      cairo_rectangle_t *c = &list->rectangles[0];

      ok = c->x == floor (c->x) && c->y == floor (c->y) && c->width == floor (c->width)
           && c->height == floor (c->height);
      r->x0 = (int) MAX (c->x, 0.0);
      r->y0 = (int) MAX (c->y, 0.0);
      r->x1 = (int) MIN (c->x + c->width, (double) width);
      r->y1 = (int) MIN (c->y + c->height, (double) height);
    }
  cairo_rectangle_list_destroy (list);
  r->x1 = MAX (r->x1, r->x0);
  r->y1 = MAX (r->y1, r->y0);
  return ok;
}

gboolean
gp_box_raster_draw (cairo_t *cr, const double *boxes, guint n, const GpColor *fill, const GpColor *line)
{
  cairo_surface_t *target = cairo_get_group_target (cr);
  cairo_format_t format;
  cairo_matrix_t m;
  double dx, dy, sx, sy;
  Premultiplied f, l;
  Region r;
  guint8 *data;
  int stride;

  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE || cairo_status (cr) != CAIRO_STATUS_SUCCESS)
    return FALSE;
  format = cairo_image_surface_get_format (target);
  if (format != CAIRO_FORMAT_ARGB32 && format != CAIRO_FORMAT_RGB24)
    return FALSE;
  cairo_get_matrix (cr, &m);
  cairo_surface_get_device_offset (target, &dx, &dy);
  cairo_surface_get_device_scale (target, &sx, &sy);
  if (m.xx != 1.0 || m.yy != 1.0 || m.xy != 0.0 || m.yx != 0.0 || m.x0 != 0.0 || m.y0 != 0.0
      || dx != 0.0 || dy != 0.0 || sx != 1.0 || sy != 1.0 || cairo_get_operator (cr) != CAIRO_OPERATOR_OVER)
    return FALSE;
  if (!clip_region (cr, cairo_image_surface_get_width (target), cairo_image_surface_get_height (target), &r))
    return FALSE;
  if (r.x1 <= r.x0 || r.y1 <= r.y0 || n == 0)
    return TRUE;

  r.width = r.x1 - r.x0;
  r.mask = g_malloc0 ((gsize) r.width * (gsize) (r.y1 - r.y0));
  for (guint i = 0; i < n; i++)
    {
      const double *b = boxes + 4 * i;
      int x0, y0, x1, y1;

      if (!(isfinite (b[0]) && isfinite (b[1]) && isfinite (b[2]) && isfinite (b[3])))
        continue;
      /* Far off screen: nothing to mark (and no int overflow). */
      if (b[2] < r.x0 - 1 || b[0] > r.x1 + 1 || b[3] < r.y0 - 1 || b[1] > r.y1 + 1)
        continue;
      x0 = (int) round (CLAMP (b[0], -1.0e6, 1.0e6));
      y0 = (int) round (CLAMP (b[1], -1.0e6, 1.0e6));
      x1 = (int) round (CLAMP (b[2], -1.0e6, 1.0e6));
      y1 = (int) round (CLAMP (b[3], -1.0e6, 1.0e6));
      if (fill->alpha > 0.0)
        mark (&r, x0, y0, x1, y1, MASK_FILL);
      x1 = MAX (x1, x0 + 1);
      y1 = MAX (y1, y0 + 1);
      mark (&r, x0, y0, x1, y0 + 1, MASK_LINE);
      mark (&r, x0, y1 - 1, x1, y1, MASK_LINE);
      if (y1 - y0 > 2)
        {
          mark (&r, x0, y0 + 1, x0 + 1, y1 - 1, MASK_LINE);
          mark (&r, x1 - 1, y0 + 1, x1, y1 - 1, MASK_LINE);
        }
    }

  f = premultiply (fill);
  l = premultiply (line);
  cairo_surface_flush (target);
  data = cairo_image_surface_get_data (target);
  stride = cairo_image_surface_get_stride (target);
  for (int y = r.y0; y < r.y1; y++)
    {
      const guint8 *mrow = r.mask + (gsize) (y - r.y0) * r.width - r.x0;
      guint32 *prow = (guint32 *) (data + (gsize) y * stride);

      for (int x = r.x0; x < r.x1; x++)
        {
          guint8 bits = mrow[x];

          if (bits == 0)
            continue;
          if (bits & MASK_FILL)
            prow[x] = over (&f, prow[x]);
          if (bits & MASK_LINE)
            prow[x] = over (&l, prow[x]);
          if (format == CAIRO_FORMAT_RGB24)
            prow[x] |= 0xff000000u;
        }
    }
  cairo_surface_mark_dirty_rectangle (target, r.x0, r.y0, r.width, r.y1 - r.y0);
  g_free (r.mask);
  return TRUE;
}

void
gp_box_cairo_draw (cairo_t *cr, const double *b, guint n, const GpColor *fill, const GpColor *line)
{
  if (fill->alpha > 0.0)
    {
      cairo_new_path (cr);
      for (guint i = 0; i < n; i++)
        {
          double x0 = round (b[4 * i]), y0 = round (b[4 * i + 1]), x1 = round (b[4 * i + 2]), y1 = round (b[4 * i + 3]);

          cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
        }
      cairo_set_source_rgba (cr, fill->red, fill->green, fill->blue, fill->alpha);
      cairo_fill (cr);
    }
  cairo_new_path (cr);
  for (guint i = 0; i < n; i++)
    {
      double x0 = round (b[4 * i]), y0 = round (b[4 * i + 1]), x1 = round (b[4 * i + 2]), y1 = round (b[4 * i + 3]);

      x1 = MAX (x1, x0 + 1);
      y1 = MAX (y1, y0 + 1);
      cairo_rectangle (cr, x0, y0, x1 - x0, 1);
      cairo_rectangle (cr, x0, y1 - 1, x1 - x0, 1);
      if (y1 - y0 > 2)
        {
          cairo_rectangle (cr, x0, y0 + 1, 1, y1 - y0 - 2);
          cairo_rectangle (cr, x1 - 1, y0 + 1, 1, y1 - y0 - 2);
        }
    }
  cairo_set_source_rgba (cr, line->red, line->green, line->blue, line->alpha);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
  cairo_fill (cr);
}
