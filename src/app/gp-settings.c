/* gp-settings.c: the settings, from the installed schema or, run from the build tree, the
 * schema compiled there. Never fatal: without a schema GSettings would abort, so its absence is
 * looked up first and the app simply keeps nothing. */
#include "gp-config.h"

#include "gp-settings.h"

#define MAX_RECENT 10

GSettings *
gp_settings_get (void)
{
  static GSettings *settings;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchemaSource) built = NULL;
      g_autoptr(GSettingsSchema) schema = source != NULL ? g_settings_schema_source_lookup (source, GP_APP_ID, TRUE)
                                                         : NULL;

      if (schema == NULL)
        {
          built = g_settings_schema_source_new_from_directory (GP_BUILD_SCHEMADIR, source, FALSE, NULL);
          if (built != NULL)
            schema = g_settings_schema_source_lookup (built, GP_APP_ID, FALSE);
        }
      if (schema != NULL)
        settings = g_settings_new_full (schema, NULL, NULL);
      g_once_init_leave (&once, 1);
    }
  return settings;
}

void
gp_settings_add_recent (const char *path)
{
  GSettings *settings = gp_settings_get ();
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) b = NULL;
  g_auto(GStrv) now = NULL;
  guint n = 1;

  if (settings == NULL || path == NULL)
    return;
  old = g_settings_get_strv (settings, "recent-projects");
  b = g_strv_builder_new ();
  g_strv_builder_add (b, path);
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT; i++)
    if (g_strcmp0 (old[i], path) != 0)
      {
        g_strv_builder_add (b, old[i]);
        n++;
      }
  now = g_strv_builder_end (b);
  g_settings_set_strv (settings, "recent-projects", (const char *const *) now);
}
