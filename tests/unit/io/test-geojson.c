/* test-geojson.c: GeoJSON output read back with json-glib: geometry kinds, typed properties, exact numbers. */
#include <json-glib/json-glib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "gp-error.h"
#include "gp-geojson.h"
#include "gp-test-util.h"

enum { FIELD_NAME, FIELD_COUNT, FIELD_RATIO, FIELD_DAY, FIELD_OK, FIELD_PLACE };

static GpShape *
shape_with (GpShapeKind kind, GpShapeFlags flags, const double *xy, guint n_points,
            const guint *part_start, guint n_parts, const guint *polygon_start, guint n_polygons)
{
  GpShape *shape = gp_shape_new (kind, flags, n_points, n_parts, n_polygons);

  memcpy (shape->xy, xy, 2 * sizeof (double) * n_points);
  if (n_parts > 0)
    memcpy (shape->part_start, part_start, sizeof (guint) * n_parts);
  if (n_polygons > 0)
    memcpy (shape->polygon_start, polygon_start, sizeof (guint) * n_polygons);
  return shape;
}

static const double holed_xy[] = { 0, 0, 0, 10, 10, 10, 10, 0, 0, 0, 2, 2, 4, 2, 4, 4, 2, 4, 2, 2 };
static const guint holed_parts[] = { 0, 5 }, first_polygon[] = { 0 };
static const double two_xy[] = { 2, 2, 2, 3, 3, 3, 3, 2, 2, 2, 4, 4, 4, 5, 5, 5, 5, 4, 4, 4 };
static const guint two_parts[] = { 0, 5 }, two_polygons[] = { 0, 1 };
static const double line_xy[] = { -122.515048, 37.708327, -122.357, 37.8324, 0.1, 0.2 };

/* Every kind of geometry and value the writer meets, in record order. */
static GpLayer *
sample_layer (void)
{
  GpLayer *layer = gp_layer_new ("sample");
  GpFeature *f;
  GpShape *shape;

  gp_layer_add_field (layer, "name", GP_FIELD_STRING, 80, 0);
  gp_layer_add_field (layer, "count", GP_FIELD_INTEGER, 19, 0);
  gp_layer_add_field (layer, "ratio", GP_FIELD_REAL, 24, 15);
  gp_layer_add_field (layer, "day", GP_FIELD_DATE, 8, 0);
  gp_layer_add_field (layer, "ok", GP_FIELD_LOGICAL, 1, 0);
  gp_layer_add_field (layer, "名称 \"x\"", GP_FIELD_STRING, 80, 0);

  /* 0: a polygon with a hole and every value set, text that needs escaping */
  f = gp_layer_append (layer, shape_with (GP_SHAPE_POLYGON, 0, holed_xy, 10, holed_parts, 2,
                                          first_polygon, 1), 0);
  gp_feature_set_text (layer, f, FIELD_NAME, "He said \"hi\"\nnext\tline \\ end\x01");
  f->values[FIELD_COUNT] = (GpValue) { .is_null = FALSE, .integer = 42 };
  f->values[FIELD_RATIO] = (GpValue) { .is_null = FALSE, .real = 0.1 };
  f->values[FIELD_DAY] = (GpValue) { .is_null = FALSE, .date = { 2023, 6, 30 } };
  f->values[FIELD_OK] = (GpValue) { .is_null = FALSE, .logical = TRUE };
  gp_feature_set_text (layer, f, FIELD_PLACE, "东胜区 交通街道 «Ø»");

  /* 1: two polygons → MultiPolygon; extreme integers, NaN → null */
  f = gp_layer_append (layer, shape_with (GP_SHAPE_POLYGON, 0, two_xy, 10, two_parts, 2,
                                          two_polygons, 2), 1);
  f->values[FIELD_COUNT] = (GpValue) { .is_null = FALSE, .integer = G_MININT64 };
  f->values[FIELD_RATIO] = (GpValue) { .is_null = FALSE, .real = NAN };
  f->values[FIELD_OK] = (GpValue) { .is_null = FALSE, .logical = FALSE };
  gp_feature_set_text (layer, f, FIELD_NAME, "");

  /* 2: no geometry, no values */
  gp_layer_append (layer, NULL, 2);

  /* 3: a point with Z; a tiny real */
  shape = gp_shape_new (GP_SHAPE_POINT, GP_SHAPE_HAS_Z, 1, 0, 0);
  shape->xy[0] = 116.397128;
  shape->xy[1] = 39.916527;
  shape->z[0] = 43.5;
  f = gp_layer_append (layer, shape, 3);
  f->values[FIELD_RATIO] = (GpValue) { .is_null = FALSE, .real = 1e-300 };
  f->values[FIELD_COUNT] = (GpValue) { .is_null = FALSE, .integer = G_MAXINT64 };

  /* 4: one line → LineString */
  gp_layer_append (layer, shape_with (GP_SHAPE_LINE, 0, line_xy, 3, (guint[]) { 0 }, 1, NULL, 0), 4);
  /* 5: two lines → MultiLineString */
  gp_layer_append (layer, shape_with (GP_SHAPE_LINE, 0, line_xy, 3, (guint[]) { 0, 2 }, 2, NULL, 0), 5);
  /* 6: a multipoint of one point stays a MultiPoint */
  gp_layer_append (layer, shape_with (GP_SHAPE_MULTIPOINT, 0, line_xy, 1, NULL, 0, NULL, 0), 6);
  /* 7: one polygon that must be written as a MultiPolygon */
  gp_layer_append (layer, shape_with (GP_SHAPE_POLYGON, GP_SHAPE_FORCE_MULTI, holed_xy, 5,
                                      (guint[]) { 0 }, 1, first_polygon, 1), 7);
  /* 8: an empty polygon */
  gp_layer_append (layer, gp_shape_new (GP_SHAPE_POLYGON, 0, 0, 0, 0), 8);
  /* 9: a measured point: M is not GeoJSON */
  shape = gp_shape_new (GP_SHAPE_POINT, GP_SHAPE_HAS_M, 1, 0, 0);
  shape->xy[0] = 1;
  shape->xy[1] = 2;
  shape->m[0] = 99;
  gp_layer_append (layer, shape, 9);
  /* 10: a ring the source left open is closed, as RFC 7946 requires */
  gp_layer_append (layer, shape_with (GP_SHAPE_POLYGON, 0, holed_xy, 4, (guint[]) { 0 }, 1,
                                      first_polygon, 1), 10);
  return layer;
}

