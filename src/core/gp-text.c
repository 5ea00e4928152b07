/* gp-text.c: not yet written. */
#include "gp-text.h"
