/* test-load.c: the app's background loaders (src/app/gp-load.c): open, import, bad files. */
#include "gp-config.h"

#include <stdlib.h>

#include "gp-error.h"
#include "gp-load.h"
#include "gp-map-data-private.h"
#include "gp-project-events.h"
#include "gp-project-people.h"
#include "gp-render.h"
#include "gp-shp.h"
#include "gp-test-util.h"
#include "render-fixtures.h"

typedef struct {
  GMainLoop *loop;
  GpLoadResult *result;
  GError *error;
  gboolean import;
} Waiter;

static void
done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Waiter *w = user_data;

  w->result = w->import ? gp_load_import_finish (res, &w->error) : gp_load_file_finish (res, &w->error);
  g_main_loop_quit (w->loop);
}

static GpLoadResult *
load (const char *path, GError **error)
{
  Waiter w = { g_main_loop_new (NULL, FALSE), NULL, NULL, FALSE };

  gp_load_file_async (path, NULL, done, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.result;
}

static GpLoadResult *
import_cancellable (GpProject *project, const char *path, GpImportKind kind, GCancellable *cancellable,
                    GError **error)
{
  Waiter w = { g_main_loop_new (NULL, FALSE), NULL, NULL, TRUE };

  gp_load_import_async (project, path, kind, cancellable, done, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.result;
}

static GpLoadResult *
import (GpProject *project, const char *path, GpImportKind kind, GError **error)
{
  return import_cancellable (project, path, kind, NULL, error);
}

/* Four metric squares with Chinese names written as a shapefile. */
static char *
write_villages (const char *dir)
{
  g_autoptr(GpLayer) layer = fixture_layer ("villages");
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "村.shp", NULL);
  const char *names[] = { "幸福村", "和平村", "团结村", "新华村" };

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *code = g_strdup_printf ("15062110220%u", i);

      fixture_add (layer, fixture_square (500000 + 1000.0 * (i % 2), 4400000 + 1000.0 * (i / 2), 1000),
                   names[i], code, NULL, 100 * (i + 1));
    }
  g_assert_true (gp_shp_write (layer, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_open_shapefile (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *shp = write_villages (dir);
  g_autoptr(GpLoadResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = load (shp, &error);
  g_assert_no_error (error);
  g_assert_null (result->project);
  g_assert_cmpstr (result->path, ==, shp);
  g_assert_cmpuint (gp_map_data_get_n_features (result->data, GP_MAP_LAYER_AREAS), ==, 4);
  gp_test_rmdir (dir);
}

static void
test_import_then_reopen (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *shp = write_villages (dir);
  g_autofree char *gpkg = g_build_filename (dir, "plan.gpkg", NULL);
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GpLoadResult) imported = NULL;
  g_autoptr(GpLoadResult) reopened = NULL;
  g_autoptr(GError) error = NULL;

  project = gp_project_create (gpkg, &error);
  g_assert_no_error (error);
  imported = import (project, shp, GP_IMPORT_AREAS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imported->n_imported, ==, 4);
  g_assert_true (imported->project == project);
  g_assert_cmpuint (gp_map_data_get_n_features (imported->data, GP_MAP_LAYER_AREAS), ==, 4);
  g_clear_object (&project);
  g_clear_pointer (&imported, gp_load_result_free);

  reopened = load (gpkg, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reopened->project);
  g_assert_cmpuint (gp_map_data_get_n_features (reopened->data, GP_MAP_LAYER_AREAS), ==, 4);
  g_clear_pointer (&reopened, gp_load_result_free);
  gp_test_rmdir (dir);
}

/* Service items are a layer of their own, each dot in its status's colour, over the areas; the
 * people of the roster with a home another. */
static void
test_events_layer (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *shp = write_villages (dir);
  g_autofree char *gpkg = g_build_filename (dir, "plan.gpkg", NULL);
  g_autoptr(GpProject) project = gp_project_create (gpkg, NULL);
  g_autoptr(GpLoadResult) imported = NULL;
  g_autoptr(GpLoadResult) reopened = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_event_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpStyle) style = gp_style_new ();
  g_autoptr(GpViewport) vp = gp_viewport_new ();
  const char *status[] = { "red", "green" };
  guint n_new = 0, n_updated = 0;

  imported = import (project, shp, GP_IMPORT_AREAS, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      GpProjectEvent *e = gp_project_event_new ();

      e->code = g_strdup_printf ("E%u", i);
      e->name = g_strdup ("路灯不亮");
      e->status = g_strcmp0 (status[i], "red") == 0 ? GP_EVENT_RED : GP_EVENT_GREEN;
      e->has_point = TRUE;
      /* Off the villages' middles, where their names are written. */
      e->x = 500150 + 1000.0 * i;
      e->y = 4400150;
      g_ptr_array_add (events, e);
    }
  g_assert_true (gp_project_put_events (project, events, &n_new, &n_updated, &error));
  g_assert_no_error (error);
  {
    /* Two people on the roster, one with a home: one dot of the people layer. */
    g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_person_free);
    GpProjectPerson *at_home = gp_project_person_new (), *nowhere = gp_project_person_new ();

    at_home->name = g_strdup ("云国军");
    at_home->role = g_strdup ("fulltime");
    at_home->has_home = TRUE;
    at_home->home_x = 500700;
    at_home->home_y = 4400700;
    nowhere->name = g_strdup ("刘雪");
    nowhere->role = g_strdup ("party");
    g_ptr_array_add (people, at_home);
    g_ptr_array_add (people, nowhere);
    g_assert_true (gp_project_put_people (project, people, &n_new, &n_updated, &error));
    g_assert_no_error (error);
  }
  g_clear_object (&project);

  reopened = load (gpkg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gp_map_data_get_n_features (reopened->data, GP_MAP_LAYER_EVENTS), ==, 2);
  g_assert_cmpuint (gp_map_data_get_n_features (reopened->data, GP_MAP_LAYER_PEOPLE), ==, 1);
  {
    const GpMapLayerData *d = gp_map_data_get_layer (reopened->data, GP_MAP_LAYER_EVENTS);
    cairo_surface_t *surface;
    cairo_t *cr;
    double sx, sy;
    guint8 *px;

    g_assert_cmpuint (d->features[0].fill, ==, 2);
    g_assert_cmpuint (d->features[1].fill, ==, 0);
    /* The red item's dot, in red, where it is. */
    gp_viewport_set_size (vp, 200, 200);
    {
      double bbox[4];

      g_assert_true (gp_map_data_get_bbox (reopened->data, bbox));
      gp_viewport_fit (vp, bbox, 10);
    }
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 200, 200);
    cr = cairo_create (surface);
    gp_render_map (cr, vp, reopened->data, style);
    cairo_destroy (cr);
    cairo_surface_flush (surface);
    gp_viewport_to_screen (vp, d->xy[0], d->xy[1], &sx, &sy);
    px = cairo_image_surface_get_data (surface) + (int) sy * cairo_image_surface_get_stride (surface) + 4 * (int) sx;
    /* ARGB32 in native order: B, G, R, A on little-endian machines. */
    g_assert_cmpint (abs (px[2] - 0xd7), <=, 2);
    g_assert_cmpint (abs (px[1] - 0x19), <=, 2);
    g_assert_cmpint (abs (px[0] - 0x1c), <=, 2);
    cairo_surface_destroy (surface);
  }
  g_clear_pointer (&reopened, gp_load_result_free);
  g_clear_pointer (&imported, gp_load_result_free);
  gp_test_rmdir (dir);
}