static JsonParser *
write_and_parse (GpLayer *layer, char **text)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "out.geojson", NULL);
  g_autoptr(GError) error = NULL;
  JsonParser *parser = json_parser_new ();
  GDir *listing;

  g_assert_true (gp_geojson_write_layer (layer, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, text, NULL, NULL));
  g_assert_true (json_parser_load_from_data (parser, *text, -1, &error));
  g_assert_no_error (error);

  /* Nothing but the output is left behind. */
  listing = g_dir_open (dir, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (listing), ==, "out.geojson");
  g_assert_null (g_dir_read_name (listing));
  g_dir_close (listing);
  gp_test_rmdir (dir);
  return parser;
}

static JsonObject *
geometry_of (JsonArray *features, guint i)
{
  JsonObject *feature = json_array_get_object_element (features, i);

  g_assert_cmpstr (json_object_get_string_member (feature, "type"), ==, "Feature");
  return json_object_get_object_member (feature, "geometry");
}

static JsonObject *
properties_of (JsonArray *features, guint i)
{
  return json_object_get_object_member (json_array_get_object_element (features, i), "properties");
}

/* Positions in a JSON array against n interleaved xy (exact, not approximately). */
static void
assert_positions (JsonArray *positions, const double *xy, guint n)
{
  g_assert_cmpuint (json_array_get_length (positions), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonArray *position = json_array_get_array_element (positions, i);

      g_assert_cmpuint (json_array_get_length (position), ==, 2);
      g_assert_cmpfloat (json_array_get_double_element (position, 0), ==, xy[2 * i]);
      g_assert_cmpfloat (json_array_get_double_element (position, 1), ==, xy[2 * i + 1]);
    }
}

