/* gp-window-people.c: the people list beside the map: everyone on the roster with their role,
 * community and grids, searchable and sortable; click one to go to their grid. */
#include "gp-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gp-person-item.h"
#include "gp-plan-data.h"
#include "gp-plan-export.h"
#include "gp-plan-roster.h"
#include "gp-project-people.h"
#include "gp-settings.h"
#include "gp-window-private.h"

/* The rows of every person of the project at PATH (the task data): role and community in
 * words, the grids they serve, the phone as on the roster (masked when shown). */
static void
people_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GPtrArray) people = NULL, assignments = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GHashTable) grids_of = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GPtrArray *rows;
  GError *error = NULL;

  if ((project = gp_project_open (path, &error)) == NULL || (names = gp_plan_area_names (project, &error)) == NULL
      || (people = gp_project_load_people (project, &error)) == NULL
      || (assignments = gp_project_load_assignments (project, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < assignments->len; i++)
    {
      GpProjectAssignment *a = g_ptr_array_index (assignments, i);
      char *before;

      if (a->person_id == NULL || a->grid_code == NULL)
        continue;
      before = g_hash_table_lookup (grids_of, a->person_id);
      g_hash_table_insert (grids_of, a->person_id,
                           before != NULL ? g_strconcat (before, "、", a->grid_code, NULL) : g_strdup (a->grid_code));
    }
  rows = g_ptr_array_new_full (people->len, g_object_unref);
  for (guint i = 0; i < people->len; i++)
    {
      GpProjectPerson *p = g_ptr_array_index (people, i);
      const char *community = p->area_code != NULL ? g_hash_table_lookup (names, p->area_code) : NULL;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      g_ptr_array_add (rows, gp_person_item_new (p->id, p->name, gp_role_label (p->role),
                                                 community != NULL ? community : p->area_code,
                                                 p->id != NULL ? g_hash_table_lookup (grids_of, p->id) : NULL,
                                                 p->phone));
    }
  g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

static void
people_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = g_task_propagate_pointer (G_TASK (res), &error);
  g_autofree char *title = NULL;

  if (g_task_get_cancellable (G_TASK (res)) != self->people_cancellable
      || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res))))
    return;
  g_clear_object (&self->people_cancellable);
  if (rows == NULL)
    {
      _gp_window_show_error (self, _("Could not list the people"), error);
      return;
    }
  /* One change for the whole list, as for the grids (bench/app). */
  g_list_store_splice (self->people, 0, g_list_model_get_n_items (G_LIST_MODEL (self->people)), rows->pdata, rows->len);
  title = rows->len == 0 ? g_strdup (_("No one on the roster yet: drop the roster (.xlsx, .xls or .csv) on the window."))
                         : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person", "%u people", rows->len), rows->len);
  gtk_label_set_label (self->people_title, title);
  gp_map_view_announce_next_frame (self->map_view);
}

void
_gp_window_start_people (GpWindow *self)
{
  self->people_wanted = FALSE;
  if (self->project != NULL)
    _gp_window_start_project_task (self, &self->people_cancellable, people_thread, people_done);
}

/* Phones in full only when the planner asked for it (win.show-personal-data); masked otherwise. */
static char *
shown_phone (GpWindow *self, const char *phone)
{
  GAction *full = g_action_map_lookup_action (G_ACTION_MAP (self), "show-personal-data");
  g_autoptr(GVariant) state = full != NULL ? g_action_get_state (full) : NULL;

  if (phone == NULL || *phone == '\0')
    return g_strdup ("");
  return state != NULL && g_variant_get_boolean (state) ? g_strdup (phone) : gp_mask_phone (phone);
}

/* Goes to the person clicked: their (first) grid selected, the map fitted to it. */
static void
on_person_activate (GtkColumnView *view, guint position, GpWindow *self)
{
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (view));
  g_autoptr(GpPersonItem) item = g_list_model_get_item (model, position);
  GpMapData *data = gp_map_view_get_data (self->map_view);
  const char *grid = item != NULL ? gp_person_item_get_first_grid (item) : NULL;
  const char *codes[] = { grid, NULL };
  double bbox[4];

  if (grid == NULL)
    {
      if (item != NULL)
        _gp_window_show_toast (self, _("On no grid yet: Assign People, or put them on a grid from the inspector."));
      return;
    }
  if (data != NULL && gp_map_data_get_feature_bbox (data, GP_MAP_LAYER_GRIDS, grid, bbox))
    gp_viewport_fit (gp_map_view_get_viewport (self->map_view), bbox, 80.0);
  _gp_window_select (self, codes);
  /* The list stays in view: the inspector is one click away in the switcher. */
  gtk_stack_set_visible_child_name (self->side_stack, "people");
}

