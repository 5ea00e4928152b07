/* test-conformance.c: the shapefile reader against other readers' expected results, read in
 * place from ../shared/data: mbostock/shapefile's GeoJSON, shapelib's shpdump/dbfdump output,
 * pyshp's and shapefile-js's assertions, the GBK county files, and a walk of every corpus file. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp-error.h"
#include "gp-shp.h"
#include "tests/gp-test-util.h"

/* Per group: cases that matched, and cases tried. */
typedef struct {
  const char *name;
  guint matched;
  guint total;
} Tally;

static Tally tallies[] = {
  { "mbostock/shapefile GeoJSON", 0, 0 },
  { "shapelib expect1.out", 0, 0 },
  { "pyshp EXPECTED.md", 0, 0 },
  { "shapefile-js EXPECTED.md", 0, 0 },
  { "GBK county names", 0, 0 },
  { "corpus files read or refused by name", 0, 0 },
};

enum { MBOSTOCK, SHAPELIB, PYSHP, SHPJS, GBK, WALK };

/* Records one case; a mismatch fails the test after the message says which and why. */
static void
tally (guint group, const char *what, const char *problem)
{
  tallies[group].total++;
  if (problem == NULL)
    {
      tallies[group].matched++;
      return;
    }
  g_test_message ("%s: %s: %s", tallies[group].name, what, problem);
  g_test_fail ();
}

static char *
shared (const char *rel)
{
  return gp_test_shared_path (rel);
}

static GpLayer *
read_layer (const char *path, const char *encoding, GpShpReadFlags flags, char **problem)
{
  g_autoptr(GError) error = NULL;
  GpLayer *layer = gp_shp_read (path, encoding, flags, &error);

  if (layer == NULL)
    *problem = g_strdup_printf ("refused: %s", error->message);
  return layer;
}

/* ---- GeoJSON comparison (mbostock) ---- */

static gboolean
json_position_matches (JsonArray *position, const GpShape *shape, guint point)
{
  guint n = json_array_get_length (position);

  if (n < 2 || json_array_get_double_element (position, 0) != shape->xy[2 * point]
      || json_array_get_double_element (position, 1) != shape->xy[2 * point + 1])
    return FALSE;
  if (n >= 3 && shape->z != NULL && json_array_get_double_element (position, 2) != shape->z[point])
    return FALSE;
  return TRUE;
}

static gboolean
json_line_matches (JsonArray *line, const GpShape *shape, guint part)
{
  guint start = shape->part_start[part];
  guint n = shape->part_start[part + 1] - start;

  if (json_array_get_length (line) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!json_position_matches (json_array_get_array_element (line, i), shape, start + i))
      return FALSE;
  return TRUE;
}

static gboolean
json_polygon_matches (JsonArray *rings, const GpShape *shape, guint polygon)
{
  guint first = shape->polygon_start[polygon];
  guint n = shape->polygon_start[polygon + 1] - first;

  if (json_array_get_length (rings) != n)
    return FALSE;
  for (guint r = 0; r < n; r++)
    if (!json_line_matches (json_array_get_array_element (rings, r), shape, first + r))
      return FALSE;
  return TRUE;
}

static char *
geometry_problem (JsonNode *node, const GpShape *shape)
{
  JsonObject *geometry;
  const char *type;
  JsonArray *coordinates;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return shape == NULL ? NULL : g_strdup ("a geometry where null was expected");
  if (shape == NULL)
    return g_strdup ("null where a geometry was expected");
  geometry = json_node_get_object (node);
  type = json_object_get_string_member (geometry, "type");
  coordinates = json_object_get_array_member (geometry, "coordinates");

  if (strcmp (type, "Point") == 0)
    return shape->kind == GP_SHAPE_POINT && json_position_matches (coordinates, shape, 0)
           ? NULL : g_strdup ("Point differs");
  if (strcmp (type, "MultiPoint") == 0)
    {
      if (shape->kind != GP_SHAPE_MULTIPOINT || json_array_get_length (coordinates) != shape->n_points)
        return g_strdup ("MultiPoint differs in size");
      for (guint i = 0; i < shape->n_points; i++)
        if (!json_position_matches (json_array_get_array_element (coordinates, i), shape, i))
          return g_strdup_printf ("MultiPoint point %u differs", i);
      return NULL;
    }
  if (strcmp (type, "LineString") == 0)
    return shape->kind == GP_SHAPE_LINE && shape->n_parts == 1
           && json_line_matches (coordinates, shape, 0) ? NULL : g_strdup ("LineString differs");
  if (strcmp (type, "MultiLineString") == 0)
    {
      if (shape->kind != GP_SHAPE_LINE || json_array_get_length (coordinates) != shape->n_parts
          || shape->n_parts < 2)
        return g_strdup ("MultiLineString differs in parts");
      for (guint p = 0; p < shape->n_parts; p++)
        if (!json_line_matches (json_array_get_array_element (coordinates, p), shape, p))
          return g_strdup_printf ("MultiLineString part %u differs", p);
      return NULL;
    }
  if (strcmp (type, "Polygon") == 0)
    return shape->kind == GP_SHAPE_POLYGON && shape->n_polygons == 1
           && json_polygon_matches (coordinates, shape, 0) ? NULL : g_strdup ("Polygon differs");
  if (strcmp (type, "MultiPolygon") == 0)
    {
      if (shape->kind != GP_SHAPE_POLYGON || json_array_get_length (coordinates) != shape->n_polygons
          || shape->n_polygons < 2)
        return g_strdup ("MultiPolygon differs in polygons");
      for (guint p = 0; p < shape->n_polygons; p++)
        if (!json_polygon_matches (json_array_get_array_element (coordinates, p), shape, p))
          return g_strdup_printf ("MultiPolygon polygon %u differs", p);
      return NULL;
    }
  return g_strdup_printf ("unexpected type %s", type);
}

