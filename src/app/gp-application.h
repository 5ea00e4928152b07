/* gp-application.h: the GridPlan application: command line, windows, app-wide actions. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GP_TYPE_APPLICATION (gp_application_get_type ())
G_DECLARE_FINAL_TYPE (GpApplication, gp_application, GP, APPLICATION, GtkApplication)

GpApplication *gp_application_new (void);
/* The process exit status: 0, or 1 when a --screenshot run failed. */
int            gp_application_get_exit_status (GpApplication *self);

G_END_DECLS