static gboolean
person_matches (gpointer item, gpointer user_data)
{
  GpWindow *self = user_data;
  g_autofree char *needle = g_utf8_strdown (gtk_editable_get_text (GTK_EDITABLE (self->people_search)), -1);

  return *needle == '\0' || strstr (gp_person_item_get_search_text (item), needle) != NULL;
}

static void
on_people_search (GpWindow *self)
{
  gtk_filter_changed (GTK_FILTER (self->people_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* A person's row dragged: their project id, to drop on a grid of the map. */
static GdkContentProvider *
on_person_drag_prepare (GtkDragSource *source, double x, double y, GtkListItem *list_item)
{
  GpPersonItem *item = gtk_list_item_get_item (list_item);

  if (item == NULL || gp_person_item_get_id (item) == NULL)
    return NULL;
  return gdk_content_provider_new_typed (G_TYPE_STRING, gp_person_item_get_id (item));
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (GPOINTER_TO_INT (user_data))
    {
      /* The name can be dragged onto a grid of the map to put the person there. */
      GtkDragSource *source = gtk_drag_source_new ();

      gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
      g_signal_connect (source, "prepare", G_CALLBACK (on_person_drag_prepare), list_item);
      gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (source));
      gtk_widget_set_tooltip_text (label, _("Drag onto a grid of the map to put this person there"));
    }
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GpPersonItem *item = gtk_list_item_get_item (list_item);
  const char *property = user_data;
  GtkWidget *label = gtk_list_item_get_child (list_item);
  g_autofree char *text = NULL;

  if (g_strcmp0 (property, "grids") == 0)
    {
      /* The short numbers planners say, the full codes in the tooltip. */
      const char *grids = gp_person_item_get_grids (item);
      g_auto(GStrv) codes = grids != NULL ? g_strsplit (grids, "、", -1) : NULL;
      g_autoptr(GString) shown = g_string_new (NULL);

      for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
        {
          size_t n = strlen (codes[i]);

          g_string_append_printf (shown, "%s%s", i > 0 ? "、" : "", n > 3 ? codes[i] + n - 3 : codes[i]);
        }
      text = grids != NULL ? g_string_free (g_steal_pointer (&shown), FALSE) : g_strdup ("—");
      gtk_widget_set_tooltip_text (label, grids);
    }
  else if (g_strcmp0 (property, "phone") == 0)
    text = shown_phone (g_object_get_data (G_OBJECT (factory), "window"), gp_person_item_get_phone (item));
  else
    g_object_get (item, property, &text, NULL);
  gtk_label_set_label (GTK_LABEL (label), text);
}

static void
add_column (GpWindow *self, const char *title, const char *property, gboolean expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkExpression *expression = gtk_property_expression_new (GP_TYPE_PERSON_ITEM, NULL, property);
  GtkSorter *sorter = GTK_SORTER (gtk_string_sorter_new (expression));
  GtkColumnViewColumn *column;

  g_object_set_data (G_OBJECT (factory), "window", self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (strcmp (property, "name") == 0));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) property);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->people_view, column);
  g_object_unref (sorter);
  g_object_unref (column);
}

static void
on_personal_data_setting (GSettings *settings, const char *key, GpWindow *self)
{
  GAction *full = g_action_map_lookup_action (G_ACTION_MAP (self), "show-personal-data");
  g_autoptr(GVariant) state = full != NULL ? g_action_get_state (full) : NULL;
  gboolean now = g_settings_get_boolean (settings, key);

  if (state != NULL && g_variant_get_boolean (state) != now)
    g_action_change_state (full, g_variant_new_boolean (now));
}

/* A person dropped on the map: put on the grid under the drop, as Put a Person on This Grid
 * does (one edit, undoable). */
