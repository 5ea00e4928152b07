/* fuzz-layer.h: walks a layer a reader returned as every later step would: attribute text must be
 * valid UTF-8 of the length it claims, coordinates finite, and each shape must survive the WKB and
 * GeoPackage blob round trips unchanged. A broken promise aborts, so the fuzzer keeps the input. */
#pragma once

#include <math.h>
#include <stdlib.h>

#include "src/core/gp-layer.h"
#include "src/core/gp-wkb.h"

G_GNUC_UNUSED static void
fuzz_check (gboolean ok, const char *what)
{
  if (!ok)
    {
      fprintf (stderr, "fuzz: broken promise: %s\n", what);
      abort ();
    }
}

G_GNUC_UNUSED static void
gp_fuzz_walk_layer (GpLayer *layer)
{
  guint n_fields = gp_layer_get_n_fields (layer);
  double bbox[4];

  for (guint f = 0; f < n_fields; f++)
    fuzz_check (g_utf8_validate (gp_layer_get_field (layer, f)->name, -1, NULL), "a field name is not UTF-8");
  if (gp_layer_get_bbox (layer, bbox))
    fuzz_check (isfinite (bbox[0]) && isfinite (bbox[1]) && isfinite (bbox[2]) && isfinite (bbox[3]),
                "the layer's box is not finite");
  for (guint i = 0; i < gp_layer_get_n_features (layer); i++)
    {
      GpFeature *feature = gp_layer_get_feature (layer, i);

      for (guint f = 0; f < n_fields; f++)
        if (!feature->values[f].is_null && gp_layer_get_field (layer, f)->type == GP_FIELD_STRING)
          fuzz_check (g_utf8_validate (feature->values[f].text, -1, NULL), "attribute text is not UTF-8");
      if (feature->shape == NULL)
        continue;

      g_autoptr (GByteArray) wkb = g_byte_array_new ();
      if (gp_wkb_append (wkb, feature->shape))
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (GpShape) back = gp_wkb_parse (wkb->data, wkb->len, &error);
          fuzz_check (back != NULL, "a shape's own WKB does not parse");
          fuzz_check (gp_shape_equal (back, feature->shape), "a shape changed in the WKB round trip");
        }
      gsize length = 0;
      g_autofree guint8 *blob = gp_gpkg_blob_new (feature->shape, 4326, &length);
      if (blob != NULL)
        {
          g_autoptr (GError) error = NULL;
          gint32 srs = 0;
          g_autoptr (GpShape) back = gp_gpkg_blob_parse (blob, length, &srs, &error);
          fuzz_check (back != NULL && srs == 4326, "a shape's own GeoPackage blob does not parse");
        }
      if (gp_shape_get_bbox (feature->shape, bbox))
        fuzz_check (isfinite (bbox[0]) && isfinite (bbox[1]) && isfinite (bbox[2]) && isfinite (bbox[3]),
                    "a shape's box is not finite");
    }
}
