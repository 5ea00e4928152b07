/* gp-crs.c: not yet written. */
#include "gp-crs.h"
