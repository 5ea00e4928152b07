/* bench-render.c: the renderer's speed goals (issue 10): 100,000 grid polygons with labels at
 * 1920 × 1080 (a full frame, a zoomed frame, a pan frame as the map view composes it from its
 * cached picture), and the density surface of 1,000,000 household points.
 * Usage: bench-render [--grids N] [--points N] [--runs N] [--png FULL.png]. Data is generated
 * here, seeded. */
#include "gp-config.h"

#include <math.h>
#include <stdio.h>

#include "gp-density.h"
#include "gp-layer.h"
#include "gp-map-data.h"
#include "gp-render.h"
#include "gp-style.h"
#include "gp-viewport.h"

#define W 1920
#define H 1080

/* N grids of about 300 m on a jittered lattice, eight corners each, codes and households. */
static GpLayer *
make_grids (guint n, GRand *rand)
{
  GpLayer *layer = gp_layer_new ("grids");
  guint side = (guint) ceil (sqrt (n));

  gp_layer_add_field (layer, "code", GP_FIELD_STRING, 20, 0);
  gp_layer_add_field (layer, "households", GP_FIELD_INTEGER, 10, 0);
  gp_layer_set_geometry_type (layer, GP_GEOMETRY_TYPE_POLYGON);
  for (guint i = 0; i < n; i++)
    {
      double cx = (i % side) * 300.0, cy = (i / side) * 300.0;
      GpShape *shape = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, 9, 1, 1);
      g_autofree char *code = g_strdup_printf ("150621%03u%03u%03u", i / 1000000, (i / 1000) % 1000, i % 1000);
      GpFeature *f;

      for (guint k = 0; k < 8; k++)
        {
          double a = -2.0 * G_PI * k / 8.0, r = 150.0 * g_rand_double_range (rand, 0.8, 1.0) / cos (G_PI / 8.0);

          shape->xy[2 * k] = cx + MIN (150.0, MAX (-150.0, r * cos (a)));
          shape->xy[2 * k + 1] = cy + MIN (150.0, MAX (-150.0, r * sin (a)));
        }
      shape->xy[16] = shape->xy[0];
      shape->xy[17] = shape->xy[1];
      shape->part_start[1] = 9;
      shape->polygon_start[1] = 1;
      f = gp_layer_append (layer, shape, i);
      gp_feature_set_text (layer, f, 0, code);
      f->values[1].is_null = FALSE;
      f->values[1].integer = g_rand_int_range (rand, 200, 400);
    }
  return layer;
}

static double
time_frames (GpMapData *data, GpViewport *vp, GpStyle *style, guint runs, cairo_surface_t *target)
{
  double best = INFINITY;

  for (guint r = 0; r < runs; r++)
    {
      cairo_t *cr = cairo_create (target);
      gint64 t0 = g_get_monotonic_time ();

      gp_render_map (cr, vp, data, style);
      cairo_destroy (cr);
      cairo_surface_flush (target);
      best = MIN (best, (g_get_monotonic_time () - t0) / 1000.0);
    }
  return best;
}

int
main (int argc, char **argv)
{
  gint n_grids = 100000, n_points = 1000000, runs = 5;
  g_autofree char *png = NULL;
  GOptionEntry entries[] = {
    { "grids", 0, 0, G_OPTION_ARG_INT, &n_grids, "Grid polygons (100000)", "N" },
    { "points", 0, 0, G_OPTION_ARG_INT, &n_points, "Household points for the density (1000000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Frames timed, the best kept (5)", "N" },
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png, "Save the full frame as a PNG, to look at", "FILE" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- time the renderer");
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (2024);
  g_autoptr(GpLayer) grids = NULL;
  g_autoptr(GpMapData) data = NULL;
  g_autoptr(GpStyle) style = gp_style_new ();
  g_autoptr(GpViewport) vp = gp_viewport_new ();
  g_autoptr(GpDensity) density = NULL;
  g_autofree double *xy = NULL;
  cairo_surface_t *target = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_surface_t *cached = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  double bbox[4], full, zoomed, pan = INFINITY, dens = INFINITY, build, h = 0.0;
  gint64 t0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-render: %s\n", error->message);
      return 2;
    }
  grids = make_grids ((guint) n_grids, rand);
  t0 = g_get_monotonic_time ();
  data = gp_map_data_new_from_layers (NULL, NULL, NULL, grids, &error);
  build = (g_get_monotonic_time () - t0) / 1e6;
  if (data == NULL)
    {
      fprintf (stderr, "bench-render: %s\n", error->message);
      return 1;
    }
  gp_map_data_get_bbox (data, bbox);
  gp_viewport_set_size (vp, W, H);
  gp_viewport_set_scale_limits (vp, 1e-3, 1e7);
  gp_viewport_fit (vp, bbox, 0);
  full = time_frames (data, vp, style, (guint) runs, target);
  if (png != NULL)
    cairo_surface_write_to_png (target, png);
  /* A working view: about 2,000 grids, labelled. */
  gp_viewport_set_scale (vp, gp_viewport_get_scale (vp) * sqrt (2000.0 / n_grids));
  zoomed = time_frames (data, vp, style, (guint) runs, target);
  /* Panning: the map view shows its cached picture moved while the next is drawn. */
  for (gint r = 0; r < runs; r++)
    {
      cairo_t *cr = cairo_create (target);

      t0 = g_get_monotonic_time ();
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      cairo_set_source_surface (cr, cached, 37.0, -21.0);
      cairo_paint (cr);
      cairo_destroy (cr);
      cairo_surface_flush (target);
      pan = MIN (pan, (g_get_monotonic_time () - t0) / 1000.0);
    }
  /* The density of N household points over the whole extent, clustered in towns. */
  xy = g_new (double, 2 * (gsize) n_points);
  for (gint i = 0; i < n_points; i++)
    {
      double cx = bbox[0] + (bbox[2] - bbox[0]) * ((i % 37) / 37.0), cy = bbox[1] + (bbox[3] - bbox[1]) * ((i % 23) / 23.0);

      xy[2 * i] = cx + g_rand_double_range (rand, -1.0, 1.0) * 2000.0;
      xy[2 * i + 1] = cy + g_rand_double_range (rand, -1.0, 1.0) * 2000.0;
    }
  density = gp_density_new (xy, NULL, (guint) n_points, 0.0);
  gp_viewport_fit (vp, bbox, 0);
  for (gint r = 0; r < runs; r++)
    {
      cairo_t *cr = cairo_create (target);

      t0 = g_get_monotonic_time ();
      gp_density_draw (density, cr, vp, &h);
      cairo_destroy (cr);
      cairo_surface_flush (target);
      dens = MIN (dens, (g_get_monotonic_time () - t0) / 1000.0);
    }
  printf ("| measure | ms (best of %d) | goal |\n| --- | --- | --- |\n", runs);
  printf ("| full frame, %d grids, 1920x1080 | %.1f | <= 150 |\n", n_grids, full);
  printf ("| zoomed frame, about 2,000 grids labelled | %.1f | |\n", zoomed);
  printf ("| pan frame (cached picture moved) | %.2f | <= 16 |\n", pan);
  printf ("| density of %d points (bandwidth %.0f m) | %.1f | <= 500 |\n", n_points, h, dens);
  printf ("\n(map data built in %.2f s)\n", build);
  cairo_surface_destroy (target);
  cairo_surface_destroy (cached);
  return 0;
}
