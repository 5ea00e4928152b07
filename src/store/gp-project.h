/* gp-project.h: the project file, a GeoPackage holding areas, units, households, grids, people. */
#pragma once

#include <glib-object.h>

#include "gp-layer.h"

G_BEGIN_DECLS

#define GP_PROJECT_SCHEMA_VERSION 5

#define GP_TYPE_PROJECT (gp_project_get_type ())
G_DECLARE_FINAL_TYPE (GpProject, gp_project, GP, PROJECT, GObject)

typedef enum {
  GP_IMPORT_AREAS,       /* administrative units: township/street, village/community */
  GP_IMPORT_UNITS,       /* compounds, villager groups, buildings with household counts */
  GP_IMPORT_HOUSEHOLDS,  /* household points */
  GP_IMPORT_EXCLUSIVE,   /* exclusive grids (专属网格): school, hospital, park... polygons */
} GpImportKind;

/* Field names in the source layer; NULL = guess from common Chinese and English names. */
typedef struct {
  const char *code_field;
  const char *name_field;
  const char *households_field;
  const char *parent_field;
} GpFieldMap;

/* Creates a new, empty project at PATH (refuses to overwrite an existing file). */
GpProject  *gp_project_create     (const char *path, GError **error);
/* Opens PATH; a file from a newer or foreign schema is refused for writing (GP_ERROR_SCHEMA). */
GpProject  *gp_project_open       (const char *path, GError **error);
const char *gp_project_get_path   (GpProject *self);
/* The project's storage CRS (that of its first import), or NULL while empty. */
GpCrs      *gp_project_get_crs    (GpProject *self);

/* Imports LAYER as KIND in one transaction; returns how many features were imported and adds
 * human-readable notes (guessed fields, records without area, repairs) to NOTES when given. */
gboolean    gp_project_import     (GpProject *self, GpLayer *layer, GpImportKind kind,
                                   const GpFieldMap *map, guint *n_imported, GPtrArray *notes,
                                   GError **error);

/* The origin of the local metric frame (a transverse Mercator) every area, length and distance
 * of the project is measured in and every map drawn in: chosen once, at the centre of the first
 * import, and stored, so a re-import or a split of one area measures as before. FALSE until the
 * project has coordinates (or for a project from before it was stored). */
gboolean    gp_project_get_frame_origin (GpProject *self, double *x, double *y);
/* That frame, new (free it with gp_local_frame_free); for an older project without a stored
 * origin, centred on its areas. Fails when the project has no coordinates yet. */
GpLocalFrame *gp_project_new_local_frame (GpProject *self, GError **error);
/* A table as a layer (shape + its columns): "areas", "units", "households", "grids". */
GpLayer    *gp_project_load_layer (GpProject *self, const char *table, GError **error);
/* Number of rows in TABLE. */
gint64      gp_project_count      (GpProject *self, const char *table, GError **error);

G_END_DECLS
