/* test-json.c: JSON text with numbers as people read them: shortest exact doubles, rounding by meaning, escapes. */
#include "src/io/gp-json.h"

#include <math.h>
#include <string.h>

static char *
text_of_double (double v)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_double (node, v);
  return gp_json_to_text (node, FALSE);
}

static void
test_numbers (void)
{
  static const struct { double v; const char *text; } cases[] = {
    { 0.15, "0.15" }, { 0.1 + 0.2, "0.30000000000000004" }, { 12.0, "12" }, { -3.0, "-3" },
    { 1e-7, "1e-07" }, { 1000556.46, "1000556.46" }, { -0.0, "0" }, { 2.5e20, "2.5e+20" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = text_of_double (cases[i].v);

      g_assert_cmpstr (text, ==, cases[i].text);
      /* Exact: it reads back as the very same number. */
      g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==, cases[i].v);
    }
  {
    g_autofree char *nan = text_of_double (NAN);

    g_assert_cmpstr (nan, ==, "null");
  }
}

static void
test_round (void)
{
  g_autofree char *a = text_of_double (gp_json_round (0.1 + 0.2, 0.001));
  g_autofree char *b = text_of_double (gp_json_round (1234.56789, 0.01));
  g_autofree char *c = text_of_double (gp_json_round (0.14999999999999999, 0.001));

  g_assert_cmpstr (a, ==, "0.3");
  g_assert_cmpstr (b, ==, "1234.57");
  g_assert_cmpstr (c, ==, "0.15");
  g_assert_cmpfloat (gp_json_round (INFINITY, 0.01), ==, 0.0);
  g_assert_cmpfloat (gp_json_round (-0.0001, 0.01), ==, 0.0);
}

static void
test_tree (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *flat = NULL, *pretty = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "名称");
  json_builder_add_string_value (b, "宏泰社区 \"一\"\n\t\\");
  json_builder_set_member_name (b, "list");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, 7);
  json_builder_add_boolean_value (b, TRUE);
  json_builder_add_null_value (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "empty");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  flat = gp_json_to_text (root, FALSE);
  g_assert_cmpstr (flat, ==, "{\"名称\":\"宏泰社区 \\\"一\\\"\\n\\t\\\\\",\"list\":[7,true,null],\"empty\":{}}");
  pretty = gp_json_to_text (root, TRUE);
  g_assert_nonnull (strstr (pretty, "\n  \"list\" : [\n    7,"));
  /* Both read back as the same tree. */
  g_assert_true (json_parser_load_from_data (parser, pretty, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "名称"), ==,
                   "宏泰社区 \"一\"\n\t\\");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/numbers", test_numbers);
  g_test_add_func ("/json/round", test_round);
  g_test_add_func ("/json/tree", test_tree);
  return g_test_run ();
}
