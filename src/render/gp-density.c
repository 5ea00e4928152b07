/* gp-density.c: kernel density on the view's own grid of cells: binning is linear in the points, the Gaussian is three running-sum box blurs (linear in the cells), so a million households draw in well under a frame budget of half a second. */
#include "gp-config.h"

#include "gp-density.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp-map-data-private.h"

/* Screen pixels per cell of the density grid: finer is not seen under a smooth surface. */
#define CELL_PX 3.0
#define MIN_BANDWIDTH_M 30.0
/* The bandwidth chosen from the data, in nearest-neighbour spacings. */
#define SPACING_BANDWIDTHS 2.0

struct _GpDensity {
  gint    ref_count;
  double *xy;
  double *w;
  guint   n;
  double  bandwidth;
};

/* ColorBrewer YlOrRd, light to dark. */
static const guint32 ramp[] = { 0xffffb2, 0xfed976, 0xfeb24c, 0xfd8d3c, 0xf03b20, 0xbd0026 };

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Points sampled to measure spacing. */
#define SPACING_SAMPLE 2000

/* The median distance from a point to its nearest other point: the spacing of households where
 * they are, which a bandwidth must bridge. Districts of towns far apart (a spread-out, bimodal
 * cloud) would fool a rule on the global spread; this looks only near each point. The points
 * are sorted into a flat grid of cells (counting sort), searched ring by ring. */
static double
median_spacing (const double *xy, guint n)
{
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree guint *start = NULL, *order = NULL, *cell_of = NULL;
  double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY, size;
  guint step = MAX (1u, n / SPACING_SAMPLE);
  gsize nx, ny;

  for (guint i = 0; i < n; i++)
    {
      x0 = MIN (x0, xy[2 * i]);
      x1 = MAX (x1, xy[2 * i]);
      y0 = MIN (y0, xy[2 * i + 1]);
      y1 = MAX (y1, xy[2 * i + 1]);
    }
  /* About one point per cell where the points are even, at most a few cells per point. */
  size = MAX (sqrt ((x1 - x0) * (y1 - y0) / n), 1e-6);
  nx = (gsize) ((x1 - x0) / size) + 1;
  ny = (gsize) ((y1 - y0) / size) + 1;
  while (nx * ny > 4 * (gsize) n + 16)
    {
      size *= 2.0;
      nx = (gsize) ((x1 - x0) / size) + 1;
      ny = (gsize) ((y1 - y0) / size) + 1;
    }
  start = g_new0 (guint, nx * ny + 1);
  order = g_new (guint, n);
  cell_of = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    {
      gsize cx = (gsize) ((xy[2 * i] - x0) / size), cy = (gsize) ((xy[2 * i + 1] - y0) / size);

      cell_of[i] = (guint) (MIN (cy, ny - 1) * nx + MIN (cx, nx - 1));
      start[cell_of[i] + 1]++;
    }
  for (gsize c = 0; c < nx * ny; c++)
    start[c + 1] += start[c];
  {
    g_autofree guint *fill = g_memdup2 (start, sizeof (guint) * (nx * ny + 1));

    for (guint i = 0; i < n; i++)
      order[fill[cell_of[i]]++] = i;
  }
  for (guint i = 0; i < n; i += step)
    {
      gssize cx = (gssize) (cell_of[i] % nx), cy = (gssize) (cell_of[i] / nx);
      double best = INFINITY;

      for (gssize ring = 0; ring < 64 && (!isfinite (best) || best > (ring - 1) * size); ring++)
        for (gssize dy = -ring; dy <= ring; dy++)
          for (gssize dx = -ring; dx <= ring; dx += (dy == -ring || dy == ring) ? 1 : MAX (2 * ring, 1))
            {
              gssize x = cx + dx, y = cy + dy;
              gsize c;

              if (x < 0 || y < 0 || x >= (gssize) nx || y >= (gssize) ny)
                continue;
              c = (gsize) y * nx + (gsize) x;
              for (guint k = start[c]; k < start[c + 1]; k++)
                {
                  guint j = order[k];
                  double d = hypot (xy[2 * j] - xy[2 * i], xy[2 * j + 1] - xy[2 * i + 1]);

                  if (j != i && d > 0.0)
                    best = MIN (best, d);
                }
            }
      if (isfinite (best))
        g_array_append_val (found, best);
    }
  if (found->len == 0)
    return 0.0;
  g_array_sort (found, (GCompareFunc) compare_doubles);
  return g_array_index (found, double, found->len / 2);
}