/* By value, as the peer compares: nulls dropped on both sides, FID ignored, dates as YYYYMMDD. */
static char *
properties_problem (JsonObject *expected, GpLayer *layer, const GpFeature *feature)
{
  guint ours = 0, theirs = 0;

  for (guint f = 0; f < gp_layer_get_n_fields (layer); f++)
    {
      const GpField *field = gp_layer_get_field (layer, f);
      const GpValue *value = &feature->values[f];
      JsonNode *node;

      if (strcmp (field->name, "FID") == 0 || value->is_null)
        continue;
      ours++;
      node = json_object_get_member (expected, field->name);
      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        return g_strdup_printf ("%s is set but expected null", field->name);
      switch (field->type)
        {
        case GP_FIELD_STRING:
          if (g_strcmp0 (json_node_get_string (node), value->text) != 0)
            return g_strdup_printf ("%s = “%s”, expected “%s”", field->name, value->text,
                                    json_node_get_string (node));
          break;
        case GP_FIELD_INTEGER:
          if (json_node_get_value_type (node) == G_TYPE_STRING
              || json_node_get_double (node) != (double) value->integer)
            return g_strdup_printf ("%s = %" G_GINT64_FORMAT " differs", field->name, value->integer);
          break;
        case GP_FIELD_REAL:
          if (json_node_get_value_type (node) == G_TYPE_STRING || json_node_get_double (node) != value->real)
            return g_strdup_printf ("%s = %g differs", field->name, value->real);
          break;
        case GP_FIELD_LOGICAL:
          if (json_node_get_value_type (node) != G_TYPE_BOOLEAN
              || json_node_get_boolean (node) != value->logical)
            return g_strdup_printf ("%s (logical) differs", field->name);
          break;
        case GP_FIELD_DATE:
        default:
          {
            g_autofree char *date = g_strdup_printf ("%04u%02u%02u", value->date.year,
                                                     value->date.month, value->date.day);

            if (g_strcmp0 (json_node_get_string (node), date) != 0)
              return g_strdup_printf ("%s = %s differs", field->name, date);
          }
          break;
        }
    }
  {
    g_autoptr(GList) members = json_object_get_members (expected);

    for (GList *m = members; m != NULL; m = m->next)
      if (strcmp (m->data, "FID") != 0 && !json_object_get_null_member (expected, m->data))
        theirs++;
  }
  if (ours != theirs)
    return g_strdup_printf ("%u properties set, expected %u", ours, theirs);
  return NULL;
}

static char *
mbostock_problem (const char *name)
{
  g_autofree char *rel = g_strdup_printf ("corpus/mbostock/%s.shp", name);
  g_autofree char *json_rel = g_strdup_printf ("corpus/mbostock/%s.json", name);
  g_autofree char *path = shared (rel);
  g_autofree char *json_path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *features;
  char *problem = NULL;
  gboolean geometry_only = g_str_has_suffix (name, "m") || strcmp (name, "ignore-properties") == 0;

  if (path == NULL)
    return NULL;
  json_path = shared (json_rel);
  if (!json_parser_load_from_file (parser, json_path, &error))
    return g_strdup_printf ("cannot read the expected JSON: %s", error->message);

  /* As the peer reads them: utf8-property with the UTF-8 option, ignore-properties without. */
  layer = read_layer (path, strcmp (name, "utf8-property") == 0 ? "UTF-8" : NULL,
                      strcmp (name, "ignore-properties") == 0 ? GP_SHP_READ_NO_ATTRIBUTES
                                                               : GP_SHP_READ_DEFAULT,
                      &problem);
  if (layer == NULL)
    return problem;

  features = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "features");
  if (json_array_get_length (features) != gp_layer_get_n_features (layer))
    return g_strdup_printf ("%u features, expected %u", gp_layer_get_n_features (layer),
                            json_array_get_length (features));
  for (guint i = 0; i < gp_layer_get_n_features (layer); i++)
    {
      JsonObject *feature = json_array_get_object_element (features, i);
      GpFeature *ours = gp_layer_get_feature (layer, i);
      g_autofree char *why = geometry_problem (json_object_get_member (feature, "geometry"), ours->shape);

      if (why == NULL && !geometry_only)
        why = properties_problem (json_object_get_object_member (feature, "properties"), layer, ours);
      if (why != NULL)
        return g_strdup_printf ("feature %u: %s", i, why);
    }
  return NULL;
}

static void
test_mbostock (void)
{
  static const char *const names[] = {
    "boolean-property", "date-property", "empty", "ignore-properties", "latin1-property",
    "mixed-properties", "multipointm", "multipoints", "null", "number-null-property",
    "number-property", "pointm", "points", "polygonm", "polygons", "polylinem", "polylines",
    "singleton", "string-property", "utf8-property",
  };
  g_autofree char *dir = shared ("corpus/mbostock");

  if (dir == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *problem = mbostock_problem (names[i]);

      tally (MBOSTOCK, names[i], problem);
    }
  /* The time zones file has no expected JSON; it must read without its .shx and .dbf, walking
   * past the junk after records 6, 23 and 85. */
  {
    g_autofree char *path = shared ("corpus/mbostock/ne_10m_time_zones.shp");
    g_autoptr(GpLayer) layer = NULL;
    g_autofree char *problem = NULL;

    layer = read_layer (path, NULL, GP_SHP_READ_DEFAULT, &problem);
    if (layer != NULL && gp_layer_get_n_features (layer) != 120)
      problem = g_strdup_printf ("%u features, expected 120", gp_layer_get_n_features (layer));
    g_assert_null (problem);
    g_assert_cmpuint (gp_layer_get_null_geometries (layer), ==, 0);
    g_assert_cmpuint (gp_layer_get_feature (layer, 119)->record, ==, 119);
  }
}

/* ---- shapelib's shpdump and dbfdump output ---- */

typedef struct {
  int id;
  char *type;
  guint n_vertices;
  guint n_parts;
  GPtrArray *vertices;      /* of char*: "x,y, z" as printed */
  GArray *part_starts;      /* of guint */
} DumpShape;

static void
dump_shape_free (gpointer data)
{
  DumpShape *shape = data;

  g_free (shape->type);
  g_ptr_array_unref (shape->vertices);
  g_array_unref (shape->part_starts);
  g_free (shape);
}

