/* gp-import.c: bringing areas, units and households into a project: field guessing, parents by
 * code or by location, reprojection into the project CRS, all in one transaction. */
#include "gp-config.h"

#include "gp-project.h"
#include "gp-project-private.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <proj.h>
#include <string.h>

#include "gp-error.h"
#include "gp-geom.h"
#include "gp-gpkg.h"
#include "gp-wkb.h"

/* How many record numbers a note lists before it says "…". */
#define NOTE_RECORDS 5

/* ---------------------------------------------------------------------------------------------
 * Field guessing
 * ------------------------------------------------------------------------------------------- */

/* Names seen in files from Chinese statistics bureaus, civil affairs GIS, Tianditu/DataV
 * exports and English tools, most telling first. Matching ignores case. */
static const char *const area_code_names[] = {
  "代码", "编码", "区划代码", "统计用区划代码", "行政代码", "行政区划代码", "区划编码", "区划码",
  "社区代码", "村代码", "村居代码", "街道代码", "乡镇代码", "CODE", "ADCODE", "AD_CODE", "GB",
  "XZQDM", "XZQHDM", "QHDM", "DM", "BM", "ID", NULL
};
static const char *const unit_code_names[] = {
  "代码", "编码", "小区代码", "小区编码", "单元代码", "单元编码", "楼栋代码", "楼栋编码",
  "组代码", "组编码", "村民小组代码", "小组代码", "CODE", "UNIT_CODE", "UNITCODE", "BM", "DM",
  "ID", NULL
};
static const char *const household_code_names[] = {
  "代码", "编码", "户代码", "户编码", "户号", "住户编码", "CODE", "HH_CODE", "HOUSEHOLD_ID",
  "HHID", "ID", NULL
};
static const char *const area_name_names[] = {
  "名称", "名字", "村名", "社区名称", "村名称", "村居名称", "街道名称", "乡镇名称", "区划名称",
  "行政区划名称", "单位名称", "NAME", "XZQMC", "QHMC", "MC", "NAME_CN", "CNAME", "FULLNAME",
  NULL
};
static const char *const unit_name_names[] = {
  "名称", "名字", "小区名称", "小区名", "小区", "单元名称", "楼栋名称", "楼栋", "组名",
  "组名称", "村民小组", "小组名称", "NAME", "MC", "NAME_CN", "CNAME", NULL
};
static const char *const household_name_names[] = {
  "户主", "户主姓名", "名称", "姓名", "NAME", "HEAD", NULL
};
static const char *const households_names[] = {
  "户数", "总户数", "住户数", "户", "家庭户数", "居民户数", "常住户数", "户籍户数", "实有户数",
  "HH", "HHS", "HOUSEHOLDS", "HOUSEHOLD", "HH_COUNT", "HH_NUM", "NUM_HH", "HU", NULL
};
static const char *const area_parent_names[] = {
  "所属代码", "所属编码", "所属社区", "所属村", "所属街道", "所属乡镇", "所属乡镇街道", "上级代码", "父代码", "上级编码",
  "上级区划代码", "上级", "PARENT", "PARENT_CODE", "PARENTCODE", "PCODE", "P_CODE", "SJDM",
  NULL
};
static const char *const unit_parent_names[] = {
  "所属代码", "所属编码", "所属社区", "所属村", "所属村居", "所属社区代码", "所属村代码", "所属区划代码", "社区代码",
  "村代码", "社区编码", "村编码", "村居代码", "区划代码", "统计用区划代码", "行政代码",
  "社区名称", "村名称", "社区", "村", "所属街道", "上级代码", "父代码", "AREA_CODE", "AREACODE",
  "AREA", "ADCODE", "XZQDM", "PARENT", "PARENT_CODE", "COMMUNITY", "VILLAGE", NULL
};
static const char *const site_name_names[] = {
  "名称", "名字", "单位名称", "场所名称", "专属网格名称", "网格名称", "机构名称", "企业名称", "学校名称",
  "NAME", "MC", "NAME_CN", "CNAME", NULL
};
static const char *const level_names[] = {
  "级别", "层级", "等级", "行政级别", "区划级别", "LEVEL", "ADLEVEL", "GRADE", NULL
};
static const char *const kind_names[] = {
  "城乡分类代码", "城乡分类", "城乡类型", "城乡属性", "城乡", "类型", "类别", "KIND", "TYPE",
  "URBAN_RURAL", "UR_CODE", NULL
};

static gboolean
field_name_equal (const char *a, const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);
  g_autofree char *sa = g_strstrip (g_strdup (fa));
  g_autofree char *sb = g_strstrip (g_strdup (fb));

  return strcmp (sa, sb) == 0;
}

static gboolean
field_taken (const int fields[GP_IMPORT_N_ROLES], int index)
{
  for (int r = 0; r < GP_IMPORT_N_ROLES; r++)
    if (fields[r] == index)
      return TRUE;
  return FALSE;
}

static int
find_named_field (GpLayer *layer, const char *const *names, const int fields[GP_IMPORT_N_ROLES])
{
  guint n = gp_layer_get_n_fields (layer);

  for (gsize c = 0; names[c] != NULL; c++)
    for (guint i = 0; i < n; i++)
      if (!field_taken (fields, (int) i) && field_name_equal (gp_layer_get_field (layer, i)->name, names[c]))
        return (int) i;
  return -1;
}

/* A second chance for names like "社区编码1" or "HOUSEHOLDS_2020": the first free field whose
 * name contains one of the words, never one that points at a parent. */
static int
find_field_containing (GpLayer *layer, const char *const *words, const int fields[GP_IMPORT_N_ROLES])
{
  static const char *const parent_words[] = { "所属", "上级", "父", "parent", NULL };
  guint n = gp_layer_get_n_fields (layer);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_utf8_casefold (gp_layer_get_field (layer, i)->name, -1);
      gboolean parent = FALSE;

      if (field_taken (fields, (int) i))
        continue;
      for (gsize w = 0; parent_words[w] != NULL; w++)
        parent = parent || strstr (name, parent_words[w]) != NULL;
      if (parent)
        continue;
      for (gsize w = 0; words[w] != NULL; w++)
        if (strstr (name, words[w]) != NULL)
          return (int) i;
    }
  return -1;
}

static const char *
role_label (GpImportRole role)
{
  switch (role)
    {
    case GP_IMPORT_ROLE_CODE: return _("the code");
    case GP_IMPORT_ROLE_NAME: return _("the name");
    case GP_IMPORT_ROLE_HOUSEHOLDS: return C_("field role", "households");
    case GP_IMPORT_ROLE_PARENT: return _("the parent area");
    case GP_IMPORT_ROLE_LEVEL: return _("the level");
    case GP_IMPORT_ROLE_KIND: return _("urban/rural");
    case GP_IMPORT_N_ROLES:
    default: return "";
    }
}

