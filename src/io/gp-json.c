/* gp-json.c: JSON text with numbers written as people read them. */
#include "gp-config.h"

#include "gp-json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

double
gp_json_round (double v, double step)
{
  double r;

  if (!isfinite (v) || !(step > 0.0))
    return isfinite (v) ? v : 0.0;
  r = round (v / step) * step;
  /* 0.1 × 3 is 0.30000000000000004: take the shortest decimal of the rounded value. */
  {
    char text[32];
    int digits = (int) MAX (0.0, ceil (-log10 (step)));

    g_snprintf (text, sizeof text, "%.*f", MIN (digits, 17), r);
    r = g_ascii_strtod (text, NULL);
  }
  return r == 0.0 ? 0.0 : r;
}

static void
append_double (GString *out, double v)
{
  char text[40];

  if (!isfinite (v))
    {
      g_string_append (out, "null");
      return;
    }
  if (v == floor (v) && fabs (v) < 9007199254740992.0)
    {
      g_string_append_printf (out, "%.0f", v == 0.0 ? 0.0 : v);
      return;
    }
  /* The fewest significant digits that read back as the very same double. */
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (text, sizeof text, format, v);
      if (g_ascii_strtod (text, NULL) == v)
        break;
    }
  g_string_append (out, text);
}

static void
append_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; p != NULL && *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
newline (GString *out, gboolean pretty, guint depth)
{
  if (!pretty)
    return;
  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void
append_node (GString *out, JsonNode *node, gboolean pretty, guint depth)
{
  switch (node != NULL ? JSON_NODE_TYPE (node) : JSON_NODE_NULL)
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        GList *members = json_object_get_members (object);
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        for (GList *m = members; m != NULL; m = m->next)
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            newline (out, pretty, depth + 1);
            append_string (out, m->data);
            g_string_append (out, pretty ? " : " : ":");
            append_node (out, json_object_get_member (object, m->data), pretty, depth + 1);
          }
        g_list_free (members);
        if (!first)
          newline (out, pretty, depth);
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            newline (out, pretty, depth + 1);
            append_node (out, json_array_get_element (array, i), pretty, depth + 1);
          }
        if (n > 0)
          newline (out, pretty, depth);
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
          break;
        }
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

char *
gp_json_to_text (JsonNode *root, gboolean pretty)
{
  GString *out = g_string_new (NULL);

  append_node (out, root, pretty, 0);
  return g_string_free (out, FALSE);
}
