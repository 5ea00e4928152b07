/* gp-viewport.c: not yet written. */
#include <glib.h>
