/* gp-plan-export.h: the lists leadership asks for: the grid assignment list, the people with their grids, units to grids; personal data masked unless asked for. */
#pragma once

#include <gio/gio.h>
#include <glib.h>

#include "gp-project.h"

G_BEGIN_DECLS

typedef struct {
  gboolean personal_data;  /* phones and ID numbers in full; by default masked (PIPL) */
} GpExportOptions;

void  gp_export_options_init (GpExportOptions *options);

/* 138****5678: the first three and last four digits of a phone, the rest starred; a short
 * number keeps only its last two. NULL for NULL. */
char *gp_mask_phone     (const char *phone);
/* 150603********1234: the region (six) and the last four of an ID number, the birth date and
 * order starred. NULL for NULL. */
char *gp_mask_id_number (const char *id_number);

/* The project as the lists read it, loaded once for any number of them; OPTIONS NULL: the
 * defaults. */
typedef struct _GpExport GpExport;

GpExport *gp_export_load (GpProject *project, const GpExportOptions *options, GError **error);
void      gp_export_free (GpExport *export);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpExport, gp_export_free)

/* The grid assignment list to PATH (.xlsx or .csv): one row per grid (code, name, township,
 * community, households, units, its full-time workers and their phones, part-time workers,
 * party members and the households linked to them, building and unit heads,
 * instructors); a workbook adds one sheet per community. All or nothing. */
gboolean gp_export_list        (GpExport *export, const char *path, GError **error);
/* The party contacts (党员联系户) to PATH (.xlsx or .csv): one row per unit, household point or
 * grid known only by its total, with the party members linked to it and how many of its
 * households are in contact and without contact. */
gboolean gp_export_contacts    (GpExport *export, const char *path, GError **error);
/* Every person with their role, community, grids, phone and ID number to PATH (.xlsx or .csv). */
gboolean gp_export_people      (GpExport *export, const char *path, GError **error);
/* Which grid each unit is in, to PATH (.csv or .xlsx): unit code and name, grid code and name,
 * community. */
gboolean gp_export_equivalency (GpExport *export, const char *path, GError **error);
/* The grid polygons to PATH (.shp with .cpg and .prj, .gpkg, .geojson) in the project's
 * coordinate system: code, name, township, community (name and code), kind, households, units,
 * full-time workers (names). All or nothing. */
gboolean gp_export_grids       (GpExport *export, const char *path, GError **error);

/* The notice boards (网格公示牌) of the grids of AREA_CODE (NULL: all) to PATH, a PDF of one A4
 * page per grid in code order (gp-board.h): HOTLINE (NULL: a line to write on) at every foot;
 * N_BOARDS gets the pages. Written under a temporary name and renamed; nothing is left when it
 * fails or is cancelled. */
gboolean gp_export_boards      (GpExport     *export,
                                const char   *area_code,
                                const char   *hotline,
                                const char   *path,
                                guint        *n_boards,
                                GCancellable *cancellable,
                                GError      **error);

G_END_DECLS
