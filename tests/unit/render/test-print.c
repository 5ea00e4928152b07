/* test-print.c: the printed page: sizes read, a PNG of the page's size written whole, nothing left when it cannot be written. */
#include "gp-error.h"
#include "gp-print.h"
#include "gp-test-util.h"

#include <glib/gstdio.h>

static void
test_sizes (void)
{
  GpPrintOptions o;

  gp_print_options_init (&o);
  g_assert_cmpfloat (o.width_pt, ==, 842.0);
  g_assert_true (gp_print_parse_size ("a3", FALSE, &o));
  g_assert_cmpfloat (o.width_pt, ==, 1191.0);
  g_assert_cmpfloat (o.height_pt, ==, 842.0);
  g_assert_true (gp_print_parse_size ("1600x1000", TRUE, &o));
  g_assert_cmpfloat (o.width_pt, ==, 1600.0);
  g_assert_cmpfloat (o.png_scale, ==, 1.0);
  g_assert_false (gp_print_parse_size ("huge", FALSE, &o));
  g_assert_false (gp_print_parse_size ("10x10", FALSE, &o));
  g_assert_false (gp_print_parse_size ("1600x", FALSE, &o));
  g_assert_true (gp_print_path_ok ("地图.PDF"));
  g_assert_false (gp_print_path_ok ("map.jpg"));
}

static void
test_png_page (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "page.png", NULL);
  g_autofree char *bad = g_build_filename (dir, "no", "such", "dir", "page.pdf", NULL);
  g_autoptr(GpStyle) style = gp_style_new ();
  g_autoptr(GError) error = NULL;
  cairo_surface_t *png;
  GpPrintOptions o;

  gp_print_options_init (&o);
  o.title = "锡尼街道";
  o.subtitle = "网格 · 2026-12-06";
  o.source = "test";
  g_assert_true (gp_print_map (NULL, style, NULL, &o, path, &error));
  g_assert_no_error (error);
  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 1755);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, 1240);
  cairo_surface_destroy (png);

  g_assert_false (gp_print_map (NULL, style, NULL, &o, bad, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_IO);
  g_clear_error (&error);
  o.area_code = "150621003";
  g_assert_false (gp_print_map (NULL, style, NULL, &o, path, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT);
  gp_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/print/sizes", test_sizes);
  g_test_add_func ("/print/png-page", test_png_page);
  return g_test_run ();
}
