/* render-cleanup.h: the end of a render test that drew text: Pango's and fontconfig's caches released, so leak checkers see only our own leaks. */
#pragma once

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

static inline int
render_test_run (void)
{
  int status = g_test_run ();

  pango_cairo_font_map_set_default (NULL);
  cairo_debug_reset_static_data ();
  FcFini ();
  return status;
}
