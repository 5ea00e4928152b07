/* gp-geojson.c: not yet written. */
#include "gp-geojson.h"