GpDensity *
gp_density_new (const double *xy, const double *w, guint n, double bandwidth_m)
{
  GpDensity *d = g_new0 (GpDensity, 1);

  d->ref_count = 1;
  d->n = n;
  d->xy = g_memdup2 (xy, sizeof (double) * 2 * (gsize) n + 1);
  d->w = w != NULL ? g_memdup2 (w, sizeof (double) * (gsize) n + 1) : NULL;
  /* 0: chosen for each view from the points in it (gp_density_draw). */
  d->bandwidth = bandwidth_m > 0.0 ? bandwidth_m : 0.0;
  return d;
}

GpDensity *
gp_density_new_from_map (GpMapData *data, double bandwidth_m)
{
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) w = g_array_new (FALSE, FALSE, sizeof (double));
  const GpMapLayer layers[] = { GP_MAP_LAYER_HOUSEHOLDS, GP_MAP_LAYER_UNITS };

  for (guint l = 0; data != NULL && l < G_N_ELEMENTS (layers); l++)
    {
      const GpMapLayerData *d = gp_map_data_get_layer (data, layers[l]);

      for (guint i = 0; d != NULL && i < d->n_features; i++)
        {
          const GpMapFeature *f = &d->features[i];
          double weight = layers[l] == GP_MAP_LAYER_HOUSEHOLDS ? 1.0 : (double) f->households;

          if (!(weight > 0.0) || !isfinite (f->label_x))
            continue;
          g_array_append_val (xy, f->label_x);
          g_array_append_val (xy, f->label_y);
          g_array_append_val (w, weight);
        }
    }
  return gp_density_new ((const double *) xy->data, (const double *) w->data, w->len, bandwidth_m);
}

GpDensity *
gp_density_ref (GpDensity *density)
{
  g_return_val_if_fail (density != NULL, NULL);
  g_atomic_int_inc (&density->ref_count);
  return density;
}

void
gp_density_free (GpDensity *density)
{
  if (density == NULL || !g_atomic_int_dec_and_test (&density->ref_count))
    return;
  g_free (density->xy);
  g_free (density->w);
  g_free (density);
}

double
gp_density_get_bandwidth (const GpDensity *density)
{
  return density->bandwidth;
}

guint
gp_density_get_n_points (const GpDensity *density)
{
  return density->n;
}

/* One box blur of radius R along rows (STEP 1, N rows of LEN) or columns (STEP = width). */
static void
box_blur (double *v, double *tmp, guint count, guint len, gsize stride, gsize step, int r)
{
  double norm = 1.0 / (2 * r + 1);

  for (guint line = 0; line < count; line++)
    {
      double *p = v + line * stride;
      double sum = 0.0;

      for (int k = -r; k <= r; k++)
        sum += (k >= 0 && (guint) k < len) ? p[k * step] : 0.0;
      for (guint i = 0; i < len; i++)
        {
          int out = (int) i - r, in = (int) i + r + 1;

          tmp[i] = sum * norm;
          if (in < (int) len)
            sum += p[in * step];
          if (out >= 0)
            sum -= p[out * step];
        }
      for (guint i = 0; i < len; i++)
        p[i * step] = tmp[i];
    }
}

static void
ramp_color (double t, double *r, double *g, double *b)
{
  double pos = CLAMP (t, 0.0, 1.0) * (G_N_ELEMENTS (ramp) - 1);
  guint i = MIN ((guint) pos, (guint) G_N_ELEMENTS (ramp) - 2);
  double f = pos - i;
  guint32 a = ramp[i], c = ramp[i + 1];

  *r = (((a >> 16) & 0xff) * (1 - f) + ((c >> 16) & 0xff) * f) / 255.0;
  *g = (((a >> 8) & 0xff) * (1 - f) + ((c >> 8) & 0xff) * f) / 255.0;
  *b = ((a & 0xff) * (1 - f) + (c & 0xff) * f) / 255.0;
}

