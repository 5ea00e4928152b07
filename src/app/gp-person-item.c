/* gp-person-item.c: a person's row, its fields as properties so the list sorts by them. */
#include "gp-config.h"

#include "gp-person-item.h"

#include <string.h>

struct _GpPersonItem
{
  GObject parent_instance;
  char   *id, *name, *role, *community, *grids, *first_grid, *phone, *search;
};

G_DEFINE_FINAL_TYPE (GpPersonItem, gp_person_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ROLE,
  PROP_COMMUNITY,
  PROP_GRIDS,
  PROP_PHONE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gp_person_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GpPersonItem *self = GP_PERSON_ITEM (object);

  switch (prop_id)
    {
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_ROLE: g_value_set_string (value, self->role); break;
    case PROP_COMMUNITY: g_value_set_string (value, self->community); break;
    /* People on no grid sort together, after those on one. */
    case PROP_GRIDS: g_value_set_string (value, self->grids != NULL ? self->grids : "\xef\xbf\xbf"); break;
    case PROP_PHONE: g_value_set_string (value, self->phone); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec); break;
    }
}

static void
gp_person_item_finalize (GObject *object)
{
  GpPersonItem *self = GP_PERSON_ITEM (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->role);
  g_free (self->community);
  g_free (self->grids);
  g_free (self->first_grid);
  g_free (self->phone);
  g_free (self->search);
  G_OBJECT_CLASS (gp_person_item_parent_class)->finalize (object);
}

static void
gp_person_item_class_init (GpPersonItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = gp_person_item_get_property;
  object_class->finalize = gp_person_item_finalize;
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_ROLE] = g_param_spec_string ("role", NULL, NULL, NULL, flags);
  properties[PROP_COMMUNITY] = g_param_spec_string ("community", NULL, NULL, NULL, flags);
  properties[PROP_GRIDS] = g_param_spec_string ("grids", NULL, NULL, NULL, flags);
  properties[PROP_PHONE] = g_param_spec_string ("phone", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gp_person_item_init (GpPersonItem *self)
{
}

GpPersonItem *
gp_person_item_new (const char *id, const char *name, const char *role, const char *community, const char *grids,
                    const char *phone)
{
  GpPersonItem *self = g_object_new (GP_TYPE_PERSON_ITEM, NULL);
  g_autofree char *joined = NULL;

  self->id = g_strdup (id);
  self->name = g_strdup (name != NULL ? name : "");
  self->role = g_strdup (role != NULL ? role : "");
  self->community = g_strdup (community != NULL ? community : "");
  self->grids = g_strdup (grids);
  if (grids != NULL)
    {
      const char *sep = strstr (grids, "、");

      self->first_grid = sep != NULL ? g_strndup (grids, (gsize) (sep - grids)) : g_strdup (grids);
    }
  self->phone = g_strdup (phone != NULL ? phone : "");
  joined = g_strjoin (" ", self->name, self->role, self->community, grids != NULL ? grids : "", NULL);
  self->search = g_utf8_strdown (joined, -1);
  return self;
}

const char *gp_person_item_get_id (GpPersonItem *self) { return self->id; }
const char *gp_person_item_get_name (GpPersonItem *self) { return self->name; }
const char *gp_person_item_get_role (GpPersonItem *self) { return self->role; }
const char *gp_person_item_get_community (GpPersonItem *self) { return self->community; }
const char *gp_person_item_get_grids (GpPersonItem *self) { return self->grids; }
const char *gp_person_item_get_first_grid (GpPersonItem *self) { return self->first_grid; }
const char *gp_person_item_get_phone (GpPersonItem *self) { return self->phone; }
const char *gp_person_item_get_search_text (GpPersonItem *self) { return self->search; }
