/* gp-style.c: not yet written. */
#include <glib.h>
