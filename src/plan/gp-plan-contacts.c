/* gp-plan-contacts.c: party contacts, grid by grid, as a minimum-cost flow from members' homes to the grid's households. */
#include "gp-config.h"

#include "gp-plan-contacts.h"

#include <math.h>
#include <stdlib.h>

#include "gp-assign.h"
#include "gp-geom.h"
#include "gp-plan-roster.h"
#include "gp-project-people.h"

void
gp_plan_homes (GpLocalFrame *frame, GPtrArray *people, double *home)
{
  for (guint p = 0; p < people->len; p++)
    {
      GpProjectPerson *person = g_ptr_array_index (people, p);
      double xy[2] = { person->home_x, person->home_y };

      home[2 * p] = home[2 * p + 1] = NAN;
      if (frame != NULL && person->has_home && gp_local_frame_forward (frame, xy, 1, NULL))
        {
          home[2 * p] = xy[0];
          home[2 * p + 1] = xy[1];
        }
    }
}

/* The households of one grid a member can be linked to: a unit, a household point, or (neither
 * code) a share of the grid's total. */
typedef struct {
  const char *unit_code;
  const char *household_code;
  guint       households;
  double      x, y;
} Place;

/* A grid's party members (indices into people) and the places of its households. */
typedef struct {
  GArray *members;
  GArray *places;   /* of Place */
} GridContacts;

/* A grid with members, its shape prepared for points to find it. */
typedef struct {
  GEOSGeometry                *geom;
  const GEOSPreparedGeometry  *prepared;
  GridContacts                *contacts;
} Target;

static void
target_clear (gpointer p)
{
  Target *t = p;
  GEOSContextHandle_t ctx = gp_geos ();

  GEOSPreparedGeom_destroy_r (ctx, t->prepared);
  GEOSGeom_destroy_r (ctx, t->geom);
}

static void
grid_contacts_free (GridContacts *g)
{
  g_clear_pointer (&g->members, g_array_unref);
  g_clear_pointer (&g->places, g_array_unref);
  g_free (g);
}

/* The centre of SHAPE's bounding box in FRAME (NaN when either is missing). */
static void
shape_centre (GpLocalFrame *frame, const GpShape *shape, double *x, double *y)
{
  double bbox[4], xy[2];

  *x = *y = NAN;
  if (frame == NULL || shape == NULL || !gp_shape_get_bbox (shape, bbox))
    return;
  xy[0] = (bbox[0] + bbox[2]) / 2.0;
  xy[1] = (bbox[1] + bbox[3]) / 2.0;
  if (gp_local_frame_forward (frame, xy, 1, NULL))
    {
      *x = xy[0];
      *y = xy[1];
    }
}

static guint
whole_households (double value)
{
  return isfinite (value) && value > 0.0 ? (guint) MIN (llround (value), (long long) G_MAXUINT32) : 0;
}

static GridContacts *
grid_contacts_of (GHashTable *grids, gpointer key)
{
  GridContacts *gc = g_hash_table_lookup (grids, key);

  if (gc == NULL)
    {
      gc = g_new0 (GridContacts, 1);
      gc->members = g_array_new (FALSE, FALSE, sizeof (guint));
      gc->places = g_array_new (FALSE, FALSE, sizeof (Place));
      g_hash_table_insert (grids, key, gc);
    }
  return gc;
}

/* Party members by grid (index + 1 into data->grids → GridContacts). */
static GHashTable *
members_by_grid (GpPlanData *data, GPtrArray *people, GPtrArray *assignments)
{
  g_autoptr(GHashTable) person_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) grid_index = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *grids = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) grid_contacts_free);

  for (guint p = 0; p < people->len; p++)
    g_hash_table_insert (person_index, ((GpProjectPerson *) g_ptr_array_index (people, p))->id, GUINT_TO_POINTER (p + 1));
  for (guint g = 0; g < data->grids->len; g++)
    g_hash_table_insert (grid_index, ((GpProjectGrid *) g_ptr_array_index (data->grids, g))->code,
                         GUINT_TO_POINTER (g + 1));
  for (guint i = 0; i < assignments->len; i++)
    {
      GpProjectAssignment *a = g_ptr_array_index (assignments, i);
      guint p = GPOINTER_TO_UINT (g_hash_table_lookup (person_index, a->person_id));
      gpointer g = g_hash_table_lookup (grid_index, a->grid_code);
      const char *role;
      GridContacts *gc;

      if (p == 0 || g == NULL)
        continue;
      role = a->role != NULL ? a->role : ((GpProjectPerson *) g_ptr_array_index (people, p - 1))->role;
      if (g_strcmp0 (role, "party") != 0)
        continue;
      gc = grid_contacts_of (grids, g);
      p--;
      g_array_append_val (gc->members, p);
    }
  return grids;
}