static void
test_geometries (void)
{
  g_autoptr(GpLayer) layer = sample_layer ();
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = write_and_parse (layer, &text);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonArray *features = json_object_get_array_member (root, "features");
  JsonObject *g;
  JsonArray *coords, *position;

  g_assert_cmpstr (json_object_get_string_member (root, "type"), ==, "FeatureCollection");
  g_assert_false (json_object_has_member (root, "crs"));   /* RFC 7946 has none */
  g_assert_cmpuint (json_array_get_length (features), ==, 11);

  g = geometry_of (features, 0);
  g_assert_cmpstr (json_object_get_string_member (g, "type"), ==, "Polygon");
  coords = json_object_get_array_member (g, "coordinates");
  g_assert_cmpuint (json_array_get_length (coords), ==, 2);
  assert_positions (json_array_get_array_element (coords, 0), holed_xy, 5);
  assert_positions (json_array_get_array_element (coords, 1), holed_xy + 10, 5);

  g = geometry_of (features, 1);
  g_assert_cmpstr (json_object_get_string_member (g, "type"), ==, "MultiPolygon");
  coords = json_object_get_array_member (g, "coordinates");
  g_assert_cmpuint (json_array_get_length (coords), ==, 2);
  assert_positions (json_array_get_array_element (json_array_get_array_element (coords, 1), 0),
                    two_xy + 10, 5);

  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (
    json_array_get_object_element (features, 2), "geometry")));

  g = geometry_of (features, 3);
  g_assert_cmpstr (json_object_get_string_member (g, "type"), ==, "Point");
  position = json_object_get_array_member (g, "coordinates");
  g_assert_cmpuint (json_array_get_length (position), ==, 3);
  g_assert_cmpfloat (json_array_get_double_element (position, 0), ==, 116.397128);
  g_assert_cmpfloat (json_array_get_double_element (position, 1), ==, 39.916527);
  g_assert_cmpfloat (json_array_get_double_element (position, 2), ==, 43.5);

  g = geometry_of (features, 4);
  g_assert_cmpstr (json_object_get_string_member (g, "type"), ==, "LineString");
  assert_positions (json_object_get_array_member (g, "coordinates"), line_xy, 3);

  g = geometry_of (features, 5);
  g_assert_cmpstr (json_object_get_string_member (g, "type"), ==, "MultiLineString");
  coords = json_object_get_array_member (g, "coordinates");
  assert_positions (json_array_get_array_element (coords, 0), line_xy, 2);
  assert_positions (json_array_get_array_element (coords, 1), line_xy + 4, 1);

  g = geometry_of (features, 6);
  g_assert_cmpstr (json_object_get_string_member (g, "type"), ==, "MultiPoint");
  assert_positions (json_object_get_array_member (g, "coordinates"), line_xy, 1);

  g = geometry_of (features, 7);
  g_assert_cmpstr (json_object_get_string_member (g, "type"), ==, "MultiPolygon");
  coords = json_object_get_array_member (g, "coordinates");
  g_assert_cmpuint (json_array_get_length (coords), ==, 1);
  assert_positions (json_array_get_array_element (json_array_get_array_element (coords, 0), 0),
                    holed_xy, 5);

  g = geometry_of (features, 8);
  g_assert_cmpstr (json_object_get_string_member (g, "type"), ==, "Polygon");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (g, "coordinates")), ==, 0);

  g = geometry_of (features, 9);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (g, "coordinates")), ==, 2);

  g = geometry_of (features, 10);
  coords = json_object_get_array_member (g, "coordinates");
  assert_positions (json_array_get_array_element (coords, 0),
                    (double[]) { 0, 0, 0, 10, 10, 10, 10, 0, 0, 0 }, 5);
}

