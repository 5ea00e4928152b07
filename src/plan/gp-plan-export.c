/* gp-plan-export.c: the lists leadership asks for, built from the project and written as workbooks or CSV; phones and ID numbers masked unless asked for. */
#include "gp-config.h"

#include "gp-plan-export.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "gp-board.h"
#include "gp-error.h"
#include "gp-layer-write.h"
#include "gp-output.h"
#include "gp-plan-boards.h"
#include "gp-plan-contacts.h"
#include "gp-plan-data.h"
#include "gp-plan-roster.h"
#include "gp-project-grids.h"
#include "gp-project-people.h"
#include "gp-sheet.h"

/* Between names in one cell, as Chinese lists write them. */
#define NAME_SEPARATOR "、"

void
gp_export_options_init (GpExportOptions *options)
{
  memset (options, 0, sizeof *options);
}

/* Stars over TEXT's characters from KEEP_HEAD to its length less KEEP_TAIL. */
static char *
mask (const char *text, glong keep_head, glong keep_tail)
{
  glong n = g_utf8_strlen (text, -1);
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = text;

  if (keep_head + keep_tail >= n)
    {
      keep_head = 0;
      keep_tail = MIN (keep_tail, n / 2);
    }
  for (glong i = 0; i < n; i++, p = g_utf8_next_char (p))
    {
      if (i < keep_head || i >= n - keep_tail)
        g_string_append_unichar (out, g_utf8_get_char (p));
      else
        g_string_append_c (out, '*');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
gp_mask_phone (const char *phone)
{
  if (phone == NULL)
    return NULL;
  if (!g_utf8_validate (phone, -1, NULL))
    return g_strdup ("****");
  /* A mobile (11 digits) or a landline with its area code: the carrier or area shows. */
  if (g_utf8_strlen (phone, -1) >= 8)
    return mask (phone, 3, 4);
  return mask (phone, 0, 2);
}

char *
gp_mask_id_number (const char *id_number)
{
  if (id_number == NULL)
    return NULL;
  if (!g_utf8_validate (id_number, -1, NULL))
    return g_strdup ("****");
  return mask (id_number, 6, 4);
}

static char *
phone_out (const char *phone, const GpExportOptions *options)
{
  return options->personal_data ? g_strdup (phone) : gp_mask_phone (phone);
}

/* ---------------------------------------------------------------------------------------------
 * What the lists are made of
 * ------------------------------------------------------------------------------------------- */

struct _GpExport {
  GpProject  *project;
  GpExportOptions options;
  GpPlanData *data;
  GPtrArray  *people;       /* of GpProjectPerson */
  GPtrArray  *assignments;  /* of GpProjectAssignment */
  GHashTable *person;       /* id → GpProjectPerson */
  GHashTable *area_name;    /* code → name */
  GHashTable *area_parent;  /* code → parent code */
  GHashTable *unit_name;    /* code → name */
  GHashTable *by_grid;      /* grid code → GPtrArray of GpProjectAssignment (borrowed) */
  GHashTable *by_person;    /* person id → GPtrArray of GpProjectAssignment (borrowed) */
  GHashTable *grid_name;    /* grid code → its name (borrowed) */
  GHashTable *grid_area;    /* grid code → its community's code (borrowed) */
  GPtrArray  *contacts;     /* of GpProjectContact */
  GHashTable *grid_contacts; /* grid code → gint64 households in contact (borrowed key) */
};

void
gp_export_free (GpExport *l)
{
  if (l == NULL)
    return;
  g_clear_pointer (&l->grid_contacts, g_hash_table_unref);
  g_clear_pointer (&l->contacts, g_ptr_array_unref);
  g_clear_pointer (&l->grid_area, g_hash_table_unref);
  g_clear_pointer (&l->grid_name, g_hash_table_unref);
  g_clear_pointer (&l->by_person, g_hash_table_unref);
  g_clear_pointer (&l->by_grid, g_hash_table_unref);
  g_clear_pointer (&l->unit_name, g_hash_table_unref);
  g_clear_pointer (&l->area_parent, g_hash_table_unref);
  g_clear_pointer (&l->area_name, g_hash_table_unref);
  g_clear_pointer (&l->person, g_hash_table_unref);
  g_clear_pointer (&l->assignments, g_ptr_array_unref);
  g_clear_pointer (&l->people, g_ptr_array_unref);
  g_clear_pointer (&l->data, gp_plan_data_free);
  g_clear_object (&l->project);
  g_free (l);
}

static void
index_layer (GpLayer *layer, int key, int value, GHashTable *into)
{
  if (layer == NULL || key < 0)
    return;
  for (guint i = 0; i < gp_layer_get_n_features (layer); i++)
    {
      GpFeature *f = gp_layer_get_feature (layer, i);
      char *code = gp_plan_value_text (layer, f, key);

      if (code != NULL)
        g_hash_table_insert (into, code, gp_plan_value_text (layer, f, value));
    }
}

static void
group_by (GHashTable *table, const char *key, GpProjectAssignment *a)
{
  GPtrArray *list = g_hash_table_lookup (table, key);

  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (table, (gpointer) key, list);
    }
  g_ptr_array_add (list, a);
}

GpExport *
gp_export_load (GpProject *project, const GpExportOptions *options, GError **error)
{
  g_autoptr(GpExport) l = g_new0 (GpExport, 1);

  g_return_val_if_fail (GP_IS_PROJECT (project), NULL);
  l->project = g_object_ref (project);
  if (options != NULL)
    l->options = *options;
  else
    gp_export_options_init (&l->options);
  l->data = gp_plan_data_load (project, error);
  if (l->data == NULL)
    return NULL;
  l->people = gp_project_load_people (project, error);
  if (l->people == NULL)
    return NULL;
  l->assignments = gp_project_load_assignments (project, error);
  if (l->assignments == NULL)
    return NULL;
  l->contacts = gp_project_load_party_contacts (project, error);
  if (l->contacts == NULL)
    return NULL;
  l->grid_contacts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint i = 0; i < l->contacts->len; i++)
    {
      GpProjectContact *c = g_ptr_array_index (l->contacts, i);
      gint64 *n = g_hash_table_lookup (l->grid_contacts, c->grid_code);

      if (n == NULL)
        g_hash_table_insert (l->grid_contacts, c->grid_code, n = g_new0 (gint64, 1));
      *n += c->households;
    }
  l->person = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < l->people->len; i++)
    {
      GpProjectPerson *p = g_ptr_array_index (l->people, i);

      g_hash_table_insert (l->person, p->id, p);
    }
  l->area_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  l->area_parent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  l->unit_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  index_layer (l->data->areas, l->data->area_code, l->data->area_name, l->area_name);
  index_layer (l->data->areas, l->data->area_code, gp_layer_find_field (l->data->areas, "parent_code"),
               l->area_parent);
  index_layer (l->data->units, l->data->unit_code, l->data->unit_name, l->unit_name);
  l->by_grid = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  l->by_person = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < l->assignments->len; i++)
    {
      GpProjectAssignment *a = g_ptr_array_index (l->assignments, i);

      group_by (l->by_grid, a->grid_code, a);
      group_by (l->by_person, a->person_id, a);
    }
  l->grid_name = g_hash_table_new (g_str_hash, g_str_equal);
  l->grid_area = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint g = 0; g < l->data->grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (l->data->grids, g);

      g_hash_table_insert (l->grid_name, grid->code, grid->name);
      g_hash_table_insert (l->grid_area, grid->code, grid->area_code);
    }
  return g_steal_pointer (&l);
}

