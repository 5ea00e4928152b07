/* gp-script.h: a planner's session played from a file, step by step, on a window (gridplan --script), for display tests and reviewers. */
#pragma once

#include <gtk/gtk.h>

#include "gp-window.h"

G_BEGIN_DECLS

/* Reads the steps of PATH and plays them on WINDOW, each once the window has settled after the
 * one before; DONE (with 0, or 1 after a failure said on stderr) when all are played or one
 * failed. FALSE (ERROR set) when PATH cannot be read or a line is not a step. */
typedef void (*GpScriptDone) (int status, gpointer user_data);

gboolean gp_script_run (GpWindow *window, const char *path, GpScriptDone done, gpointer user_data, GError **error);

G_END_DECLS
