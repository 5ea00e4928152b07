/* gp-board.c: the notice board page: a red header as boards are painted, the grid's map and four sides, a table of people, the duties, the hotline; QR codes with libqrencode. */
#include "gp-config.h"

#include "gp-board.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <qrencode.h>

#include "gp-render.h"
#include "gp-viewport.h"

#define M        36.0      /* page margin */
#define BAND     78.0      /* the red header */
#define MAP_H    215.0
#define ROW_GAP  4.0

static const GpColor red = { 0.70, 0.11, 0.11, 1.0 };
static const GpColor ink = { 0.13, 0.12, 0.16, 1.0 };
static const GpColor quiet = { 0.38, 0.38, 0.42, 1.0 };
static const GpColor white = { 1.0, 1.0, 1.0, 1.0 };

GpSide
gp_board_side_of (double dx, double dy)
{
  double angle = atan2 (dy, dx) * 180.0 / G_PI;   /* 0 east, 90 north */

  if (angle > -45.0 && angle <= 45.0)
    return GP_SIDE_EAST;
  if (angle > 45.0 && angle <= 135.0)
    return GP_SIDE_NORTH;
  if (angle > -135.0 && angle <= -45.0)
    return GP_SIDE_SOUTH;
  return GP_SIDE_WEST;
}

gboolean
gp_board_draw_qr (cairo_t *cr, const char *text, double x, double y, double size)
{
  QRcode *qr = text != NULL && *text != '\0' ? QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) : NULL;
  double cell;

  if (qr == NULL)
    return FALSE;
  /* Four modules of quiet zone on each side, as readers expect. */
  cell = size / (qr->width + 8);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, size, size);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int r = 0; r < qr->width; r++)
    for (int c = 0; c < qr->width; c++)
      if (qr->data[r * qr->width + c] & 1)
        cairo_rectangle (cr, x + (c + 4) * cell, y + (r + 4) * cell, cell, cell);
  cairo_fill (cr);
  cairo_restore (cr);
  QRcode_free (qr);
  return TRUE;
}

/* TEXT at X, Y wrapped to WIDTH; returns its height. */
static double
text_at (cairo_t *cr, const GpStyle *style, const char *text, double size, gboolean bold, const GpColor *color,
         double x, double y, double width)
{
  PangoLayout *layout = gp_style_create_layout (style, cr, size, bold);
  int w, h;

  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text != NULL && *text != '\0' ? text : "—", -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x, y);
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
  return h;
}

/* A row of the table: the label in red on the left, the text beside it; returns the row's
 * height. */
static double
table_row (cairo_t *cr, const GpStyle *style, const char *label, const char *text, double y)
{
  double h = MAX (text_at (cr, style, label, 10.5, TRUE, &red, M, y, 96.0),
                  text_at (cr, style, text, 10.5, FALSE, &ink, M + 100.0, y, GP_BOARD_WIDTH - 2 * M - 100.0));

  cairo_move_to (cr, M, y + h + ROW_GAP / 2);
  cairo_line_to (cr, GP_BOARD_WIDTH - M, y + h + ROW_GAP / 2);
  cairo_set_source_rgba (cr, 0.85, 0.85, 0.85, 1.0);
  cairo_set_line_width (cr, 0.5);
  cairo_stroke (cr);
  return h + ROW_GAP;
}

static void
draw_header (cairo_t *cr, const GpStyle *style, const GpBoardInfo *info)
{
  g_autofree char *where = NULL;

  cairo_rectangle (cr, 0, 0, GP_BOARD_WIDTH, BAND);
  cairo_set_source_rgba (cr, red.red, red.green, red.blue, 1.0);
  cairo_fill (cr);
  text_at (cr, style, _("Grid notice board"), 26.0, TRUE, &white, M, 16.0, 300.0);
  /* TRANSLATORS: the motto of a grid notice board: each grid has its people, posts and duties. */
  text_at (cr, style, _("A person, a post and duties for every grid"), 11.0, FALSE, &white, M, 52.0, 320.0);
  gp_board_draw_qr (cr, info->code, GP_BOARD_WIDTH - M - 96.0, BAND + 10.0, 96.0);
  /* TRANSLATORS: under a grid's QR code: one grid, one code. */
  text_at (cr, style, _("One grid, one code"), 8.0, FALSE, &quiet, GP_BOARD_WIDTH - M - 96.0, BAND + 108.0, 96.0);
  text_at (cr, style, info->name, 20.0, TRUE, &ink, M, BAND + 12.0, GP_BOARD_WIDTH - 2 * M - 110.0);
  /* TRANSLATORS: a grid's code on its notice board. */
  where = g_strdup_printf (_("Grid code %s"), info->code);
  text_at (cr, style, where, 13.0, TRUE, &red, M, BAND + 44.0, GP_BOARD_WIDTH - 2 * M - 110.0);
  g_free (g_steal_pointer (&where));
  where = info->township != NULL ? g_strdup_printf ("%s · %s", info->township, info->community)
                                 : g_strdup (info->community);
  text_at (cr, style, where, 11.0, FALSE, &quiet, M, BAND + 68.0, GP_BOARD_WIDTH - 2 * M - 110.0);
}