static const char *
area_name (GpExport *l, const char *code)
{
  const char *name = code != NULL ? g_hash_table_lookup (l->area_name, code) : NULL;

  return name != NULL ? name : code;
}

/* The township (street) holding community CODE: its parent_code, else by the NBS code, whose
 * first nine digits are the township's (150621003001 is in 150621003000). */
static const char *
township_of (GpExport *l, const char *code)
{
  const char *parent = code != NULL ? g_hash_table_lookup (l->area_parent, code) : NULL;
  char nbs[13];

  if (parent != NULL)
    return area_name (l, parent);
  if (code == NULL || strlen (code) != 12)
    return NULL;
  memcpy (nbs, code, 9);
  memcpy (nbs + 9, "000", 4);
  return g_hash_table_contains (l->area_name, nbs) ? g_hash_table_lookup (l->area_name, nbs) : NULL;
}

static char *
number_text (gint64 n)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, n);
}

/* ---------------------------------------------------------------------------------------------
 * The grid assignment list
 * ------------------------------------------------------------------------------------------- */

enum {
  LIST_CODE, LIST_NAME, LIST_TOWNSHIP, LIST_COMMUNITY, LIST_KIND, LIST_HOUSEHOLDS, LIST_UNITS,
  LIST_FULLTIME, LIST_PHONE, LIST_PARTTIME, LIST_PARTY, LIST_CONTACTS, LIST_BUILDING_HEADS,
  LIST_UNIT_HEADS, LIST_INSTRUCTORS, LIST_N
};

