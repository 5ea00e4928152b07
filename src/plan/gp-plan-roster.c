/* gp-plan-roster.c: the roster read from a spreadsheet: headers found in Chinese or English, every row checked (name, role, ID number, community, phone, home), the good rows written. */
#include "gp-config.h"

#include "gp-plan-roster.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gp-crs.h"
#include "gp-csv.h"
#include "gp-error.h"
#include "gp-output.h"
#include "gp-plan-data.h"
#include "gp-plan-table.h"
#include "gp-project-people.h"
#include "gp-table.h"

/* ---- roles and ID numbers ------------------------------------------------------------------ */

static const struct {
  GpRole      role;
  const char *name;
  const char *words[6];   /* how rosters write it */
} roles[] = {
  { GP_ROLE_FULLTIME, "fulltime", { "专职网格员", "网格员", "专职", "full-time", "full_time", NULL } },
  { GP_ROLE_PARTTIME, "parttime", { "兼职网格员", "兼职", "part-time", "part_time", NULL } },
  { GP_ROLE_PARTY, "party", { "党员", "在职党员", "下沉党员", "party_member", "party member", NULL } },
  { GP_ROLE_BUILDING_HEAD, "building_head", { "楼栋长", "楼长", "building head", NULL } },
  { GP_ROLE_UNIT_HEAD, "unit_head", { "单元长", "unit head", NULL } },
  { GP_ROLE_INSTRUCTOR, "instructor", { "部门指导员", "指导员", "网格指导员", NULL } },
  { GP_ROLE_COMMUNITY_WORKER, "community_worker", { "社区工作者", "community worker", NULL } },
};

const char *
gp_role_name (GpRole role)
{
  for (gsize i = 0; i < G_N_ELEMENTS (roles); i++)
    if (roles[i].role == role)
      return roles[i].name;
  return NULL;
}

double
gp_person_reach (const GpProjectPerson *person, double ratio)
{
  return person->capacity >= 0 ? (double) person->capacity : ratio;
}

const char *
gp_role_label (const char *name)
{
  static const char *const labels[GP_ROLE_N] = {
    [GP_ROLE_FULLTIME] = N_("Full-time grid worker"),
    [GP_ROLE_PARTTIME] = N_("Part-time grid worker"),
    [GP_ROLE_PARTY] = N_("Party member"),
    [GP_ROLE_BUILDING_HEAD] = N_("Building head"),
    [GP_ROLE_UNIT_HEAD] = N_("Unit head"),
    [GP_ROLE_INSTRUCTOR] = N_("Department instructor"),
    [GP_ROLE_COMMUNITY_WORKER] = N_("Community worker"),
  };

  for (gsize i = 0; name != NULL && i < G_N_ELEMENTS (roles); i++)
    if (g_str_equal (roles[i].name, name))
      return _(labels[roles[i].role]);
  return name;
}

gboolean
gp_role_parse (const char *text, GpRole *role)
{
  g_autofree char *folded = text != NULL ? g_utf8_strdown (text, -1) : NULL;

  if (folded == NULL)
    return FALSE;
  g_strstrip (folded);
  for (gsize i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      gboolean hit = strcmp (folded, roles[i].name) == 0;

      for (gsize k = 0; !hit && roles[i].words[k] != NULL; k++)
        hit = strcmp (folded, roles[i].words[k]) == 0;
      if (hit)
        {
          *role = roles[i].role;
          return TRUE;
        }
    }
  return FALSE;
}

/* A real date, not in the future. */
static gboolean
birth_date_valid (guint year, guint month, guint day)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (year < 1850 || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;
  return (gint) year < g_date_time_get_year (now)
         || ((gint) year == g_date_time_get_year (now)
             && (month < (guint) g_date_time_get_month (now)
                 || (month == (guint) g_date_time_get_month (now)
                     && day <= (guint) g_date_time_get_day_of_month (now))));
}

static guint
digits_value (const char *p, guint n)
{
  guint v = 0;

  for (guint i = 0; i < n; i++)
    v = 10 * v + (guint) (p[i] - '0');
  return v;
}

