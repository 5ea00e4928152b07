/* gp-geom.c: not yet written. */
#include "gp-geom.h"
