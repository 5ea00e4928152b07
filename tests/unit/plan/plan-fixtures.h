/* plan-fixtures.h: a project with grids for the people tests: 宏泰社区 (three grids) and 巴音门克村 (two) of 交通街道. */
#pragma once

#include "gp-project-grids.h"
#include "unit/store/store-fixtures.h"

static inline GpProjectGrid *
grid_new (const char *code, const char *area, gint64 households, double x0, double y0, double x1, double y1)
{
  GpProjectGrid *grid = gp_project_grid_new ();

  grid->code = g_strdup (code);
  grid->area_code = g_strdup (area);
  grid->households = households;
  grid->shape = fixture_rect (x0, y0, x1, y1);
  grid->shape->flags |= GP_SHAPE_FORCE_MULTI;
  return grid;
}

/* 宏泰社区 (001): three grids west to east, the middle one of 500 households (two workers);
 * 巴音门克村 (002): two grids. */
static inline GpProject *
assign_project (const char *dir)
{
  g_autoptr(GpProject) project = fixture_project (dir, "assign.gpkg");
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GError) error = NULL;
  const char *codes[2] = { "150602001001", "150602001002" };

  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  g_ptr_array_add (grids, grid_new ("150602001001001", codes[0], 200, 109.900, 39.80, 109.915, 39.85));
  g_ptr_array_add (grids, grid_new ("150602001001002", codes[0], 500, 109.915, 39.80, 109.935, 39.85));
  g_ptr_array_add (grids, grid_new ("150602001001003", codes[0], 250, 109.935, 39.80, 109.950, 39.85));
  g_ptr_array_add (grids, grid_new ("150602001002001", codes[1], 300, 109.950, 39.80, 109.975, 39.85));
  g_ptr_array_add (grids, grid_new ("150602001002002", codes[1], 300, 109.975, 39.80, 110.000, 39.85));
  g_assert_true (gp_project_replace_grids (project, codes, 2, grids, 300.0, 0.15, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&project);
}
