/* gp-grid-item.c: a grid's row, its numbers as properties so the list sorts by them. */
#include "gp-config.h"

#include "gp-grid-item.h"

#include <math.h>

struct _GpGridItem
{
  GObject parent_instance;
  char   *code, *name, *community, *workers, *search;
  gint64  households, contacts;
  double  deviation;
  int     status;
};

G_DEFINE_FINAL_TYPE (GpGridItem, gp_grid_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CODE,
  PROP_NAME,
  PROP_COMMUNITY,
  PROP_HOUSEHOLDS,
  PROP_DEVIATION,
  PROP_WORKERS,
  PROP_CONTACTS,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gp_grid_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GpGridItem *self = GP_GRID_ITEM (object);

  switch (prop_id)
    {
    case PROP_CODE: g_value_set_string (value, self->code); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_COMMUNITY: g_value_set_string (value, self->community); break;
    case PROP_HOUSEHOLDS: g_value_set_int64 (value, self->households); break;
    case PROP_DEVIATION: g_value_set_double (value, self->deviation); break;
    case PROP_WORKERS: g_value_set_string (value, self->workers); break;
    case PROP_CONTACTS: g_value_set_int64 (value, self->contacts); break;
    case PROP_STATUS: g_value_set_int (value, self->status); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec); break;
    }
}

static void
gp_grid_item_finalize (GObject *object)
{
  GpGridItem *self = GP_GRID_ITEM (object);

  g_free (self->code);
  g_free (self->name);
  g_free (self->community);
  g_free (self->workers);
  g_free (self->search);
  G_OBJECT_CLASS (gp_grid_item_parent_class)->finalize (object);
}

static void
gp_grid_item_class_init (GpGridItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = gp_grid_item_get_property;
  object_class->finalize = gp_grid_item_finalize;
  properties[PROP_CODE] = g_param_spec_string ("code", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_COMMUNITY] = g_param_spec_string ("community", NULL, NULL, NULL, flags);
  properties[PROP_HOUSEHOLDS] = g_param_spec_int64 ("households", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_DEVIATION] = g_param_spec_double ("deviation", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_WORKERS] = g_param_spec_string ("workers", NULL, NULL, NULL, flags);
  properties[PROP_CONTACTS] = g_param_spec_int64 ("contacts", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_STATUS] = g_param_spec_int ("status", NULL, NULL, -1, 2, -1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gp_grid_item_init (GpGridItem *self)
{
}

GpGridItem *
gp_grid_item_new (const char *code, const char *name, const char *community, gint64 households, double deviation,
                  const char *workers, gint64 contacts, int status)
{
  GpGridItem *self = g_object_new (GP_TYPE_GRID_ITEM, NULL);
  g_autofree char *joined = NULL;

  self->code = g_strdup (code);
  self->name = g_strdup (name);
  self->community = g_strdup (community);
  self->households = households;
  /* Sorted as numbers, unknown deviations go last. */
  self->deviation = isfinite (deviation) ? deviation : G_MAXDOUBLE;
  self->workers = g_strdup (workers);
  self->contacts = contacts;
  self->status = status;
  joined = g_strjoin (" ", code != NULL ? code : "", name != NULL ? name : "", community != NULL ? community : "",
                      workers != NULL ? workers : "", NULL);
  self->search = g_utf8_strdown (joined, -1);
  return self;
}

const char *gp_grid_item_get_code (GpGridItem *self) { return self->code; }
const char *gp_grid_item_get_name (GpGridItem *self) { return self->name; }
const char *gp_grid_item_get_community (GpGridItem *self) { return self->community; }
gint64 gp_grid_item_get_households (GpGridItem *self) { return self->households; }
double gp_grid_item_get_deviation (GpGridItem *self) { return self->deviation; }
const char *gp_grid_item_get_workers (GpGridItem *self) { return self->workers; }
gint64 gp_grid_item_get_contacts (GpGridItem *self) { return self->contacts; }
int gp_grid_item_get_status (GpGridItem *self) { return self->status; }
const char *gp_grid_item_get_search_text (GpGridItem *self) { return self->search; }