/* An import cancelled before it writes leaves the project as it was. */
static void
test_import_cancelled (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *shp = write_villages (dir);
  g_autofree char *gpkg = g_build_filename (dir, "plan.gpkg", NULL);
  g_autoptr(GpProject) project = gp_project_create (gpkg, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GpLoadResult) none = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  none = import_cancellable (project, shp, GP_IMPORT_AREAS, cancellable, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (gp_project_count (project, "areas", NULL), ==, 0);
  g_clear_object (&project);
  gp_test_rmdir (dir);
}

static void
test_bad_files (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *txt = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *shp = g_build_filename (dir, "broken.shp", NULL);
  g_autofree char *gpkg = g_build_filename (dir, "broken.gpkg", NULL);
  g_autoptr(GError) error = NULL;
  GpLoadResult *result;

  g_assert_true (g_file_set_contents (txt, "hello", -1, NULL));
  g_assert_true (g_file_set_contents (shp, "not a shapefile", -1, NULL));
  g_assert_true (g_file_set_contents (gpkg, "not a database either", -1, NULL));

  /* Each refusal names the file, so the dialog can say what went wrong where. */
  result = load (txt, &error);
  g_assert_null (result);
  g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "notes.txt"));
  g_clear_error (&error);

  result = load (shp, &error);
  g_assert_null (result);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "broken.shp"));
  g_clear_error (&error);

  result = load (gpkg, &error);
  g_assert_null (result);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "broken.gpkg"));
  g_clear_error (&error);
  gp_test_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/load/open-shapefile", test_open_shapefile);
  g_test_add_func ("/load/import-cancelled", test_import_cancelled);
  g_test_add_func ("/load/events-layer", test_events_layer);
  g_test_add_func ("/app/load/import-then-reopen", test_import_then_reopen);
  g_test_add_func ("/app/load/bad-files", test_bad_files);
  return g_test_run ();
}