gboolean
_gp_import_map_fields (GpLayer *layer, GpImportKind kind, const GpFieldMap *map,
                       int fields[GP_IMPORT_N_ROLES], GPtrArray *notes, GError **error)
{
  static const char *const code_words[] = { "代码", "编码", "code", NULL };
  static const char *const name_words[] = { "名称", "name", NULL };
  static const char *const households_words[] = { "户数", "household", NULL };
  const char *given[GP_IMPORT_N_ROLES] = { NULL };
  const char *const *names[GP_IMPORT_N_ROLES] = { NULL };
  const char *source = gp_layer_get_source_path (layer) != NULL ? gp_layer_get_source_path (layer)
                                                                 : gp_layer_get_name (layer);

  if (map != NULL)
    {
      given[GP_IMPORT_ROLE_CODE] = map->code_field;
      given[GP_IMPORT_ROLE_NAME] = map->name_field;
      given[GP_IMPORT_ROLE_HOUSEHOLDS] = map->households_field;
      given[GP_IMPORT_ROLE_PARENT] = map->parent_field;
    }
  switch (kind)
    {
    case GP_IMPORT_AREAS:
      names[GP_IMPORT_ROLE_CODE] = area_code_names;
      names[GP_IMPORT_ROLE_NAME] = area_name_names;
      names[GP_IMPORT_ROLE_PARENT] = area_parent_names;
      names[GP_IMPORT_ROLE_LEVEL] = level_names;
      names[GP_IMPORT_ROLE_KIND] = kind_names;
      break;
    case GP_IMPORT_UNITS:
      names[GP_IMPORT_ROLE_CODE] = unit_code_names;
      names[GP_IMPORT_ROLE_NAME] = unit_name_names;
      names[GP_IMPORT_ROLE_PARENT] = unit_parent_names;
      break;
    case GP_IMPORT_EXCLUSIVE:
      /* The grid codes are ours to give; a site's own code in the file is not one. */
      names[GP_IMPORT_ROLE_NAME] = site_name_names;
      names[GP_IMPORT_ROLE_PARENT] = unit_parent_names;
      break;
    case GP_IMPORT_HOUSEHOLDS:
    default:
      names[GP_IMPORT_ROLE_CODE] = household_code_names;
      names[GP_IMPORT_ROLE_NAME] = household_name_names;
      names[GP_IMPORT_ROLE_PARENT] = unit_parent_names;
      break;
    }
  if (kind != GP_IMPORT_HOUSEHOLDS)
    names[GP_IMPORT_ROLE_HOUSEHOLDS] = households_names;

  for (int r = 0; r < GP_IMPORT_N_ROLES; r++)
    fields[r] = -1;

  /* Names the user gave come first and must exist. */
  for (int r = 0; r < GP_IMPORT_N_ROLES; r++)
    {
      if (given[r] == NULL || *given[r] == '\0')
        continue;
      fields[r] = -1;
      for (guint i = 0; i < gp_layer_get_n_fields (layer); i++)
        if (field_name_equal (gp_layer_get_field (layer, i)->name, given[r]))
          {
            fields[r] = (int) i;
            break;
          }
      if (fields[r] < 0)
        {
          g_autoptr(GString) list = g_string_new (NULL);

          for (guint i = 0; i < gp_layer_get_n_fields (layer); i++)
            g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", gp_layer_get_field (layer, i)->name);
          g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, _("%s: no field “%s”; the fields are: %s"),
                       source, given[r], list->len > 0 ? list->str : _("(none)"));
          return FALSE;
        }
    }

  /* Exact names in the order of the lists, then names that contain a telling word. */
  for (int r = 0; r < GP_IMPORT_N_ROLES; r++)
    if (fields[r] < 0 && (given[r] == NULL || *given[r] == '\0') && names[r] != NULL)
      fields[r] = find_named_field (layer, names[r], fields);
  if (fields[GP_IMPORT_ROLE_CODE] < 0 && given[GP_IMPORT_ROLE_CODE] == NULL && kind != GP_IMPORT_EXCLUSIVE)
    fields[GP_IMPORT_ROLE_CODE] = find_field_containing (layer, code_words, fields);
  if (fields[GP_IMPORT_ROLE_NAME] < 0 && given[GP_IMPORT_ROLE_NAME] == NULL)
    fields[GP_IMPORT_ROLE_NAME] = find_field_containing (layer, name_words, fields);
  if (fields[GP_IMPORT_ROLE_HOUSEHOLDS] < 0 && given[GP_IMPORT_ROLE_HOUSEHOLDS] == NULL
      && names[GP_IMPORT_ROLE_HOUSEHOLDS] != NULL)
    fields[GP_IMPORT_ROLE_HOUSEHOLDS] = find_field_containing (layer, households_words, fields);

  if (notes != NULL)
    for (int r = 0; r < GP_IMPORT_N_ROLES; r++)
      if (fields[r] >= 0 && (given[r] == NULL || *given[r] == '\0'))
        g_ptr_array_add (notes, g_strdup_printf (_("guessed %s from field %s"), role_label (r),
                                                 gp_layer_get_field (layer, fields[r])->name));
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------------------------------- */

