/* render-cleanup.h: the end of a render test that drew text: Pango's default font map released.
 * fontconfig's own caches live until exit by design (FcFini and cairo's reset race with Pango's
 * font-loading thread in a short test); the leak checker is told so in tests/lsan.supp. */
#pragma once

#include <pango/pangocairo.h>

static inline int
render_test_run (void)
{
  int status = g_test_run ();

  pango_cairo_font_map_set_default (NULL);
  return status;
}