/* The sections of expect1.out: "Test N: ..." followed by its dump lines. */
static GPtrArray *
expect1_sections (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *sections = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *current = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "-----"))
        continue;
      if (g_str_has_prefix (lines[i], "Test "))
        {
          current = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (sections, current);
        }
      if (current != NULL)
        g_ptr_array_add (current, g_strdup (lines[i]));
    }
  return sections;
}

static char *
format_vertex (const GpShape *shape, guint i)
{
  return g_strdup_printf ("%.15g,%.15g, %.15g", shape->xy[2 * i], shape->xy[2 * i + 1],
                          shape->z != NULL ? shape->z[i] : 0.0);
}

/* The part of a dumped shape as vertex strings, for comparing rings in any order. */
static char *
dump_part (const DumpShape *dump, guint part)
{
  guint start = g_array_index (dump->part_starts, guint, part);
  guint end = part + 1 < dump->part_starts->len ? g_array_index (dump->part_starts, guint, part + 1)
                                                : dump->vertices->len;
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = start; i < end; i++)
    g_string_append_printf (s, "(%s)", (const char *) g_ptr_array_index (dump->vertices, i));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
shape_part (const GpShape *shape, guint part)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = shape->part_start[part]; i < shape->part_start[part + 1]; i++)
    {
      g_autofree char *v = format_vertex (shape, i);

      g_string_append_printf (s, "(%s)", v);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
compare_dump_shape (const DumpShape *dump, GpLayer *layer)
{
  GpFeature *feature = NULL;
  GpShape *shape;
  g_autoptr(GPtrArray) ours = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < gp_layer_get_n_features (layer); i++)
    if (gp_layer_get_feature (layer, i)->record == (guint) dump->id)
      feature = gp_layer_get_feature (layer, i);
  if (feature == NULL)
    return g_strdup_printf ("shape %d was not read", dump->id);
  shape = feature->shape;
  if (strcmp (dump->type, "NullShape") == 0)
    return shape == NULL ? NULL : g_strdup_printf ("shape %d should be null", dump->id);
  if (shape == NULL || shape->n_points != dump->n_vertices || shape->n_parts != dump->n_parts)
    return g_strdup_printf ("shape %d: vertex or part count differs", dump->id);

  /* Lines keep their parts in order; polygon rings may be regrouped under their outer ring. */
  for (guint p = 0; p < shape->n_parts; p++)
    g_ptr_array_add (ours, shape_part (shape, p));
  for (guint p = 0; p < dump->n_parts; p++)
    {
      g_autofree char *theirs = dump_part (dump, p);
      gboolean found = FALSE;

      if (shape->kind == GP_SHAPE_LINE)
        found = strcmp (theirs, g_ptr_array_index (ours, p)) == 0;
      else
        for (guint q = 0; q < ours->len && !found; q++)
          found = strcmp (theirs, g_ptr_array_index (ours, q)) == 0;
      if (!found)
        return g_strdup_printf ("shape %d: part %u differs", dump->id, p);
    }
  return NULL;
}

/* g_regex_match() fills MATCH even when it fails; each try starts from a clean one. */
static gboolean
match_line (GRegex *regex, const char *line, GMatchInfo **match)
{
  g_clear_pointer (match, g_match_info_free);
  return g_regex_match (regex, line, 0, match);
}

static char *
shpdump_problem (GPtrArray *section, const char *rel)
{
  g_autofree char *path = shared (rel);
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GPtrArray) shapes = g_ptr_array_new_with_free_func (dump_shape_free);
  g_autoptr(GRegex) header = g_regex_new ("^Shapefile Type: (\\S+)\\s+# of Shapes: (\\d+)", 0, 0, NULL);
  g_autoptr(GRegex) start = g_regex_new ("^Shape:(\\d+) \\((\\S+)\\)\\s+nVertices=(\\d+), nParts=(\\d+)", 0, 0, NULL);
  g_autoptr(GRegex) vertex = g_regex_new ("^\\s+(\\+?)\\s*\\(([^)]*)\\)", 0, 0, NULL);
  DumpShape *current = NULL;
  char *problem = NULL;
  guint declared = 0;
  guint compared = 0;

  if (path == NULL)
    return NULL;
  layer = read_layer (path, NULL, GP_SHP_READ_DEFAULT, &problem);
  if (layer == NULL)
    return problem;

  for (guint i = 0; i < section->len; i++)
    {
      const char *line = g_ptr_array_index (section, i);
      g_autoptr(GMatchInfo) match = NULL;

      if (match_line (header, line, &match))
        {
          g_autofree char *count = g_match_info_fetch (match, 2);

          declared = (guint) g_ascii_strtoull (count, NULL, 10);
        }
      else if (match_line (start, line, &match))
        {
          g_autofree char *id = g_match_info_fetch (match, 1);
          g_autofree char *nv = g_match_info_fetch (match, 3);
          g_autofree char *np = g_match_info_fetch (match, 4);

          current = g_new0 (DumpShape, 1);
          current->id = atoi (id);
          current->type = g_match_info_fetch (match, 2);
          current->n_vertices = (guint) atoi (nv);
          current->n_parts = (guint) atoi (np);
          current->vertices = g_ptr_array_new_with_free_func (g_free);
          current->part_starts = g_array_new (FALSE, FALSE, sizeof (guint));
          g_ptr_array_add (shapes, current);
        }
      else if (current != NULL && match_line (vertex, line, &match))
        {
          g_autofree char *plus = g_match_info_fetch (match, 1);
          g_auto(GStrv) numbers = NULL;
          char *values = g_match_info_fetch (match, 2);

          /* Keep x, y and z; a fourth number is the measure, compared elsewhere. */
          numbers = g_strsplit (values, ",", -1);
          if (g_strv_length (numbers) > 3)
            {
              g_free (values);
              values = g_strdup_printf ("%s,%s,%s", numbers[0], numbers[1], numbers[2]);
            }
          if (current->vertices->len == 0 || *plus == '+')
            {
              guint at = current->vertices->len;

              g_array_append_val (current->part_starts, at);
            }
          g_ptr_array_add (current->vertices, values);
        }
    }

  if (declared != gp_layer_get_n_features (layer))
    return g_strdup_printf ("%u shapes, expected %u", gp_layer_get_n_features (layer), declared);
  for (guint i = 0; i < shapes->len; i++)
    {
      DumpShape *dump = g_ptr_array_index (shapes, i);

      /* The dump was cut with head(1): the last shape may be incomplete. */
      if (dump->vertices->len != dump->n_vertices)
        continue;
      problem = compare_dump_shape (dump, layer);
      if (problem != NULL)
        return problem;
      compared++;
    }
  g_test_message ("%s: %u shapes compared vertex by vertex", rel, compared);
  return compared > 0 ? NULL : g_strdup ("no shape compared");
}