static const char *const list_header[LIST_N] = {
  N_("Grid code"), N_("Grid name"), N_("Subdistrict (township)"), N_("Community (village)"), N_("Grid kind"),
  N_("Households"), N_("Units"), N_("Full-time grid workers"), N_("Phone"), N_("Part-time grid workers"),
  N_("Party members"), N_("Households in contact"), N_("Building heads"), N_("Unit heads"),
  N_("Department instructors"),
};

static GpSheet *
list_sheet (const char *name, const char *title)
{
  const char *header[LIST_N + 1];
  GpSheet *sheet;

  for (guint i = 0; i < LIST_N; i++)
    header[i] = _(list_header[i]);
  header[LIST_N] = NULL;
  sheet = gp_sheet_new (name, title, header);
  gp_sheet_set_numeric (sheet, LIST_HOUSEHOLDS);
  gp_sheet_set_numeric (sheet, LIST_UNITS);
  gp_sheet_set_numeric (sheet, LIST_PARTY);
  gp_sheet_set_numeric (sheet, LIST_CONTACTS);
  return sheet;
}

/* The cells of GRID's row: its people by role, names joined, phones masked unless asked. */
static void
list_row (GpExport *l, GpProjectGrid *grid, GPtrArray *row)
{
  GString *names[GP_ROLE_N];
  g_autoptr(GString) phones = g_string_new (NULL);
  GPtrArray *people = g_hash_table_lookup (l->by_grid, grid->code);
  const char *township = township_of (l, grid->area_code);
  guint party = 0;
  const gint64 *contacts = g_hash_table_lookup (l->grid_contacts, grid->code);

  for (guint r = 0; r < GP_ROLE_N; r++)
    names[r] = g_string_new (NULL);
  for (guint i = 0; people != NULL && i < people->len; i++)
    {
      GpProjectAssignment *a = g_ptr_array_index (people, i);
      GpProjectPerson *p = g_hash_table_lookup (l->person, a->person_id);
      GpRole role;

      if (p == NULL || !gp_role_parse (a->role != NULL ? a->role : p->role, &role))
        continue;
      g_string_append_printf (names[role], "%s%s", names[role]->len > 0 ? NAME_SEPARATOR : "", p->name);
      if (role == GP_ROLE_FULLTIME && p->phone != NULL)
        {
          g_autofree char *phone = phone_out (p->phone, &l->options);

          g_string_append_printf (phones, "%s%s", phones->len > 0 ? NAME_SEPARATOR : "", phone);
        }
      if (role == GP_ROLE_PARTY)
        party++;
    }
  g_ptr_array_add (row, g_strdup (grid->code));
  g_ptr_array_add (row, g_strdup (grid->name));
  g_ptr_array_add (row, g_strdup (township));
  g_ptr_array_add (row, g_strdup (area_name (l, grid->area_code)));
  g_ptr_array_add (row, g_strdup (grid->exclusive ? _("exclusive") : _("basic")));
  g_ptr_array_add (row, number_text (grid->households));
  g_ptr_array_add (row, number_text (grid->unit_codes != NULL ? grid->unit_codes->len : 0));
  g_ptr_array_add (row, g_strdup (names[GP_ROLE_FULLTIME]->str));
  g_ptr_array_add (row, g_strdup (phones->str));
  g_ptr_array_add (row, g_strdup (names[GP_ROLE_PARTTIME]->str));
  g_ptr_array_add (row, number_text (party));
  /* The households its party members are linked to (never more than the grid has). */
  g_ptr_array_add (row, number_text (MIN (contacts != NULL ? *contacts : 0, MAX (grid->households, 0))));
  g_ptr_array_add (row, g_strdup (names[GP_ROLE_BUILDING_HEAD]->str));
  g_ptr_array_add (row, g_strdup (names[GP_ROLE_UNIT_HEAD]->str));
  g_ptr_array_add (row, g_strdup (names[GP_ROLE_INSTRUCTOR]->str));
  for (guint r = 0; r < GP_ROLE_N; r++)
    g_string_free (names[r], TRUE);
}

