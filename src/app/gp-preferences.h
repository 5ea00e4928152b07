/* gp-preferences.h: the Preferences dialog: households per grid, tolerance, party contact ratio, phones in full (GSettings). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows the preferences, bound to GridPlan's settings (changes keep at once); when the settings
 * are nowhere installed, says so instead. */
void gp_preferences_show (GtkWindow *parent);

G_END_DECLS