static char *
dbfdump_problem (GPtrArray *section, const char *rel)
{
  g_autofree char *path = shared (rel);
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GRegex) field_re = g_regex_new ("^Field (\\d+): Type=\\S+, Title=`([^']*)', Width=(\\d+), Decimals=(\\d+)", 0, 0, NULL);
  g_autoptr(GRegex) record_re = g_regex_new ("^Record: (\\d+)", 0, 0, NULL);
  g_autoptr(GRegex) value_re = g_regex_new ("^([^:]+): (.*)$", 0, 0, NULL);
  char *problem = NULL;
  int record = -1;
  guint fields = 0, values = 0;

  if (path == NULL)
    return NULL;
  layer = read_layer (path, NULL, GP_SHP_READ_DEFAULT, &problem);
  if (layer == NULL)
    return problem;

  for (guint i = 0; i < section->len; i++)
    {
      const char *line = g_ptr_array_index (section, i);
      g_autoptr(GMatchInfo) match = NULL;

      if (match_line (field_re, line, &match))
        {
          g_autofree char *index = g_match_info_fetch (match, 1);
          g_autofree char *title = g_match_info_fetch (match, 2);
          g_autofree char *width = g_match_info_fetch (match, 3);
          g_autofree char *decimals = g_match_info_fetch (match, 4);
          const GpField *field;

          if ((guint) atoi (index) >= gp_layer_get_n_fields (layer))
            return g_strdup_printf ("field %s missing", index);
          field = gp_layer_get_field (layer, atoi (index));
          if (strcmp (field->name, title) != 0 || field->width != atoi (width)
              || field->decimals != atoi (decimals))
            return g_strdup_printf ("field %s (%s) differs", index, title);
          fields++;
        }
      else if (match_line (record_re, line, &match))
        {
          g_autofree char *n = g_match_info_fetch (match, 1);

          record = atoi (n);
        }
      else if (record >= 0 && match_line (value_re, line, &match))
        {
          g_autofree char *name = g_match_info_fetch (match, 1);
          g_autofree char *text = g_match_info_fetch (match, 2);
          int f = gp_layer_find_field (layer, name);
          const GpValue *value;

          if (f < 0 || (guint) record >= gp_layer_get_n_features (layer))
            return g_strdup_printf ("record %d: %s missing", record, name);
          value = &gp_layer_get_feature (layer, record)->values[f];
          g_strstrip (text);
          if (strcmp (text, "(NULL)") == 0 || *text == '\0')
            {
              if (!value->is_null)
                return g_strdup_printf ("record %d: %s should be null", record, name);
            }
          else if (value->is_null)
            return g_strdup_printf ("record %d: %s is null, expected %s", record, name, text);
          else
            switch (gp_layer_get_field (layer, f)->type)
              {
              case GP_FIELD_STRING:
                if (strcmp (value->text, text) != 0)
                  return g_strdup_printf ("record %d: %s = “%s”, expected “%s”", record, name,
                                          value->text, text);
                break;
              case GP_FIELD_INTEGER:
                if (value->integer != g_ascii_strtoll (text, NULL, 10))
                  return g_strdup_printf ("record %d: %s differs", record, name);
                break;
              case GP_FIELD_REAL:
                {
                  /* dbfdump prints reals with the field's decimals ("1.3945052E+02" as 139.451). */
                  g_autofree char *format = g_strdup_printf ("%%.%df", gp_layer_get_field (layer, f)->decimals);
                  char ours[G_ASCII_DTOSTR_BUF_SIZE];

                  g_ascii_formatd (ours, sizeof ours, format, value->real);
                  if (strcmp (ours, text) != 0)
                    return g_strdup_printf ("record %d: %s = %s, expected %s", record, name, ours, text);
                }
                break;
              case GP_FIELD_DATE:
              case GP_FIELD_LOGICAL:
              default:
                return g_strdup_printf ("record %d: %s has an unexpected type", record, name);
              }
          values++;
        }
    }
  g_test_message ("%s: %u fields and %u values compared", rel, fields, values);
  return fields == gp_layer_get_n_fields (layer) && values > 0 ? NULL : g_strdup ("nothing compared");
}

static void
test_shapelib (void)
{
  g_autofree char *path = shared ("corpus/shapelib/expected/expect1.out");
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) sections = NULL;
  static const char *const files[] = {
    "corpus/shapelib/shape_eg_data/anno.shp",
    "corpus/shapelib/shape_eg_data/brklinz.shp",
    "corpus/shapelib/shape_eg_data/polygon.shp",
    "corpus/shapelib/shape_eg_data/pline.dbf",
    "corpus/shapelib/shape_eg_data/csah.dbf",
  };

  if (path == NULL)
    return;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  sections = expect1_sections (text);
  g_assert_cmpuint (sections->len, ==, G_N_ELEMENTS (files));
  for (guint i = 0; i < sections->len; i++)
    {
      GPtrArray *section = g_ptr_array_index (sections, i);
      g_autofree char *problem = i == 3 ? dbfdump_problem (section, files[i])
                                        : shpdump_problem (section, files[i]);

      tally (SHAPELIB, files[i], problem);
    }
}

/* ---- pyshp's and shapefile-js's assertions ---- */

