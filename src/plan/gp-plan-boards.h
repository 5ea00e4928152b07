/* gp-plan-boards.h: what a grid's notice board says lies on its four sides (四至): its neighbouring grids and villages/communities. The boards themselves: gp_export_boards (gp-plan-export.h). */
#pragma once

#include <glib.h>

#include "gp-board.h"
#include "gp-project.h"

G_BEGIN_DECLS

/* What lies beyond each side of every grid of PROJECT: per grid code (char*) a char** of
 * GP_N_SIDES strings (names joined, "" for nothing), neighbouring grids first, then the
 * neighbouring villages/communities. Measured in a local metric frame on the stored grids. */
GHashTable *gp_plan_grid_sides  (GpProject *project, GError **error);

G_END_DECLS
