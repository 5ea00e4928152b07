/* gp-json.h: JSON text as people read it: numbers in their shortest exact form (0.15, not 0.14999999999999999). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ROOT as JSON text (UTF-8, no trailing newline); PRETTY: two-space indentation. Doubles are
 * written with the fewest digits that read back as the same number; whole doubles below 2^53
 * without a fraction (12, not 12.0). */
char   *gp_json_to_text (JsonNode *root, gboolean pretty);

/* V rounded to a multiple of STEP (0.001 for shares, 0.01 for m²); non-finite values give 0. */
double  gp_json_round   (double v, double step);

G_END_DECLS
