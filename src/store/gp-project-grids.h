/* gp-project-grids.h: the grids of a project and their units (grids, grid_units), read and replaced area by area. */
#pragma once

#include <glib.h>

#include "gp-project.h"

G_BEGIN_DECLS

typedef struct {
  char      *code;
  char      *name;
  char      *area_code;
  gboolean   exclusive;     /* kind 'exclusive' (专属网格), else 'basic' */
  gboolean   locked;
  gboolean   party_branch;
  gint64     households;
  GpShape   *shape;         /* in the project's CRS; NULL when the row has none */
  GPtrArray *unit_codes;    /* of char*: its units (grid_units), in unit code order */
  /* Written only: the code is kept but most of the grid's households are elsewhere now, so
   * whoever was assigned to it must be placed again. */
  gboolean   moved;
} GpProjectGrid;

GpProjectGrid *gp_project_grid_new  (void);
void           gp_project_grid_free (GpProjectGrid *grid);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpProjectGrid, gp_project_grid_free)

/* A person who lost an assignment because a split took away or moved the grid. */
typedef struct {
  char     *person_id;
  char     *name;        /* NULL when the person is not on the roster */
  char     *role;        /* as assigned; NULL: none given */
  char     *grid_code;
  gboolean  grid_gone;   /* TRUE: the grid is gone; FALSE: its ground moved */
} GpProjectUnplaced;

void           gp_project_unplaced_free (GpProjectUnplaced *unplaced);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpProjectUnplaced, gp_project_unplaced_free)

/* The grids of AREA_CODE (NULL: every grid), in code order, each with its units. */
GPtrArray *gp_project_load_grids    (GpProject   *self,
                                     const char  *area_code,
                                     GError     **error);

/* Replaces the grids of the N_AREAS areas in one transaction: each area's grids that are
 * neither locked nor exclusive go (with their grid_units rows), GRIDS (of GpProjectGrid, their
 * area_code among AREA_CODES, shapes in the project's CRS) come in with their units. A grid
 * whose code survives is updated in place, so what refers to it (worker assignments) stays,
 * unless the grid is marked moved. Assignments to grids that are gone or moved are removed and
 * appended to UNPLACED (of GpProjectUnplaced, owned by the caller; NULL: not wanted): nobody is
 * silently moved to other ground. The target and tolerance are kept for `report`, and so is
 * AREA_NOTES[i] (NULL, or per area NULL or a text: what the split could not meet and the data's
 * problems, as JSON) for area i. Nothing is written on any error (and nothing appended). */
gboolean   gp_project_replace_grids (GpProject         *self,
                                     const char *const *area_codes,
                                     guint              n_areas,
                                     GPtrArray         *grids,
                                     double             target,
                                     double             tolerance,
                                     const char *const *area_notes,
                                     GPtrArray         *unplaced,
                                     GError           **error);

/* What the last split of AREA_CODE kept with its grids (AREA_NOTES above), or NULL. */
char      *gp_project_get_split_notes  (GpProject  *self,
                                        const char *area_code);

/* The target and tolerance of the last split written, FALSE when there was none. */
gboolean   gp_project_get_split_target (GpProject *self,
                                        double    *target,
                                        double    *tolerance);

/* What one grid carries, for the inspector: full-time workers on it, households its party
 * members keep in contact with, and its service items by status (green, yellow, red). */
typedef struct {
  guint  workers;
  gint64 contact_households;
  guint  items[3];
} GpProjectGridLoad;

gboolean gp_project_grid_load (GpProject *self, const char *code, GpProjectGridLoad *load, GError **error);

G_END_DECLS
