/* gp-import.c: not yet written. */
#include "gp-project.h"
