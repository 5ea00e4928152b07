/* gp-plan-data.h: a project as the planner's operations read it: its areas, units, households and grids, the fields they use, and the grids measured as stored. */
#pragma once

#include <glib.h>

#include "gp-crs.h"
#include "gp-project.h"
#include "gp-project-grids.h"
#include "gp-split-report.h"

G_BEGIN_DECLS

typedef struct {
  GpProject  *project;
  GpLayer    *areas;
  GpLayer    *units;
  GpLayer    *households;
  GPtrArray  *grids;         /* of GpProjectGrid, every grid */
  int         area_code, area_name, area_level, area_households;
  int         unit_code, unit_name, unit_area, unit_households;
  int         household_area, household_code;
  /* Area code → ascending indices of its units, household points, stored grids (GArray of
   * guint), built on first need by gp_plan_data_area_units() and its siblings. */
  GHashTable *by_area[3];
} GpPlanData;

GpPlanData *gp_plan_data_load  (GpProject *project, GError **error);
void          gp_plan_data_free  (GpPlanData *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpPlanData, gp_plan_data_free)

/* A field's value as text (numbers written out), NULL when null or FIELD < 0. */
char         *gp_plan_value_text    (GpLayer *layer, GpFeature *feature, int field);
/* A field's value as a number (text parsed), NaN when null, absent or not a number. */
double        gp_plan_value_number  (GpLayer *layer, GpFeature *feature, int field);

/* Indices (into data->areas) of the areas grids are drawn in: the village/community level
 * (level "village", or 村, 社区, 嘎查... as source files write it), or, when no area says so,
 * those with no area below them. */
GArray       *gp_plan_data_grid_areas (GpPlanData *data);
/* The areas a report or check measures: those gp_plan_data_grid_areas() gives, and any other
 * area that holds grids. */
GArray       *gp_plan_data_measured_areas (GpPlanData *data);
/* A local metric frame over the project's areas, or NULL when it has none. */
GpLocalFrame *gp_plan_data_frame      (GpPlanData *data);
/* The place a map or list is about, as a title names it: the area with AREA_CODE ("召南社区"),
 * else the project's top areas joined ("锡尼街道、白泥井镇"); NULL when there are none. */
char         *gp_plan_data_place_name (GpPlanData *data, const char *area_code);
/* Every area's name by its code (both owned), for lists that show names. */
GHashTable   *gp_plan_data_area_names (GpPlanData *data);
/* The same from PROJECT, reading its areas only; NULL (ERROR set) when they cannot be read. */
GHashTable   *gp_plan_area_names      (GpProject *project, GError **error);
/* Indices of the units (into data->units), household points (data->households) or stored
 * grids (data->grids) of the area with CODE, ascending as a scan would meet them; NULL when it
 * has none. All areas are indexed together on the first call (so not from two threads at once):
 * looking each area's up among all of them made a project of 1,662 villages and 100,000 units
 * spend seconds comparing codes. */
const GArray *gp_plan_data_area_units      (GpPlanData *data, const char *code);
const GArray *gp_plan_data_area_households (GpPlanData *data, const char *code);
const GArray *gp_plan_data_area_grids      (GpPlanData *data, const char *code);
/* The index of the area with CODE, or -1. */
int           gp_plan_data_find_area  (GpPlanData *data, const char *code);

/* Measures the grids of the areas AREAS (indices into data->areas) as stored and adds one part
 * per area to REPORT. */
gboolean      gp_plan_data_measure    (GpPlanData *data, GArray *areas, GpSplitReport *report,
                                         GError **error);

G_END_DECLS
