/* gp-window-private.h: what the window's own files share (gp-window.c, gp-window-work.c). */
#pragma once

#include <gtk/gtk.h>

#include "gp-map-view.h"
#include "gp-project.h"
#include "gp-project-edit.h"
#include "gp-window.h"

G_BEGIN_DECLS

struct _GpWindow
{
  GtkApplicationWindow parent_instance;

  /* Template widgets */
  GtkHeaderBar *header_bar;
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  GtkSpinner *spinner;
  GtkStack *stack;
  GpMapView *map_view;
  GtkRevealer *toast_revealer;
  GtkLabel *toast_label;
  GtkLabel *status_label;

  /* Owned references */
  GpProject *project;          /* NULL while only a shapefile is shown */
  char *path;                  /* what is shown */
  GCancellable *cancellable;   /* the work under way, if any */
  GtkFileChooserNative *chooser;

  guint toast_source;
  gboolean interactive;

  /* Load mode: the heatmap chooser, and the metric asked for (by --heatmap or the chooser)
   * while its numbers are measured; map-drawn waits for it. */
  GtkDropDown *heatmap_dropdown;
  char *heatmap_wanted;
  GCancellable *heatmap_cancellable;

  /* The side panel: the grid list (Plan mode) and the check's problems (Review mode). */
  GtkWidget *side_panel;
  GtkStack *side_stack;
  GtkSearchEntry *grid_search;
  GtkColumnView *grid_view;
  GListStore *grids;           /* of GpGridItem */
  GtkCustomFilter *grid_filter;
  GCancellable *grids_cancellable;
  gboolean grids_wanted;       /* list the grids once a project is shown (--mode plan) */

  /* Review mode: the check's problems beside the map; click one to go to it. */
  GtkWidget *review_panel;
  GtkLabel *review_title;
  GtkListView *problem_list;
  GListStore *problems;        /* of GpProblemItem */
  GCancellable *check_cancellable;
  gboolean check_wanted;       /* run the check once a project is shown (--mode review) */

  /* Long work (split, assign): its progress over the map, Cancel; what to say once the
   * project is shown again; a split asked for on the command line (gridplan --split T). */
  GtkRevealer *progress_revealer;
  GtkLabel *progress_label;
  GtkProgressBar *progress_bar;
  char *pending_toast;
  double split_wanted;
  gboolean keep_view;          /* the next load keeps the view (a reload after work) */
  gboolean map_ready;          /* the map view has drawn the data it was last given */

  /* Editing by hand: the grids selected (codes), the inspector beside the map, and the edits
   * made in this session, the first UNDO_TOP of them applied (the rest undone, to redo). */
  GPtrArray *selected;
  GtkLabel *inspector_title;
  GtkLabel *inspector_body;
  GtkLabel *inspector_hint;
  GtkLabel *inspector_people;
  GtkButton *lock_button;
  GtkToggleButton *move_toggle;
  GtkToggleButton *cut_toggle;      /* a drag draws the line to split the grid along */
  GPtrArray *edits;            /* of GpProjectEdit */
  GMenu *recent_menu;          /* the primary menu's recent projects, from the settings */
  GStrv select_wanted;         /* gridplan --select: the grids to select once shown */
  guint undo_top;
  char *export_wanted;         /* gridplan --export OUT: once shown (and split), export */
  char *import_wanted;         /* gridplan --import FILE: once shown (and split), import it */

  /* The people list beside the map (gp-window-people.c). */
  GListStore *people;          /* of GpPersonItem */
  GtkCustomFilter *people_filter;
  GtkSearchEntry *people_search;
  GtkColumnView *people_view;
  GtkLabel *people_title;
  GCancellable *people_cancellable;
  gboolean people_wanted;      /* list the people once a project is shown (gridplan --people) */
};

/* gp-window.c */
void _gp_window_set_busy   (GpWindow *self, gboolean busy);
void _gp_window_show_toast (GpWindow *self, const char *text);
void _gp_window_show_error (GpWindow *self, const char *primary, const GError *error);
/* Opens the shown project again (after work changed it), keeping the view; TOAST (may be NULL)
 * is said once it is shown. */
void _gp_window_reload     (GpWindow *self, const char *toast);

/* Runs THREAD on the project shown (its path as task data) in a worker, the work it replaces in
 * *SLOT cancelled; DONE gets the window (a reference) as user data. */
void _gp_window_start_project_task (GpWindow *self, GCancellable **slot, GTaskThreadFunc thread,
                                    GAsyncReadyCallback done);
/* Shows PAGE of the side panel (grids, people, selection, problems), the panel opened. */
void _gp_window_show_side  (GpWindow *self, const char *page);

