/* fuzz-shp: the shapefile reader (.shp, .shx, .dbf, .cpg) on arbitrary bytes. An input is up to
 * four pieces joined by "\n--8<--\n": .shp, .shx, .dbf and .cpg; a piece that is absent is a file
 * that is missing (the reader rebuilds the .shx by scanning, reads without a .dbf). The layer
 * read is then walked: every feature's geometry and attributes touched, so damage that slips
 * past the reader into a layer is found too. */
#include "fuzz-common.h"

#include <string.h>

#include "src/io/gp-shp.h"
#include "fuzz-layer.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t len)
{
  static const char *const ext[] = { "f.shp", "f.shx", "f.dbf", "f.cpg" };
  const uint8_t *piece[4];
  size_t piece_len[4];
  fuzz_split (data, len, 4, piece, piece_len);

  g_autofree char *shp = NULL;
  for (guint i = 0; i < 4; i++)
    {
      char *path = fuzz_file (ext[i], piece[i], piece_len[i]);
      if (i == 0)
        shp = path;
      else
        g_free (path);
    }

  g_autoptr (GError) error = NULL;
  g_autoptr (GpLayer) layer = gp_shp_read (shp, NULL, 0, &error);
  if (layer == NULL)
    return 0;
  gp_fuzz_walk_layer (layer);
  return 0;
}