/* Text of any value: codes come as numbers from DBFs (N 12 0) as often as text. */
static char *
value_to_text (GpLayer *layer, GpFeature *feature, int field)
{
  const GpValue *value;
  char *text = NULL;

  if (field < 0)
    return NULL;
  value = &feature->values[field];
  if (value->is_null)
    return NULL;
  switch (gp_layer_get_field (layer, (guint) field)->type)
    {
    case GP_FIELD_STRING:
      text = g_strstrip (g_strdup (value->text != NULL ? value->text : ""));
      break;
    case GP_FIELD_INTEGER:
      text = g_strdup_printf ("%" G_GINT64_FORMAT, value->integer);
      break;
    case GP_FIELD_REAL:
      if (!isfinite (value->real))
        return NULL;
      if (value->real == floor (value->real) && fabs (value->real) < 1e17)
        text = g_strdup_printf ("%.0f", value->real);
      else
        text = g_strdup_printf ("%.15g", value->real);
      break;
    case GP_FIELD_DATE:
      text = g_strdup_printf ("%04u-%02u-%02u", value->date.year, value->date.month, value->date.day);
      break;
    case GP_FIELD_LOGICAL:
      text = g_strdup (value->logical ? "true" : "false");
      break;
    default:
      break;
    }
  if (text != NULL && *text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* A household count: a non-negative whole number, from a number or from text like "120". */
static gboolean
value_to_count (GpLayer *layer, GpFeature *feature, int field, gint64 *count)
{
  g_autofree char *text = NULL;
  char *end = NULL;
  double number;

  if (field < 0 || feature->values[field].is_null)
    return FALSE;
  switch (gp_layer_get_field (layer, (guint) field)->type)
    {
    case GP_FIELD_INTEGER:
      *count = feature->values[field].integer;
      return *count >= 0;
    case GP_FIELD_REAL:
      number = feature->values[field].real;
      break;
    case GP_FIELD_STRING:
      text = value_to_text (layer, feature, field);
      if (text == NULL)
        return FALSE;
      number = g_ascii_strtod (text, &end);
      if (end == text || *end != '\0')
        return FALSE;
      break;
    case GP_FIELD_DATE:
    case GP_FIELD_LOGICAL:
    default:
      return FALSE;
    }
  if (!isfinite (number) || number < 0 || number > 1e12)
    return FALSE;
  *count = (gint64) llround (number);
  return TRUE;
}

/* "records 3, 8, 12, 15, 20 and 7 more" for a note. */
static char *
format_records (GArray *records)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < records->len && i < NOTE_RECORDS; i++)
    g_string_append_printf (text, "%s%u", i > 0 ? ", " : "", g_array_index (records, guint, i));
  if (records->len > NOTE_RECORDS)
    g_string_append_printf (text, _(" and %u more"), records->len - NOTE_RECORDS);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---------------------------------------------------------------------------------------------
 * Codes and names of areas
 * ------------------------------------------------------------------------------------------- */

static gboolean
is_digits (const char *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* Significant length of a statistical division code (GB/T 10114): 2 province, 4 city,
 * 6 county, 9 township, 12 village; trailing zero groups are padding. 0 when not such a code. */
static int
code_level_length (const char *code)
{
  static const int lengths[] = { 2, 4, 6, 9 };
  size_t len = code != NULL ? strlen (code) : 0;

  if (!is_digits (code) || (len != 6 && len != 9 && len != 12))
    return 0;
  for (gsize i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      gboolean zeros = TRUE;

      if ((size_t) lengths[i] >= len)
        return (int) len;
      for (size_t j = lengths[i]; j < len; j++)
        zeros = zeros && code[j] == '0';
      if (zeros)
        return lengths[i];
    }
  return (int) len;
}

static const char *
level_from_code (const char *code)
{
  switch (code_level_length (code))
    {
    case 2: return "province";
    case 4: return "city";
    case 6: return "county";
    case 9: return "township";
    case 12: return "village";
    default: return NULL;
    }
}

static const char *
level_from_name (const char *name)
{
  static const struct { const char *suffix; const char *level; } suffixes[] = {
    { "居委会", "village" }, { "村委会", "village" }, { "社区", "village" }, { "嘎查", "village" },
    { "村", "village" }, { "街道办事处", "township" }, { "街道", "township" },
    { "苏木", "township" }, { "镇", "township" }, { "乡", "township" }, { "县", "county" },
    { "旗", "county" }, { "区", "county" }, { "市", "city" },
  };

  if (name == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (name, suffixes[i].suffix))
      return suffixes[i].level;
  return NULL;
}

/* urban/rural from a kind field: NBS urban-rural codes (1xx urban, 2xx rural) or words. */
static const char *
kind_from_value (const char *value)
{
  g_autofree char *folded = NULL;

  if (value == NULL)
    return NULL;
  if (is_digits (value))
    return value[0] == '1' ? "urban" : value[0] == '2' ? "rural" : NULL;
  folded = g_utf8_casefold (value, -1);
  if (strstr (folded, "urban") != NULL || strstr (folded, "城") != NULL
      || strstr (folded, "社区") != NULL || strstr (folded, "居委") != NULL)
    return "urban";
  if (strstr (folded, "rural") != NULL || strstr (folded, "乡") != NULL
      || strstr (folded, "农") != NULL || strstr (folded, "村") != NULL
      || strstr (folded, "牧") != NULL || strstr (folded, "嘎查") != NULL)
    return "rural";
  return NULL;
}

/* Communities (社区, 居委会) and streets (街道) are urban; villages (村, 嘎查), towns, townships
 * and sumu are rural. */
static const char *
kind_from_name (const char *name)
{
  static const struct { const char *suffix; const char *kind; } suffixes[] = {
    { "居民委员会", "urban" }, { "村民委员会", "rural" }, { "社区", "urban" }, { "居委会", "urban" },
    { "街道", "urban" }, { "街道办事处", "urban" }, { "村委会", "rural" }, { "嘎查", "rural" },
    { "村", "rural" }, { "苏木", "rural" }, { "镇", "rural" }, { "乡", "rural" },
  };

  /* Suffixes only: 村 inside a name (新村路社区) says nothing. */
  if (name == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (name, suffixes[i].suffix))
      return suffixes[i].kind;
  return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * The import
 * ------------------------------------------------------------------------------------------- */

typedef struct {
  guint record;
  GpShape *shape;        /* owned working copy, in the project CRS; NULL for no geometry */
  char *code;
  char *name;
  char *level;
  char *kind;
  char *parent;          /* the raw value of the parent field */
  char *area_code;       /* areas: parent_code; units and households: their area */
  char *unit_code;       /* households: the unit they lie in */
  gint64 households;
  gboolean has_households;
  gboolean update;       /* areas, units: the code is in the project: a re-import updates it */
} Row;

static void
row_free (gpointer data)
{
  Row *row = data;

  gp_shape_free (row->shape);
  g_free (row->code);
  g_free (row->name);
  g_free (row->level);
  g_free (row->kind);
  g_free (row->parent);
  g_free (row->area_code);
  g_free (row->unit_code);
  g_free (row);
}

/* A polygon (area or unit) to find things in, with a GEOS geometry prepared on first use. */
typedef struct {
  char *code;
  GEOSGeometry *geom;
  const GEOSPreparedGeometry *prepared;
  double area;
} Place;

typedef struct {
  GEOSContextHandle_t ctx;
  GPtrArray *places;     /* of Place* */
  GEOSSTRtree *tree;
} Places;

typedef struct {
  GpProject *project;
  sqlite3 *db;
  GpLayer *layer;
  GpImportKind kind;
  const char *table;
  const char *what;      /* "areas", "units", "households" in the user's words */
  const char *source;    /* the file, for messages */
  GPtrArray *notes;
  int fields[GP_IMPORT_N_ROLES];
  GPtrArray *rows;       /* of Row* */
  GHashTable *area_codes;   /* code → code, every area known (project + this import) */
  GHashTable *area_names;   /* name → code, or "" when the name is not unique */
  Places *areas;            /* lazily built */
  GEOSContextHandle_t ctx;
  /* A re-import: what it changed, by record. */
  GArray *changed_outline, *changed_name, *changed_households, *changed_parent, *unchanged;
  GPtrArray *moved_units;   /* of char*: units whose outline or area changed */
  sqlite3_stmt *old_row, *update;
} Import;

static void
places_free (Places *places)
{
  if (places == NULL)
    return;
  if (places->tree != NULL)
    GEOSSTRtree_destroy_r (places->ctx, places->tree);
  for (guint i = 0; i < places->places->len; i++)
    {
      Place *place = g_ptr_array_index (places->places, i);

      if (place->prepared != NULL)
        GEOSPreparedGeom_destroy_r (places->ctx, place->prepared);
      GEOSGeom_destroy_r (places->ctx, place->geom);
      g_free (place->code);
      g_free (place);
    }
  g_ptr_array_unref (places->places);
  g_free (places);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Places, places_free)

static Places *
places_new (GEOSContextHandle_t ctx)
{
  Places *places = g_new0 (Places, 1);

  places->ctx = ctx;
  places->places = g_ptr_array_new ();
  return places;
}

/* Adds a polygon shape; anything else (or a geometry GEOS refuses) is left out. */
static void
places_add (Places *places, const char *code, const GpShape *shape)
{
  GEOSGeometry *geom;
  Place *place;
  double area = 0.0;

  if (code == NULL || shape == NULL || shape->kind != GP_SHAPE_POLYGON || gp_shape_is_empty (shape))
    return;
  geom = gp_geom_from_shape (places->ctx, shape, NULL);
  if (geom == NULL)
    return;
  if (!GEOSArea_r (places->ctx, geom, &area))
    area = 0.0;
  place = g_new0 (Place, 1);
  place->code = g_strdup (code);
  place->geom = geom;
  place->area = area;
  g_ptr_array_add (places->places, place);
}

static void
places_build (Places *places)
{
  /* Node capacity 10, as GEOS's own prepared predicates use. */
  places->tree = GEOSSTRtree_create_r (places->ctx, 10);
  for (guint i = 0; i < places->places->len; i++)
    {
      Place *place = g_ptr_array_index (places->places, i);

      GEOSSTRtree_insert_r (places->ctx, places->tree, place->geom, place);
    }
}

typedef struct {
  Places *places;
  const GEOSGeometry *point;
  const char *exclude;
  double larger_than;
  Place *best;
} PlaceQuery;

static void
place_query_visit (void *item, void *user_data)
{
  PlaceQuery *query = user_data;
  Place *place = item;

  if (query->exclude != NULL && strcmp (place->code, query->exclude) == 0)
    return;
  if (place->area <= query->larger_than)
    return;
  if (query->best != NULL && place->area >= query->best->area)
    return;
  if (place->prepared == NULL)
    place->prepared = GEOSPrepare_r (query->places->ctx, place->geom);
  if (place->prepared != NULL && GEOSPreparedCovers_r (query->places->ctx, place->prepared, query->point) == 1)
    query->best = place;
}

/* The smallest place covering POINT, other than EXCLUDE and larger than LARGER_THAN. */
static const char *
places_find (Places *places, const GEOSGeometry *point, const char *exclude, double larger_than)
{
  PlaceQuery query = { places, point, exclude, larger_than, NULL };

  if (places->tree == NULL || point == NULL)
    return NULL;
  GEOSSTRtree_query_r (places->ctx, places->tree, point, place_query_visit, &query);
  return query.best != NULL ? query.best->code : NULL;
}

/* A point inside SHAPE (point-on-surface of a polygon, the point itself), or NULL. */
static GEOSGeometry *
inner_point (GEOSContextHandle_t ctx, const GpShape *shape)
{
  g_autoptr(GError) error = NULL;
  GEOSGeometry *geom, *point;

  if (shape == NULL || gp_shape_is_empty (shape))
    return NULL;
  if (shape->kind == GP_SHAPE_POINT)
    return GEOSGeom_createPointFromXY_r (ctx, shape->xy[0], shape->xy[1]);
  geom = gp_geom_from_shape (ctx, shape, &error);
  if (geom == NULL)
    return NULL;
  point = GEOSPointOnSurface_r (ctx, geom);
  GEOSGeom_destroy_r (ctx, geom);
  return point;
}

static double
shape_area (GEOSContextHandle_t ctx, const GpShape *shape)
{
  GEOSGeometry *geom;
  double area = 0.0;

  if (shape == NULL || shape->kind != GP_SHAPE_POLYGON)
    return 0.0;
  geom = gp_geom_from_shape (ctx, shape, NULL);
  if (geom == NULL)
    return 0.0;
  if (!GEOSArea_r (ctx, geom, &area))
    area = 0.0;
  GEOSGeom_destroy_r (ctx, geom);
  return area;
}

/* Polygons of TABLE in the project, as places. */
static gboolean
places_add_table (Places *places, Import *import, const char *table, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT code, geom FROM %s WHERE geom IS NOT NULL", table);
  int rc;

  /* TABLE is one of our own names, never user text. */
  if (sqlite3_prepare_v2 (import->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, import->db, gp_project_get_path (import->project));
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GpShape) shape = NULL;

      shape = gp_gpkg_blob_parse (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1), NULL, NULL);
      places_add (places, (const char *) sqlite3_column_text (stmt, 0), shape);
    }
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, import->db, gp_project_get_path (import->project));
      return FALSE;
    }
  return TRUE;
}

/* Every area polygon: the project's and, for an areas import, this import's. */
static Places *
import_areas (Import *import, GError **error)
{
  if (import->areas != NULL)
    return import->areas;

  import->areas = places_new (import->ctx);
  if (!places_add_table (import->areas, import, "areas", error))
    {
      g_clear_pointer (&import->areas, places_free);
      return NULL;
    }
  if (import->kind == GP_IMPORT_AREAS)
    for (guint i = 0; i < import->rows->len; i++)
      {
        Row *row = g_ptr_array_index (import->rows, i);

        places_add (import->areas, row->code, row->shape);
      }
  places_build (import->areas);
  return import->areas;
}

static void
import_clear (Import *import)
{
  g_clear_pointer (&import->rows, g_ptr_array_unref);
  g_clear_pointer (&import->area_codes, g_hash_table_unref);
  g_clear_pointer (&import->area_names, g_hash_table_unref);
  g_clear_pointer (&import->areas, places_free);
  g_clear_pointer (&import->changed_outline, g_array_unref);
  g_clear_pointer (&import->changed_name, g_array_unref);
  g_clear_pointer (&import->changed_households, g_array_unref);
  g_clear_pointer (&import->changed_parent, g_array_unref);
  g_clear_pointer (&import->unchanged, g_array_unref);
  g_clear_pointer (&import->moved_units, g_ptr_array_unref);
  g_clear_pointer (&import->old_row, sqlite3_finalize);
  g_clear_pointer (&import->update, sqlite3_finalize);
}

