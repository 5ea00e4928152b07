/* gp-wkb.c: not yet written. */
#include "gp-wkb.h"