static char *
list_title (GpProject *project, const char *what)
{
  g_autofree char *base = g_path_get_basename (gp_project_get_path (project));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  char *dot = strrchr (base, '.');

  if (dot != NULL)
    *dot = '\0';
  /* TRANSLATORS: a workbook's title: the project, the list, the date it was made. */
  return g_strdup_printf (_("%s — %s (%s)"), base, what, date);
}

gboolean
gp_export_list (GpExport *l, const char *path, GError **error)
{
  g_autoptr(GPtrArray) sheets = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_sheet_free);
  g_autoptr(GHashTable) community_sheet = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *title = NULL;
  GpSheet *all;

  g_return_val_if_fail (l != NULL && path != NULL, FALSE);
  title = list_title (l->project, _("grid assignment list"));
  all = list_sheet (_("All grids"), title);
  g_ptr_array_add (sheets, all);
  /* Grids come in code order, so each community's sheet follows the first of its grids. */
  for (guint g = 0; g < l->data->grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (l->data->grids, g);
      const char *community = grid->area_code != NULL ? grid->area_code : "";
      GpSheet *sheet = g_hash_table_lookup (community_sheet, community);

      list_row (l, grid, gp_sheet_add_row (all));
      if (sheet == NULL)
        {
          sheet = list_sheet (area_name (l, grid->area_code), title);
          g_ptr_array_add (sheets, sheet);
          g_hash_table_insert (community_sheet, (gpointer) community, sheet);
        }
      list_row (l, grid, gp_sheet_add_row (sheet));
    }
  return gp_sheet_write (path, sheets, error);
}

/* ---------------------------------------------------------------------------------------------
 * People, and units to grids
 * ------------------------------------------------------------------------------------------- */