/* The bandwidth for VIEWPORT: the one given, else a couple of spacings of the points in view
 * (a town's compounds and a township's villager groups are spaced very differently, and a map
 * shows one or the other). */
static double
view_bandwidth (const GpDensity *density, GpViewport *viewport)
{
  g_autoptr(GArray) in_view = NULL;
  double view[4], margin;

  if (density->bandwidth > 0.0)
    return density->bandwidth;
  gp_viewport_get_bbox (viewport, view);
  margin = 0.1 * MAX (view[2] - view[0], view[3] - view[1]);
  in_view = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < density->n; i++)
    {
      double x = density->xy[2 * i], y = density->xy[2 * i + 1];

      if (x >= view[0] - margin && x <= view[2] + margin && y >= view[1] - margin && y <= view[3] + margin)
        {
          g_array_append_val (in_view, x);
          g_array_append_val (in_view, y);
        }
    }
  if (in_view->len < 4)
    return MIN_BANDWIDTH_M;
  return MAX (SPACING_BANDWIDTHS * median_spacing ((const double *) in_view->data, in_view->len / 2),
              MIN_BANDWIDTH_M);
}

double
gp_density_draw (const GpDensity *density, cairo_t *cr, GpViewport *viewport, double *bandwidth)
{
  double scale = gp_viewport_get_scale (viewport), cell_m = CELL_PX * scale;
  double h = view_bandwidth (density, viewport), sigma = h / cell_m, peak = 0.0, sx, sy;
  int pad = (int) ceil (3.0 * sigma) + 1;
  int gw = (int) ceil (gp_viewport_get_width (viewport) / CELL_PX) + 2 * pad;
  int gh = (int) ceil (gp_viewport_get_height (viewport) / CELL_PX) + 2 * pad;
  g_autofree double *grid = NULL, *tmp = NULL;
  cairo_surface_t *image;
  unsigned char *pixels;
  int stride;

  if (bandwidth != NULL)
    *bandwidth = h;
  if (density->n == 0 || gw <= 0 || gh <= 0 || (gsize) gw * gh > 64u * 1024 * 1024)
    return 0.0;
  grid = g_new0 (double, (gsize) gw * gh);
  tmp = g_new (double, MAX (gw, gh));
  for (guint i = 0; i < density->n; i++)
    {
      int cx, cy;

      gp_viewport_to_screen (viewport, density->xy[2 * i], density->xy[2 * i + 1], &sx, &sy);
      cx = (int) floor (sx / CELL_PX) + pad;
      cy = (int) floor (sy / CELL_PX) + pad;
      if (cx >= 0 && cy >= 0 && cx < gw && cy < gh)
        grid[(gsize) cy * gw + cx] += density->w != NULL ? density->w[i] : 1.0;
    }
  /* Three box blurs of width w make a Gaussian of σ² = 3 (w² − 1) / 12. */
  if (sigma > 0.3)
    {
      int r = MAX (1, (int) floor ((sqrt (4.0 * sigma * sigma + 1.0) - 1.0) / 2.0));

      for (int pass = 0; pass < 3; pass++)
        {
          box_blur (grid, tmp, (guint) gh, (guint) gw, (gsize) gw, 1, r);
          box_blur (grid, tmp, (guint) gw, (guint) gh, 1, (gsize) gw, r);
        }
    }
  for (gsize k = 0; k < (gsize) gw * gh; k++)
    peak = MAX (peak, grid[k]);
  if (!(peak > 0.0))
    return 0.0;
  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gw, gh);
  pixels = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);
  cairo_surface_flush (image);
  for (int y = 0; y < gh; y++)
    for (int x = 0; x < gw; x++)
      {
        double t = grid[(gsize) y * gw + x] / peak, r, g, b;
        /* Thin density fades out rather than tinting the whole map. */
        double a = t < 0.02 ? 0.0 : 0.78 * MIN (1.0, sqrt (t / 0.15));
        guint32 *px = (guint32 *) (pixels + y * stride) + x;

        ramp_color (t, &r, &g, &b);
        *px = ((guint32) (a * 255) << 24) | ((guint32) (r * a * 255) << 16) | ((guint32) (g * a * 255) << 8)
              | (guint32) (b * a * 255);
      }
  cairo_surface_mark_dirty (image);
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, gp_viewport_get_width (viewport), gp_viewport_get_height (viewport));
  cairo_clip (cr);
  cairo_translate (cr, -pad * CELL_PX, -pad * CELL_PX);
  cairo_scale (cr, CELL_PX, CELL_PX);
  cairo_set_source_surface (cr, image, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BILINEAR);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (image);
  return peak / (cell_m * cell_m) * 1e6;
}

