/* gp-load.c: GTask workers that open files, import shapefiles and build map data. */
#include "gp-config.h"

#include <glib/gi18n-lib.h>

#include "gp-error.h"
#include "gp-load.h"
#include "gp-shp.h"

void
gp_load_result_free (GpLoadResult *result)
{
  if (result == NULL)
    return;
  g_clear_object (&result->project);
  g_clear_object (&result->data);
  g_clear_pointer (&result->notes, g_ptr_array_unref);
  g_free (result->path);
  g_free (result);
}

static GpLoadResult *
load_result_new (const char *path)
{
  GpLoadResult *result = g_new0 (GpLoadResult, 1);

  result->path = g_strdup (path);
  result->notes = g_ptr_array_new_with_free_func (g_free);
  return result;
}

static void
add_map_warnings (GpLoadResult *result)
{
  GPtrArray *warnings = gp_map_data_get_warnings (result->data);

  for (guint i = 0; i < warnings->len; i++)
    g_ptr_array_add (result->notes, g_strdup (g_ptr_array_index (warnings, i)));
}

static gboolean
has_suffix (const char *path, const char *suffix)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, suffix);
}

static void
load_file_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GpLoadResult) result = load_result_new (path);
  g_autoptr(GError) error = NULL;

  if (has_suffix (path, ".gpkg"))
    {
      result->project = gp_project_open (path, &error);
      if (result->project != NULL)
        result->data = gp_map_data_new_from_project (result->project, &error);
    }
  else if (has_suffix (path, ".shp") || has_suffix (path, ".zip"))
    result->data = gp_map_data_new_from_shapefile (path, &error);
  else
    {
      g_autofree char *name = g_filename_display_basename (path);

      g_set_error (&error, GP_ERROR, GP_ERROR_FORMAT,
                   _("%s: not a GridPlan project (.gpkg) or a shapefile (.shp, or zipped)"), name);
    }

  if (result->data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  add_map_warnings (result);
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) gp_load_result_free);
}

void
gp_load_file_async (const char *path, GCancellable *cancellable, GAsyncReadyCallback callback,
                    gpointer user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_load_file_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_file_thread);
}

GpLoadResult *
gp_load_file_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  GpProject *project;
  char *shapefile;
  GpImportKind kind;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_clear_object (&data->project);
  g_free (data->shapefile);
  g_free (data);
}

static void
import_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ImportData *data = task_data;
  g_autoptr(GpLoadResult) result = load_result_new (gp_project_get_path (data->project));
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GError) error = NULL;

  layer = gp_shp_read (data->shapefile, NULL, GP_SHP_READ_REPAIR, &error);
  if (layer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < gp_layer_get_warnings (layer)->len; i++)
    g_ptr_array_add (result->notes, g_strdup (g_ptr_array_index (gp_layer_get_warnings (layer), i)));

  /* Cancelled while the file was read: nothing is written. Once the import (one transaction)
   * has begun it is carried through. */
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!gp_project_import (data->project, layer, data->kind, NULL, &result->n_imported,
                          result->notes, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  result->project = g_object_ref (data->project);
  result->data = gp_map_data_new_from_project (data->project, &error);
  if (result->data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  add_map_warnings (result);
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) gp_load_result_free);
}

void
gp_load_import_async (GpProject *project, const char *shapefile, GpImportKind kind,
                      GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  g_return_if_fail (GP_IS_PROJECT (project));
  g_return_if_fail (shapefile != NULL);

  data = g_new0 (ImportData, 1);
  data->project = g_object_ref (project);
  data->shapefile = g_strdup (shapefile);
  data->kind = kind;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_load_import_async);
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
  g_task_run_in_thread (task, import_thread);
}

GpLoadResult *
gp_load_import_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
