/* gp-csv.h: CSV the way Excel and WPS read it (UTF-8 with BOM, RFC 4180), and rosters in. */
#pragma once

#include <stdio.h>

#include "gp-layer.h"

G_BEGIN_DECLS

/* Attributes of every feature plus a WKT column for geometry; UTF-8 with BOM. All or nothing. */
gboolean gp_csv_write_layer (GpLayer *layer, const char *path, GError **error);

/* One field to OUT, quoted (quotes doubled) only when it holds a comma, quote or line break;
 * nothing for NULL. */
void     gp_csv_write_field (FILE *out, const char *text);

G_END_DECLS