/* The units of each grid with members, from grid_units. */
static void
unit_places (GpPlanData *data, GpLocalFrame *frame, GHashTable *grids)
{
  g_autoptr(GHashTable) unit_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;

  for (guint u = 0; u < gp_layer_get_n_features (data->units); u++)
    {
      char *code = gp_plan_value_text (data->units, gp_layer_get_feature (data->units, u), data->unit_code);

      if (code != NULL)
        g_hash_table_replace (unit_index, code, GUINT_TO_POINTER (u + 1));
    }
  g_hash_table_iter_init (&iter, grids);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GpProjectGrid *grid = g_ptr_array_index (data->grids, GPOINTER_TO_UINT (key) - 1);
      GridContacts *gc = value;

      for (guint k = 0; k < grid->unit_codes->len; k++)
        {
          const char *code = g_ptr_array_index (grid->unit_codes, k);
          guint u = GPOINTER_TO_UINT (g_hash_table_lookup (unit_index, code));
          GpFeature *f;
          Place place = { code, NULL, 0, NAN, NAN };

          if (u == 0)
            continue;
          f = gp_layer_get_feature (data->units, u - 1);
          place.households = whole_households (gp_plan_value_number (data->units, f, data->unit_households));
          shape_centre (frame, f->shape, &place.x, &place.y);
          if (place.households > 0)
            g_array_append_val (gc->places, place);
        }
    }
}

/* The grids with members of each community (code → GArray of Target). */
static GHashTable *
targets_by_community (GpPlanData *data, GHashTable *grids)
{
  GEOSContextHandle_t ctx = gp_geos ();
  GHashTable *by_community = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_array_unref);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, grids);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GpProjectGrid *grid = g_ptr_array_index (data->grids, GPOINTER_TO_UINT (key) - 1);
      GArray *list;
      Target t = { NULL, NULL, value };

      if (grid->area_code == NULL || grid->shape == NULL
          || (t.geom = gp_geom_from_shape (ctx, grid->shape, NULL)) == NULL)
        continue;
      t.prepared = GEOSPrepare_r (ctx, t.geom);
      list = g_hash_table_lookup (by_community, grid->area_code);
      if (list == NULL)
        {
          list = g_array_new (FALSE, FALSE, sizeof (Target));
          g_array_set_clear_func (list, target_clear);
          g_hash_table_insert (by_community, grid->area_code, list);
        }
      g_array_append_val (list, t);
    }
  return by_community;
}

/* Point units and household points (the latter only where their community has no units, as the
 * splitter counts them), each to the grid of its community holding it. Codes go to OWNED. */
static void
point_places (GpPlanData *data, GpLocalFrame *frame, GHashTable *grids, GPtrArray *owned)
{
  GEOSContextHandle_t ctx = gp_geos ();
  g_autoptr(GHashTable) has_units = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) targets = targets_by_community (data, grids);

  for (int pass = 0; pass < 2; pass++)
    {
      GpLayer *layer = pass == 0 ? data->units : data->households;
      int area_field = pass == 0 ? data->unit_area : data->household_area;
      int code_field = pass == 0 ? data->unit_code : data->household_code;

      for (guint i = 0; i < gp_layer_get_n_features (layer); i++)
        {
          GpFeature *f = gp_layer_get_feature (layer, i);
          g_autofree char *area = gp_plan_value_text (layer, f, area_field);
          GArray *list;
          GEOSGeometry *pt;
          Place place = { NULL, NULL, 1, NAN, NAN };

          if (area == NULL || f->shape == NULL || f->shape->n_points == 0)
            continue;
          if (pass == 1 && g_hash_table_contains (has_units, area))
            continue;
          if (pass == 0)
            {
              gboolean point = f->shape->kind == GP_SHAPE_POINT;

              g_hash_table_add (has_units, g_strdup (area));
              if (!point)
                continue;
              place.households = whole_households (gp_plan_value_number (layer, f, data->unit_households));
            }
          list = g_hash_table_lookup (targets, area);
          if (list == NULL || place.households == 0)
            continue;
          pt = GEOSGeom_createPointFromXY_r (ctx, f->shape->xy[0], f->shape->xy[1]);
          for (guint k = 0; k < list->len; k++)
            {
              Target *t = &g_array_index (list, Target, k);
              char *code;
              double xy[2] = { f->shape->xy[0], f->shape->xy[1] };

              if (GEOSPreparedIntersects_r (ctx, t->prepared, pt) != 1)
                continue;
              code = gp_plan_value_text (layer, f, code_field);
              if (code != NULL)
                g_ptr_array_add (owned, code);
              *(pass == 0 ? &place.unit_code : &place.household_code) = code;
              if (frame != NULL && gp_local_frame_forward (frame, xy, 1, NULL))
                {
                  place.x = xy[0];
                  place.y = xy[1];
                }
              g_array_append_val (t->contacts->places, place);
              break;
            }
          GEOSGeom_destroy_r (ctx, pt);
        }
    }
}