static void
note (Import *import, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
note (Import *import, const char *format, ...)
{
  va_list args;

  if (import->notes == NULL)
    return;
  va_start (args, format);
  g_ptr_array_add (import->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
remember_area (Import *import, const char *code, const char *name)
{
  if (code == NULL)
    return;
  g_hash_table_replace (import->area_codes, g_strdup (code), g_strdup (code));
  if (name == NULL)
    return;
  if (g_hash_table_contains (import->area_names, name)
      && g_strcmp0 (g_hash_table_lookup (import->area_names, name), code) != 0)
    g_hash_table_replace (import->area_names, g_strdup (name), g_strdup (""));
  else
    g_hash_table_replace (import->area_names, g_strdup (name), g_strdup (code));
}

/* The code of an area named by VALUE: a code, else a unique name; NULL when unknown. */
static const char *
lookup_area (Import *import, const char *value)
{
  const char *code;

  if (value == NULL)
    return NULL;
  code = g_hash_table_lookup (import->area_codes, value);
  if (code != NULL)
    return code;
  code = g_hash_table_lookup (import->area_names, value);
  return code != NULL && *code != '\0' ? code : NULL;
}

static gboolean
load_area_codes (Import *import, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  import->area_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  import->area_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (sqlite3_prepare_v2 (import->db, "SELECT code, name FROM areas", -1, &stmt, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, import->db, gp_project_get_path (import->project));
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    remember_area (import, (const char *) sqlite3_column_text (stmt, 0),
                   (const char *) sqlite3_column_text (stmt, 1));
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, import->db, gp_project_get_path (import->project));
      return FALSE;
    }
  return TRUE;
}

/* The layer's shapes as rows of working copies, checked for the kind this import needs. */
static gboolean
collect_rows (Import *import, GError **error)
{
  GpLayer *layer = import->layer;
  g_autoptr(GArray) to_point = g_array_new (FALSE, FALSE, sizeof (guint));

  import->rows = g_ptr_array_new_with_free_func (row_free);
  for (guint i = 0; i < gp_layer_get_n_features (layer); i++)
    {
      GpFeature *feature = gp_layer_get_feature (layer, i);
      GpShape *shape = feature->shape;
      Row *row = g_new0 (Row, 1);

      row->record = feature->record;
      g_ptr_array_add (import->rows, row);
      if (shape != NULL && shape->kind != GP_SHAPE_NULL)
        {
          gboolean polygon = shape->kind == GP_SHAPE_POLYGON;
          gboolean point = shape->kind == GP_SHAPE_POINT
                           || (shape->kind == GP_SHAPE_MULTIPOINT && shape->n_points == 1);
          gboolean ok = import->kind == GP_IMPORT_AREAS || import->kind == GP_IMPORT_EXCLUSIVE ? polygon
                                                                                                : (polygon || point);

          if (!ok)
            {
              g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY,
                           import->kind == GP_IMPORT_EXCLUSIVE
                             ? _("%s: record %u: exclusive grids must be polygons")
                             : import->kind == GP_IMPORT_AREAS
                             ? _("%s: record %u: areas must be polygons")
                             : import->kind == GP_IMPORT_UNITS
                               ? _("%s: record %u: units must be polygons or points")
                               : _("%s: record %u: households must be points (or polygons)"),
                           import->source, row->record);
              return FALSE;
            }
          if (point && shape->kind == GP_SHAPE_MULTIPOINT)
            row->shape = gp_shape_new_point (shape->xy[0], shape->xy[1]);
          else
            row->shape = gp_shape_copy (shape);
          /* The 2-D planning model keeps Z and M out of the project. */
          if (row->shape->kind == GP_SHAPE_POLYGON || row->shape->kind == GP_SHAPE_POINT)
            {
              g_clear_pointer (&row->shape->z, g_free);
              g_clear_pointer (&row->shape->m, g_free);
              row->shape->flags &= ~(GP_SHAPE_HAS_Z | GP_SHAPE_HAS_M);
            }
          if (import->kind == GP_IMPORT_HOUSEHOLDS && polygon)
            {
              GEOSGeometry *inside = inner_point (import->ctx, row->shape);
              double x, y;

              g_clear_pointer (&row->shape, gp_shape_free);
              if (inside != NULL && GEOSGeomGetX_r (import->ctx, inside, &x) == 1
                  && GEOSGeomGetY_r (import->ctx, inside, &y) == 1)
                row->shape = gp_shape_new_point (x, y);
              if (inside != NULL)
                GEOSGeom_destroy_r (import->ctx, inside);
              g_array_append_val (to_point, row->record);
            }
        }

      row->code = value_to_text (layer, feature, import->fields[GP_IMPORT_ROLE_CODE]);
      row->name = value_to_text (layer, feature, import->fields[GP_IMPORT_ROLE_NAME]);
      row->parent = value_to_text (layer, feature, import->fields[GP_IMPORT_ROLE_PARENT]);
      row->level = value_to_text (layer, feature, import->fields[GP_IMPORT_ROLE_LEVEL]);
      row->kind = value_to_text (layer, feature, import->fields[GP_IMPORT_ROLE_KIND]);
      row->has_households = value_to_count (layer, feature, import->fields[GP_IMPORT_ROLE_HOUSEHOLDS],
                                            &row->households);
    }
  if (to_point->len > 0)
    {
      g_autofree char *records = format_records (to_point);
      note (import, g_dngettext (GETTEXT_PACKAGE,
                                 "%u household is a polygon; it is kept as a point inside it (records %s)",
                                 "%u households are polygons; each is kept as a point inside it (records %s)",
                                 to_point->len),
            to_point->len, records);
    }
  return TRUE;
}

/* PROJ transformation from the layer's CRS into the project's, in x = east/lon order. */
static gboolean
reproject_rows (Import *import, GpCrs *from, GpCrs *to, GError **error)
{
  PJ_CONTEXT *ctx = proj_context_create ();
  PJ *source = NULL, *target = NULL, *op = NULL, *norm = NULL;
  gboolean ok = FALSE;
  const char *from_wkt = gp_crs_get_wkt2 (from) != NULL ? gp_crs_get_wkt2 (from) : gp_crs_get_wkt (from);
  const char *to_wkt = gp_crs_get_wkt2 (to) != NULL ? gp_crs_get_wkt2 (to) : gp_crs_get_wkt (to);

  proj_log_level (ctx, PJ_LOG_NONE);
  if (from_wkt != NULL && to_wkt != NULL)
    {
      source = proj_create (ctx, from_wkt);
      target = proj_create (ctx, to_wkt);
    }
  if (source != NULL && target != NULL)
    op = proj_create_crs_to_crs_from_pj (ctx, source, target, NULL, NULL);
  if (op != NULL)
    norm = proj_normalize_for_visualization (ctx, op);
  if (norm == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_CRS, _("%s: cannot transform from %s to the project's %s"),
                   import->source, gp_crs_get_name (from), gp_crs_get_name (to));
      goto out;
    }

  for (guint i = 0; i < import->rows->len; i++)
    {
      Row *row = g_ptr_array_index (import->rows, i);
      GpShape *shape = row->shape;
      size_t n;

      if (shape == NULL || shape->n_points == 0)
        continue;
      n = shape->n_points;
      proj_errno_reset (norm);
      proj_trans_generic (norm, PJ_FWD, shape->xy, 2 * sizeof (double), n,
                          shape->xy + 1, 2 * sizeof (double), n, NULL, 0, 0, NULL, 0, 0);
      for (size_t k = 0; k < 2 * n; k++)
        if (!isfinite (shape->xy[k]) || shape->xy[k] == HUGE_VAL)
          {
            g_set_error (error, GP_ERROR, GP_ERROR_CRS,
                         _("%s: record %u: cannot transform from %s to the project's %s"),
                         import->source, row->record, gp_crs_get_name (from), gp_crs_get_name (to));
            goto out;
          }
    }
  note (import, _("transformed from %s to the project's %s"), gp_crs_get_name (from), gp_crs_get_name (to));
  ok = TRUE;

out:
  proj_destroy (norm);
  proj_destroy (op);
  proj_destroy (source);
  proj_destroy (target);
  proj_context_destroy (ctx);
  return ok;
}

/* The first import fixes the storage CRS; later ones are transformed into it. */
static gboolean
settle_crs (Import *import, GError **error)
{
  GpCrs *layer_crs = gp_layer_get_crs (import->layer);
  GpCrs *project_crs = gp_project_get_crs (import->project);
  g_autoptr(GpCrs) guessed = NULL;
  double bbox[4];
  gboolean has_bbox = gp_layer_get_bbox (import->layer, bbox);

  if (layer_crs == NULL && has_bbox && gp_crs_bbox_looks_lonlat (bbox))
    layer_crs = guessed = gp_crs_new_lonlat_guess ();

  if (!_gp_project_has_crs (import->project))
    {
      if (!has_bbox)
        return TRUE;   /* nothing with coordinates yet: the next import decides */
      if (layer_crs == NULL)
        note (import, _("%s has no coordinate system; the project keeps its coordinates as they are"),
              import->source);
      return _gp_project_set_crs (import->project, layer_crs,
                                  layer_crs != NULL && gp_crs_is_geographic (layer_crs), error);
    }

  if (!has_bbox)
    return TRUE;
  /* No CRS and no lon/lat range: metres of some unknown system, which a lon/lat project
   * cannot take without putting them somewhere in the ocean. */
  if (layer_crs == NULL && project_crs != NULL && gp_crs_is_geographic (project_crs))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_CRS,
                   _("%s has no coordinate system and its coordinates are not longitude/latitude like"
                     " the project’s %s; give it its .prj file"), import->source, gp_crs_get_name (project_crs));
      return FALSE;
    }
  if (layer_crs == NULL || project_crs == NULL)
    {
      if (layer_crs == NULL && project_crs != NULL)
        note (import, _("%s has no coordinate system; taken to be the project's %s"), import->source,
              gp_crs_get_name (project_crs));
      else if (layer_crs != NULL)
        note (import, _("the project has no coordinate system; the coordinates of %s are kept as they are"),
              import->source);
      return TRUE;
    }
  if (gp_crs_equal (layer_crs, project_crs))
    return TRUE;
  return reproject_rows (import, layer_crs, project_crs, error);
}