static void
test_properties (void)
{
  g_autoptr(GpLayer) layer = sample_layer ();
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = write_and_parse (layer, &text);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonArray *features = json_object_get_array_member (root, "features");
  JsonObject *p;
  JsonNode *node;

  p = properties_of (features, 0);
  g_assert_cmpuint (json_object_get_size (p), ==, 6);
  g_assert_cmpstr (json_object_get_string_member (p, "name"), ==, "He said \"hi\"\nnext\tline \\ end\x01");
  node = json_object_get_member (p, "count");
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (node), ==, 42);
  node = json_object_get_member (p, "ratio");
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (node), ==, 0.1);
  g_assert_cmpstr (json_object_get_string_member (p, "day"), ==, "2023-06-30");
  node = json_object_get_member (p, "ok");
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_BOOLEAN);
  g_assert_true (json_node_get_boolean (node));
  g_assert_cmpstr (json_object_get_string_member (p, "名称 \"x\""), ==, "东胜区 交通街道 «Ø»");

  p = properties_of (features, 1);
  g_assert_cmpint (json_object_get_int_member (p, "count"), ==, G_MININT64);
  g_assert_true (json_object_get_null_member (p, "ratio"));
  g_assert_false (json_object_get_boolean_member (p, "ok"));
  g_assert_cmpstr (json_object_get_string_member (p, "name"), ==, "");
  g_assert_true (json_object_get_null_member (p, "day"));

  p = properties_of (features, 2);
  g_assert_cmpuint (json_object_get_size (p), ==, 6);
  for (guint i = 0; i < 6; i++)
    g_assert_true (json_object_get_null_member (p, gp_layer_get_field (layer, i)->name));

  p = properties_of (features, 3);
  g_assert_cmpfloat (json_object_get_double_member (p, "ratio"), ==, 1e-300);
  g_assert_cmpint (json_object_get_int_member (p, "count"), ==, G_MAXINT64);

  /* The text itself: shortest numbers, escapes, UTF-8 as it is, one feature per line. */
  g_assert_nonnull (strstr (text, "\"ratio\":0.1,"));
  g_assert_nonnull (strstr (text, "\"ratio\":1e-300,"));
  g_assert_nonnull (strstr (text, "[-122.515048,37.708327]"));
  g_assert_nonnull (strstr (text, "[116.397128,39.916527,43.5]"));
  g_assert_nonnull (strstr (text, "[[[0,0],[0,10],[10,10],[10,0],[0,0]],"));
  g_assert_nonnull (strstr (text, "\"He said \\\"hi\\\"\\nnext\\tline \\\\ end\\u0001\""));
  g_assert_nonnull (strstr (text, "\"名称 \\\"x\\\"\":\"东胜区 交通街道 «Ø»\""));
  g_assert_nonnull (strstr (text, "\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]}}"));
  g_assert_null (strstr (text, "nan"));
}

/* Counts significant digits of a formatted number ("-0.00120" → 2, "1.5e-07" → 2). */
static guint
significant_digits (const char *s)
{
  g_autofree char *mantissa = g_strndup (s, strcspn (s, "eE"));
  GString *digits = g_string_new (NULL);
  guint n;

  for (const char *p = mantissa; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  while (digits->len > 0 && digits->str[0] == '0')
    g_string_erase (digits, 0, 1);
  while (digits->len > 0 && digits->str[digits->len - 1] == '0')
    g_string_truncate (digits, digits->len - 1);
  n = (guint) digits->len;
  g_string_free (digits, TRUE);
  return n;
}

static void
assert_shortest_exact (double x)
{
  char buf[GP_NUMBER_BUFSIZE], ref[64];
  gsize len = gp_geojson_format_number (x, buf);
  guint ref_digits = 17;

  g_assert_cmpuint (len, ==, strlen (buf));
  g_assert_cmpuint (len, <, GP_NUMBER_BUFSIZE);
  if (g_ascii_strtod (buf, NULL) != x)
    g_error ("%.17g written as %s does not read back", x, buf);
  for (int digits = 1; digits <= 17; digits++)
    {
      g_snprintf (ref, sizeof ref, "%.*e", digits - 1, x);
      if (g_ascii_strtod (ref, NULL) == x)
        {
          ref_digits = (guint) digits;
          break;
        }
    }
  /* printf's 15 digits are the floor outside the fast range (they only matter for
   * subnormals); inside it the form is the shortest there is. */
  if (significant_digits (buf) > MAX (ref_digits, 15)
      || (fabs (x) >= 1e-4 && fabs (x) < 1e15 && significant_digits (buf) > ref_digits))
    g_error ("%.17g written as %s, but %u digits are enough", x, buf, ref_digits);
  g_assert_null (strchr (buf, ','));
}

static void
test_numbers (void)
{
  static const struct { double x; const char *text; } known[] = {
    { 0.1, "0.1" }, { -122.515048, "-122.515048" }, { 1e-300, "1e-300" }, { 5.0, "5" },
    { -4, "-4" }, { 0.0, "0" }, { 37500000.0, "37500000" }, { 4429871.123, "4429871.123" },
    { 1e21, "1e+21" }, { 0.30000000000000004, "0.30000000000000004" }, { 116.39748382849123, NULL },
    { NAN, "null" }, { INFINITY, "null" }, { -INFINITY, "null" }, { 1.5e-7, "1.5e-07" },
    { 123456789012345.6, "123456789012345.6" }, { G_MAXDOUBLE, "1.7976931348623157e+308" },
    { 5e-324, NULL }, { 0.000123, "0.000123" }, { 0.0000123, "1.23e-05" },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240611);

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      char buf[GP_NUMBER_BUFSIZE];

      gp_geojson_format_number (known[i].x, buf);
      if (known[i].text != NULL)
        g_assert_cmpstr (buf, ==, known[i].text);
      if (isfinite (known[i].x))
        assert_shortest_exact (known[i].x);
    }

  /* Lon/lat and projected coordinates with 0-15 decimals, and doubles of any bit pattern. */
  for (int i = 0; i < 30000; i++)
    {
      double lon = g_rand_double_range (rand, 73, 135);
      double scale = pow (10, g_rand_int_range (rand, 0, 16));
      guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
      double any;

      assert_shortest_exact (lon);
      assert_shortest_exact (-round (lon * scale) / scale);
      assert_shortest_exact (round (g_rand_double_range (rand, 3e5, 4e7) * scale) / scale);
      memcpy (&any, &bits, sizeof any);
      if (isfinite (any))
        assert_shortest_exact (any);
    }
}

