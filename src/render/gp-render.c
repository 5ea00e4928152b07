/* gp-render.c: not yet written. */
#include <glib.h>
