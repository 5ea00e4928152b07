/* gp-shp.c: not yet written. */
#include "gp-shp.h"
