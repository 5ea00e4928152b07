/* gp-xlsx.c: an Excel/WPS workbook (.xlsx) read as rows of text cells: libzip for the package, libxml2 for its sheets; numbers kept as Excel wrote them. */
#include "gp-config.h"

#include "gp-xlsx.h"

#include <glib/gi18n-lib.h>
#include <libxml/xmlreader.h>
#include <string.h>
#include <zip.h>

#include "gp-error.h"

/* The relationships namespace of r:id in workbook.xml (transitional and strict). */
#define REL_NS        "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_NS_STRICT "http://purl.oclc.org/ooxml/officeDocument/relationships"
/* A part larger than this is not read (a roster sheet is a few MB at most). */
#define PART_MAX (256u * 1024u * 1024u)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlTextReader, xmlFreeTextReader)

/* The bytes of the package part NAME, or NULL (with ERROR when ERROR is wanted). */
static GBytes *
part_read (zip_t *zip, const char *path, const char *name, gboolean required, GError **error)
{
  zip_stat_t st;
  zip_file_t *file;
  guint8 *data;
  zip_int64_t got;

  zip_stat_init (&st);
  if (zip_stat (zip, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
    {
      if (required)
        g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: not an Excel workbook: it has no %s"), path, name);
      return NULL;
    }
  if (st.size > PART_MAX)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: %s is too large to be a roster"), path, name);
      return NULL;
    }
  file = zip_fopen (zip, name, 0);
  if (file == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: cannot read %s in the workbook"), path, name);
      return NULL;
    }
  data = g_malloc (st.size + 1);
  got = zip_fread (file, data, st.size);
  zip_fclose (file);
  if (got < 0 || (zip_uint64_t) got != st.size)
    {
      g_free (data);
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: %s in the workbook is damaged"), path, name);
      return NULL;
    }
  data[st.size] = '\0';
  return g_bytes_new_take (data, st.size);
}

static xmlTextReader *
reader_for (GBytes *bytes)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  /* No network, and entities are not expanded: a workbook is data. */
  return xmlReaderForMemory (data, (int) length, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static gboolean
is_element (xmlTextReader *r, const char *name)
{
  return xmlTextReaderNodeType (r) == XML_READER_TYPE_ELEMENT
         && g_strcmp0 ((const char *) xmlTextReaderConstLocalName (r), name) == 0;
}

static gboolean
is_end (xmlTextReader *r, const char *name)
{
  return xmlTextReaderNodeType (r) == XML_READER_TYPE_END_ELEMENT
         && g_strcmp0 ((const char *) xmlTextReaderConstLocalName (r), name) == 0;
}

static char *
attribute (xmlTextReader *r, const char *name)
{
  xmlChar *v = xmlTextReaderGetAttribute (r, (const xmlChar *) name);
  char *copy = v != NULL ? g_strdup ((const char *) v) : NULL;

  xmlFree (v);
  return copy;
}

/* The text of the element the reader is on, all its <t> descendants joined, phonetic runs
 * (<rPh>) left out. Leaves the reader on its end. */
static char *
element_text (xmlTextReader *r, const char *element)
{
  GString *text = g_string_new (NULL);
  gint skip = 0;

  if (xmlTextReaderIsEmptyElement (r))
    return g_string_free (text, FALSE);
  while (xmlTextReaderRead (r) == 1 && !is_end (r, element))
    {
      if (is_element (r, "rPh") && !xmlTextReaderIsEmptyElement (r))
        skip++;
      else if (is_end (r, "rPh"))
        skip--;
      else if (skip == 0 && (xmlTextReaderNodeType (r) == XML_READER_TYPE_TEXT
                             || xmlTextReaderNodeType (r) == XML_READER_TYPE_SIGNIFICANT_WHITESPACE))
        g_string_append (text, (const char *) xmlTextReaderConstValue (r));
    }
  return g_string_free (text, FALSE);
}

static GPtrArray *
shared_strings (GBytes *bytes)
{
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(xmlTextReader) r = bytes != NULL ? reader_for (bytes) : NULL;

  while (r != NULL && xmlTextReaderRead (r) == 1)
    if (is_element (r, "si"))
      g_ptr_array_add (strings, element_text (r, "si"));
  return strings;
}

/* The sheets of the workbook: names and the parts they are in. */
static gboolean
sheet_parts (zip_t *zip, const char *path, GPtrArray *names, GPtrArray *parts, GError **error)
{
  g_autoptr(GBytes) book = part_read (zip, path, "xl/workbook.xml", TRUE, error);
  g_autoptr(GBytes) rels = NULL;
  g_autoptr(GHashTable) targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(xmlTextReader) r = NULL;

  if (book == NULL)
    return FALSE;
  rels = part_read (zip, path, "xl/_rels/workbook.xml.rels", TRUE, error);
  if (rels == NULL)
    return FALSE;
  r = reader_for (rels);
  while (r != NULL && xmlTextReaderRead (r) == 1)
    if (is_element (r, "Relationship"))
      {
        char *id = attribute (r, "Id"), *target = attribute (r, "Target");

        if (id == NULL || target == NULL)
          {
            g_free (id);
            g_free (target);
            continue;
          }
        /* Targets are relative to xl/, or absolute from the package root. */
        g_hash_table_insert (targets, id,
                             target[0] == '/' ? g_strdup (target + 1) : g_strconcat ("xl/", target, NULL));
        g_free (target);
      }
  g_clear_pointer (&r, xmlFreeTextReader);
  r = reader_for (book);
  while (r != NULL && xmlTextReaderRead (r) == 1)
    if (is_element (r, "sheet"))
      {
        g_autofree char *name = attribute (r, "name");
        xmlChar *id = xmlTextReaderGetAttributeNs (r, (const xmlChar *) "id", (const xmlChar *) REL_NS);
        const char *target;

        if (id == NULL)
          id = xmlTextReaderGetAttributeNs (r, (const xmlChar *) "id", (const xmlChar *) REL_NS_STRICT);
        target = id != NULL ? g_hash_table_lookup (targets, (const char *) id) : NULL;
        xmlFree (id);
        if (name == NULL || target == NULL)
          continue;
        g_ptr_array_add (names, g_steal_pointer (&name));
        g_ptr_array_add (parts, g_strdup (target));
      }
  if (names->len == 0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: the workbook has no sheet"), path);
      return FALSE;
    }
  return TRUE;
}

/* The 0-based column of a cell reference ("C12" → 2), or −1. */
static gint
column_of (const char *ref)
{
  gint col = 0, letters = 0;

  for (const char *p = ref; p != NULL && g_ascii_isalpha (*p); p++, letters++)
    col = col * 26 + (g_ascii_toupper (*p) - 'A' + 1);
  return letters > 0 && letters <= 3 ? col - 1 : -1;
}

/* One <c> element: its text as the planner sees it. */
static char *
cell_text (xmlTextReader *r, const char *type, GPtrArray *strings)
{
  g_autofree char *value = NULL;
  char *inline_text = NULL;

  if (xmlTextReaderIsEmptyElement (r))
    return g_strdup ("");
  while (xmlTextReaderRead (r) == 1 && !is_end (r, "c"))
    {
      if (is_element (r, "v"))
        {
          g_free (value);
          value = element_text (r, "v");
        }
      else if (is_element (r, "is"))
        {
          g_free (inline_text);
          inline_text = element_text (r, "is");
        }
    }
  if (g_strcmp0 (type, "inlineStr") == 0)
    return inline_text != NULL ? inline_text : g_strdup ("");
  g_free (inline_text);
  if (value == NULL)
    return g_strdup ("");
  if (g_strcmp0 (type, "s") == 0)
    {
      guint64 i = g_ascii_strtoull (value, NULL, 10);

      return g_strdup (i < strings->len ? g_ptr_array_index (strings, i) : "");
    }
  if (g_strcmp0 (type, "b") == 0)
    return g_strdup (g_strcmp0 (value, "1") == 0 ? "TRUE" : "FALSE");
  if (g_strcmp0 (type, "e") == 0)
    return g_strdup ("");
  /* Numbers and formula strings as Excel wrote them: 15800008642, 1.50621190009078E+17. */
  return g_steal_pointer (&value);
}

static void
read_rows (GBytes *sheet, GPtrArray *strings, GPtrArray *rows)
{
  g_autoptr(xmlTextReader) r = reader_for (sheet);
  GpTableRow *row = NULL;
  guint next_line = 1;

  while (r != NULL && xmlTextReaderRead (r) == 1)
    {
      if (is_element (r, "row"))
        {
          g_autofree char *number = attribute (r, "r");

          row = g_new0 (GpTableRow, 1);
          row->line = number != NULL ? (guint) g_ascii_strtoull (number, NULL, 10) : next_line;
          next_line = row->line + 1;
          row->cells = g_ptr_array_new_with_free_func (g_free);
          if (xmlTextReaderIsEmptyElement (r))
            {
              gp_table_row_free (g_steal_pointer (&row));
              continue;
            }
        }
      else if (row != NULL && is_element (r, "c"))
        {
          g_autofree char *ref = attribute (r, "r");
          g_autofree char *type = attribute (r, "t");
          gint col = ref != NULL ? column_of (ref) : (gint) row->cells->len;
          char *text = cell_text (r, type, strings);

          if (col < 0 || col > 16383)
            {
              g_free (text);
              continue;
            }
          while (row->cells->len < (guint) col)
            g_ptr_array_add (row->cells, g_strdup (""));
          if ((guint) col < row->cells->len)
            {
              g_free (g_ptr_array_index (row->cells, col));
              row->cells->pdata[col] = g_strstrip (text);
            }
          else
            g_ptr_array_add (row->cells, g_strstrip (text));
        }
      else if (row != NULL && is_end (r, "row"))
        {
          gboolean blank = TRUE;

          for (guint i = 0; i < row->cells->len && blank; i++)
            blank = *(const char *) g_ptr_array_index (row->cells, i) == '\0';
          if (blank)
            gp_table_row_free (row);
          else
            g_ptr_array_add (rows, row);
          row = NULL;
        }
    }
  gp_table_row_free (row);
}

GpTable *
gp_xlsx_read_table (const char *path, const char *sheet, GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) strings = NULL;
  g_autoptr(GBytes) shared = NULL, data = NULL;
  GpTable *table = NULL;
  zip_t *zip;
  int zerr = 0;
  guint chosen = 0;

  zip = zip_open (path, ZIP_RDONLY, &zerr);
  if (zip == NULL)
    {
      if (zerr == ZIP_ER_NOENT || zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ)
        g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot open the workbook"), path);
      else
        g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: not an Excel workbook (.xlsx)"), path);
      return NULL;
    }
  if (!sheet_parts (zip, path, names, parts, error))
    goto out;
  if (sheet != NULL)
    {
      g_autoptr(GString) all = g_string_new (NULL);

      for (chosen = 0; chosen < names->len; chosen++)
        if (g_strcmp0 (g_ptr_array_index (names, chosen), sheet) == 0)
          break;
      if (chosen == names->len)
        {
          for (guint i = 0; i < names->len; i++)
            g_string_append_printf (all, "%s“%s”", i > 0 ? _(", ") : "", (const char *) g_ptr_array_index (names, i));
          g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, _("%s: no sheet “%s” (the sheets: %s)"), path, sheet,
                       all->str);
          goto out;
        }
    }
  shared = part_read (zip, path, "xl/sharedStrings.xml", FALSE, NULL);
  strings = shared_strings (shared);
  data = part_read (zip, path, g_ptr_array_index (parts, chosen), TRUE, error);
  if (data == NULL)
    goto out;
  table = g_new0 (GpTable, 1);
  table->encoding = g_strdup ("UTF-8");
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_table_row_free);
  read_rows (data, strings, table->rows);

out:
  zip_discard (zip);
  return table;
}