static double
real_value (GpLayer *layer, GpFeature *feature, const char *name)
{
  int f = gp_layer_find_field (layer, name);

  g_assert_cmpint (f, >=, 0);
  if (feature->values[f].is_null)
    return NAN;
  if (gp_layer_get_field (layer, f)->type == GP_FIELD_INTEGER)
    return (double) feature->values[f].integer;
  return feature->values[f].real;
}

static const char *
text_value (GpLayer *layer, GpFeature *feature, const char *name)
{
  int f = gp_layer_find_field (layer, name);

  if (f < 0 || feature->values[f].is_null)
    return NULL;
  return feature->values[f].text;
}

static gboolean
near (double a, double b)
{
  return fabs (a - b) <= 5e-7;
}

static char *
count_problem (const char *rel, guint expected, GpShpReadFlags flags, GpLayer **out)
{
  g_autofree char *path = shared (rel);
  char *problem = NULL;
  GpLayer *layer;

  if (path == NULL)
    return NULL;
  layer = read_layer (path, NULL, flags, &problem);
  if (layer == NULL)
    return problem;
  if (gp_layer_get_n_features (layer) != expected)
    problem = g_strdup_printf ("%u features, expected %u", gp_layer_get_n_features (layer), expected);
  if (out != NULL && problem == NULL)
    *out = layer;
  else
    g_object_unref (layer);
  return problem;
}

static void
test_pyshp (void)
{
  g_autofree char *dir = shared ("corpus/pyshp");
  g_autoptr(GpLayer) blockgroups = NULL;
  char *problem;

  if (dir == NULL)
    return;

  problem = count_problem ("corpus/pyshp/blockgroups.shp", 663, GP_SHP_READ_DEFAULT, &blockgroups);
  if (problem == NULL && (gp_layer_get_geometry_type (blockgroups) != GP_GEOMETRY_TYPE_POLYGON
                          || gp_layer_get_n_fields (blockgroups) != 43))
    problem = g_strdup ("not a Polygon layer of 43 fields");
  tally (PYSHP, "blockgroups: 663 polygons, 43 fields", problem);
  g_free (problem);
  if (blockgroups == NULL)
    return;

  {
    double bbox[4];

    gp_layer_get_bbox (blockgroups, bbox);
    tally (PYSHP, "blockgroups: file bbox",
           near (bbox[0], -122.515048) && near (bbox[1], 37.652916) && near (bbox[2], -122.327622)
           && near (bbox[3], 37.863433) ? NULL : "differs");
    gp_shape_get_bbox (gp_layer_get_feature (blockgroups, 7)->shape, bbox);
    tally (PYSHP, "blockgroups: shape 7 bbox",
           near (bbox[0], -122.449637) && near (bbox[1], 37.80149) && near (bbox[2], -122.442109)
           && near (bbox[3], 37.807958) ? NULL : "differs");
  }
  {
    GpFeature *r = gp_layer_get_feature (blockgroups, 3);
    double households = 0;

    tally (PYSHP, "blockgroups: record 3",
           g_strcmp0 (text_value (blockgroups, r, "BKG_KEY"), "060750601001") == 0
           && real_value (blockgroups, r, "POP1990") == 4715
           && real_value (blockgroups, r, "HOUSEHOLDS") == 1195
           && real_value (blockgroups, r, "HSE_UNITS") == 1258
           && real_value (blockgroups, r, "AREA") == 2.34385
           && real_value (blockgroups, r, "POP90_SQMI") == 2011.6
           && real_value (blockgroups, r, "MEDIAN_VAL") == 337500
           && real_value (blockgroups, r, "MEDIANRENT") == 739 ? NULL : "values differ");
    for (guint i = 0; i < gp_layer_get_n_features (blockgroups); i++)
      households += real_value (blockgroups, gp_layer_get_feature (blockgroups, i), "HOUSEHOLDS");
    tally (PYSHP, "blockgroups: 332,955 households, lon/lat without .prj",
           households == 332955 && gp_layer_get_crs (blockgroups) != NULL
           && gp_crs_is_guessed (gp_layer_get_crs (blockgroups)) ? NULL : "differs");
  }

  /* latin1.shp has no .shx; its DBF is Latin-1. */
  {
    g_autofree char *path = shared ("corpus/pyshp/latin1.shp");
    g_autoptr(GpLayer) latin1 = read_layer (path, "latin1", GP_SHP_READ_DEFAULT, &problem);
    g_autoptr(GpLayer) ascii = NULL;

    tally (PYSHP, "latin1 as latin1",
           latin1 != NULL && gp_layer_get_n_features (latin1) == 1
           && real_value (latin1, gp_layer_get_feature (latin1, 0), "id") == 2
           && g_strcmp0 (text_value (latin1, gp_layer_get_feature (latin1, 0), "Name"), "Ñandú") == 0
           ? NULL : "differs");
    ascii = read_layer (path, "ascii", GP_SHP_READ_DEFAULT, &problem);
    tally (PYSHP, "latin1 as ascii with replacement",
           ascii != NULL
           && g_strcmp0 (text_value (ascii, gp_layer_get_feature (ascii, 0), "Name"), "\xEF\xBF\xBD" "and\xEF\xBF\xBD") == 0
           ? NULL : "differs");
  }

  /* Both files are 5 bytes longer than their headers say: read by the headers, with warnings. */
  {
    g_autoptr(GpLayer) layer = NULL;

    problem = count_problem ("corpus/pyshp/corrupt_too_long.shp", 10, GP_SHP_READ_DEFAULT, &layer);
    if (problem == NULL)
      {
        for (guint i = 0; i < 10 && problem == NULL; i++)
          {
            GpFeature *f = gp_layer_get_feature (layer, i);

            if (g_strcmp0 (text_value (layer, f, "test"), "value") != 0 || f->shape->n_points != 3)
              problem = g_strdup_printf ("record %u differs", i);
          }
        if (problem == NULL && (gp_layer_get_n_fields (layer) != 1
                                || gp_layer_get_warnings (layer)->len < 2))
          problem = g_strdup ("expected one field and warnings about the extra bytes");
      }
    tally (PYSHP, "corrupt_too_long", problem);
    g_free (problem);
  }

  {
    g_autoptr(GpLayer) merge = NULL;
    double households = 0;

    problem = count_problem ("corpus/pyshp/merge.shp", 6630, GP_SHP_READ_DEFAULT, &merge);
    for (guint i = 0; merge != NULL && i < gp_layer_get_n_features (merge); i++)
      households += real_value (merge, gp_layer_get_feature (merge, i), "HOUSEHOLDS");
    if (problem == NULL && households != 3329550)
      problem = g_strdup_printf ("%.0f households, expected 3329550", households);
    tally (PYSHP, "merge: 6630 polygons", problem);
    g_free (problem);
  }
  {
    g_autoptr(GpLayer) edit = NULL;

    problem = count_problem ("corpus/pyshp/edit.shp", 663, GP_SHP_READ_DEFAULT, &edit);
    if (problem == NULL && (gp_layer_get_n_fields (edit) != 2 || gp_layer_find_field (edit, "BKG_KEY") != 0
                            || gp_layer_find_field (edit, "MEDIANRENT") != 1))
      problem = g_strdup ("fields differ");
    tally (PYSHP, "edit: 663 polygons, BKG_KEY and MEDIANRENT", problem);
    g_free (problem);
  }
  /* Zipped: the same blockgroups; two shapefiles in one archive, the second by its name; an
   * empty archive refused. */
  problem = count_problem ("corpus/pyshp/blockgroups.zip", 663, GP_SHP_READ_DEFAULT, NULL);
  tally (PYSHP, "blockgroups.zip: 663 polygons", problem);
  g_free (problem);
  {
    g_autofree char *path = shared ("corpus/pyshp/blockgroups_multishapefile.zip");
    g_autoptr(GError) error = NULL;
    g_autoptr(GpLayer) none = NULL, second = NULL;

    if (path != NULL)
      {
        none = gp_shp_read (path, NULL, GP_SHP_READ_DEFAULT, &error);
        problem = none != NULL || !g_error_matches (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT)
                  ? g_strdup ("two shapefiles, none named: not refused") : NULL;
        g_clear_error (&error);
        second = gp_shp_read_zip (path, "blockgroups2", NULL, GP_SHP_READ_DEFAULT, &error);
        if (problem == NULL && (second == NULL || gp_layer_get_n_features (second) != 663))
          problem = g_strdup_printf ("blockgroups2: %s", error != NULL ? error->message : "not 663 features");
        tally (PYSHP, "blockgroups_multishapefile.zip: blockgroups2 chosen", problem);
        g_free (problem);
      }
  }
  {
    g_autofree char *path = shared ("corpus/pyshp/REL.zip");
    g_autoptr(GError) error = NULL;
    g_autoptr(GpLayer) layer = path != NULL ? gp_shp_read (path, NULL, GP_SHP_READ_DEFAULT, &error) : NULL;

    if (path != NULL)
      tally (PYSHP, "REL.zip: releaseArea20090407 with .prj and .cpg",
             layer != NULL && gp_layer_get_n_features (layer) > 0 && gp_layer_get_crs (layer) != NULL
               ? NULL : "not read whole");
  }
  {
    g_autofree char *path = shared ("corpus/pyshp/empty_zipfile.zip");
    g_autoptr(GError) error = NULL;
    g_autoptr(GpLayer) layer = path != NULL ? gp_shp_read (path, NULL, GP_SHP_READ_DEFAULT, &error) : NULL;

    if (path != NULL)
      tally (PYSHP, "empty_zipfile.zip: refused", layer == NULL && error != NULL ? NULL : "not refused");
  }
}