gboolean
gp_id_number_valid (const char *text)
{
  static const guint weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  static const char checks[] = "10X98765432";
  gsize n = text != NULL ? strlen (text) : 0;
  guint sum = 0;

  if (n == 15)
    {
      for (gsize i = 0; i < 15; i++)
        if (!g_ascii_isdigit (text[i]))
          return FALSE;
      return birth_date_valid (1900 + digits_value (text + 6, 2), digits_value (text + 8, 2), digits_value (text + 10, 2));
    }
  if (n != 18)
    return FALSE;
  for (gsize i = 0; i < 17; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      sum += weights[i] * (guint) (text[i] - '0');
    }
  if (g_ascii_toupper (text[17]) != checks[sum % 11])
    return FALSE;
  return birth_date_valid (digits_value (text + 6, 4), digits_value (text + 10, 2), digits_value (text + 12, 2));
}

/* ---- the columns ---------------------------------------------------------------------------- */

typedef enum {
  COL_NAME, COL_ROLE, COL_PHONE, COL_ID_NUMBER, COL_ORG, COL_COMMUNITY, COL_COMMUNITY_CODE,
  COL_LON, COL_LAT, COL_DEPARTMENT, COL_CAPACITY, COL_N
} Column;

static const char *const column_words[COL_N][GP_PLAN_COLUMN_WORDS] = {
  [COL_NAME] = { "姓名", "名字", "人员姓名", "name", NULL },
  [COL_ROLE] = { "角色", "身份", "职务", "人员类别", "类别", "role", NULL },
  [COL_PHONE] = { "手机", "电话", "联系电话", "手机号", "手机号码", "联系方式", "phone", "mobile", "tel", NULL },
  [COL_ID_NUMBER] = { "身份证号", "身份证号码", "公民身份号码", "身份证", "id_number", "idnumber", "id number", NULL },
  [COL_ORG] = { "工作单位", "单位", "org", "organization", "organisation", NULL },
  [COL_COMMUNITY] = { "所属社区", "社区", "所属村", "所属村社区", "村社区", "所属村(社区)", "community", "village", NULL },
  [COL_COMMUNITY_CODE] = { "社区代码", "所属社区代码", "村社区代码", "区划代码", "community_code", "area_code", NULL },
  [COL_LON] = { "经度", "lon", "lng", "longitude", NULL },
  [COL_LAT] = { "纬度", "lat", "latitude", NULL },
  [COL_DEPARTMENT] = { "部门", "所在部门", "department", "dept", NULL },
  [COL_CAPACITY] = { "联系户数", "可联系户数", "capacity", NULL },
};

/* ---- the fields ----------------------------------------------------------------------------- */

/* A phone number as dialled in China: a mobile (1 and ten digits) or a landline with its area
 * code; spaces, dashes, brackets and +86 taken out. NULL when it is none. */
