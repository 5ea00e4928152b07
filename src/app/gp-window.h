/* gp-window.h: the main window: header bar actions, the map, loading and importing. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GP_TYPE_WINDOW (gp_window_get_type ())
G_DECLARE_FINAL_TYPE (GpWindow, gp_window, GP, WINDOW, GtkApplicationWindow)

GpWindow *gp_window_new              (GtkApplication *application);
/* Opens a project (.gpkg) or a shapefile (.shp) in the background. */
void      gp_window_open             (GpWindow *self, GFile *file);
/* When FALSE, failures are only reported through "open-failed", never in a dialog. */
void      gp_window_set_interactive  (GpWindow *self, gboolean interactive);
/* Moves the header bar from the title bar into the window, before it is shown. Client-side
 * decorations then add no resize border around the window, so a screenshot has exactly the
 * window's size (and fits a small virtual screen). */
void      gp_window_embed_header_bar (GpWindow *self);
/* Saves what the window shows now as a PNG (written whole or not at all). */
gboolean  gp_window_save_screenshot  (GpWindow *self, const char *path, GError **error);

/* Load mode: colours the grids by METRIC (households, deviation, per-worker, contact-coverage
 * or status), measured once a project is shown; "map-drawn" waits for it. FALSE for an unknown
 * METRIC. */
gboolean  gp_window_set_heatmap (GpWindow *self, const char *metric);

/* Plan mode: lists the grids of the project shown (once one is) beside the map; "map-drawn"
 * waits for the list. */
void      gp_window_set_grid_list (GpWindow *self);
/* Lists the people of the project shown (once one is) beside the map; "map-drawn" waits for
 * the list (gridplan --people). */
void      gp_window_set_people_list (GpWindow *self);
/* Review mode: runs the check on the project shown (once one is) and lists its problems beside
 * the map; "map-drawn" waits for them. */
void      gp_window_set_review  (GpWindow *self);
/* Splits the project shown (or about to be) into grids of about TARGET households, as the
 * Split… dialog would, without asking (gridplan --split T). */
void      gp_window_set_split   (GpWindow *self, double target);
/* Exports the project, once shown (and split when asked), to PATH as its extension says, as
 * Export does without asking (gridplan --export OUT). */
void      gp_window_set_export  (GpWindow *self, const char *path);
/* Imports the roster or service-item ledger at PATH once the project is shown (and split when
 * asked), as dropping it on the window does (gridplan --import FILE). */
void      gp_window_set_import  (GpWindow *self, const char *path);
/* Selects GRIDS (codes) once the project is shown, the inspector beside the map. */
void      gp_window_set_selection (GpWindow *self, const char *const *grids);

G_END_DECLS