static char *
field_values_problem (const char *rel, const char *const expected[2])
{
  g_autofree char *path = shared (rel);
  g_autoptr(GpLayer) layer = NULL;
  char *problem = NULL;

  if (path == NULL)
    return NULL;
  layer = read_layer (path, NULL, GP_SHP_READ_DEFAULT, &problem);
  if (layer == NULL)
    return problem;
  if (gp_layer_get_n_features (layer) != 2)
    return g_strdup_printf ("%u features, expected 2", gp_layer_get_n_features (layer));
  for (guint i = 0; i < 2; i++)
    if (g_strcmp0 (text_value (layer, gp_layer_get_feature (layer, i), "field"), expected[i]) != 0)
      return g_strdup_printf ("feature %u: “%s”, expected “%s”", i,
                              text_value (layer, gp_layer_get_feature (layer, i), "field"), expected[i]);
  return NULL;
}

static char *
coordinates_problem (const char *rel, guint n_parts, const guint *part_starts, guint n,
                     const double (*xyz)[3])
{
  g_autofree char *path = shared (rel);
  g_autoptr(GpLayer) layer = NULL;
  char *problem = NULL;
  GpShape *shape;

  if (path == NULL)
    return NULL;
  layer = read_layer (path, NULL, GP_SHP_READ_DEFAULT, &problem);
  if (layer == NULL)
    return problem;
  shape = gp_layer_get_feature (layer, 0)->shape;
  if (shape == NULL || shape->n_points != n || shape->z == NULL || shape->n_parts != n_parts)
    return g_strdup ("structure differs");
  for (guint p = 0; p < n_parts; p++)
    if (shape->part_start[p] != part_starts[p])
      return g_strdup ("parts differ");
  for (guint i = 0; i < n; i++)
    if (shape->xy[2 * i] != xyz[i][0] || shape->xy[2 * i + 1] != xyz[i][1] || shape->z[i] != xyz[i][2])
      return g_strdup_printf ("point %u differs", i);
  return NULL;
}