static gboolean
repair_rows (Import *import, GError **error)
{
  g_autoptr(GArray) lost = g_array_new (FALSE, FALSE, sizeof (guint));
  guint repaired = 0;

  for (guint i = 0; i < import->rows->len; i++)
    {
      Row *row = g_ptr_array_index (import->rows, i);
      g_autoptr(GError) local_error = NULL;
      GpShape *valid;

      if (row->shape == NULL || row->shape->kind != GP_SHAPE_POLYGON || gp_shape_is_valid (row->shape))
        continue;
      valid = gp_shape_make_valid (row->shape, &local_error);
      gp_shape_free (row->shape);
      row->shape = valid;
      if (valid == NULL)
        g_array_append_val (lost, row->record);
      else
        repaired++;
    }
  if (repaired > 0)
    note (import, g_dngettext (GETTEXT_PACKAGE, "repaired %u invalid polygon", "repaired %u invalid polygons",
                               repaired), repaired);
  if (lost->len > 0)
    {
      g_autofree char *records = format_records (lost);
      note (import, g_dngettext (GETTEXT_PACKAGE,
                                 "%u polygon collapsed when repaired and is kept without geometry (records %s)",
                                 "%u polygons collapsed when repaired and are kept without geometry (records %s)",
                                 lost->len),
            lost->len, records);
    }
  return TRUE;
}

/* Codes must be unique within the file and new to the project. */
static gboolean
check_codes (Import *import, GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(sqlite3_stmt) exists = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE code = ?", import->table);
  g_autoptr(GArray) missing = g_array_new (FALSE, FALSE, sizeof (guint));

  if (sqlite3_prepare_v2 (import->db, sql, -1, &exists, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, import->db, gp_project_get_path (import->project));
      return FALSE;
    }
  for (guint i = 0; i < import->rows->len; i++)
    {
      Row *row = g_ptr_array_index (import->rows, i);
      Row *other;
      gboolean known;

      if (row->code == NULL)
        {
          g_array_append_val (missing, row->record);
          continue;
        }
      other = g_hash_table_lookup (seen, row->code);
      if (other != NULL)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: records %u and %u both have the code %s"),
                       import->source, other->record, row->record, row->code);
          return FALSE;
        }
      g_hash_table_insert (seen, row->code, row);

      sqlite3_reset (exists);
      sqlite3_bind_text (exists, 1, row->code, -1, SQLITE_STATIC);
      known = sqlite3_step (exists) == SQLITE_ROW;
      if (known && (import->kind == GP_IMPORT_AREAS || import->kind == GP_IMPORT_UNITS))
        /* The half-yearly redraw: the office's new file of the same villages or compounds. */
        row->update = TRUE;
      else if (known)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: record %u: code %s is already in the project’s %s"),
                       import->source, row->record, row->code, import->what);
          return FALSE;
        }
    }

  if (missing->len > 0 && import->kind == GP_IMPORT_AREAS)
    {
      if (import->fields[GP_IMPORT_ROLE_CODE] < 0)
        g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND,
                     _("%s: no field holds the areas’ codes; name it with --code-field"), import->source);
      else
        g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: record %u: the area has no code"),
                     import->source, g_array_index (missing, guint, 0));
      return FALSE;
    }
  return TRUE;
}

/* Candidate parents of a division code, nearest first: 150603001001 → 150603001000, 150603001,
 * 150603000000, 150603, ... */
static GPtrArray *
code_parents (const char *code)
{
  static const int lengths[] = { 9, 6, 4, 2 };
  GPtrArray *parents = g_ptr_array_new_with_free_func (g_free);
  int own = code_level_length (code);
  size_t len = code != NULL ? strlen (code) : 0;

  if (own == 0)
    return parents;
  for (gsize i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      GString *padded;

      if (lengths[i] >= own)
        continue;
      padded = g_string_new_len (code, lengths[i]);
      while (padded->len < len)
        g_string_append_c (padded, '0');
      g_ptr_array_add (parents, g_string_free (padded, FALSE));
      g_ptr_array_add (parents, g_strndup (code, lengths[i]));
    }
  return parents;
}

static gboolean
resolve_areas (Import *import, GError **error)
{
  g_autoptr(GArray) unknown = g_array_new (FALSE, FALSE, sizeof (guint));
  guint by_field = 0, by_code = 0, by_location = 0, levels = 0, kinds = 0, orphans = 0;

  for (guint i = 0; i < import->rows->len; i++)
    {
      Row *row = g_ptr_array_index (import->rows, i);

      remember_area (import, row->code, row->name);
    }

  for (guint i = 0; i < import->rows->len; i++)
    {
      Row *row = g_ptr_array_index (import->rows, i);
      const char *parent = NULL;

      if (row->level == NULL)
        {
          const char *level = level_from_code (row->code);

          if (level == NULL)
            level = level_from_name (row->name);
          if (level != NULL)
            {
              row->level = g_strdup (level);
              levels++;
            }
        }
      if (row->kind != NULL)
        {
          const char *kind = kind_from_value (row->kind);

          g_free (row->kind);
          row->kind = g_strdup (kind);
        }
      if (row->kind == NULL && (row->kind = g_strdup (kind_from_name (row->name))) != NULL)
        kinds++;

      if (row->parent != NULL)
        {
          parent = lookup_area (import, row->parent);
          if (parent != NULL && strcmp (parent, row->code) != 0)
            by_field++;
          else
            {
              parent = NULL;
              g_array_append_val (unknown, row->record);
            }
        }
      if (parent == NULL)
        {
          g_autoptr(GPtrArray) candidates = code_parents (row->code);

          for (guint c = 0; c < candidates->len && parent == NULL; c++)
            parent = g_hash_table_lookup (import->area_codes, g_ptr_array_index (candidates, c));
          if (parent != NULL)
            by_code++;
        }
      if (parent == NULL && row->shape != NULL)
        {
          Places *areas = import_areas (import, error);
          GEOSGeometry *point;

          if (areas == NULL)
            return FALSE;
          point = inner_point (import->ctx, row->shape);
          parent = places_find (areas, point, row->code, shape_area (import->ctx, row->shape));
          if (point != NULL)
            GEOSGeom_destroy_r (import->ctx, point);
          if (parent != NULL)
            by_location++;
        }
      if (parent == NULL)
        orphans++;
      row->area_code = g_strdup (parent);
    }

  if (levels > 0)
    note (import, g_dngettext (GETTEXT_PACKAGE, "guessed the level of %u area from its code or name",
                               "guessed the level of %u areas from their codes or names", levels), levels);
  if (kinds > 0)
    note (import, g_dngettext (GETTEXT_PACKAGE, "guessed urban/rural for %u area from its name",
                               "guessed urban/rural for %u areas from their names", kinds), kinds);
  if (unknown->len > 0)
    {
      g_autofree char *records = format_records (unknown);
      note (import, g_dngettext (GETTEXT_PACKAGE,
                                 "%u area names a parent that is not in the project (records %s)",
                                 "%u areas name a parent that is not in the project (records %s)",
                                 unknown->len), unknown->len, records);
    }
  if (by_field > 0)
    note (import, g_dngettext (GETTEXT_PACKAGE, "found the parent of %u area by the parent field",
                               "found the parent of %u areas by the parent field", by_field), by_field);
  if (by_code > 0)
    note (import, g_dngettext (GETTEXT_PACKAGE, "found the parent of %u area by its code",
                               "found the parent of %u areas by their codes", by_code), by_code);
  if (by_location > 0)
    note (import, g_dngettext (GETTEXT_PACKAGE, "found the parent of %u area by location",
                               "found the parent of %u areas by location", by_location), by_location);
  if (orphans > 0)
    note (import, g_dngettext (GETTEXT_PACKAGE, "%u area has no parent area in the project",
                               "%u areas have no parent area in the project", orphans), orphans);
  return TRUE;
}

/* Polygons of the project's units, for households to find theirs. */
static Places *
unit_places (Import *import, GError **error)
{
  g_autoptr(Places) units = places_new (import->ctx);

  if (!places_add_table (units, import, "units", error))
    return NULL;
  places_build (units);
  return g_steal_pointer (&units);
}

/* "unit"/"units" and the like, for notes that count them. */
static const char *
what_n (GpImportKind kind, guint n)
{
  switch (kind)
    {
    case GP_IMPORT_AREAS: return g_dngettext (GETTEXT_PACKAGE, "area", "areas", n);
    case GP_IMPORT_UNITS: return g_dngettext (GETTEXT_PACKAGE, "unit", "units", n);
    case GP_IMPORT_EXCLUSIVE: return g_dngettext (GETTEXT_PACKAGE, "exclusive grid", "exclusive grids", n);
    case GP_IMPORT_HOUSEHOLDS:
    default: return g_dngettext (GETTEXT_PACKAGE, "household", "households", n);
    }
}

