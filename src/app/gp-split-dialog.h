/* gp-split-dialog.h: the Split… dialog: households per grid, the tolerance, and whether to redraw every grid or only what changed. */
#pragma once

#include <gtk/gtk.h>

#include "gp-plan-split.h"

G_BEGIN_DECLS

#define GP_TYPE_SPLIT_DIALOG (gp_split_dialog_get_type ())
G_DECLARE_FINAL_TYPE (GpSplitDialog, gp_split_dialog, GP, SPLIT_DIALOG, GtkDialog)

/* Responses: GTK_RESPONSE_ACCEPT (split) or GTK_RESPONSE_CANCEL. TARGET and TOLERANCE are the
 * project's last ones (else 300 and 0.15); HAS_GRIDS offers to redraw all. */
GtkWidget *gp_split_dialog_new         (GtkWindow *parent, double target, double tolerance, gboolean has_grids);
/* The planner's choice, into OPTIONS (the rest left as they are). */
void       gp_split_dialog_get_options (GpSplitDialog *self, GpPlanSplitOptions *options);

G_END_DECLS
