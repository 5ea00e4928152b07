/* gp-csv.h: CSV the way Excel and WPS read it (UTF-8 with BOM, RFC 4180), and rosters in. */
#pragma once

#include "gp-layer.h"

G_BEGIN_DECLS

/* Attributes of every feature plus a WKT column for geometry; UTF-8 with BOM. All or nothing. */
gboolean gp_csv_write_layer (GpLayer *layer, const char *path, GError **error);

G_END_DECLS
