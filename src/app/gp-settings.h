/* gp-settings.h: GridPlan's GSettings (window size, recent projects, the planner's defaults), found installed or in the build tree. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The settings, or NULL when their schema is installed nowhere (the app then keeps nothing). */
GSettings *gp_settings_get (void);
/* Puts PATH first in the recent projects (at most 10, each once). */
void       gp_settings_add_recent (const char *path);

G_END_DECLS
