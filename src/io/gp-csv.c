/* gp-csv.c: not yet written. */
#include "gp-csv.h"
