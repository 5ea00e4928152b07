/* gp-project-edit.h: a planner's hand edits of grids (rename, lock, merge, move units to a neighbour), each one transaction, journalled, and undoable and redoable in order. */
#pragma once

#include <glib.h>

#include "gp-project.h"

G_BEGIN_DECLS

/* An edit applied to a project: what it changed, kept to undo and redo it. */
typedef struct _GpProjectEdit GpProjectEdit;

void        gp_project_edit_free     (GpProjectEdit *edit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpProjectEdit, gp_project_edit_free)
/* What the edit did, in the planner's words ("Merged 2 grids into 150621003001001"). */
const char *gp_project_edit_describe (GpProjectEdit *edit);
/* The grids it touched, by code (those before and after), NULL-terminated. */
const char *const *gp_project_edit_get_grids (GpProjectEdit *edit);

/* Names GRID NAME (NULL or empty: no name). */
GpProjectEdit *gp_project_rename_grid (GpProject *self, const char *grid, const char *name, GError **error);
/* Locks or unlocks GRIDS (NULL-terminated): a locked grid is kept as it is by every split. */
GpProjectEdit *gp_project_lock_grids  (GpProject *self, const char *const *grids, gboolean locked, GError **error);
/* Makes GRIDS exclusive grids (专属网格: a school, hospital, park or enterprise, kept whole by
 * every split and counted apart from the households' grids), or basic ones again. */
GpProjectEdit *gp_project_set_exclusive (GpProject *self, const char *const *grids, gboolean exclusive, GError **error);
/* Merges GRIDS (two or more of one village, together in one piece, none exclusive) into the
 * first: its code stays, the others go; their units, people and party contacts come with them.
 * Refused, saying why, when they are of several villages or would not make one piece. */
GpProjectEdit *gp_project_merge_grids (GpProject *self, const char *const *grids, GError **error);
/* Moves UNITS (NULL-terminated codes, polygons) to grid TO of their village: each leaves its grid
 * with the ground it covers there, and party contacts with it. Refused, saying why, when a unit is
 * of another village, a grid it leaves would be left in pieces or without units, TO would not be
 * in one piece, or a grid concerned is locked or exclusive. */
GpProjectEdit *gp_project_move_units  (GpProject *self, const char *const *units, const char *to, GError **error);

/* Splits GRID in two along the line LINE_XY (N_POINTS points, x y interleaved, in the project's
 * CRS) drawn across it once: each compound or villager group falls to the side holding most of
 * it, and the two grids follow their units' edges (the streets between cut along their middle);
 * a grid without units is cut along the line itself. The side with more households keeps the
 * code and the people; the other is a new grid numbered after the village's highest. Refused,
 * saying why, when the line does not cross the grid once, leaves all units on one side, or a
 * side would be in pieces. */
GpProjectEdit *gp_project_split_grid  (GpProject *self, const char *grid, const double *line_xy, guint n_points,
                                       GError **error);

/* Puts PERSON (the project's id) on GRID in their role by hand, off the grids they served (NULL
 * GRID: off every grid). Their party contacts go with the old grid. */
GpProjectEdit *gp_project_place_person (GpProject *self, const char *person, const char *grid, GError **error);

/* Work done to whole areas by other means (a redraw by the splitter) kept as an edit to undo:
 * begin captures the grids of AREAS (codes, NULL-terminated) as they are, end (once the work
 * is stored) what they became, and journals it. DESCRIPTION: in the planner's words. */
GpProjectEdit *gp_project_edit_begin_areas (GpProject *self, const char *const *areas, const char *description,
                                            GError **error);
gboolean       gp_project_edit_end_areas   (GpProject *self, GpProjectEdit *edit, GError **error);

/* Puts back what EDIT changed (it must be the last edit not undone), or does it again after an
 * undo; one transaction each, journalled. */
gboolean gp_project_edit_undo (GpProject *self, GpProjectEdit *edit, GError **error);
gboolean gp_project_edit_redo (GpProject *self, GpProjectEdit *edit, GError **error);

G_END_DECLS