gboolean
gp_export_people (GpExport *l, const char *path, GError **error)
{
  const char *header[] = {
    _("Project id"), _("Name"), _("Role"), _("Community (village)"), _("Grids"), _("Grid names"), _("Phone"),
    _("ID number"), _("Organisation"), _("Department"), _("How assigned"), NULL,
  };
  g_autoptr(GPtrArray) sheets = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_sheet_free);
  g_autofree char *title = NULL;
  GpSheet *sheet;

  g_return_val_if_fail (l != NULL && path != NULL, FALSE);
  title = list_title (l->project, _("people and their grids"));
  sheet = gp_sheet_new (_("People"), title, header);
  g_ptr_array_add (sheets, sheet);
  for (guint i = 0; i < l->people->len; i++)
    {
      GpProjectPerson *p = g_ptr_array_index (l->people, i);
      GPtrArray *row = gp_sheet_add_row (sheet), *assigned = g_hash_table_lookup (l->by_person, p->id);
      g_autoptr(GString) codes = g_string_new (NULL), names = g_string_new (NULL);
      gboolean manual = FALSE, locked = FALSE;

      for (guint k = 0; assigned != NULL && k < assigned->len; k++)
        {
          GpProjectAssignment *a = g_ptr_array_index (assigned, k);
          const char *name = g_hash_table_lookup (l->grid_name, a->grid_code);

          g_string_append_printf (codes, "%s%s", k > 0 ? NAME_SEPARATOR : "", a->grid_code);
          g_string_append_printf (names, "%s%s", k > 0 ? NAME_SEPARATOR : "", name != NULL ? name : "");
          manual |= a->manual;
          locked |= a->locked;
        }
      g_ptr_array_add (row, g_strdup (p->id));
      g_ptr_array_add (row, g_strdup (p->name));
      g_ptr_array_add (row, g_strdup (gp_role_label (p->role)));
      g_ptr_array_add (row, g_strdup (area_name (l, p->area_code)));
      g_ptr_array_add (row, g_strdup (codes->str));
      g_ptr_array_add (row, g_strdup (names->str));
      g_ptr_array_add (row, phone_out (p->phone, &l->options));
      g_ptr_array_add (row, l->options.personal_data ? g_strdup (p->id_number) : gp_mask_id_number (p->id_number));
      g_ptr_array_add (row, g_strdup (p->org));
      g_ptr_array_add (row, g_strdup (p->department));
      g_ptr_array_add (row, g_strdup (assigned == NULL ? _("not assigned")
                                      : locked         ? _("locked")
                                      : manual         ? _("by hand")
                                                       : _("automatic")));
    }
  return gp_sheet_write (path, sheets, error);
}

gboolean
gp_export_equivalency (GpExport *l, const char *path, GError **error)
{
  const char *header[] = {
    _("Unit code"), _("Unit name"), _("Grid code"), _("Grid name"), _("Community (village)"), NULL,
  };
  g_autoptr(GPtrArray) sheets = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_sheet_free);
  GpSheet *sheet;

  g_return_val_if_fail (l != NULL && path != NULL, FALSE);
  sheet = gp_sheet_new (_("Units and grids"), NULL, header);
  g_ptr_array_add (sheets, sheet);
  for (guint g = 0; g < l->data->grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (l->data->grids, g);

      for (guint u = 0; grid->unit_codes != NULL && u < grid->unit_codes->len; u++)
        {
          const char *code = g_ptr_array_index (grid->unit_codes, u);
          GPtrArray *row = gp_sheet_add_row (sheet);

          g_ptr_array_add (row, g_strdup (code));
          g_ptr_array_add (row, g_strdup (g_hash_table_lookup (l->unit_name, code)));
          g_ptr_array_add (row, g_strdup (grid->code));
          g_ptr_array_add (row, g_strdup (grid->name));
          g_ptr_array_add (row, g_strdup (area_name (l, grid->area_code)));
        }
    }
  return gp_sheet_write (path, sheets, error);
}

