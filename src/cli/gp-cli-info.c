/* gp-cli-info.c: `gridplan-cli info FILE [--json]`: what a shapefile or a GeoPackage (a project or any other) holds. */
#include "gp-config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "gp-cli.h"
#include "gp-error.h"
#include "gp-geom.h"
#include "gp-gpkg.h"
#include "gp-shp.h"
#include "gp-text.h"

static const char *
field_type_name (GpFieldType type)
{
  switch (type)
    {
    case GP_FIELD_STRING: return "string";
    case GP_FIELD_INTEGER: return "integer";
    case GP_FIELD_REAL: return "real";
    case GP_FIELD_DATE: return "date";
    case GP_FIELD_LOGICAL: return "logical";
    default: return "string";
    }
}

/* The fewest digits that read back to x: 116.4 rather than 116.40000000000001. */
static void
format_number (char buf[G_ASCII_DTOSTR_BUF_SIZE], double x)
{
  for (int digits = 15; digits <= 17; digits++)
    {
      g_snprintf (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.*g", digits, x);
      if (g_ascii_strtod (buf, NULL) == x)
        return;
    }
}

/* ---- one layer ---- */

static void
add_layer_members (JsonBuilder *b, GpLayer *layer)
{
  GpCrs *crs = gp_layer_get_crs (layer);
  GPtrArray *warnings = gp_layer_get_warnings (layer);
  double bbox[4];

  json_builder_set_member_name (b, "geometry_type");
  json_builder_add_string_value (b, gp_geometry_type_name (gp_layer_get_geometry_type (layer)));
  json_builder_set_member_name (b, "feature_count");
  json_builder_add_int_value (b, gp_layer_get_n_features (layer));

  json_builder_set_member_name (b, "fields");
  json_builder_begin_array (b);
  for (guint i = 0; i < gp_layer_get_n_fields (layer); i++)
    {
      const GpField *field = gp_layer_get_field (layer, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, field->name);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, field_type_name (field->type));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "encoding");
  if (gp_layer_get_encoding (layer) != NULL)
    json_builder_add_string_value (b, gp_layer_get_encoding (layer));
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "crs");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  if (crs != NULL && gp_crs_get_name (crs) != NULL)
    json_builder_add_string_value (b, gp_crs_get_name (crs));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "epsg");
  if (crs != NULL && gp_crs_get_epsg (crs) > 0)
    json_builder_add_int_value (b, gp_crs_get_epsg (crs));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "bbox");
  if (gp_layer_get_bbox (layer, bbox))
    {
      json_builder_begin_array (b);
      for (int i = 0; i < 4; i++)
        json_builder_add_double_value (b, bbox[i]);
      json_builder_end_array (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "null_geometries");
  json_builder_add_int_value (b, gp_layer_get_null_geometries (layer));
  json_builder_set_member_name (b, "invalid_geometries");
  json_builder_add_int_value (b, gp_layer_get_invalid_geometries (layer));

  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  for (guint i = 0; i < warnings->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (warnings, i));
  json_builder_end_array (b);
}