static void
test_shapefile_js (void)
{
  static const char *const utf[2] = { "💩", "Hněvošický háj" };
  static const char *const codepage[2] = { "??", "Hněvošický háj" };
  static const double multipointz[3][3] = { { -123, 48, 1200 }, { -122, 47, 2500 }, { -121, 46, 3600 } };
  static const guint multipointz_parts[1] = { 0 };
  static const double polylinez[6][3] = { { -120, 45, 800 }, { -119, 44, 1100 }, { -118, 43, 2300 },
                                          { -115, 40, 0 }, { -114, 39, 0 }, { -113, 38, 0 } };
  static const guint polylinez_parts[2] = { 0, 3 };
  static const struct { const char *rel; guint n; } counts[] = {
    { "corpus/shapefile-js/files/pandr.shp", 80 },
    { "corpus/shapefile-js/test-data/senate.shp", 40 },
    { "corpus/shapefile-js/test-data/counties.shp", 14 },
    { "corpus/shapefile-js/test-data/no-dbf.shp", 14 },
    /* The same and more, zipped, as shapefile-js reads them. */
    { "corpus/shapefile-js/files/pandr.zip", 80 },
    { "corpus/shapefile-js/test-data/senate.zip", 40 },
    { "corpus/shapefile-js/test-data/mixedcase.zip", 40 },       /* senate.DBF, upper case */
    { "corpus/shapefile-js/test-data/counties.zip", 14 },
    { "corpus/shapefile-js/test-data/train_stations.zip", 361 }, /* also a .cst and a .txt */
    { "corpus/shapefile-js/files/empty-shp.zip", 2 },
    /* Under export/. EXPECTED.md says 3 features, but the archive holds one PolyLine record of
     * five points: its .shx and .dbf say 1, and GDAL reads 1. */
    { "corpus/shapefile-js/test-data/T8Th4_6n.zip", 1 },
    { "corpus/shapefile-js/test-data/no-dbf.zip", 14 },
    { "corpus/shapefile-js/test-data/qgis.zip", 2 },             /* also a .mshp */
  };
  g_autofree char *dir = shared ("corpus/shapefile-js");
  char *problem;

  if (dir == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      problem = count_problem (counts[i].rel, counts[i].n, GP_SHP_READ_DEFAULT, NULL);
      tally (SHPJS, counts[i].rel, problem);
      g_free (problem);
    }

  problem = coordinates_problem ("corpus/shapefile-js/test-data/export_multipointz.shp", 1,
                                 multipointz_parts, 3, multipointz);
  tally (SHPJS, "export_multipointz", problem);
  g_free (problem);
  problem = coordinates_problem ("corpus/shapefile-js/test-data/export_polylinez.shp", 2,
                                 polylinez_parts, 6, polylinez);
  tally (SHPJS, "export_polylinez", problem);
  g_free (problem);

  {
    g_autofree char *path = shared ("corpus/shapefile-js/test-data/bad.shp");
    g_autoptr(GError) error = NULL;
    g_autoptr(GpLayer) layer = gp_shp_read (path, NULL, GP_SHP_READ_DEFAULT, &error);

    tally (SHPJS, "bad: rejected",
           layer == NULL && g_error_matches (error, GP_ERROR, GP_ERROR_FORMAT)
           && strstr (error->message, "bad.shp") != NULL ? NULL : "not rejected by name");
  }

  problem = field_values_problem ("corpus/shapefile-js/test-data/utf.shp", utf);
  tally (SHPJS, "utf", problem);
  g_free (problem);
  problem = field_values_problem ("corpus/shapefile-js/test-data/codepage.shp", codepage);
  tally (SHPJS, "codepage (ANSI 1250)", problem);
  g_free (problem);
  problem = field_values_problem ("corpus/shapefile-js/test-data/utf.zip", utf);
  tally (SHPJS, "utf.zip", problem);
  g_free (problem);
  problem = field_values_problem ("corpus/shapefile-js/test-data/codepage.zip", codepage);
  tally (SHPJS, "codepage.zip (ANSI 1250)", problem);
  g_free (problem);
  /* Zips that are not shapefiles: refused with the archive named. */
  {
    static const char *const refused[] = { "corpus/shapefile-js/test-data/badzip.zip",
                                           "corpus/shapefile-js/test-data/noshp.zip" };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autofree char *path = shared (refused[i]);
        g_autoptr(GError) error = NULL;
        g_autoptr(GpLayer) layer = path != NULL ? gp_shp_read (path, NULL, GP_SHP_READ_DEFAULT, &error) : NULL;

        if (path == NULL)
          continue;
        tally (SHPJS, refused[i],
               layer == NULL && error != NULL && strstr (error->message, path) != NULL ? NULL
                                                                                      : "not refused by name");
      }
  }
  {
    g_autoptr(GpLayer) layer = NULL;

    problem = count_problem ("corpus/shapefile-js/test-data/zero-len-line.zip", 3, GP_SHP_READ_DEFAULT, &layer);
    if (problem == NULL && gp_layer_get_feature (layer, 1)->shape != NULL)
      problem = g_strdup ("feature 1 has a geometry; the line of no points should have none");
    tally (SHPJS, "zero-len-line.zip", problem);
    g_free (problem);
  }
  {
    g_autoptr(GpLayer) layer = NULL;

    problem = count_problem ("corpus/shapefile-js/test-data/SHP_Exclude.zip", 1, GP_SHP_READ_DEFAULT, &layer);
    if (problem == NULL && gp_layer_get_feature (layer, 0)->shape->n_parts != 2)
      problem = g_strdup_printf ("feature 0 has %u rings, expected 2", gp_layer_get_feature (layer, 0)->shape->n_parts);
    tally (SHPJS, "SHP_Exclude.zip: weirdly ordered rings", problem);
    g_free (problem);
  }
  problem = field_values_problem ("corpus/shapefile-js/test-data/htmlcpg.shp", utf);
  tally (SHPJS, "htmlcpg", problem);
  g_free (problem);
  problem = field_values_problem ("corpus/shapefile-js/test-data/htmlprj.shp", utf);
  tally (SHPJS, "htmlprj", problem);
  g_free (problem);

  {
    g_autoptr(GpLayer) layer = NULL;

    problem = count_problem ("corpus/shapefile-js/test-data/LGA_2013_AUST.shp", 13,
                             GP_SHP_READ_DEFAULT, &layer);
    if (problem == NULL)
      {
        GpFeature *f = gp_layer_get_feature (layer, 4);

        if (g_strcmp0 (text_value (layer, f, "LGA_NAME13"), "Kangaroo Island (DC)") != 0
            || f->shape == NULL || f->shape->n_polygons != 21 || gp_layer_get_null_geometries (layer) < 1)
          problem = g_strdup ("feature 4 differs, or no null shape");
      }
    tally (SHPJS, "LGA_2013_AUST", problem);
    g_free (problem);
  }
  {
    g_autoptr(GpLayer) layer = NULL;

    problem = count_problem ("corpus/shapefile-js/test-data/ipra_dresden_polygon.shp",
                             1, GP_SHP_READ_DEFAULT, &layer);
    if (problem == NULL && !g_str_has_suffix (g_ptr_array_index (gp_layer_get_warnings (layer), 0),
                                              "the file is 656 bytes long but its header says 652; "
                                              "the extra bytes are ignored"))
      problem = g_strdup ("no warning about the file length");
    tally (SHPJS, "ipra_dresden_polygon: longer than its header", problem);
    g_free (problem);
  }
}