/* The party members linked to PLACE with how many of its households each: 张三 (5)、李四 (3). */
static char *
place_members (GpExport *l, GHashTable *by_place, const GpContactPlace *place)
{
  g_autofree char *key = g_strconcat (place->grid_code, "\x1f", place->unit_code != NULL ? place->unit_code : "",
                                      "\x1f", place->household_code != NULL ? place->household_code : "", NULL);
  GPtrArray *linked = g_hash_table_lookup (by_place, key);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; linked != NULL && i < linked->len; i++)
    {
      GpProjectContact *c = g_ptr_array_index (linked, i);
      GpProjectPerson *p = g_hash_table_lookup (l->person, c->person_id);

      /* TRANSLATORS: a party member and the households of one place they keep in contact with. */
      g_string_append_printf (names, _("%s%s (%lld)"), names->len > 0 ? NAME_SEPARATOR : "",
                              p != NULL ? p->name : c->person_id, (long long) c->households);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

gboolean
gp_export_contacts (GpExport *l, const char *path, GError **error)
{
  const char *header[] = {
    _("Grid code"), _("Grid name"), _("Community (village)"), _("Households of"), _("Code"), _("Households"),
    _("Party members in contact"), _("Households in contact"), _("Households without contact"), NULL,
  };
  g_autoptr(GPtrArray) sheets = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_sheet_free);
  g_autoptr(GPtrArray) places = gp_plan_contact_places (l->data, l->contacts);
  g_autoptr(GHashTable) by_place = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_ptr_array_unref);
  g_autofree char *title = NULL;
  GpSheet *sheet;

  g_return_val_if_fail (l != NULL && path != NULL, FALSE);
  for (guint i = 0; i < l->contacts->len; i++)
    {
      GpProjectContact *c = g_ptr_array_index (l->contacts, i);
      char *key = g_strconcat (c->grid_code, "\x1f", c->unit_code != NULL ? c->unit_code : "", "\x1f",
                               c->household_code != NULL ? c->household_code : "", NULL);
      GPtrArray *list = g_hash_table_lookup (by_place, key);

      if (list == NULL)
        g_hash_table_insert (by_place, key, list = g_ptr_array_new ());
      else
        g_free (key);
      g_ptr_array_add (list, c);
    }
  title = list_title (l->project, _("party members and the households they keep in contact with"));
  sheet = gp_sheet_new (_("Party contacts"), title, header);
  gp_sheet_set_numeric (sheet, 5);
  gp_sheet_set_numeric (sheet, 7);
  gp_sheet_set_numeric (sheet, 8);
  g_ptr_array_add (sheets, sheet);
  for (guint i = 0; i < places->len; i++)
    {
      const GpContactPlace *place = g_ptr_array_index (places, i);
      GPtrArray *row = gp_sheet_add_row (sheet);
      const char *area = g_hash_table_lookup (l->grid_area, place->grid_code);
      g_ptr_array_add (row, g_strdup (place->grid_code));
      g_ptr_array_add (row, g_strdup (g_hash_table_lookup (l->grid_name, place->grid_code)));
      g_ptr_array_add (row, g_strdup (area_name (l, area)));
      if (place->unit_code != NULL)
        {
          const char *name = g_hash_table_lookup (l->unit_name, place->unit_code);

          g_ptr_array_add (row, g_strdup (name != NULL ? name : C_("party contacts", "unit")));
          g_ptr_array_add (row, g_strdup (place->unit_code));
        }
      else if (place->household_code != NULL)
        {
          g_ptr_array_add (row, g_strdup (C_("party contacts", "household")));
          g_ptr_array_add (row, g_strdup (place->household_code));
        }
      else
        {
          g_ptr_array_add (row, g_strdup (_("the whole grid")));
          g_ptr_array_add (row, g_strdup (""));
        }
      g_ptr_array_add (row, number_text (place->households));
      g_ptr_array_add (row, place_members (l, by_place, place));
      g_ptr_array_add (row, number_text (place->in_contact));
      g_ptr_array_add (row, number_text (place->households - place->in_contact));
    }
  return gp_sheet_write (path, sheets, error);
}