static gboolean
on_person_dropped (GtkDropTarget *target, const GValue *value, double x, double y, GpWindow *self)
{
  GpMapData *data = gp_map_view_get_data (self->map_view);
  const char *person = G_VALUE_HOLDS_STRING (value) ? g_value_get_string (value) : NULL;
  const char *grid;
  double mx, my;

  if (person == NULL || data == NULL || self->project == NULL || self->cancellable != NULL)
    return FALSE;
  gp_viewport_from_screen (gp_map_view_get_viewport (self->map_view), x, y, &mx, &my);
  grid = gp_map_data_find_at (data, GP_MAP_LAYER_GRIDS, mx, my);
  if (grid == NULL)
    {
      _gp_window_show_toast (self, _("Drop the person on a grid."));
      return FALSE;
    }
  _gp_window_place_person (self, person, grid);
  return TRUE;
}

void
_gp_window_people_init (GpWindow *self)
{
  GSettings *settings = gp_settings_get ();
  GAction *full = g_action_map_lookup_action (G_ACTION_MAP (self), "show-personal-data");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkFilterListModel *filtered;
  GtkSortListModel *sorted;
  GtkNoSelection *selection;

  self->people = g_list_store_new (GP_TYPE_PERSON_ITEM);
  self->people_search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->people_search, "placeholder-text", _("Search name, role, community, grid"), NULL);
  gtk_widget_set_margin_top (GTK_WIDGET (self->people_search), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->people_search), 6);
  gtk_widget_set_margin_start (GTK_WIDGET (self->people_search), 8);
  gtk_widget_set_margin_end (GTK_WIDGET (self->people_search), 8);
  self->people_title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->people_title, 0.0f);
  gtk_label_set_wrap (self->people_title, TRUE);
  gtk_widget_set_margin_start (GTK_WIDGET (self->people_title), 10);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->people_title), 4);
  gtk_widget_add_css_class (GTK_WIDGET (self->people_title), "dim-label");
  self->people_view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_column_view_set_single_click_activate (self->people_view, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->people_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("People"), -1);
  /* TRANSLATORS: people list columns: the person's name, role, community, grids, phone. */
  add_column (self, _("Name"), "name", TRUE);
  add_column (self, _("Role"), "role", TRUE);
  add_column (self, _("Community"), "community", TRUE);
  add_column (self, _("Grid"), "grids", FALSE);
  add_column (self, _("Phone"), "phone", FALSE);
  self->people_filter = gtk_custom_filter_new (person_matches, self, NULL);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->people)),
                                        GTK_FILTER (g_object_ref (self->people_filter)));
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (filtered), g_object_ref (gtk_column_view_get_sorter (self->people_view)));
  gtk_filter_list_model_set_incremental (filtered, TRUE);
  gtk_sort_list_model_set_incremental (sorted, TRUE);
  selection = gtk_no_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (self->people_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  g_signal_connect (self->people_view, "activate", G_CALLBACK (on_person_activate), self);
  g_signal_connect_swapped (self->people_search, "search-changed", G_CALLBACK (on_people_search), self);

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->people_view));
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->people_search));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->people_title));
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_stack_add_titled (self->side_stack, box, "people", C_("side panel", "People"));
  {
    GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);

    g_signal_connect (drop, "drop", G_CALLBACK (on_person_dropped), self);
    gtk_widget_add_controller (GTK_WIDGET (self->map_view), GTK_EVENT_CONTROLLER (drop));
  }
  if (settings != NULL && full != NULL)
    {
      g_simple_action_set_state (G_SIMPLE_ACTION (full), g_variant_new_boolean (g_settings_get_boolean (settings, "show-personal-data")));
      /* Changed in Preferences (or another window): the menu item and the list follow. */
      g_signal_connect_object (settings, "changed::show-personal-data", G_CALLBACK (on_personal_data_setting), self, 0);
    }
}

void
_gp_window_people_dispose (GpWindow *self)
{
  if (self->people_cancellable != NULL)
    g_cancellable_cancel (self->people_cancellable);
  g_clear_object (&self->people_cancellable);
  g_clear_object (&self->people);
  g_clear_object (&self->people_filter);
}

/* Shows the people list beside the map, or hides the panel when it already shows it. */
void
_gp_window_people_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = GP_WINDOW (user_data);

  if (gtk_widget_get_visible (self->side_panel)
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->side_stack), "people") == 0)
    {
      gtk_widget_set_visible (self->side_panel, FALSE);
      return;
    }
  _gp_window_show_side (self, "people");
  _gp_window_start_people (self);
}
