/* gp-project.c: not yet written. */
#include "gp-project.h"