void
gp_density_draw_legend (cairo_t *cr, const GpStyle *style, double peak, double bandwidth, double x, double y,
                        gboolean draw, double *width, double *height)
{
  g_autofree char *top = g_strdup_printf (_("%.0f households per km²"), peak);
  g_autofree char *note = g_strdup_printf (_("bandwidth %.0f m"), bandwidth);
  const char *lines[3] = { _("Household density"), top, note };
  double w = 0.0, cy = y + 10.0, bar = 150.0;
  int lw[3], lh[3];
  PangoLayout *layouts[3];

  for (int i = 0; i < 3; i++)
    {
      layouts[i] = gp_style_create_layout (style, cr, i == 0 ? style->grid_font_size + 1.0 : style->grid_font_size - 1.0,
                                           i == 0);
      pango_layout_set_text (layouts[i], lines[i], -1);
      pango_layout_get_pixel_size (layouts[i], &lw[i], &lh[i]);
      w = MAX (w, lw[i]);
    }
  w = MAX (w, bar) + 20.0;
  if (draw)
    {
      cairo_pattern_t *gradient = cairo_pattern_create_linear (x + 10.0, 0, x + 10.0 + bar, 0);

      cairo_save (cr);
      cairo_rectangle (cr, x, y, w, 10.0 + lh[0] + 6.0 + 14.0 + 4.0 + lh[1] + lh[2] + 10.0);
      cairo_set_source_rgba (cr, style->background.red, style->background.green, style->background.blue, 0.92);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 0.6, 0.6, 0.6, 1.0);
      cairo_set_line_width (cr, 0.8);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, style->label_text.red, style->label_text.green, style->label_text.blue, 1.0);
      cairo_move_to (cr, x + 10.0, cy);
      pango_cairo_show_layout (cr, layouts[0]);
      for (guint i = 0; i < G_N_ELEMENTS (ramp); i++)
        {
          double r, g, b;

          ramp_color ((double) i / (G_N_ELEMENTS (ramp) - 1), &r, &g, &b);
          cairo_pattern_add_color_stop_rgb (gradient, (double) i / (G_N_ELEMENTS (ramp) - 1), r, g, b);
        }
      cairo_rectangle (cr, x + 10.0, cy + lh[0] + 6.0, bar, 14.0);
      cairo_set_source (cr, gradient);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, style->label_text.red, style->label_text.green, style->label_text.blue, 1.0);
      cairo_move_to (cr, x + 10.0, cy + lh[0] + 6.0 + 14.0 + 4.0);
      pango_cairo_show_layout (cr, layouts[1]);
      cairo_move_to (cr, x + 10.0, cy + lh[0] + 6.0 + 14.0 + 4.0 + lh[1]);
      pango_cairo_show_layout (cr, layouts[2]);
      cairo_pattern_destroy (gradient);
      cairo_restore (cr);
    }
  for (int i = 0; i < 3; i++)
    g_object_unref (layouts[i]);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = 10.0 + lh[0] + 6.0 + 14.0 + 4.0 + lh[1] + lh[2] + 10.0;
}
