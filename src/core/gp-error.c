/* gp-error.c: the GridPlan error domain. */
#include "gp-error.h"

G_DEFINE_QUARK (gp-error-quark, gp_error)
