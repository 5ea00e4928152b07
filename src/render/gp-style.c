/* gp-style.c: the house map style and its copying, a boxed type so bindings and tasks can carry it. */
#include "gp-config.h"

#include "gp-style.h"

G_DEFINE_BOXED_TYPE (GpStyle, gp_style, gp_style_copy, gp_style_free)

static GpColor
rgb (guint32 hex, double alpha)
{
  return (GpColor) {
    ((hex >> 16) & 0xff) / 255.0,
    ((hex >> 8) & 0xff) / 255.0,
    (hex & 0xff) / 255.0,
    alpha,
  };
}

GpStyle *
gp_style_new (void)
{
  GpStyle *style = g_new0 (GpStyle, 1);
  /* Soft, distinct tints that keep dark text readable on every one of them. */
  static const guint32 area_fills[GP_STYLE_N_AREA_FILLS] = {
    0xf3e3c3, 0xd9ead3, 0xd4e4f1, 0xf2d7d5, 0xe6ddee, 0xf6efc2,
  };

  style->background = rgb (0xfbfaf7, 1.0);
  for (guint i = 0; i < GP_STYLE_N_AREA_FILLS; i++)
    style->area_fill[i] = rgb (area_fills[i], 1.0);
  style->area_line = rgb (0x5e5c64, 1.0);
  style->area_line_width = 0.8;
  style->area_line_step = 0.8;

  style->unit_fill = rgb (0xffffff, 0.35);
  style->unit_line = rgb (0x77767b, 0.9);
  style->unit_line_width = 0.5;

  style->household = rgb (0x9a5b13, 0.8);
  style->household_radius = 1.5;
  /* The red/yellow/green of service boards, darkened a little to read on pale fills. */
  style->event_status[0] = rgb (0x1a9641, 1.0);
  style->event_status[1] = rgb (0xe6a000, 1.0);
  style->event_status[2] = rgb (0xd7191c, 1.0);
  style->event_radius = 3.5;
  style->person = rgb (0x3060c0, 0.85);
  style->person_radius = 2.5;

  style->grid_fill = rgb (0x3584e4, 0.08);
  style->grid_line = rgb (0x1c71d8, 1.0);
  style->grid_line_width = 1.6;

  style->font_family = g_strdup ("Noto Sans CJK SC, WenQuanYi Micro Hei, Source Han Sans SC, Microsoft YaHei, sans-serif");
  style->area_font_size = 13.0;
  style->unit_font_size = 10.0;
  style->grid_font_size = 11.0;
  style->label_text = rgb (0x241f31, 1.0);
  style->label_minor_text = rgb (0x5e5c64, 1.0);
  style->label_halo = rgb (0xffffff, 0.85);
  style->label_halo_width = 3.0;
  style->label_min_fill = 0.7;

  style->dot_threshold = 2.0;

  style->show_labels = TRUE;
  style->show_scale_bar = TRUE;
  style->show_north_arrow = TRUE;
  style->decoration = rgb (0x3d3846, 1.0);
  return style;
}

GpStyle *
gp_style_copy (const GpStyle *style)
{
  GpStyle *copy;

  g_return_val_if_fail (style != NULL, NULL);

  copy = g_memdup2 (style, sizeof *style);
  copy->font_family = g_strdup (style->font_family);
  return copy;
}

void
gp_style_free (GpStyle *style)
{
  if (style == NULL)
    return;
  g_free (style->font_family);
  g_free (style);
}

void
gp_style_set_font_family (GpStyle *style, const char *family)
{
  g_return_if_fail (style != NULL);
  g_return_if_fail (family != NULL);

  g_free (style->font_family);
  style->font_family = g_strdup (family);
}

PangoLayout *
gp_style_create_layout (const GpStyle *style, cairo_t *cr, double size, gboolean bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (style->font_family);

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  return layout;
}
