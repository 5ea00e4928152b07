/* gp-print.c: the printed map page, laid out in points and drawn with the same renderer as the screen onto cairo's image, PDF and SVG surfaces. */
#include "gp-config.h"

#include "gp-print.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "gp-error.h"
#include "gp-map-data-private.h"
#include "gp-output.h"
#include "gp-render.h"
#include "gp-viewport.h"

#define MARGIN        24.0
#define TITLE_SIZE    18.0
#define SUBTITLE_SIZE 11.0
#define SOURCE_SIZE   8.0
#define GAP           8.0

void
gp_print_options_init (GpPrintOptions *options)
{
  memset (options, 0, sizeof *options);
  options->width_pt = 842.0;   /* A4 landscape */
  options->height_pt = 595.0;
  options->png_scale = 150.0 / 72.0;
}

gboolean
gp_print_parse_size (const char *text, gboolean png, GpPrintOptions *options)
{
  double w, h;
  char *end = NULL;

  if (g_ascii_strcasecmp (text, "A4") == 0 || g_ascii_strcasecmp (text, "A3") == 0)
    {
      gboolean a3 = g_ascii_strcasecmp (text, "A3") == 0;

      options->width_pt = a3 ? 1191.0 : 842.0;
      options->height_pt = a3 ? 842.0 : 595.0;
      return TRUE;
    }
  w = g_ascii_strtod (text, &end);
  if (end == NULL || (*end != 'x' && *end != 'X'))
    return FALSE;
  h = g_ascii_strtod (end + 1, &end);
  if (*end != '\0' || !(w >= 200.0 && w <= 20000.0) || !(h >= 200.0 && h <= 20000.0))
    return FALSE;
  options->width_pt = w;
  options->height_pt = h;
  if (png)
    options->png_scale = 1.0;
  return TRUE;
}

static const char *
kind_of (const char *path)
{
  static const char *const kinds[] = { ".png", ".pdf", ".svg" };
  g_autofree char *lower = g_ascii_strdown (path, -1);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_has_suffix (lower, kinds[i]))
      return kinds[i];
  return NULL;
}

gboolean
gp_print_path_ok (const char *path)
{
  return path != NULL && kind_of (path) != NULL;
}

static double
show_text (cairo_t *cr, const GpStyle *style, const char *text, double size, gboolean bold, double x, double y,
           const GpColor *color, gboolean draw, double *width)
{
  PangoLayout *layout = gp_style_create_layout (style, cr, size, bold);
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  if (draw)
    {
      cairo_move_to (cr, x, y);
      cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
      pango_cairo_show_layout (cr, layout);
    }
  g_object_unref (layout);
  if (width != NULL)
    *width = w;
  return h;
}

/* What the rectangle (screen X, Y, W, H) would hide: the share of the frame's ground it covers
 * in grids (areas weigh a tenth), plus a little for every grid it touches, so that neither a
 * big grid nor a crowd of small ones goes under it. */
static double
covered (GpMapData *data, GpViewport *viewport, double x, double y, double w, double h)
{
  double x0, y0, x1, y1, total = 0.0, frame = 0.0, view[4];

  gp_viewport_get_bbox (viewport, view);
  frame = MAX ((view[2] - view[0]) * (view[3] - view[1]), 1e-9);
  gp_viewport_from_screen (viewport, x, y + h, &x0, &y0);
  gp_viewport_from_screen (viewport, x + w, y, &x1, &y1);
  for (GpMapLayer l = GP_MAP_LAYER_AREAS; data != NULL && l <= GP_MAP_LAYER_GRIDS; l++)
    {
      const GpMapLayerData *d = gp_map_data_get_layer (data, l);
      double weight = l == GP_MAP_LAYER_GRIDS ? 1.0 : 0.1;

      for (guint i = 0; d != NULL && i < d->n_features; i++)
        {
          const double *b = d->features[i].bbox;
          double ix = MIN (b[2], x1) - MAX (b[0], x0), iy = MIN (b[3], y1) - MAX (b[1], y0);

          if (ix > 0 && iy > 0)
            total += weight * (ix * iy / frame + 0.02);
        }
    }
  return total;
}

/* The legend goes where it hides the least of the map: the bottom right, the top left, above the
 * scale bar or below the north arrow, in that order when they tie. */
static void
legend_place (GpMapData *data, GpViewport *viewport, double fw, double fh, double lw, double lh, double *x,
              double *y)
{
  const double spots[4][2] = {
    { fw - lw - 10.0, fh - lh - 10.0 }, { 10.0, 10.0 }, { 10.0, fh - lh - 48.0 }, { fw - lw - 10.0, 64.0 },
  };
  double best = INFINITY;

  for (guint i = 0; i < G_N_ELEMENTS (spots); i++)
    {
      double c;

      if (spots[i][0] < 0 || spots[i][1] < 0)
        continue;
      c = covered (data, viewport, spots[i][0], spots[i][1], lw, lh);
      if (c < best - 1e-9)
        {
          best = c;
          *x = spots[i][0];
          *y = spots[i][1];
        }
    }
}

