/* gp-gpkg-layer.c: not yet written. */
#include "gp-gpkg.h"