static void
print_layer_text (GpLayer *layer, const char *indent)
{
  GpCrs *crs = gp_layer_get_crs (layer);
  GPtrArray *warnings = gp_layer_get_warnings (layer);
  double bbox[4];

  printf ("%s%s %s\n", indent, _("Geometry type:"),
          gp_geometry_type_name (gp_layer_get_geometry_type (layer)));
  printf ("%s%s %u\n", indent, _("Features:"), gp_layer_get_n_features (layer));
  printf ("%s%s %u\n", indent, _("Without geometry:"), gp_layer_get_null_geometries (layer));
  printf ("%s%s %u\n", indent, _("Invalid geometries:"), gp_layer_get_invalid_geometries (layer));
  printf ("%s%s %s\n", indent, _("Text encoding:"),
          gp_layer_get_encoding (layer) != NULL ? gp_layer_get_encoding (layer) : _("none"));
  if (crs == NULL)
    printf ("%s%s %s\n", indent, _("Coordinate system:"), _("unknown"));
  else if (gp_crs_get_epsg (crs) > 0)
    printf ("%s%s %s (EPSG:%d)%s\n", indent, _("Coordinate system:"), gp_crs_get_name (crs),
            gp_crs_get_epsg (crs), gp_crs_is_guessed (crs) ? _(", guessed from the coordinates") : "");
  else
    printf ("%s%s %s\n", indent, _("Coordinate system:"), gp_crs_get_name (crs));
  if (gp_layer_get_bbox (layer, bbox))
    {
      char text[4][G_ASCII_DTOSTR_BUF_SIZE];

      for (int i = 0; i < 4; i++)
        format_number (text[i], bbox[i]);
      printf ("%s%s %s, %s – %s, %s\n", indent, _("Extent:"), text[0], text[1], text[2], text[3]);
    }
  else
    printf ("%s%s %s\n", indent, _("Extent:"), _("empty"));

  printf ("%s%s %u\n", indent, _("Fields:"), gp_layer_get_n_fields (layer));
  for (guint i = 0; i < gp_layer_get_n_fields (layer); i++)
    {
      const GpField *field = gp_layer_get_field (layer, i);

      printf ("%s  %s (%s)\n", indent, field->name, field_type_name (field->type));
    }
  if (warnings->len > 0)
    {
      printf ("%s%s %u\n", indent, _("Warnings:"), warnings->len);
      for (guint i = 0; i < warnings->len; i++)
        printf ("%s  %s\n", indent, (const char *) g_ptr_array_index (warnings, i));
    }
}

static void
print_json (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

/* ---- a GeoPackage: every table it registers ---- */

typedef struct {
  char *name;
  char *data_type;
  gint64 rows;   /* -1 when the table cannot be counted */
} TableSummary;

static void
table_summary_free (gpointer data)
{
  TableSummary *table = data;

  g_free (table->name);
  g_free (table->data_type);
  g_free (table);
}

static GPtrArray *
list_tables (const char *path, GError **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (table_summary_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = NULL;
  int rc;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, path);
      sqlite3_close (db);
      return NULL;
    }
  if (sqlite3_prepare_v2 (db, "SELECT table_name, data_type FROM gpkg_contents ORDER BY rowid",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: not a GeoPackage (%s)"), path,
                   sqlite3_errmsg (db));
      sqlite3_close (db);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TableSummary *table = g_new0 (TableSummary, 1);
      g_autoptr(sqlite3_stmt) count = NULL;
      g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM \"");

      table->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      table->data_type = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      table->rows = -1;
      g_ptr_array_add (tables, table);
      if (table->name == NULL)
        continue;
      /* A table name cannot be a bound parameter; it is quoted as an identifier instead. */
      for (const char *p = table->name; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (sql, '"');
          g_string_append_c (sql, *p);
        }
      g_string_append_c (sql, '"');
      if (sqlite3_prepare_v2 (db, sql->str, -1, &count, NULL) == SQLITE_OK
          && sqlite3_step (count) == SQLITE_ROW)
        table->rows = sqlite3_column_int64 (count, 0);
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: not a GeoPackage (%s)"), path,
                   sqlite3_errmsg (db));
      g_clear_pointer (&stmt, sqlite3_finalize);
      sqlite3_close (db);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_close (db);
  return g_steal_pointer (&tables);
}

/* Shapefiles are checked while read; a GeoPackage's polygons are checked here. */
static void
count_invalid (GpLayer *layer)
{
  guint invalid = 0;

  for (guint i = 0; i < gp_layer_get_n_features (layer); i++)
    {
      const GpShape *shape = gp_layer_get_feature (layer, i)->shape;

      if (shape != NULL && shape->kind == GP_SHAPE_POLYGON && !gp_shape_is_valid (shape))
        invalid++;
    }
  gp_layer_set_invalid_geometries (layer, invalid);
}

