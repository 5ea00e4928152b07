/* gp-load.h: opening and importing off the main thread, ready for the map view. */
#pragma once

#include <gio/gio.h>

#include "gp-map-data.h"
#include "gp-project.h"

G_BEGIN_DECLS

/* What a load or import leaves behind. */
typedef struct {
  GpProject *project;   /* NULL when a shapefile was opened for viewing */
  GpMapData *data;
  char *path;           /* the file opened, or the project imported into */
  GPtrArray *notes;     /* of char*: warnings and import notes for the user */
  guint n_imported;     /* after an import */
} GpLoadResult;

void          gp_load_result_free (GpLoadResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpLoadResult, gp_load_result_free)

/* Opens PATH: a project (.gpkg) or a shapefile (.shp) for viewing. */
void          gp_load_file_async   (const char *path, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
GpLoadResult *gp_load_file_finish  (GAsyncResult *result, GError **error);

/* Reads SHAPEFILE, imports it into PROJECT as KIND and reloads the project's map. PROJECT must
 * not be used by anyone else until this finishes. */
void          gp_load_import_async  (GpProject *project, const char *shapefile, GpImportKind kind,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);
GpLoadResult *gp_load_import_finish (GAsyncResult *result, GError **error);

G_END_DECLS
