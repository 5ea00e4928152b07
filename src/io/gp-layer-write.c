/* gp-layer-write.c: a layer written in the format its file name says. */
#include "gp-config.h"

#include "gp-layer-write.h"

#include <glib/gi18n-lib.h>

#include "gp-csv.h"
#include "gp-error.h"
#include "gp-geojson.h"
#include "gp-gpkg.h"
#include "gp-shp.h"

gboolean
gp_layer_write_by_name (GpLayer *layer, const char *path, gboolean with_csv, GError **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".shp"))
    return gp_shp_write (layer, path, error);
  if (g_str_has_suffix (lower, ".gpkg"))
    return gp_gpkg_write_layer (layer, path, error);
  if (g_str_has_suffix (lower, ".geojson") || g_str_has_suffix (lower, ".json"))
    return gp_geojson_write_layer (layer, path, error);
  if (with_csv && g_str_has_suffix (lower, ".csv"))
    return gp_csv_write_layer (layer, path, error);
  g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("%s: grids can be written as .shp, .gpkg or .geojson"),
               path);
  return FALSE;
}
