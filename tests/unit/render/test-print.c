/* test-print.c: the printed page: sizes read, a PNG of the page's size written whole, nothing left when it cannot be written. */
#include "render-cleanup.h"
#include "gp-error.h"
#include "gp-board.h"
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

/* Neighbours by direction (east and north positive); a board page draws without a map. */
static void
test_board (void)
{
  g_autoptr(GpStyle) style = gp_style_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 595, 842);
  cairo_t *cr = cairo_create (surface);
  GpBoardInfo info = { .code = "150621003001001", .name = "召南社区第1网格", .community = "召南社区",
                       .households = 296, .n_units = 3, .sides = { "城关社区第2网格" } };

  g_assert_cmpint (gp_board_side_of (1, 0.2), ==, GP_SIDE_EAST);
  g_assert_cmpint (gp_board_side_of (-0.2, 1), ==, GP_SIDE_NORTH);
  g_assert_cmpint (gp_board_side_of (-1, -0.2), ==, GP_SIDE_WEST);
  g_assert_cmpint (gp_board_side_of (0.1, -1), ==, GP_SIDE_SOUTH);
  g_assert_true (gp_board_draw_qr (cr, "150621003001001", 10, 10, 100));
  g_assert_false (gp_board_draw_qr (cr, "", 10, 10, 100));
  gp_board_draw (cr, NULL, style, &info);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/print/sizes", test_sizes);
  g_test_add_func ("/print/png-page", test_png_page);
  g_test_add_func ("/print/board", test_board);
  return render_test_run ();
}