/* The grid on its map, outlined, with what lies on each side written around the frame. */
static double
draw_map (cairo_t *cr, GpMapData *data, GpStyle *style, const GpBoardInfo *info, double top)
{
  static const char *const side_names[GP_N_SIDES] = { N_("East to"), N_("South to"), N_("West to"), N_("North to") };
  g_autoptr(GpViewport) viewport = gp_viewport_new ();
  double w = GP_BOARD_WIDTH - 2 * M, bbox[4], y;

  gp_viewport_set_size (viewport, (int) w, (int) MAP_H);
  if (data != NULL && gp_map_data_get_feature_bbox (data, GP_MAP_LAYER_GRIDS, info->code, bbox))
    {
      /* The grid with a ring of its neighbours around it. */
      double dx = (bbox[2] - bbox[0]) * 0.35, dy = (bbox[3] - bbox[1]) * 0.35;
      double ring[4] = { bbox[0] - dx, bbox[1] - dy, bbox[2] + dx, bbox[3] + dy };

      gp_viewport_fit (viewport, ring, 6.0);
    }
  cairo_save (cr);
  cairo_translate (cr, M, top);
  gp_render_map (cr, viewport, data, style);
  gp_render_outline_feature (cr, viewport, data, GP_MAP_LAYER_GRIDS, info->code, &red, 3.0);
  cairo_restore (cr);
  cairo_rectangle (cr, M, top, w, MAP_H);
  cairo_set_source_rgba (cr, quiet.red, quiet.green, quiet.blue, 1.0);
  cairo_set_line_width (cr, 0.8);
  cairo_stroke (cr);

  /* 四至, two to a line. */
  y = top + MAP_H + 8.0;
  for (int s = 0; s < GP_N_SIDES; s += 2)
    {
      double h = 0.0;

      for (int k = 0; k < 2; k++)
        {
          g_autofree char *line = g_strdup_printf (_("%s: %s"), _(side_names[s + k]),
                                                   info->sides[s + k] != NULL && *info->sides[s + k] != '\0'
                                                     ? info->sides[s + k] : _("the boundary"));

          h = MAX (h, text_at (cr, style, line, 10.0, FALSE, &ink, M + k * w / 2, y, w / 2 - 8.0));
        }
      y += h + 2.0;
    }
  return y;
}

void
gp_board_draw (cairo_t *cr, GpMapData *data, GpStyle *style, const GpBoardInfo *info)
{
  static const char *const duties[] = {
    N_("Collect and keep the basic information of the grid's households, people and places"),
    N_("Visit households, hear their needs and pass them on"),
    N_("Find safety hazards and report them at once"),
    N_("Help settle disputes between neighbours"),
    N_("Explain policies and laws to residents"),
    N_("Handle services on residents' behalf"),
  };
  g_autofree char *households = NULL, *party = NULL, *footer = NULL;
  g_autoptr(GString) duty_list = g_string_new (NULL);
  double y;

  g_return_if_fail (cr != NULL && style != NULL && info != NULL);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  draw_header (cr, style, info);
  y = draw_map (cr, data, style, info, BAND + 128.0) + 8.0;

  households = g_strdup_printf (_("%lld households in %u units"), (long long) info->households, info->n_units);
  y += table_row (cr, style, _("Households"), households, y);
  y += table_row (cr, style, _("Units"), info->units, y);
  y += table_row (cr, style, _("Full-time grid worker"), info->workers, y);
  y += table_row (cr, style, _("Part-time grid workers"), info->parttime, y);
  party = info->n_party > 0 ? g_strdup_printf (_("%u, in contact with %lld households: %s"), info->n_party,
                                               (long long) info->contact_households, info->party)
                            : NULL;
  y += table_row (cr, style, _("Party members"), party, y);
  y += table_row (cr, style, _("Building heads"), info->building_heads, y);
  y += table_row (cr, style, _("Unit heads"), info->unit_heads, y);
  y += table_row (cr, style, _("Department instructors"), info->instructors, y);

  for (guint i = 0; i < G_N_ELEMENTS (duties); i++)
    g_string_append_printf (duty_list, "%u. %s\n", i + 1, _(duties[i]));
  g_string_truncate (duty_list, duty_list->len - 1);
  y += 6.0;
  y += text_at (cr, style, _("Duties of the grid worker"), 11.0, TRUE, &red, M, y, GP_BOARD_WIDTH - 2 * M) + 2.0;
  text_at (cr, style, duty_list->str, 9.5, FALSE, &ink, M, y, GP_BOARD_WIDTH - 2 * M);

  cairo_rectangle (cr, 0, GP_BOARD_HEIGHT - 40.0, GP_BOARD_WIDTH, 40.0);
  cairo_set_source_rgba (cr, red.red, red.green, red.blue, 1.0);
  cairo_fill (cr);
  /* TRANSLATORS: the foot of a notice board: the hotline, and the day it was posted. */
  footer = g_strdup_printf (_("Service hotline: %s    Posted: %s"),
                            info->hotline != NULL && *info->hotline != '\0' ? info->hotline : "______________",
                            info->date != NULL ? info->date : "");
  text_at (cr, style, footer, 12.0, TRUE, &white, M, GP_BOARD_HEIGHT - 30.0, GP_BOARD_WIDTH - 2 * M);
  cairo_restore (cr);
}