static gboolean
resolve_members (Import *import, GError **error)
{
  g_autoptr(GArray) unknown = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) outside = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) no_households = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(Places) units = NULL;
  g_autoptr(GHashTable) taken = NULL;
  g_autoptr(GHashTable) sequence = NULL;
  guint by_field = 0, by_location = 0, in_units = 0, coded = 0, matched = 0;

  if (import->kind == GP_IMPORT_HOUSEHOLDS && gp_project_count (import->project, "units", NULL) > 0)
    {
      units = unit_places (import, error);
      if (units == NULL)
        return FALSE;
    }

  for (guint i = 0; i < import->rows->len; i++)
    {
      Row *row = g_ptr_array_index (import->rows, i);
      const char *area = NULL;
      GEOSGeometry *point = NULL;

      if (row->parent != NULL)
        {
          area = lookup_area (import, row->parent);
          if (area != NULL)
            by_field++;
          else
            g_array_append_val (unknown, row->record);
        }
      if (row->shape != NULL && (area == NULL || units != NULL))
        point = inner_point (import->ctx, row->shape);
      if (area == NULL && point != NULL)
        {
          Places *areas = import_areas (import, error);

          if (areas == NULL)
            {
              GEOSGeom_destroy_r (import->ctx, point);
              return FALSE;
            }
          area = places_find (areas, point, NULL, -1.0);
          if (area != NULL)
            by_location++;
        }
      if (units != NULL && point != NULL)
        {
          row->unit_code = g_strdup (places_find (units, point, NULL, -1.0));
          if (row->unit_code != NULL)
            in_units++;
        }
      if (point != NULL)
        GEOSGeom_destroy_r (import->ctx, point);
      if (area == NULL)
        g_array_append_val (outside, row->record);
      row->area_code = g_strdup (area);

      if (import->kind == GP_IMPORT_UNITS && !row->has_households)
        {
          g_array_append_val (no_households, row->record);
          row->households = 0;
          row->has_households = TRUE;
        }
    }

  /* Units are what grids are made of and grid_units refers to them by code, so a unit without
   * one gets AREA-0001 (or U-0001 outside any area), never clashing with a code in use. */
  if (import->kind == GP_IMPORT_UNITS)
    {
      g_autoptr(sqlite3_stmt) exists = NULL;
      g_autoptr(sqlite3_stmt) same = NULL;

      taken = g_hash_table_new (g_str_hash, g_str_equal);
      sequence = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < import->rows->len; i++)
        {
          Row *row = g_ptr_array_index (import->rows, i);

          if (row->code != NULL)
            g_hash_table_add (taken, row->code);
        }
      if (sqlite3_prepare_v2 (import->db, "SELECT 1 FROM units WHERE code = ?", -1, &exists, NULL) != SQLITE_OK)
        {
          gp_sqlite_set_error (error, import->db, gp_project_get_path (import->project));
          return FALSE;
        }
      /* A file without unit codes sent again (the half-yearly redraw): a unit is the one of the
       * same name in the same village, when there is exactly one. */
      if (sqlite3_prepare_v2 (import->db, "SELECT code FROM units WHERE area_code = ? AND name = ? LIMIT 2", -1,
                              &same, NULL) != SQLITE_OK)
        {
          gp_sqlite_set_error (error, import->db, gp_project_get_path (import->project));
          return FALSE;
        }
      for (guint i = 0; i < import->rows->len; i++)
        {
          Row *row = g_ptr_array_index (import->rows, i);
          g_autofree char *match = NULL;

          if (row->code != NULL || row->area_code == NULL || row->name == NULL)
            continue;
          sqlite3_reset (same);
          sqlite3_bind_text (same, 1, row->area_code, -1, SQLITE_STATIC);
          sqlite3_bind_text (same, 2, row->name, -1, SQLITE_STATIC);
          if (sqlite3_step (same) != SQLITE_ROW)
            continue;
          match = g_strdup ((const char *) sqlite3_column_text (same, 0));
          if (sqlite3_step (same) == SQLITE_ROW || g_hash_table_contains (taken, match))
            continue;   /* two of that name, or already claimed by another row */
          row->code = g_steal_pointer (&match);
          row->update = TRUE;
          g_hash_table_add (taken, row->code);
          matched++;
        }
      for (guint i = 0; i < import->rows->len; i++)
        {
          Row *row = g_ptr_array_index (import->rows, i);
          const char *prefix = row->area_code != NULL ? row->area_code : "U";
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (sequence, prefix));

          if (row->code != NULL)
            continue;
          for (;;)
            {
              g_autofree char *candidate = g_strdup_printf ("%s-%04u", prefix, ++n);
              gboolean in_use = g_hash_table_contains (taken, candidate);

              if (!in_use)
                {
                  sqlite3_reset (exists);
                  sqlite3_bind_text (exists, 1, candidate, -1, SQLITE_STATIC);
                  in_use = sqlite3_step (exists) == SQLITE_ROW;
                }
              if (!in_use)
                {
                  row->code = g_steal_pointer (&candidate);
                  break;
                }
            }
          g_hash_table_insert (taken, row->code, row->code);
          g_hash_table_replace (sequence, g_strdup (prefix), GUINT_TO_POINTER (n));
          coded++;
        }
    }

  if (unknown->len > 0)
    {
      g_autofree char *records = format_records (unknown);
      /* TRANSLATORS: "an unknown area in the area field of 3 units (records 4, 7, 9)" */
      note (import, _("an unknown area in the area field of %u %s (records %s)"), unknown->len,
            what_n (import->kind, unknown->len), records);
    }
  if (by_field > 0)
    note (import, _("found the area of %u %s by the area field"), by_field, what_n (import->kind, by_field));
  if (by_location > 0)
    note (import, _("found the area of %u %s by location"), by_location, what_n (import->kind, by_location));
  if (outside->len > 0)
    {
      g_autofree char *records = format_records (outside);
      note (import, _("no area of the project holds %u %s (records %s)"), outside->len,
            what_n (import->kind, outside->len), records);
    }
  if (in_units > 0)
    note (import, g_dngettext (GETTEXT_PACKAGE, "found the unit of %u household by location",
                               "found the unit of %u households by location", in_units), in_units);
  if (no_households->len > 0)
    {
      g_autofree char *records = format_records (no_households);
      note (import, g_dngettext (GETTEXT_PACKAGE,
                                 "%u unit has no households value and counts as 0 (records %s)",
                                 "%u units have no households value and count as 0 (records %s)",
                                 no_households->len), no_households->len, records);
    }
  if (matched > 0)
    note (import, g_dngettext (GETTEXT_PACKAGE, "found %u unit without a code in the project by its village and name",
                               "found %u units without a code in the project by their village and name", matched),
          matched);
  if (coded > 0)
    note (import, g_dngettext (GETTEXT_PACKAGE, "gave %u unit without a code a code made from its area’s code",
                               "gave %u units without a code codes made from their area’s code", coded), coded);
  return TRUE;
}

static void
bind_text_or_null (sqlite3_stmt *stmt, int index, const char *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

/* GeoPackage geometry type name for what this import brings into TABLE. */
static const char *
imported_geometry_type (Import *import)
{
  gboolean polygons = FALSE, points = FALSE;

  for (guint i = 0; i < import->rows->len; i++)
    {
      Row *row = g_ptr_array_index (import->rows, i);

      if (row->shape == NULL)
        continue;
      polygons = polygons || row->shape->kind == GP_SHAPE_POLYGON;
      points = points || row->shape->kind == GP_SHAPE_POINT;
    }
  if (polygons && points)
    return "GEOMETRY";
  if (points)
    return "POINT";
  if (polygons)
    return "MULTIPOLYGON";
  return NULL;
}

/* units start as GEOMETRY; the first import narrows the column to its kind, a later import of
 * another kind widens it back, so every stored geometry always matches the declared type. */
static gboolean
settle_unit_geometry_type (Import *import, gboolean was_empty, GError **error)
{
  const char *imported = imported_geometry_type (import);
  g_autofree char *current = _gp_project_get_geometry_type (import->project, "units");
  const char *wanted;

  if (imported == NULL)
    return TRUE;
  wanted = was_empty || g_strcmp0 (current, imported) == 0 ? imported : "GEOMETRY";
  if (g_strcmp0 (current, wanted) == 0)
    return TRUE;
  return _gp_project_set_units_geometry_type (import->project, wanted, error);
}

/* Foreign keys are off during a units import (its table may be rebuilt), so check them all. */
static gboolean
check_references (Import *import, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (import->db, "PRAGMA foreign_key_check", -1, &stmt, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, import->db, gp_project_get_path (import->project));
      return FALSE;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FAILED,
                   _("%s: importing %s would break the references of table %s (row %lld)"),
                   gp_project_get_path (import->project), import->source,
                   (const char *) sqlite3_column_text (stmt, 0), (long long) sqlite3_column_int64 (stmt, 1));
      return FALSE;
    }
  return TRUE;
}