/* A grid whose households are known only as its total is one place of them all. */
static void
add_whole_grid (const GpProjectGrid *grid, GridContacts *gc)
{
  Place whole = { NULL, NULL, whole_households ((double) grid->households), NAN, NAN };

  if (gc->places->len == 0 && whole.households > 0)
    g_array_append_val (gc->places, whole);
}

static GpProjectContact *
contact_new (const GpProjectPerson *person, const GpProjectGrid *grid, const Place *place, guint households)
{
  GpProjectContact *c = g_new0 (GpProjectContact, 1);

  c->person_id = g_strdup (person->id);
  c->grid_code = g_strdup (grid->code);
  c->unit_code = g_strdup (place->unit_code);
  c->household_code = g_strdup (place->household_code);
  c->households = households;
  return c;
}

/* One grid: its members to its places. A grid with no places known holds its total. */
static gboolean
link_grid (const GpProjectGrid *grid, GridContacts *gc, GPtrArray *people, const double *home, double ratio,
           GPtrArray *out, GError **error)
{
  guint nm = gc->members->len, np;
  g_autofree guint *reach = g_new (guint, nm + 1);
  g_autofree guint *households = NULL;
  g_autofree double *member_xy = g_new (double, 2 * (gsize) nm + 1);
  g_autofree double *place_xy = NULL;
  g_autoptr(GArray) links = NULL;

  add_whole_grid (grid, gc);
  np = gc->places->len;
  households = g_new (guint, np + 1);
  place_xy = g_new (double, 2 * (gsize) np + 1);
  for (guint m = 0; m < nm; m++)
    {
      guint p = g_array_index (gc->members, guint, m);

      reach[m] = whole_households (gp_person_reach (g_ptr_array_index (people, p), ratio));
      member_xy[2 * m] = home[2 * p];
      member_xy[2 * m + 1] = home[2 * p + 1];
    }
  for (guint k = 0; k < np; k++)
    {
      const Place *place = &g_array_index (gc->places, Place, k);

      households[k] = place->households;
      place_xy[2 * k] = place->x;
      place_xy[2 * k + 1] = place->y;
    }
  links = gp_assign_contacts (nm, reach, member_xy, np, households, place_xy, error);
  if (links == NULL)
    return FALSE;
  for (guint i = 0; i < links->len; i++)
    {
      const GpContactLink *l = &g_array_index (links, GpContactLink, i);

      g_ptr_array_add (out, contact_new (g_ptr_array_index (people, g_array_index (gc->members, guint, l->member)),
                                         grid, &g_array_index (gc->places, Place, l->place), l->households));
    }
  return TRUE;
}

static int
compare_keys (gconstpointer a, gconstpointer b)
{
  guint x = GPOINTER_TO_UINT (*(gconstpointer const *) a), y = GPOINTER_TO_UINT (*(gconstpointer const *) b);

  return (x > y) - (x < y);
}

