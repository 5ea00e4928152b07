/* gp-gpkg.c: not yet written. */
#include "gp-gpkg.h"