void
gp_print_draw (cairo_t *cr, GpMapData *data, GpStyle *style, const GpHeatmap *heatmap, const GpPrintOptions *o)
{
  g_autoptr(GpViewport) viewport = gp_viewport_new ();
  const GpColor grey = { 0.35, 0.35, 0.38, 1.0 };
  double top = MARGIN, bottom, frame_h, frame_w = o->width_pt - 2 * MARGIN, note_h = 0.0, bbox[4], peak, bandwidth = 0.0;

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);
  /* The title and what it shows, over the map. */
  if (o->title != NULL)
    top += show_text (cr, style, o->title, TITLE_SIZE, TRUE, MARGIN, top, &style->label_text, TRUE, NULL);
  if (o->subtitle != NULL)
    top += 2.0 + show_text (cr, style, o->subtitle, SUBTITLE_SIZE, FALSE, MARGIN, top + 2.0, &grey, TRUE, NULL);
  top += GAP;
  if (o->source != NULL)
    note_h = show_text (cr, style, o->source, SOURCE_SIZE, FALSE, 0, 0, &grey, FALSE, NULL) + 4.0;
  bottom = o->height_pt - MARGIN - note_h;
  frame_h = MAX (bottom - top, 50.0);

  /* The map in its frame: the area asked for, else everything. */
  gp_viewport_set_size (viewport, (int) floor (frame_w), (int) floor (frame_h));
  if ((o->area_code != NULL && data != NULL
       && gp_map_data_get_feature_bbox (data, GP_MAP_LAYER_AREAS, o->area_code, bbox))
      || (data != NULL && gp_map_data_get_bbox (data, bbox)))
    gp_viewport_fit (viewport, bbox, 16.0);
  cairo_save (cr);
  cairo_translate (cr, MARGIN, top);
  peak = gp_render_map_layers (cr, viewport, data, style, heatmap, o->density, &bandwidth);
  if (o->density != NULL && heatmap == NULL)
    {
      double lw, lh, lx = 10.0, ly = 10.0;

      gp_density_draw_legend (cr, style, peak, bandwidth, 0, 0, FALSE, &lw, &lh);
      legend_place (data, viewport, floor (frame_w), floor (frame_h), lw, lh, &lx, &ly);
      gp_density_draw_legend (cr, style, peak, bandwidth, lx, ly, TRUE, NULL, NULL);
    }
  if (heatmap != NULL)
    {
      double lw, lh, lx = 10.0, ly = 10.0;

      gp_heatmap_measure_legend (heatmap, cr, style, &lw, &lh);
      legend_place (data, viewport, floor (frame_w), floor (frame_h), lw, lh, &lx, &ly);
      gp_heatmap_draw_legend (heatmap, cr, style, lx, ly, NULL, NULL);
    }
  cairo_restore (cr);
  cairo_rectangle (cr, MARGIN, top, floor (frame_w), floor (frame_h));
  cairo_set_source_rgba (cr, grey.red, grey.green, grey.blue, 1.0);
  cairo_set_line_width (cr, 0.8);
  cairo_stroke (cr);
  if (o->source != NULL)
    show_text (cr, style, o->source, SOURCE_SIZE, FALSE, MARGIN, bottom + 4.0, &grey, TRUE, NULL);
  cairo_restore (cr);
}

gboolean
gp_print_map (GpMapData *data, GpStyle *style, const GpHeatmap *heatmap, const GpPrintOptions *o,
              const char *path, GError **error)
{
  const char *kind = kind_of (path);
  g_autoptr(GpOutput) output = NULL;
  const char *part;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double bbox[4];

  g_return_val_if_fail (o != NULL && path != NULL, FALSE);
  if (kind == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("%s: write a map as .png, .pdf or .svg"), path);
      return FALSE;
    }
  if (o->area_code != NULL && (data == NULL || !gp_map_data_get_feature_bbox (data, GP_MAP_LAYER_AREAS,
                                                                                o->area_code, bbox)))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("%s: no area %s on the map"), path, o->area_code);
      return FALSE;
    }
  if ((output = gp_output_new (path, error)) == NULL)
    return FALSE;
  part = gp_output_get_temp_path (output);
  if (strcmp (kind, ".png") == 0)
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (o->width_pt * o->png_scale),
                                          (int) ceil (o->height_pt * o->png_scale));
  else if (strcmp (kind, ".pdf") == 0)
    surface = cairo_pdf_surface_create (part, o->width_pt, o->height_pt);
  else
    surface = cairo_svg_surface_create (part, o->width_pt, o->height_pt);
  cr = cairo_create (surface);
  if (strcmp (kind, ".png") == 0)
    cairo_scale (cr, o->png_scale, o->png_scale);
  gp_print_draw (cr, data, style, heatmap, o);
  cairo_destroy (cr);
  status = cairo_surface_status (surface);
  if (status == CAIRO_STATUS_SUCCESS && strcmp (kind, ".png") == 0)
    status = cairo_surface_write_to_png (surface, part);
  /* PDF and SVG are written out as the surface is finished. */
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot write the map: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return gp_output_commit (output, error);
}
