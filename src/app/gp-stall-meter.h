/* gp-stall-meter.h: measures how long the main loop is held up while a scripted session plays (gridplan --bench-stalls; bench/app). */
#pragma once

#include <gtk/gtk.h>

#include "gp-window.h"

G_BEGIN_DECLS

/* Plays a planner's session on WINDOW once its map is drawn (pans, zooms, Load mode's heatmap,
 * the grid list, Review mode's check, a split when the project has areas, each waited for),
 * meanwhile timing every gap between the main loop's turns; prints the report to stdout (one
 * JSON object: stalls over 100 ms, the longest, percentiles, per step) and quits APP. */
void gp_stall_meter_run (GtkApplication *app, GpWindow *window);

G_END_DECLS