static char *
normal_phone (const char *text)
{
  GString *digits = g_string_new (NULL);
  const char *d;

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
    else if (!strchr (" -()+", *p))
      return (g_string_free (digits, TRUE), NULL);
  d = digits->str;
  if (g_str_has_prefix (d, "0086"))
    d += 4;
  else if (g_str_has_prefix (d, "86") && strlen (d) == 13)
    d += 2;
  if ((strlen (d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9')
      || (d[0] == '0' && strlen (d) >= 10 && strlen (d) <= 12)
      || ((strlen (d) == 7 || strlen (d) == 8) && d[0] != '0' && d[0] != '1'))
    {
      char *out = g_strdup (d);

      g_string_free (digits, TRUE);
      return out;
    }
  g_string_free (digits, TRUE);
  return NULL;
}

/* An ID number as written: blanks out, a lower-case x raised. */
static char *
normal_id_number (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (out, FALSE);
}

/* An area's name as rosters shorten it: 柴磴村委会 → 柴磴村, 召南社区居委会 → 召南社区. */
static char *
short_area_name (const char *name)
{
  static const struct { const char *suffix, *as; } forms[] = {
    { "村民委员会", "村" }, { "居民委员会", "社区" }, { "社区居委会", "社区" }, { "村委会", "村" },
    { "居委会", "社区" }, { "嘎查委员会", "嘎查" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (forms); i++)
    if (g_str_has_suffix (name, forms[i].suffix))
      {
        g_autofree char *stem = g_strndup (name, strlen (name) - strlen (forms[i].suffix));

        return g_strconcat (stem, forms[i].as, NULL);
      }
  return g_strdup (name);
}

typedef struct {
  GHashTable *codes;       /* area code → itself */
  GHashTable *names;       /* area name, and its short form → code */
  gboolean    has_extent;
  double      extent[4];   /* where homes may be (project CRS), generously */
  GpCrs      *crs;
} Places;

static void
places_clear (Places *pl)
{
  g_clear_pointer (&pl->codes, g_hash_table_unref);
  g_clear_pointer (&pl->names, g_hash_table_unref);
}

/* A home further than this share of the project's size beyond its extent (and at least the
 * margin below) is far outside it: a typo in a coordinate, or lon and lat swapped. */
#define HOME_MARGIN_SHARE     0.5
#define HOME_MARGIN_DEGREES   0.05
#define HOME_MARGIN_METRES    5000.0

static void
places_init (Places *pl, GpPlanData *data)
{
  double bbox[4];

  pl->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  pl->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  pl->crs = gp_project_get_crs (data->project);
  for (guint a = 0; a < gp_layer_get_n_features (data->areas); a++)
    {
      GpFeature *f = gp_layer_get_feature (data->areas, a);
      char *code = gp_plan_value_text (data->areas, f, data->area_code);
      g_autofree char *name = gp_plan_value_text (data->areas, f, data->area_name);

      if (code == NULL)
        continue;
      g_hash_table_insert (pl->codes, code, code);
      if (name != NULL)
        {
          g_hash_table_insert (pl->names, g_strdup (name), g_strdup (code));
          g_hash_table_insert (pl->names, short_area_name (name), g_strdup (code));
        }
    }
  if (gp_layer_get_bbox (data->areas, bbox))
    {
      gboolean degrees = pl->crs == NULL || gp_crs_is_geographic (pl->crs);
      double margin = MAX (HOME_MARGIN_SHARE * MAX (bbox[2] - bbox[0], bbox[3] - bbox[1]),
                           degrees ? HOME_MARGIN_DEGREES : HOME_MARGIN_METRES);

      pl->has_extent = TRUE;
      pl->extent[0] = bbox[0] - margin;
      pl->extent[1] = bbox[1] - margin;
      pl->extent[2] = bbox[2] + margin;
      pl->extent[3] = bbox[3] + margin;
    }
}

/* The code of the community TEXT names (a code of the project, or a name or its short form). */
static const char *
places_community (const Places *pl, const char *text)
{
  g_autofree char *short_form = NULL;
  const char *code;

  if ((code = g_hash_table_lookup (pl->codes, text)) != NULL || (code = g_hash_table_lookup (pl->names, text)) != NULL)
    return code;
  short_form = short_area_name (text);
  return g_hash_table_lookup (pl->names, short_form);
}

/* ---- the rows ------------------------------------------------------------------------------- */

void
gp_roster_result_free (GpRosterResult *result)
{
  if (result == NULL)
    return;
  g_free (result->encoding);
  for (guint i = 0; result->problems != NULL && i < result->problems->len; i++)
    g_free (g_array_index (result->problems, GpRosterProblem, i).reason);
  g_clear_pointer (&result->problems, g_array_unref);
  g_clear_pointer (&result->header, g_ptr_array_unref);
  g_clear_pointer (&result->problem_rows, g_ptr_array_unref);
  g_free (result);
}

static void
add_problem (GpRosterResult *result, const GpTableRow *row, gboolean rejected, char *reason)
{
  GpRosterProblem p = { row->line, reason, rejected };
  GPtrArray *copy = g_ptr_array_new_with_free_func (g_free);

  g_array_append_val (result->problems, p);
  for (guint i = 0; i < row->cells->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (row->cells, i)));
  g_ptr_array_add (result->problem_rows, copy);
  if (rejected)
    result->rejected++;
}

/* The person on ROW, or NULL when the row is rejected (its problem noted). Fields that are
 * wrong but not essential are left out and the row flagged. */
static GpProjectPerson *
read_person (const GpTableRow *row, const gint *col, const Places *pl, GHashTable *seen_numbers,
             GpRosterResult *result)
{
  g_autoptr(GpProjectPerson) p = gp_project_person_new ();
  g_autoptr(GString) flags = g_string_new (NULL);
  const char *name = gp_table_row_cell (row, col[COL_NAME]);
  const char *role_text = col[COL_ROLE] >= 0 ? gp_table_row_cell (row, col[COL_ROLE]) : "";
  const char *number = col[COL_ID_NUMBER] >= 0 ? gp_table_row_cell (row, col[COL_ID_NUMBER]) : "";
  const char *code = col[COL_COMMUNITY_CODE] >= 0 ? gp_table_row_cell (row, col[COL_COMMUNITY_CODE]) : "";
  const char *community = col[COL_COMMUNITY] >= 0 ? gp_table_row_cell (row, col[COL_COMMUNITY]) : "";
  const char *phone = col[COL_PHONE] >= 0 ? gp_table_row_cell (row, col[COL_PHONE]) : "";
  GpRole role;

  if (*name == '\0')
    return (add_problem (result, row, TRUE, g_strdup (_("no name"))), NULL);
  p->name = g_strdup (name);
  if (col[COL_ROLE] >= 0)
    {
      if (*role_text == '\0')
        return (add_problem (result, row, TRUE, g_strdup (_("no role"))), NULL);
      if (!gp_role_parse (role_text, &role))
        return (add_problem (result, row, TRUE, g_strdup_printf (_("unknown role “%s”"), role_text)), NULL);
      p->role = g_strdup (gp_role_name (role));
    }
  if (*number != '\0')
    {
      g_autofree char *normal = normal_id_number (number);
      gpointer first;

      if (strchr (normal, 'E') != NULL && strchr (normal, '.') != NULL)
        return (add_problem (result, row, TRUE,
                             g_strdup (_("the ID number was turned into a number by the spreadsheet and lost its "
                                         "last digits: format that column as text"))), NULL);
      if (!gp_id_number_valid (normal))
        return (add_problem (result, row, TRUE, g_strdup (_("invalid ID number (its check digit or birth date is wrong)"))),
                NULL);
      if (g_hash_table_lookup_extended (seen_numbers, normal, NULL, &first))
        return (add_problem (result, row, TRUE,
                             g_strdup_printf (_("the same ID number as row %u"), GPOINTER_TO_UINT (first))), NULL);
      g_hash_table_insert (seen_numbers, g_strdup (normal), GUINT_TO_POINTER (row->line));
      p->id_number = g_steal_pointer (&normal);
    }
  if (*code != '\0' || *community != '\0')
    {
      const char *found = *code != '\0' ? places_community (pl, code) : NULL;

      if (found == NULL && *community != '\0')
        found = places_community (pl, community);
      if (found == NULL)
        return (add_problem (result, row, TRUE,
                             g_strdup_printf (_("unknown community “%s”"), *community != '\0' ? community : code)), NULL);
      p->area_code = g_strdup (found);
    }

  /* Flagged, imported without the field. */
  if (*phone != '\0')
    {
      p->phone = normal_phone (phone);
      if (p->phone == NULL)
        g_string_append_printf (flags, "%s%s", flags->len > 0 ? _("; ") : "", _("the phone is not a phone number"));
    }
  if (col[COL_LON] >= 0 && col[COL_LAT] >= 0
      && (*gp_table_row_cell (row, col[COL_LON]) != '\0' || *gp_table_row_cell (row, col[COL_LAT]) != '\0'))
    {
      char *end_x = NULL, *end_y = NULL;
      double xy[2] = { g_ascii_strtod (gp_table_row_cell (row, col[COL_LON]), &end_x),
                       g_ascii_strtod (gp_table_row_cell (row, col[COL_LAT]), &end_y) };
      gboolean ok = end_x != NULL && *end_x == '\0' && end_y != NULL && *end_y == '\0' && fabs (xy[0]) <= 180.0
                    && fabs (xy[1]) <= 90.0;

      if (ok && pl->crs != NULL && !gp_crs_is_geographic (pl->crs))
        ok = gp_crs_from_lonlat (pl->crs, xy, 1, NULL);
      if (ok && pl->has_extent)
        ok = xy[0] >= pl->extent[0] && xy[0] <= pl->extent[2] && xy[1] >= pl->extent[1] && xy[1] <= pl->extent[3];
      if (ok)
        {
          p->has_home = TRUE;
          p->home_x = xy[0];
          p->home_y = xy[1];
        }
      else
        g_string_append_printf (flags, "%s%s", flags->len > 0 ? _("; ") : "",
                                _("the home (longitude, latitude) is not a place in or near the project"));
    }
  if (col[COL_CAPACITY] >= 0 && *gp_table_row_cell (row, col[COL_CAPACITY]) != '\0')
    {
      char *end = NULL;
      gint64 n = g_ascii_strtoll (gp_table_row_cell (row, col[COL_CAPACITY]), &end, 10);

      if (end != NULL && *end == '\0' && n >= 0 && n < 100000)
        p->capacity = (gint) n;
      else
        g_string_append_printf (flags, "%s%s", flags->len > 0 ? _("; ") : "",
                                _("the households to contact are not a number"));
    }
  if (col[COL_ORG] >= 0)
    p->org = g_strdup (gp_table_row_cell (row, col[COL_ORG]));
  if (col[COL_DEPARTMENT] >= 0)
    p->department = g_strdup (gp_table_row_cell (row, col[COL_DEPARTMENT]));
  if (flags->len > 0)
    {
      add_problem (result, row, FALSE, g_strdup_printf (_("imported without a field: %s"), flags->str));
      result->flagged++;
    }
  return g_steal_pointer (&p);
}

GpRosterResult *
gp_plan_import_roster (GpProject *project, const char *path, const char *encoding, const char *sheet,
                       GError **error)
{
  g_autoptr(GpRosterResult) result = g_new0 (GpRosterResult, 1);
  g_autoptr(GpTable) table = NULL;
  g_autoptr(GpPlanData) data = NULL;
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_person_free);
  g_autoptr(GHashTable) seen_numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Places places = { 0 };
  gint col[COL_N];
  gint header;

  g_return_val_if_fail (GP_IS_PROJECT (project), NULL);
  table = gp_plan_open_table (path, encoding, sheet, COL_N, column_words, COL_NAME, _("a name column (姓名 or name)"),
                              col, &header, error);
  if (table == NULL)
    return NULL;
  data = gp_plan_data_load (project, error);
  if (data == NULL)
    return NULL;
  places_init (&places, data);

  result->encoding = g_strdup (table->encoding);
  result->problems = g_array_new (FALSE, FALSE, sizeof (GpRosterProblem));
  result->problem_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  result->header = g_ptr_array_new_with_free_func (g_free);
  {
    const GpTableRow *head = g_ptr_array_index (table->rows, header);

    for (guint i = 0; i < head->cells->len; i++)
      g_ptr_array_add (result->header, g_strdup (g_ptr_array_index (head->cells, i)));
  }
  for (guint r = (guint) header + 1; r < table->rows->len; r++)
    {
      GpProjectPerson *p = read_person (g_ptr_array_index (table->rows, r), col, &places, seen_numbers, result);

      if (p != NULL)
        g_ptr_array_add (people, p);
    }
  places_clear (&places);

  if (!gp_project_put_people (project, people, &result->imported, &result->updated, error))
    return NULL;
  for (guint i = 0; i < people->len; i++)
    {
      GpProjectPerson *p = g_ptr_array_index (people, i);
      GpRole role;

      if (p->role != NULL && gp_role_parse (p->role, &role))
        result->by_role[role]++;
    }
  return g_steal_pointer (&result);
}

gboolean
gp_roster_write_rejects (GpRosterResult *result, const char *path, GError **error)
{
  g_autoptr(GpOutput) output = gp_output_new (path, error);
  GArray *problems = result->problems;
  FILE *out;

  if (output == NULL)
    return FALSE;
  out = gp_output_get_stream (output);
  /* UTF-8 with a BOM, so that Excel and WPS show the Chinese. */
  fputs ("\xEF\xBB\xBF", out);
  fputs (_("row"), out);
  for (guint i = 0; i < result->header->len; i++)
    {
      fputc (',', out);
      gp_csv_write_field (out, g_ptr_array_index (result->header, i));
    }
  fputc (',', out);
  gp_csv_write_field (out, _("problem"));
  fputs ("\r\n", out);
  for (guint k = 0; k < problems->len; k++)
    {
      const GpRosterProblem *p = &g_array_index (problems, GpRosterProblem, k);
      GPtrArray *cells = g_ptr_array_index (result->problem_rows, k);

      fprintf (out, "%u", p->row);
      for (guint i = 0; i < MAX (cells->len, result->header->len); i++)
        {
          fputc (',', out);
          gp_csv_write_field (out, i < cells->len ? g_ptr_array_index (cells, i) : "");
        }
      fputc (',', out);
      gp_csv_write_field (out, p->reason);
      fputs ("\r\n", out);
    }
  return gp_output_commit (output, error);
}