/* The stored row of ROW's code against what the file brings now: updates it when anything
 * differs and notes what (outline, name, households, parent or area). */
static gboolean
update_row (Import *import, Row *row, const guint8 *blob, gsize length, GError **error)
{
  gboolean areas = import->kind == GP_IMPORT_AREAS;
  sqlite3_stmt *old, *up;
  const char *old_name, *old_parent;
  gboolean outline, name, households, parent;
  gint64 old_households;
  gboolean had_households;

  if (import->old_row == NULL
      && (sqlite3_prepare_v2 (import->db, areas ? "SELECT geom, name, parent_code, households FROM areas WHERE code = ?"
                                                : "SELECT geom, name, area_code, households FROM units WHERE code = ?",
                              -1, &import->old_row, NULL) != SQLITE_OK
          || sqlite3_prepare_v2 (import->db, areas ? "UPDATE areas SET geom = ?, name = ?, parent_code = ?,"
                                                     " households = ?, level = coalesce (?, level),"
                                                     " kind = coalesce (?, kind) WHERE code = ?"
                                                   : "UPDATE units SET geom = ?, name = ?, area_code = ?,"
                                                     " households = ?, code = ?5 WHERE code = ?5",
                                 -1, &import->update, NULL) != SQLITE_OK))
    {
      gp_sqlite_set_error (error, import->db, gp_project_get_path (import->project));
      return FALSE;
    }
  old = import->old_row;
  up = import->update;
  sqlite3_reset (old);
  sqlite3_bind_text (old, 1, row->code, -1, SQLITE_STATIC);
  if (sqlite3_step (old) != SQLITE_ROW)
    {
      gp_sqlite_set_error (error, import->db, gp_project_get_path (import->project));
      return FALSE;
    }
  outline = blob == NULL ? sqlite3_column_type (old, 0) != SQLITE_NULL
                         : ((gsize) sqlite3_column_bytes (old, 0) != length
                            || memcmp (sqlite3_column_blob (old, 0), blob, length) != 0);
  old_name = (const char *) sqlite3_column_text (old, 1);
  name = g_strcmp0 (old_name, row->name) != 0;
  old_parent = (const char *) sqlite3_column_text (old, 2);
  parent = g_strcmp0 (old_parent, row->area_code) != 0;
  had_households = sqlite3_column_type (old, 3) != SQLITE_NULL;
  old_households = sqlite3_column_int64 (old, 3);
  /* An areas file without household counts leaves the stored ones alone. */
  households = row->has_households && (!had_households || old_households != row->households);
  if (!outline && !name && !parent && !households)
    {
      g_array_append_val (import->unchanged, row->record);
      return TRUE;
    }
  if (outline)
    g_array_append_val (import->changed_outline, row->record);
  if (name)
    g_array_append_val (import->changed_name, row->record);
  if (households)
    g_array_append_val (import->changed_households, row->record);
  if (parent)
    g_array_append_val (import->changed_parent, row->record);
  if (!areas && (outline || parent))
    g_ptr_array_add (import->moved_units, g_strdup (row->code));

  sqlite3_reset (up);
  sqlite3_clear_bindings (up);
  if (blob != NULL)
    sqlite3_bind_blob (up, 1, blob, (int) length, SQLITE_STATIC);
  else
    sqlite3_bind_null (up, 1);
  bind_text_or_null (up, 2, row->name);
  bind_text_or_null (up, 3, row->area_code);
  if (row->has_households)
    sqlite3_bind_int64 (up, 4, row->households);
  else if (had_households)
    sqlite3_bind_int64 (up, 4, old_households);
  if (areas)
    {
      bind_text_or_null (up, 5, row->level);
      bind_text_or_null (up, 6, row->kind);
      sqlite3_bind_text (up, 7, row->code, -1, SQLITE_STATIC);
    }
  else
    sqlite3_bind_text (up, 5, row->code, -1, SQLITE_STATIC);
  if (sqlite3_step (up) != SQLITE_DONE)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: record %u: cannot be stored: %s"),
                   import->source, row->record, sqlite3_errmsg (import->db));
      return FALSE;
    }
  return TRUE;
}

/* After a re-import: what changed, in the planner's words, and what follows from it. Basic
 * grids count their units' households again; villages whose compounds moved are to be split
 * again; what the project holds and the file does not is said, and kept. */
static gboolean
settle_updates (Import *import, GError **error)
{
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) absent = g_string_new (NULL);
  g_autoptr(GHashTable) in_file = g_hash_table_new (g_str_hash, g_str_equal);
  guint updated = 0, n_absent = 0;
  struct { GArray *records; const char *what; } changes[] = {
    { import->changed_outline, NC_("re-import", "outline") }, { import->changed_name, NC_("re-import", "name") },
    { import->changed_households, NC_("re-import", "households") },
    { import->changed_parent, import->kind == GP_IMPORT_AREAS ? NC_("re-import", "parent")
                                                              : NC_("re-import", "area") },
  };

  for (guint i = 0; i < import->rows->len; i++)
    {
      Row *row = g_ptr_array_index (import->rows, i);

      if (row->update)
        updated++;
      if (row->code != NULL)
        g_hash_table_add (in_file, row->code);
    }
  if (updated == 0)
    return TRUE;
  for (guint c = 0; c < G_N_ELEMENTS (changes); c++)
    if (changes[c].records->len > 0)
      {
        g_autofree char *records = format_records (changes[c].records);
        /* TRANSLATORS: "updated the outline of 3 units by their code (records 4, 7, 9)" */
        note (import, _("updated the %s of %u %s by their code (records %s)"),
              g_dpgettext2 (GETTEXT_PACKAGE, "re-import", changes[c].what),
              changes[c].records->len, what_n (import->kind, changes[c].records->len), records);
      }
  if (import->unchanged->len > 0)
    note (import, _("%u %s already in the project unchanged"), import->unchanged->len,
          what_n (import->kind, import->unchanged->len));

  sql = g_strdup_printf ("SELECT code FROM %s ORDER BY code", import->table);
  if (sqlite3_prepare_v2 (import->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, import->db, gp_project_get_path (import->project));
      return FALSE;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (!g_hash_table_contains (in_file, sqlite3_column_text (stmt, 0)))
      {
        if (n_absent < NOTE_RECORDS)
          g_string_append_printf (absent, "%s%s", n_absent > 0 ? ", " : "", sqlite3_column_text (stmt, 0));
        n_absent++;
      }
  if (n_absent > 0)
    note (import, _("%u %s of the project are not in this file and are kept (%s%s)"), n_absent,
          what_n (import->kind, n_absent), absent->str, n_absent > NOTE_RECORDS ? ", …" : "");

  if (import->kind == GP_IMPORT_UNITS && import->changed_households->len > 0
      && !gp_sqlite_exec (import->db,
                          "UPDATE grids SET households = (SELECT coalesce (sum (u.households), 0) FROM grid_units g"
                          " JOIN units u ON u.code = g.unit_code WHERE g.grid_code = grids.code)"
                          " WHERE kind = 'basic' AND code IN (SELECT grid_code FROM grid_units)", error))
    return FALSE;
  if (import->moved_units->len > 0)
    {
      g_autoptr(sqlite3_stmt) areas = NULL;
      g_autoptr(GString) list = g_string_new (NULL);

      if (sqlite3_prepare_v2 (import->db, "SELECT DISTINCT g.area_code FROM grid_units gu JOIN grids g"
                                          " ON g.code = gu.grid_code WHERE gu.unit_code = ? ORDER BY 1",
                              -1, &areas, NULL) != SQLITE_OK)
        {
          gp_sqlite_set_error (error, import->db, gp_project_get_path (import->project));
          return FALSE;
        }
      for (guint i = 0; i < import->moved_units->len; i++)
        {
          sqlite3_reset (areas);
          sqlite3_bind_text (areas, 1, g_ptr_array_index (import->moved_units, i), -1, SQLITE_STATIC);
          while (sqlite3_step (areas) == SQLITE_ROW)
            {
              const char *area = (const char *) sqlite3_column_text (areas, 0);

              if (area != NULL && strstr (list->str, area) == NULL)
                g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", area);
            }
        }
      if (list->len > 0)
        note (import, _("units of areas %s were redrawn or moved: split those areas again"), list->str);
    }
  return TRUE;
}

/* areas.households from what lies in them: a village or community its units' households (or
 * its household points), a township or street the sum of its villages and communities. Areas
 * with neither keep the count their own file gave. */