/* Desktop sessions run with LC_NUMERIC set to the user's locale; output must not care. */
static void
test_locale (void)
{
  static const char *locales[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "ru_RU.UTF-8" };
  char *old = g_strdup (setlocale (LC_NUMERIC, NULL));
  gboolean any = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (locales); i++)
    {
      char buf[GP_NUMBER_BUFSIZE];

      if (setlocale (LC_NUMERIC, locales[i]) == NULL)
        continue;
      any = TRUE;
      gp_geojson_format_number (116.39748382849123, buf);
      g_assert_null (strchr (buf, ','));
      gp_geojson_format_number (1e-300, buf);
      g_assert_cmpstr (buf, ==, "1e-300");
    }
  setlocale (LC_NUMERIC, old);
  g_free (old);
  if (!any)
    g_test_skip ("no locale with a decimal comma is installed");
}

static void
test_unwritable (void)
{
  g_autoptr(GpLayer) layer = sample_layer ();
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "missing", "out.geojson", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (gp_geojson_write_layer (layer, path, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_IO);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  gp_test_rmdir (dir);
}

/* mbostock's polygons.json (the reference users compare with) from the same shapes. */
static void
test_matches_mbostock (void)
{
  g_autofree char *reference = gp_test_shared_path ("corpus/mbostock/polygons.json");
  static const double xy[] = {
    0, 0, 0, 1, 1, 1, 1, 0, 0, 0,
    0, 0, 0, 4, 4, 4, 4, 0, 0, 0, 1, 1, 3, 1, 3, 3, 1, 3, 1, 1,
    2, 2, 2, 3, 3, 3, 3, 2, 2, 2, 4, 4, 4, 5, 5, 5, 5, 4, 4, 4,
  };
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(JsonParser) expected = json_parser_new ();
  g_autoptr(JsonParser) ours = NULL;
  g_autofree char *text = NULL;
  JsonArray *want, *got;

  if (reference == NULL)
    return;
  layer = gp_layer_new ("polygons");
  gp_layer_append (layer, shape_with (GP_SHAPE_POLYGON, 0, xy, 5, (guint[]) { 0 }, 1, first_polygon, 1), 0);
  gp_layer_append (layer, shape_with (GP_SHAPE_POLYGON, 0, xy + 10, 10, (guint[]) { 0, 5 }, 2,
                                      first_polygon, 1), 1);
  gp_layer_append (layer, shape_with (GP_SHAPE_POLYGON, 0, xy + 30, 10, (guint[]) { 0, 5 }, 2,
                                      two_polygons, 2), 2);
  ours = write_and_parse (layer, &text);
  g_assert_true (json_parser_load_from_file (expected, reference, NULL));

  want = json_object_get_array_member (json_node_get_object (json_parser_get_root (expected)), "features");
  got = json_object_get_array_member (json_node_get_object (json_parser_get_root (ours)), "features");
  g_assert_cmpuint (json_array_get_length (got), ==, json_array_get_length (want));
  for (guint i = 0; i < json_array_get_length (want); i++)
    g_assert_true (json_node_equal (json_object_get_member (json_array_get_object_element (want, i), "geometry"),
                                    json_object_get_member (json_array_get_object_element (got, i), "geometry")));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geojson/geometries", test_geometries);
  g_test_add_func ("/geojson/properties", test_properties);
  g_test_add_func ("/geojson/numbers", test_numbers);
  g_test_add_func ("/geojson/locale", test_locale);
  g_test_add_func ("/geojson/unwritable", test_unwritable);
  g_test_add_func ("/geojson/matches-mbostock", test_matches_mbostock);

  return g_test_run ();
}