static int
info_geopackage (const char *path, gboolean json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tables = list_tables (path, &error);
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonBuilder) b = NULL;

  if (tables == NULL)
    return gp_cli_fail_on (path, error);
  for (guint i = 0; i < tables->len; i++)
    {
      TableSummary *table = g_ptr_array_index (tables, i);
      GpLayer *layer;

      if (g_strcmp0 (table->data_type, "features") != 0 || table->name == NULL)
        continue;
      layer = gp_gpkg_read_layer (path, table->name, &error);
      if (layer == NULL)
        return gp_cli_fail_on (path, error);
      count_invalid (layer);
      g_ptr_array_add (layers, layer);
    }

  if (!json)
    {
      printf ("%s\n", path);
      printf ("  %s %u\n", _("GeoPackage tables:"), tables->len);
      for (guint i = 0; i < tables->len; i++)
        {
          TableSummary *table = g_ptr_array_index (tables, i);

          printf ("    %s (%s): ", table->name, table->data_type);
          if (table->rows >= 0)
            printf (ngettext ("%lu row\n", "%lu rows\n", (gulong) table->rows), (gulong) table->rows);
          else
            printf ("%s\n", _("missing"));
        }
      for (guint i = 0; i < layers->len; i++)
        {
          GpLayer *layer = g_ptr_array_index (layers, i);

          printf ("  %s %s\n", _("Layer:"), gp_layer_get_name (layer));
          print_layer_text (layer, "    ");
        }
      return GP_CLI_OK;
    }

  /* The contract's keys describe the first feature table (the one `convert` reads); "layers"
   * describes every feature table and "tables" lists all registered tables. */
  b = json_builder_new ();
  json_builder_begin_object (b);
  if (layers->len > 0)
    {
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, gp_layer_get_name (g_ptr_array_index (layers, 0)));
      add_layer_members (b, g_ptr_array_index (layers, 0));
    }
  json_builder_set_member_name (b, "layers");
  json_builder_begin_array (b);
  for (guint i = 0; i < layers->len; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, gp_layer_get_name (g_ptr_array_index (layers, i)));
      add_layer_members (b, g_ptr_array_index (layers, i));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "tables");
  json_builder_begin_array (b);
  for (guint i = 0; i < tables->len; i++)
    {
      TableSummary *table = g_ptr_array_index (tables, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, table->name);
      json_builder_set_member_name (b, "data_type");
      json_builder_add_string_value (b, table->data_type);
      json_builder_set_member_name (b, "rows");
      if (table->rows >= 0)
        json_builder_add_int_value (b, table->rows);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  print_json (b);
  return GP_CLI_OK;
}

static int
info_layer (const char *path, const char *encoding, const char *zip_layer, gboolean json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(JsonBuilder) b = NULL;

  layer = gp_cli_read_layer (path, encoding, zip_layer, GP_SHP_READ_CHECK_VALIDITY, &error);
  if (layer == NULL)
    return gp_cli_fail_on (path, error);

  if (!json)
    {
      printf ("%s\n", path);
      print_layer_text (layer, "  ");
      return GP_CLI_OK;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  add_layer_members (b, layer);
  json_builder_end_object (b);
  print_json (b);
  return GP_CLI_OK;
}

int
gp_cli_info (int argc, char **argv)
{
  gboolean json = FALSE;
  g_autofree char *encoding = NULL, *zip_layer = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the description as JSON"), NULL },
    { "layer", 0, 0, G_OPTION_ARG_STRING, &zip_layer, N_("The shapefile to read from a .zip holding several"),
      N_("NAME") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding,
      N_("Text encoding of the shapefile's DBF (GBK, UTF-8, CP1252...), overriding .cpg and detection"),
      N_("ENC") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  int status = GP_CLI_OK;

  g_option_context_set_summary (context,
    _("Describe a shapefile (.shp) or a GeoPackage (.gpkg, a GridPlan project or any other):\n"
      "geometry type, features, fields, text encoding, coordinate system and extent."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gp_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return gp_cli_usage (argv[0], _("expected one file"));
  if (encoding != NULL && gp_text_canonical_encoding (encoding) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("unknown encoding “%s”"), encoding);
      return gp_cli_usage (argv[0], message);
    }

  if (gp_cli_is_geopackage (argv[1]))
    return info_geopackage (argv[1], json);
  return info_layer (argv[1], encoding, zip_layer, json);
}