/* The full-time workers of GRID, names joined. */
static char *
grid_workers (GpExport *l, const char *grid)
{
  GPtrArray *people = g_hash_table_lookup (l->by_grid, grid);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; people != NULL && i < people->len; i++)
    {
      GpProjectAssignment *a = g_ptr_array_index (people, i);
      GpProjectPerson *p = g_hash_table_lookup (l->person, a->person_id);

      if (p != NULL && g_strcmp0 (a->role != NULL ? a->role : p->role, "fulltime") == 0)
        g_string_append_printf (names, "%s%s", names->len > 0 ? NAME_SEPARATOR : "", p->name);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

gboolean
gp_export_grids (GpExport *l, const char *path, GError **error)
{
  enum { F_CODE, F_NAME, F_TOWNSHIP, F_COMMUNITY, F_AREA_CODE, F_KIND, F_HOUSEHOLDS, F_UNITS, F_WORKERS, F_N };
  g_autoptr(GpLayer) layer = gp_layer_new ("grids");

  g_return_val_if_fail (l != NULL && path != NULL, FALSE);
  /* DBF field names: ten characters at most. */
  gp_layer_add_field (layer, "code", GP_FIELD_STRING, 40, 0);
  gp_layer_add_field (layer, "name", GP_FIELD_STRING, 120, 0);
  gp_layer_add_field (layer, "township", GP_FIELD_STRING, 120, 0);
  gp_layer_add_field (layer, "community", GP_FIELD_STRING, 120, 0);
  gp_layer_add_field (layer, "area_code", GP_FIELD_STRING, 20, 0);
  gp_layer_add_field (layer, "kind", GP_FIELD_STRING, 12, 0);
  gp_layer_add_field (layer, "households", GP_FIELD_INTEGER, 12, 0);
  gp_layer_add_field (layer, "units", GP_FIELD_INTEGER, 10, 0);
  gp_layer_add_field (layer, "workers", GP_FIELD_STRING, 200, 0);
  gp_layer_set_crs (layer, gp_layer_get_crs (l->data->areas));
  gp_layer_set_geometry_type (layer, GP_GEOMETRY_TYPE_POLYGON);
  gp_layer_set_encoding (layer, "UTF-8");
  for (guint g = 0; g < l->data->grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (l->data->grids, g);
      GpFeature *f = gp_layer_append (layer, grid->shape != NULL ? gp_shape_copy (grid->shape) : NULL, g);
      const char *township = township_of (l, grid->area_code);
      g_autofree char *workers = grid_workers (l, grid->code);

      gp_feature_set_text (layer, f, F_CODE, grid->code);
      gp_feature_set_text (layer, f, F_NAME, grid->name);
      gp_feature_set_text (layer, f, F_TOWNSHIP, township);
      gp_feature_set_text (layer, f, F_COMMUNITY, area_name (l, grid->area_code));
      gp_feature_set_text (layer, f, F_AREA_CODE, grid->area_code);
      gp_feature_set_text (layer, f, F_KIND, grid->exclusive ? "exclusive" : "basic");
      f->values[F_HOUSEHOLDS].is_null = FALSE;
      f->values[F_HOUSEHOLDS].integer = grid->households;
      f->values[F_UNITS].is_null = FALSE;
      f->values[F_UNITS].integer = grid->unit_codes != NULL ? grid->unit_codes->len : 0;
      gp_feature_set_text (layer, f, F_WORKERS, workers);
    }
  return gp_layer_write_by_name (layer, path, FALSE, error);
}

/* ---------------------------------------------------------------------------------------------
 * Notice boards
 * ------------------------------------------------------------------------------------------- */

/* Names on a board at most per role; the rest are counted. */
#define BOARD_NAMES 30

/* GRID's people of ROLE, names joined (full-time workers with their phones: a board shows how
 * to reach them); past BOARD_NAMES "and N more". */
static char *
board_people (GpExport *l, const char *grid, GpRole role, guint *n)
{
  GPtrArray *people = g_hash_table_lookup (l->by_grid, grid);
  g_autoptr(GString) text = g_string_new (NULL);
  guint count = 0;

  for (guint i = 0; people != NULL && i < people->len; i++)
    {
      GpProjectAssignment *a = g_ptr_array_index (people, i);
      GpProjectPerson *p = g_hash_table_lookup (l->person, a->person_id);
      GpRole r;

      if (p == NULL || !gp_role_parse (a->role != NULL ? a->role : p->role, &r) || r != role)
        continue;
      if (++count > BOARD_NAMES)
        continue;
      g_string_append_printf (text, "%s%s", text->len > 0 ? NAME_SEPARATOR : "", p->name);
      if (role == GP_ROLE_FULLTIME && p->phone != NULL)
        g_string_append_printf (text, " %s", p->phone);
    }
  if (count > BOARD_NAMES)
    /* TRANSLATORS: after the first names on a notice board: "and 12 more". */
    g_string_append_printf (text, _(" and %u more"), count - BOARD_NAMES);
  if (n != NULL)
    *n = count;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
board_units (GpExport *l, const GpProjectGrid *grid)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = grid->unit_codes != NULL ? grid->unit_codes->len : 0;

  for (guint i = 0; i < n && i < BOARD_NAMES; i++)
    {
      const char *code = g_ptr_array_index (grid->unit_codes, i);
      const char *name = g_hash_table_lookup (l->unit_name, code);

      g_string_append_printf (text, "%s%s", text->len > 0 ? NAME_SEPARATOR : "", name != NULL ? name : code);
    }
  if (n > BOARD_NAMES)
    g_string_append_printf (text, _(" and %u more"), n - BOARD_NAMES);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gboolean
gp_export_boards (GpExport *l, const char *area_code, const char *hotline, const char *path, guint *n_boards,
                  GCancellable *cancellable, GError **error)
{
  g_autoptr(GpMapData) map = NULL;
  g_autoptr(GHashTable) sides = NULL;
  g_autoptr(GpStyle) style = gp_style_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(GpOutput) output = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  guint pages = 0;

  g_return_val_if_fail (l != NULL && path != NULL, FALSE);
  for (guint g = 0; g < l->data->grids->len; g++)
    if (area_code == NULL || g_strcmp0 (((GpProjectGrid *) g_ptr_array_index (l->data->grids, g))->area_code,
                                        area_code) == 0)
      pages++;
  if (pages == 0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, area_code != NULL ? _("%s: no grids in area %s")
                                                                           : _("%s: the project has no grids yet"),
                   path, area_code);
      return FALSE;
    }
  if ((map = gp_map_data_new_from_project (l->project, error)) == NULL
      || (sides = gp_plan_grid_sides (l->project, error)) == NULL)
    return FALSE;
  /* A board's map is small: units quiet, grid labels kept. */
  style->show_scale_bar = TRUE;
  if ((output = gp_output_new (path, error)) == NULL)
    return FALSE;
  surface = cairo_pdf_surface_create (gp_output_get_temp_path (output), GP_BOARD_WIDTH, GP_BOARD_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _("Grid notice boards"));
  cr = cairo_create (surface);
  for (guint g = 0; g < l->data->grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (l->data->grids, g);
      g_autofree char *units = NULL, *workers = NULL, *parttime = NULL, *party = NULL, *buildings = NULL;
      g_autofree char *unit_heads = NULL, *instructors = NULL;
      char **beyond = g_hash_table_lookup (sides, grid->code);
      const gint64 *contacts = g_hash_table_lookup (l->grid_contacts, grid->code);
      GpBoardInfo info = { 0 };

      if (area_code != NULL && g_strcmp0 (grid->area_code, area_code) != 0)
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      info.code = grid->code;
      info.name = grid->name != NULL ? grid->name : grid->code;
      info.community = area_name (l, grid->area_code);
      info.township = township_of (l, grid->area_code);
      info.households = grid->households;
      info.n_units = grid->unit_codes != NULL ? grid->unit_codes->len : 0;
      info.units = units = board_units (l, grid);
      info.workers = workers = board_people (l, grid->code, GP_ROLE_FULLTIME, NULL);
      info.parttime = parttime = board_people (l, grid->code, GP_ROLE_PARTTIME, NULL);
      info.party = party = board_people (l, grid->code, GP_ROLE_PARTY, &info.n_party);
      info.contact_households = contacts != NULL ? MIN (*contacts, grid->households) : 0;
      info.building_heads = buildings = board_people (l, grid->code, GP_ROLE_BUILDING_HEAD, NULL);
      info.unit_heads = unit_heads = board_people (l, grid->code, GP_ROLE_UNIT_HEAD, NULL);
      info.instructors = instructors = board_people (l, grid->code, GP_ROLE_INSTRUCTOR, NULL);
      for (int s = 0; s < GP_N_SIDES; s++)
        info.sides[s] = beyond != NULL ? beyond[s] : NULL;
      info.hotline = hotline;
      info.date = date;
      gp_board_draw (cr, map, style, &info);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (error != NULL && *error != NULL)
    return FALSE;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot write the notice boards: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  if (!gp_output_commit (output, error))
    return FALSE;
  if (n_boards != NULL)
    *n_boards = pages;
  return TRUE;
}