/* ---- the GBK county files ---- */

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (to, contents, length, NULL));
}

static char *
names_problem (const char *shp, const char *geojson, const char *expected_encoding)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *features;
  char *problem = NULL;

  if (!json_parser_load_from_file (parser, geojson, &error))
    return g_strdup (error->message);
  layer = read_layer (shp, NULL, GP_SHP_READ_DEFAULT, &problem);
  if (layer == NULL)
    return problem;
  if (g_strcmp0 (gp_layer_get_encoding (layer), expected_encoding) != 0)
    return g_strdup_printf ("encoding %s, expected %s", gp_layer_get_encoding (layer), expected_encoding);
  features = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "features");
  if (json_array_get_length (features) != gp_layer_get_n_features (layer))
    return g_strdup ("feature counts differ");
  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      JsonObject *properties = json_object_get_object_member (json_array_get_object_element (features, i),
                                                              "properties");
      GpFeature *f = gp_layer_get_feature (layer, i);

      if (g_strcmp0 (text_value (layer, f, "name"), json_object_get_string_member (properties, "name")) != 0
          || real_value (layer, f, "adcode") != (double) json_object_get_int_member (properties, "adcode"))
        return g_strdup_printf ("feature %u: “%s”, expected “%s”", i, text_value (layer, f, "name"),
                                json_object_get_string_member (properties, "name"));
    }
  return NULL;
}

static void
test_gbk_counties (void)
{
  static const char *const names[] = { "im_cities", "im_counties", "target_counties" };
  g_autofree char *dir = shared ("cn/boundaries-datav/shp-gbk");
  g_autofree char *tmp = NULL;

  if (dir == NULL)
    return;
  tmp = gp_test_tmpdir ();
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *geojson_rel = g_strdup_printf ("cn/boundaries-datav/geojson/%s.geojson", names[i]);
      g_autofree char *geojson = shared (geojson_rel);
      g_autofree char *shp = g_strdup_printf ("%s/%s_gbk.shp", dir, names[i]);
      g_autofree char *what = g_strdup_printf ("%s_gbk", names[i]);
      g_autofree char *hidden = g_strdup_printf ("%s_gbk without its .cpg", names[i]);
      g_autofree char *copy = NULL;
      char *problem;

      if (geojson == NULL)
        return;
      problem = names_problem (shp, geojson, "GBK");
      tally (GBK, what, problem);
      g_free (problem);

      /* The same files without the .cpg: detection must find GBK. */
      for (guint k = 0; k < 3; k++)
        {
          static const char *const exts[] = { "shp", "shx", "dbf" };
          g_autofree char *from = g_strdup_printf ("%s/%s_gbk.%s", dir, names[i], exts[k]);
          g_autofree char *to = g_strdup_printf ("%s/%s.%s", tmp, names[i], exts[k]);

          copy_file (from, to);
        }
      copy = g_strdup_printf ("%s/%s.shp", tmp, names[i]);
      problem = names_problem (copy, geojson, "GBK");
      tally (GBK, hidden, problem);
      g_free (problem);
    }
  gp_test_rmdir (tmp);
}

/* ---- every corpus file ---- */

static void
walk (const char *dir, GPtrArray *files)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          walk (path, files);
          g_free (path);
        }
      else
        g_ptr_array_add (files, path);
    }
}

static void
test_corpus_walk (void)
{
  g_autofree char *root = shared ("corpus");
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  guint read = 0, refused = 0;

  if (root == NULL)
    return;
  walk (root, files);
  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *base = g_path_get_basename (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(GpLayer) layer = gp_shp_read (path, NULL, GP_SHP_READ_CHECK_VALIDITY, &error);
      char *dot = strrchr (base, '.');

      if (dot != NULL)
        *dot = '\0';
      if (layer != NULL)
        {
          read++;
          tally (WALK, path, NULL);
          continue;
        }
      refused++;
      /* Refused with a message that names the file (or the .shp beside it). */
      tally (WALK, path, error != NULL && error->domain == GP_ERROR && strstr (error->message, base) != NULL
                         ? NULL : "refused without naming the file");
    }
  g_test_message ("corpus walk: %u files read, %u refused with a message naming the file", read, refused);
}

static void
test_summary (void)
{
  guint matched = 0, total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (tallies); i++)
    {
      g_test_message ("conformance: %s: %u matched of %u", tallies[i].name, tallies[i].matched,
                      tallies[i].total);
      matched += tallies[i].matched;
      total += tallies[i].total;
    }
  g_test_message ("conformance: %u files matched of %u", matched, total);
  if (total == 0)
    g_test_skip ("../shared/data is absent");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/conformance/mbostock", test_mbostock);
  g_test_add_func ("/conformance/shapelib", test_shapelib);
  g_test_add_func ("/conformance/pyshp", test_pyshp);
  g_test_add_func ("/conformance/shapefile-js", test_shapefile_js);
  g_test_add_func ("/conformance/gbk-counties", test_gbk_counties);
  g_test_add_func ("/conformance/corpus-walk", test_corpus_walk);
  g_test_add_func ("/conformance/summary", test_summary);
  return g_test_run ();
}