GPtrArray *
gp_plan_contacts_link (GpPlanData *data, GpLocalFrame *frame, GPtrArray *people, const double *home,
                       GPtrArray *assignments, double ratio, GError **error)
{
  g_autoptr(GHashTable) grids = members_by_grid (data, people, assignments);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) contacts = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_contact_free);
  g_autofree gpointer *keys = NULL;
  guint n_keys = 0;

  if (!(ratio > 0.0))
    ratio = GP_DEFAULT_CONTACT_RATIO;
  unit_places (data, frame, grids);
  point_places (data, frame, grids, owned);
  /* Grid by grid in the grids' order, so the contacts come out the same every run. */
  keys = g_hash_table_get_keys_as_array (grids, &n_keys);
  qsort (keys, n_keys, sizeof (gpointer), (int (*) (const void *, const void *)) compare_keys);
  for (guint k = 0; k < n_keys; k++)
    if (!link_grid (g_ptr_array_index (data->grids, GPOINTER_TO_UINT (keys[k]) - 1),
                    g_hash_table_lookup (grids, keys[k]), people, home, ratio, contacts, error))
      return NULL;
  return g_steal_pointer (&contacts);
}

gboolean
gp_plan_relink_contacts (GpProject *project, double ratio, GError **error)
{
  g_autoptr(GpPlanData) data = NULL;
  g_autoptr(GPtrArray) people = NULL, assignments = NULL, contacts = NULL;
  g_autoptr(GpLocalFrame) frame = NULL;
  g_autofree double *home = NULL;

  g_return_val_if_fail (GP_IS_PROJECT (project), FALSE);
  if (!(ratio > 0.0))
    ratio = gp_project_get_contact_ratio (project);
  if ((data = gp_plan_data_load (project, error)) == NULL
      || (people = gp_project_load_people (project, error)) == NULL
      || (assignments = gp_project_load_assignments (project, error)) == NULL)
    return FALSE;
  frame = gp_plan_data_frame (data);
  home = g_new (double, 2 * (gsize) people->len + 1);
  gp_plan_homes (frame, people, home);
  contacts = gp_plan_contacts_link (data, frame, people, home, assignments, ratio, error);
  return contacts != NULL && gp_project_replace_party_contacts (project, contacts, ratio, error);
}

void
gp_contact_place_free (GpContactPlace *place)
{
  if (place == NULL)
    return;
  g_free (place->grid_code);
  g_free (place->unit_code);
  g_free (place->household_code);
  g_free (place);
}

static char *
place_key (const char *grid, const char *unit, const char *household)
{
  return g_strconcat (grid != NULL ? grid : "", "\x1f", unit != NULL ? unit : "", "\x1f", household != NULL ? household : "", NULL);
}

GPtrArray *
gp_plan_contact_places (GpPlanData *data, GPtrArray *contacts)
{
  g_autoptr(GHashTable) grids = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) grid_contacts_free);
  g_autoptr(GHashTable) in_contact = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *places = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_contact_place_free);

  g_return_val_if_fail (data != NULL && contacts != NULL, NULL);
  for (guint g = 0; g < data->grids->len; g++)
    grid_contacts_of (grids, GUINT_TO_POINTER (g + 1));
  unit_places (data, NULL, grids);
  point_places (data, NULL, grids, owned);
  for (guint i = 0; i < contacts->len; i++)
    {
      GpProjectContact *c = g_ptr_array_index (contacts, i);
      char *key = place_key (c->grid_code, c->unit_code, c->household_code);
      gint64 *n = g_hash_table_lookup (in_contact, key);

      if (n == NULL)
        g_hash_table_insert (in_contact, key, n = g_new0 (gint64, 1));
      else
        g_free (key);
      *n += c->households;
    }
  for (guint g = 0; g < data->grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (data->grids, g);
      GridContacts *gc = g_hash_table_lookup (grids, GUINT_TO_POINTER (g + 1));

      add_whole_grid (grid, gc);
      for (guint k = 0; k < gc->places->len; k++)
        {
          const Place *p = &g_array_index (gc->places, Place, k);
          GpContactPlace *out = g_new0 (GpContactPlace, 1);
          g_autofree char *key = place_key (grid->code, p->unit_code, p->household_code);
          const gint64 *n = g_hash_table_lookup (in_contact, key);

          out->grid_code = g_strdup (grid->code);
          out->unit_code = g_strdup (p->unit_code);
          out->household_code = g_strdup (p->household_code);
          out->households = p->households;
          out->in_contact = n != NULL ? MIN (*n, (gint64) p->households) : 0;
          g_ptr_array_add (places, out);
        }
    }
  return places;
}