/* Imports the shapefile (or .zip) at PATH into the project as KIND, in the background. */
void _gp_window_import_shapefile (GpWindow *self, const char *path, GpImportKind kind);
/* Makes a new, empty project at PATH (.gpkg added when missing; a file there is replaced, as the
 * planner confirmed) and shows it. */
void _gp_window_create_project (GpWindow *self, const char *path);

/* The heatmap chosen in Load mode, in the CLI's words ("per-worker", "density"); NULL: Plan. */
const char *_gp_window_current_metric (GpWindow *self);

/* gp-window-export.c: Export (a string parameter: list, people, grids, map, boards). */
void _gp_window_export_action (GSimpleAction *action, GVariant *param, gpointer user_data);
/* Exports what PATH's extension says (.xlsx/.csv the list, .shp/.gpkg/.geojson the grids,
 * .pdf/.png/.svg the map as shown) without asking; FALSE for another extension. */
gboolean _gp_window_start_export (GpWindow *self, const char *path);
/* Says the window has settled (map-drawn) when nothing else is pending: after work that
 * changed nothing on the map. */
void _gp_window_settled (GpWindow *self);

/* gp-window-edit.c: selection, the inspector and hand edits with undo. */
void _gp_window_edit_init     (GpWindow *self);
void _gp_window_edit_dispose  (GpWindow *self);
/* The project was shown again: the inspector follows (a selected grid may be gone). */
void _gp_window_edit_refresh  (GpWindow *self);
void _gp_window_on_map_clicked (GpWindow *self, double x, double y, guint state);
void _gp_window_on_map_band   (GpWindow *self, double x0, double y0, double x1, double y1, guint state);
void _gp_window_on_map_painted (GpWindow *self, const double *points, guint n_points);
/* Puts PERSON (project id) on GRID in their role, as one undoable edit. */
void _gp_window_place_person (GpWindow *self, const char *person, const char *grid);
/* Moves UNITS (codes, NULL-terminated) into the one selected grid, as clicking them does. */
void _gp_window_move_units_here (GpWindow *self, const char *const *units);
void _gp_window_on_move_toggled (GpWindow *self);
void _gp_window_on_cut_toggled  (GpWindow *self);
/* Selects the grids CODES (NULL-terminated) and shows them in the inspector. */
void _gp_window_select        (GpWindow *self, const char *const *codes);
void _gp_window_undo_action   (GSimpleAction *action, GVariant *param, gpointer user_data);
void _gp_window_redo_action   (GSimpleAction *action, GVariant *param, gpointer user_data);
void _gp_window_rename_action (GSimpleAction *action, GVariant *param, gpointer user_data);
void _gp_window_lock_action   (GSimpleAction *action, GVariant *param, gpointer user_data);
void _gp_window_merge_action  (GSimpleAction *action, GVariant *param, gpointer user_data);
void _gp_window_place_action  (GSimpleAction *action, GVariant *param, gpointer user_data);
void _gp_window_exclusive_action (GSimpleAction *action, GVariant *param, gpointer user_data);
/* The village or community grid CODE lies in, as stored; NULL when not known. */
char *_gp_window_grid_area    (GpWindow *self, const char *code);
/* EDIT (taken) made: onto the undo stack, what was undone after it gone. */
void _gp_window_push_edit     (GpWindow *self, GpProjectEdit *edit);
/* Which of the edit actions may run now (the selection, the undo stack, work under way). */
void _gp_window_edit_update_actions (GpWindow *self);

/* gp-window-people.c: the people list. */
void _gp_window_people_init    (GpWindow *self);
void _gp_window_people_dispose (GpWindow *self);
/* Lists the people of the project shown (in the background). */
void _gp_window_start_people   (GpWindow *self);
void _gp_window_people_action  (GSimpleAction *action, GVariant *param, gpointer user_data);

/* gp-window-work.c: the actions that change the project in the background. */
void _gp_window_split_action  (GSimpleAction *action, GVariant *param, gpointer user_data);
void _gp_window_assign_action (GSimpleAction *action, GVariant *param, gpointer user_data);
/* Redraws the selected grids inside the ground they cover, at the project's target; undoable. */
void _gp_window_redraw_action (GSimpleAction *action, GVariant *param, gpointer user_data);
/* Starts a split of every area at TARGET households (the dialog's defaults otherwise). */
void _gp_window_start_split   (GpWindow *self, double target);
void _gp_window_on_progress_cancel (GpWindow *self);
/* Imports the spreadsheet at PATH into the project: the service-item ledger when its header has
 * a status column (状态/status), else the roster. */
void _gp_window_import_table  (GpWindow *self, const char *path);
void _gp_window_show_progress (GpWindow *self, const char *text);
void _gp_window_hide_progress (GpWindow *self);

G_END_DECLS