static gboolean
fill_area_households (Import *import, GError **error)
{
  static const char *const own =
    "UPDATE areas SET households = (SELECT sum (households) FROM units WHERE units.area_code = areas.code)"
    " WHERE code IN (SELECT area_code FROM units WHERE area_code IS NOT NULL);"
    "UPDATE areas SET households = (SELECT count (*) FROM households h WHERE h.area_code = areas.code)"
    " WHERE code IN (SELECT area_code FROM households WHERE area_code IS NOT NULL)"
    " AND code NOT IN (SELECT area_code FROM units WHERE area_code IS NOT NULL);";
  static const char *const parents =
    "UPDATE areas SET households = (SELECT sum (c.households) FROM areas c WHERE c.parent_code = areas.code)"
    " WHERE code IN (SELECT parent_code FROM areas WHERE parent_code IS NOT NULL AND households IS NOT NULL)"
    " AND code NOT IN (SELECT area_code FROM units WHERE area_code IS NOT NULL)"
    " AND code NOT IN (SELECT area_code FROM households WHERE area_code IS NOT NULL)";

  if (!gp_sqlite_exec (import->db, own, error))
    return FALSE;
  /* County → township → village at most, with room to spare: one level per pass. */
  for (guint level = 0; level < 6; level++)
    if (!gp_sqlite_exec (import->db, parents, error))
      return FALSE;
  return TRUE;
}

static gboolean
insert_rows (Import *import, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *sql;
  gint32 srs_id = _gp_project_get_srs_id (import->project);
  double bbox[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
  gboolean any = FALSE;

  switch (import->kind)
    {
    case GP_IMPORT_AREAS:
      sql = "INSERT INTO areas (geom, code, name, level, kind, parent_code, households)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)";
      break;
    case GP_IMPORT_UNITS:
      sql = "INSERT INTO units (geom, code, name, area_code, households) VALUES (?, ?, ?, ?, ?)";
      break;
    case GP_IMPORT_HOUSEHOLDS:
    default:
      sql = "INSERT INTO households (geom, code, area_code, unit_code) VALUES (?, ?, ?, ?)";
      break;
    }
  if (sqlite3_prepare_v2 (import->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, import->db, gp_project_get_path (import->project));
      return FALSE;
    }

  for (guint i = 0; i < import->rows->len; i++)
    {
      Row *row = g_ptr_array_index (import->rows, i);
      g_autofree guint8 *blob = NULL;
      gsize length = 0;
      double b[4];

      if (row->shape != NULL)
        {
          /* MULTIPOLYGON columns hold MultiPolygons only (GeoPackage requirement 32); in a
           * GEOMETRY column they do no harm, and the column may narrow later. */
          if (row->shape->kind == GP_SHAPE_POLYGON)
            row->shape->flags |= GP_SHAPE_FORCE_MULTI;
          blob = gp_gpkg_blob_new (row->shape, srs_id, &length);
          if (gp_shape_get_bbox (row->shape, b))
            {
              bbox[0] = MIN (bbox[0], b[0]);
              bbox[1] = MIN (bbox[1], b[1]);
              bbox[2] = MAX (bbox[2], b[2]);
              bbox[3] = MAX (bbox[3], b[3]);
              any = TRUE;
            }
        }

      if (row->update)
        {
          if (!update_row (import, row, blob, length, error))
            return FALSE;
          continue;
        }
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (blob != NULL)
        sqlite3_bind_blob (stmt, 1, blob, (int) length, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 1);
      bind_text_or_null (stmt, 2, row->code);
      switch (import->kind)
        {
        case GP_IMPORT_AREAS:
          bind_text_or_null (stmt, 3, row->name);
          bind_text_or_null (stmt, 4, row->level);
          bind_text_or_null (stmt, 5, row->kind);
          bind_text_or_null (stmt, 6, row->area_code);
          if (row->has_households)
            sqlite3_bind_int64 (stmt, 7, row->households);
          break;
        case GP_IMPORT_UNITS:
          bind_text_or_null (stmt, 3, row->name);
          bind_text_or_null (stmt, 4, row->area_code);
          sqlite3_bind_int64 (stmt, 5, row->households);
          break;
        case GP_IMPORT_HOUSEHOLDS:
        default:
          bind_text_or_null (stmt, 3, row->area_code);
          bind_text_or_null (stmt, 4, row->unit_code);
          break;
        }
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: record %u: cannot be stored: %s"),
                       import->source, row->record, sqlite3_errmsg (import->db));
          return FALSE;
        }
    }
  if (any && !_gp_project_extend_bbox (import->project, import->table, bbox, error))
    return FALSE;
  return TRUE;
}

static char *
log_details (Import *import, guint count)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "table");
  json_builder_add_string_value (builder, import->table);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, import->source);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, count);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static gboolean
run_import (Import *import, GError **error)
{
  gint64 existing = gp_project_count (import->project, import->table, error);
  g_autofree char *details = NULL;

  if (existing < 0)
    return FALSE;
  if (!collect_rows (import, error) || !check_codes (import, error) || !settle_crs (import, error)
      || !repair_rows (import, error) || !load_area_codes (import, error))
    return FALSE;

  if (import->kind == GP_IMPORT_AREAS)
    {
      if (!resolve_areas (import, error))
        return FALSE;
    }
  else if (!resolve_members (import, error))
    return FALSE;

  if (import->kind == GP_IMPORT_UNITS && !settle_unit_geometry_type (import, existing == 0, error))
    return FALSE;
  if (import->kind == GP_IMPORT_EXCLUSIVE)
    {
      g_autoptr(GArray) sites = g_array_sized_new (FALSE, TRUE, sizeof (GpImportSite), import->rows->len);

      for (guint i = 0; i < import->rows->len; i++)
        {
          Row *row = g_ptr_array_index (import->rows, i);
          GpImportSite site = { row->record, row->shape, row->name, row->area_code, row->households,
                                row->has_households };

          if (row->shape == NULL)
            {
              g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, _("%s: record %u: the exclusive grid has no polygon"),
                           import->source, row->record);
              return FALSE;
            }
          g_array_append_val (sites, site);
        }
      if (!_gp_import_exclusive_grids (import->project, import->source, sites, import->notes, error))
        return FALSE;
    }
  else if (!insert_rows (import, error) || !settle_updates (import, error)
           || !fill_area_households (import, error))
    return FALSE;
  if (!_gp_project_settle_frame (import->project, error))
    return FALSE;
  details = log_details (import, import->rows->len);
  if (!_gp_project_log (import->project, "import", details, error))
    return FALSE;
  return import->kind != GP_IMPORT_UNITS || check_references (import, error);
}

gboolean
gp_project_import (GpProject *self, GpLayer *layer, GpImportKind kind, const GpFieldMap *map,
                   guint *n_imported, GPtrArray *notes, GError **error)
{
  Import import = { 0 };
  g_autoptr(GPtrArray) own_notes = g_ptr_array_new_with_free_func (g_free);
  gboolean ok;

  g_return_val_if_fail (GP_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (GP_IS_LAYER (layer), FALSE);
  g_return_val_if_fail (kind <= GP_IMPORT_EXCLUSIVE, FALSE);

  if (n_imported != NULL)
    *n_imported = 0;

  import.project = self;
  import.db = _gp_project_get_db (self);
  import.layer = layer;
  import.kind = kind;
  import.notes = own_notes;
  import.ctx = gp_geos ();
  import.source = gp_layer_get_source_path (layer) != NULL ? gp_layer_get_source_path (layer)
                                                           : gp_layer_get_name (layer);
  switch (kind)
    {
    case GP_IMPORT_AREAS:
      import.table = "areas";
      import.what = _("areas");
      break;
    case GP_IMPORT_UNITS:
      import.table = "units";
      import.what = _("units");
      break;
    case GP_IMPORT_EXCLUSIVE:
      import.table = "grids";
      import.what = _("exclusive grids");
      break;
    case GP_IMPORT_HOUSEHOLDS:
    default:
      import.table = "households";
      import.what = _("households");
      break;
    }

  /* Field mapping first: a wrong --code-field needs no lock on the file. Its notes lead. */
  if (!_gp_import_map_fields (layer, kind, map, import.fields, own_notes, error))
    return FALSE;
  if (!_gp_project_check_writable (self, error))
    return FALSE;
  /* A units import may rebuild its table, which SQLite only allows safely with foreign keys
   * off; the pragma is ignored inside a transaction, so it goes first. */
  if (kind == GP_IMPORT_UNITS && !gp_sqlite_exec (import.db, "PRAGMA foreign_keys = OFF", error))
    return FALSE;
  import.changed_outline = g_array_new (FALSE, FALSE, sizeof (guint));
  import.changed_name = g_array_new (FALSE, FALSE, sizeof (guint));
  import.changed_households = g_array_new (FALSE, FALSE, sizeof (guint));
  import.changed_parent = g_array_new (FALSE, FALSE, sizeof (guint));
  import.unchanged = g_array_new (FALSE, FALSE, sizeof (guint));
  import.moved_units = g_ptr_array_new_with_free_func (g_free);
  ok = _gp_project_begin (self, error);
  if (ok)
    {
      ok = run_import (&import, error);
      if (ok)
        ok = _gp_project_commit (self, error);
      else
        _gp_project_rollback (self);
    }
  if (kind == GP_IMPORT_UNITS)
    sqlite3_exec (import.db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);

  if (ok && n_imported != NULL)
    *n_imported = import.rows->len;
  if (ok && notes != NULL)
    for (guint i = 0; i < own_notes->len; i++)
      g_ptr_array_add (notes, g_strdup (g_ptr_array_index (own_notes, i)));
  import_clear (&import);
  return ok;
}
