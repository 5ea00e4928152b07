/* gp-window-edit.c: editing grids by hand in the window. Click a grid to select it (Shift+click
 * adds or removes one), read it in the inspector, rename, lock, merge, or move compounds into it
 * by clicking them; every edit is one transaction in the project (gp-project-edit.h), on a
 * session undo stack (Ctrl+Z, Ctrl+Shift+Z), and the map is shown again at once. */
#include "gp-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gp-error.h"
#include "gp-project-edit.h"
#include "gp-plan-roster.h"
#include "gp-project-grids.h"
#include "gp-project-people.h"
#include "gp-window-private.h"

void
_gp_window_edit_init (GpWindow *self)
{
  self->selected = g_ptr_array_new_with_free_func (g_free);
  self->edits = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_edit_free);
}

void
_gp_window_edit_dispose (GpWindow *self)
{
  g_clear_pointer (&self->selected, g_ptr_array_unref);
  g_clear_pointer (&self->edits, g_ptr_array_unref);
}

static void
set_enabled (GpWindow *self, const char *name, gboolean enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

void
_gp_window_edit_update_actions (GpWindow *self)
{
  gboolean can = self->project != NULL && self->cancellable == NULL && self->selected != NULL;
  guint n = can ? self->selected->len : 0;

  set_enabled (self, "undo", self->project != NULL && self->cancellable == NULL && self->undo_top > 0);
  set_enabled (self, "redo", self->project != NULL && self->cancellable == NULL && self->edits != NULL
                             && self->undo_top < self->edits->len);
  set_enabled (self, "rename-grid", n == 1);
  set_enabled (self, "lock-grids", n >= 1);
  set_enabled (self, "merge-grids", n >= 2);
  set_enabled (self, "redraw-grids", n >= 1);
  set_enabled (self, "place-person", n == 1);
  set_enabled (self, "exclusive-grids", n >= 1);
  if (self->move_toggle != NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->move_toggle), n == 1);
      if (n != 1)
        gtk_toggle_button_set_active (self->move_toggle, FALSE);
    }
  if (self->cut_toggle != NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->cut_toggle), n == 1);
      if (n != 1)
        gtk_toggle_button_set_active (self->cut_toggle, FALSE);
    }
}

/* The village or community grid CODE lies in, as stored (not guessed from the code: codes from
 * another system need not begin with it). */
char *
_gp_window_grid_area (GpWindow *self, const char *code)
{
  g_autoptr(GPtrArray) all = NULL;
  GpMapData *data = gp_map_view_get_data (self->map_view);
  double bbox[4];

  if (data == NULL || !gp_map_data_get_feature_bbox (data, GP_MAP_LAYER_GRIDS, code, bbox))
    return NULL;
  /* Most codes do begin with it (一格一码): try that first, it is one query. */
  {
    g_autofree char *prefix = g_strndup (code, 12);
    g_autoptr(GPtrArray) grids = gp_project_load_grids (self->project, prefix, NULL);

    for (guint k = 0; grids != NULL && k < grids->len; k++)
      if (strcmp (((GpProjectGrid *) g_ptr_array_index (grids, k))->code, code) == 0)
        return g_steal_pointer (&prefix);
  }
  all = gp_project_load_grids (self->project, NULL, NULL);
  for (guint k = 0; all != NULL && k < all->len; k++)
    {
      GpProjectGrid *g = g_ptr_array_index (all, k);

      if (strcmp (g->code, code) == 0)
        return g_strdup (g->area_code);
    }
  return NULL;
}

/* The selected grids as they are stored, or NULL when one is gone. */
static GPtrArray *
load_selected (GpWindow *self)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);

  for (guint i = 0; i < self->selected->len; i++)
    {
      const char *code = g_ptr_array_index (self->selected, i);
      g_autofree char *area = _gp_window_grid_area (self, code);
      g_autoptr(GPtrArray) grids = area != NULL ? gp_project_load_grids (self->project, area, NULL) : NULL;

      for (guint k = 0; grids != NULL && k < grids->len; k++)
        if (strcmp (((GpProjectGrid *) g_ptr_array_index (grids, k))->code, code) == 0)
          g_ptr_array_add (found, g_ptr_array_steal_index (grids, k));
    }
  return g_steal_pointer (&found);
}

/* Who serves GRID, by role in the order of the roster's roles: "专职网格员：王芳\n党员：…". */
static char *
people_text (GpWindow *self, const char *grid)
{
  /* Only this grid's people: the whole roster read on every click held the window up. */
  g_autoptr(GPtrArray) people = gp_project_load_grid_people (self->project, grid, NULL);
  GString *text = g_string_new (NULL);

  if (people == NULL)
    return g_string_free (text, FALSE);
  for (int role = 0; role < GP_ROLE_N; role++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint i = 0; i < people->len; i++)
        {
          GpProjectPerson *p = g_ptr_array_index (people, i);

          if (g_strcmp0 (p->role, gp_role_name (role)) != 0 || (p->name == NULL && p->id == NULL))
            continue;
          g_string_append_printf (line, "%s%s", line->len > 0 ? _(", ") : "", p->name != NULL ? p->name : p->id);
        }
      if (line->len > 0)
        /* TRANSLATORS: a role and who serve in it, e.g. "专职网格员：王芳" */
        g_string_append_printf (text, _("%s: %s\n"), gp_role_label (gp_role_name (role)), line->str);
    }
  if (text->len == 0)
    g_string_append (text, _("Nobody serves this grid yet."));
  else
    g_string_truncate (text, text->len - 1);
  return g_string_free (text, FALSE);
}

/* The inspector lists at most this many of a grid's units, each with its households. */
#define INSPECTOR_UNITS 12

/* Grid G's units, by name with their households where the map knows them ("一组 70 户"). */
static void
append_units (GpWindow *self, const GpProjectGrid *g, GString *body)
{
  GpMapData *data = gp_map_view_get_data (self->map_view);

  for (guint u = 0; g->unit_codes != NULL && u < g->unit_codes->len && u < INSPECTOR_UNITS; u++)
    {
      const char *code = g_ptr_array_index (g->unit_codes, u), *name = NULL;
      gint64 households = -1;

      g_string_append (body, u == 0 ? "\n" : "; ");
      if (data != NULL)
        gp_map_data_get_feature_info (data, GP_MAP_LAYER_UNITS, code, &name, &households);
      g_string_append (body, name != NULL ? name : code);
      if (households >= 0)
        {
          g_string_append_c (body, ' ');
          g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "%lld household", "%lld households", households),
                                  (long long) households);
        }
    }
  if (g->unit_codes != NULL && g->unit_codes->len > INSPECTOR_UNITS)
    g_string_append (body, "; …");
}

/* Grid G's load in the planner's words: households against the target, per full-time worker,
 * in party contact, and its service items. */
static void
append_load (GpWindow *self, const GpProjectGrid *g, GString *body)
{
  GpProjectGridLoad load;
  double target = 0.0, tolerance = 0.15;

  if (!gp_project_grid_load (self->project, g->code, &load, NULL))
    return;
  if (!g->exclusive && gp_project_get_split_target (self->project, &target, &tolerance) && target > 0.0)
    {
      g_string_append_c (body, '\n');
      /* TRANSLATORS: a grid's households against the target, e.g. "+7% from 300 households". */
      g_string_append_printf (body, _("%+.0f%% from %.0f households"), 100.0 * (g->households - target) / target, target);
    }
  g_string_append_c (body, '\n');
  if (load.workers == 0)
    g_string_append (body, _("No full-time worker"));
  else
    g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "%u full-time worker: %.0f households each",
                                               "%u full-time workers: %.0f households each", load.workers),
                            load.workers, (double) g->households / load.workers);
  if (g->households > 0)
    {
      g_string_append_c (body, '\n');
      g_string_append_printf (body, _("%.0f%% of households in party contact"),
                              100.0 * MIN (load.contact_households, g->households) / g->households);
    }
  if (load.items[0] + load.items[1] + load.items[2] > 0)
    {
      g_string_append_c (body, '\n');
      /* TRANSLATORS: service items of a grid by status: red (overdue), yellow (in hand), green (done). */
      g_string_append_printf (body, _("Service items: %u red, %u yellow, %u green"), load.items[2], load.items[1],
                              load.items[0]);
    }
}

static void
show_inspector (GpWindow *self)
{
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  gboolean all_locked = TRUE;
  gint64 households = 0;
  guint units = 0;

  if (self->project == NULL || self->selected->len == 0)
    {
      gtk_label_set_text (self->inspector_title, _("No grid selected"));
      gtk_label_set_text (self->inspector_body, _("Click a grid on the map to select it; Shift+click adds or "
                                                  "removes one."));
      gtk_label_set_text (self->inspector_hint, "");
      gtk_label_set_text (self->inspector_people, "");
      _gp_window_edit_update_actions (self);
      return;
    }
  grids = load_selected (self);
  for (guint i = 0; i < grids->len; i++)
    {
      GpProjectGrid *g = g_ptr_array_index (grids, i);

      households += g->households;
      units += g->unit_codes != NULL ? g->unit_codes->len : 0;
      all_locked = all_locked && g->locked;
    }
  if (grids->len == 1)
    {
      GpProjectGrid *g = g_ptr_array_index (grids, 0);

      gtk_label_set_text (self->inspector_title, g->name != NULL ? g->name : g->code);
      g_string_append_printf (body, _("Code: %s"), g->code);
      g_string_append_c (body, '\n');
      g_string_append_printf (body, g->exclusive ? _("Exclusive grid (专属网格)") : _("Basic grid"));
      if (g->locked)
        g_string_append_printf (body, " · %s", _("locked"));
      g_string_append_c (body, '\n');
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "%lld household", "%lld households", households),
                              (long long) households);
      g_string_append_c (body, '\n');
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "%u unit", "%u units", units), units);
      append_units (self, g, body);
      append_load (self, g, body);
      {
        g_autofree char *who = people_text (self, g->code);

        gtk_label_set_text (self->inspector_people, who);
      }
    }
  else
    {
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u grid selected", "%u grids selected",
                                                             grids->len), grids->len);

      gtk_label_set_text (self->inspector_title, title);
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "%lld household", "%lld households", households),
                              (long long) households);
      g_string_append_printf (body, " · ");
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "%u unit", "%u units", units), units);
      for (guint i = 0; i < grids->len; i++)
        g_string_append_printf (body, "\n%s", ((GpProjectGrid *) g_ptr_array_index (grids, i))->code);
      gtk_label_set_text (self->inspector_people, "");
    }
  gtk_label_set_text (self->inspector_body, body->str);
  gtk_button_set_label (self->lock_button, all_locked ? _("Un_lock") : _("_Lock"));
  gtk_label_set_text (self->inspector_hint,
                      gtk_toggle_button_get_active (self->move_toggle)
                        ? _("Click a compound or villager group next to this grid to move it in, "
                            "or paint over several with the mouse held down.")
                      : gtk_toggle_button_get_active (self->cut_toggle)
                        ? _("Hold the mouse down and draw a line across the grid, from one side to the other.")
                        : "");
  /* While units are moved in or a line drawn, a drag paints rather than pans the map. */
  gp_map_view_set_paint_mode (self->map_view, (gtk_toggle_button_get_active (self->move_toggle)
                                               || gtk_toggle_button_get_active (self->cut_toggle))
                                              && self->selected->len == 1);
  _gp_window_edit_update_actions (self);
}

void
_gp_window_select (GpWindow *self, const char *const *codes)
{
  g_ptr_array_set_size (self->selected, 0);
  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    g_ptr_array_add (self->selected, g_strdup (codes[i]));
  g_ptr_array_add (self->selected, NULL);
  gp_map_view_set_selection (self->map_view, (const char *const *) self->selected->pdata);
  g_ptr_array_set_size (self->selected, self->selected->len - 1);
  if (self->selected->len > 0)
    {
      gtk_widget_set_visible (self->side_panel, TRUE);
      gtk_stack_set_visible_child_name (self->side_stack, "selection");
    }
  show_inspector (self);
}

void
_gp_window_edit_refresh (GpWindow *self)
{
  g_autoptr(GPtrArray) still = g_ptr_array_new_with_free_func (g_free);
  GpMapData *data = gp_map_view_get_data (self->map_view);

  /* Grids a merge or undo took away leave the selection. */
  for (guint i = 0; data != NULL && i < self->selected->len; i++)
    {
      double bbox[4];
      const char *code = g_ptr_array_index (self->selected, i);

      if (gp_map_data_get_feature_bbox (data, GP_MAP_LAYER_GRIDS, code, bbox))
        g_ptr_array_add (still, g_strdup (code));
    }
  g_ptr_array_add (still, NULL);
  _gp_window_select (self, (const char *const *) still->pdata);
}

/* An edit made: onto the stack (what was undone after it is gone), the map shown again. */
void
_gp_window_push_edit (GpWindow *self, GpProjectEdit *edit)
{
  g_ptr_array_set_size (self->edits, self->undo_top);
  g_ptr_array_add (self->edits, edit);
  self->undo_top = self->edits->len;
}

static void
edited (GpWindow *self, GpProjectEdit *edit, GError *error)
{
  if (edit == NULL)
    {
      _gp_window_show_error (self, _("The edit was not made"), error);
      return;
    }
  _gp_window_push_edit (self, edit);
  _gp_window_reload (self, gp_project_edit_describe (edit));
}

void
_gp_window_on_map_clicked (GpWindow *self, double x, double y, guint state)
{
  GpMapData *data = gp_map_view_get_data (self->map_view);
  const char *grid, *unit;

  if (self->project == NULL || data == NULL || self->cancellable != NULL)
    return;
  if (gtk_toggle_button_get_active (self->move_toggle) && self->selected->len == 1
      && (unit = gp_map_data_find_at (data, GP_MAP_LAYER_UNITS, x, y)) != NULL)
    {
      g_autoptr(GError) error = NULL;
      const char *units[] = { unit, NULL };
      GpProjectEdit *edit = gp_project_move_units (self->project, units, g_ptr_array_index (self->selected, 0), &error);

      edited (self, edit, error);
      return;
    }
  grid = gp_map_data_find_at (data, GP_MAP_LAYER_GRIDS, x, y);
  if (state & GDK_SHIFT_MASK)
    {
      g_autoptr(GPtrArray) codes = g_ptr_array_new ();
      gboolean had = FALSE;

      for (guint i = 0; i < self->selected->len; i++)
        if (grid != NULL && strcmp (g_ptr_array_index (self->selected, i), grid) == 0)
          had = TRUE;
        else
          g_ptr_array_add (codes, g_ptr_array_index (self->selected, i));
      if (grid != NULL && !had)
        g_ptr_array_add (codes, (gpointer) grid);
      g_ptr_array_add (codes, NULL);
      /* _gp_window_select copies before it clears. */
      {
        g_auto(GStrv) copy = g_strdupv ((char **) codes->pdata);

        _gp_window_select (self, (const char *const *) copy);
      }
      return;
    }
  {
    const char *one[] = { grid, NULL };

    _gp_window_select (self, one);
  }
}

static char **
selected_codes (GpWindow *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; i < self->selected->len; i++)
    g_strv_builder_add (b, g_ptr_array_index (self->selected, i));
  return g_strv_builder_end (b);
}

void
_gp_window_merge_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = user_data;
  g_auto(GStrv) codes = selected_codes (self);
  g_autoptr(GError) error = NULL;
  GpProjectEdit *edit;

  if (self->project == NULL || g_strv_length (codes) < 2)
    return;
  edit = gp_project_merge_grids (self->project, (const char *const *) codes, &error);
  edited (self, edit, error);
}

void
_gp_window_lock_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = user_data;
  g_auto(GStrv) codes = selected_codes (self);
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GError) error = NULL;
  gboolean all_locked = TRUE;

  if (self->project == NULL || codes[0] == NULL)
    return;
  grids = load_selected (self);
  for (guint i = 0; i < grids->len; i++)
    all_locked = all_locked && ((GpProjectGrid *) g_ptr_array_index (grids, i))->locked;
  edited (self, gp_project_lock_grids (self->project, (const char *const *) codes, !all_locked, &error), error);
}

void
_gp_window_exclusive_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = user_data;
  g_auto(GStrv) codes = selected_codes (self);
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GError) error = NULL;
  gboolean all_exclusive = TRUE;

  if (self->project == NULL || codes[0] == NULL)
    return;
  grids = load_selected (self);
  for (guint i = 0; i < grids->len; i++)
    all_exclusive = all_exclusive && ((GpProjectGrid *) g_ptr_array_index (grids, i))->exclusive;
  edited (self, gp_project_set_exclusive (self->project, (const char *const *) codes, !all_exclusive, &error), error);
}

static void
on_rename_response (GtkDialog *dialog, int response, GpWindow *self)
{
  GtkEntry *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autofree char *name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  g_autoptr(GError) error = NULL;

  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response != GTK_RESPONSE_ACCEPT || self->project == NULL || self->selected->len != 1)
    return;
  g_strstrip (name);
  edited (self, gp_project_rename_grid (self->project, g_ptr_array_index (self->selected, 0), name, &error), error);
}

void
_gp_window_rename_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = user_data;
  g_autoptr(GPtrArray) grids = NULL;
  GtkWidget *dialog, *entry;
  GpProjectGrid *grid;

  if (self->project == NULL || self->selected->len != 1)
    return;
  grids = load_selected (self);
  if (grids->len != 1)
    return;
  grid = g_ptr_array_index (grids, 0);
  dialog = gtk_dialog_new_with_buttons (_("Rename Grid"), GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_USE_HEADER_BAR,
                                        _("_Cancel"), GTK_RESPONSE_CANCEL, _("_Rename"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), grid->name != NULL ? grid->name : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), grid->code);
  gtk_widget_set_margin_top (entry, 12);
  gtk_widget_set_margin_bottom (entry, 12);
  gtk_widget_set_margin_start (entry, 12);
  gtk_widget_set_margin_end (entry, 12);
  gtk_box_append (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), entry);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_gp_window_undo_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  GpProjectEdit *edit;

  if (self->project == NULL || self->undo_top == 0)
    return;
  edit = g_ptr_array_index (self->edits, self->undo_top - 1);
  if (!gp_project_edit_undo (self->project, edit, &error))
    {
      _gp_window_show_error (self, _("The edit could not be undone"), error);
      return;
    }
  self->undo_top--;
  {
    /* TRANSLATORS: the toast after Ctrl+Z, e.g. "Undone: Merged 2 grids into 150621003001001" */
    g_autofree char *text = g_strdup_printf (_("Undone: %s"), gp_project_edit_describe (edit));

    _gp_window_reload (self, text);
  }
}

void
_gp_window_redo_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  GpProjectEdit *edit;

  if (self->project == NULL || self->undo_top >= self->edits->len)
    return;
  edit = g_ptr_array_index (self->edits, self->undo_top);
  if (!gp_project_edit_redo (self->project, edit, &error))
    {
      _gp_window_show_error (self, _("The edit could not be redone"), error);
      return;
    }
  self->undo_top++;
  {
    g_autofree char *text = g_strdup_printf (_("Redone: %s"), gp_project_edit_describe (edit));

    _gp_window_reload (self, text);
  }
}

/* Put a person on the grid ------------------------------------------------------------------------ */

static void
on_place_response (GtkDialog *dialog, int response, GpWindow *self)
{
  GtkDropDown *choice = g_object_get_data (G_OBJECT (dialog), "choice");
  GPtrArray *ids = g_object_get_data (G_OBJECT (dialog), "ids");
  guint i = gtk_drop_down_get_selected (choice);
  g_autofree char *person = i < ids->len ? g_strdup (g_ptr_array_index (ids, i)) : NULL;
  g_autoptr(GError) error = NULL;

  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response != GTK_RESPONSE_ACCEPT || person == NULL || self->project == NULL || self->selected->len != 1)
    return;
  edited (self, gp_project_place_person (self->project, person, g_ptr_array_index (self->selected, 0), &error), error);
}

void
_gp_window_place_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = user_data;
  const char *grid;
  g_autofree char *area = NULL;
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GPtrArray *ids;
  GtkWidget *dialog, *drop, *box, *intro;

  if (self->project == NULL || self->selected->len != 1)
    return;
  grid = g_ptr_array_index (self->selected, 0);
  area = _gp_window_grid_area (self, grid);
  if (area == NULL)
    return;
  people = gp_project_load_people (self->project, NULL);
  if (people == NULL)
    return;
  ids = g_ptr_array_new_with_free_func (g_free);
  /* The community's own people, the full-time workers first. */
  for (int role = 0; role < GP_ROLE_N; role++)
    for (guint i = 0; i < people->len; i++)
      {
        GpProjectPerson *p = g_ptr_array_index (people, i);
        g_autofree char *label = NULL;

        if (g_strcmp0 (p->area_code, area) != 0 || g_strcmp0 (p->role, gp_role_name (role)) != 0)
          continue;
        /* TRANSLATORS: a person in the chooser: name, role and project id, e.g. "王芳 · 专职网格员 (P000001)" */
        label = g_strdup_printf (_("%s · %s (%s)"), p->name, gp_role_label (p->role), p->id);
        gtk_string_list_append (labels, label);
        g_ptr_array_add (ids, g_strdup (p->id));
      }
  if (ids->len == 0)
    {
      g_autoptr(GError) error = g_error_new (GP_ERROR, GP_ERROR_NOT_FOUND,
                                             _("Nobody on the roster belongs to community %s; import the roster with "
                                               "people of this community first."), area);

      g_ptr_array_unref (ids);
      _gp_window_show_error (self, _("Nobody to put on this grid"), error);
      return;
    }
  dialog = gtk_dialog_new_with_buttons (_("Put a Person on This Grid"), GTK_WINDOW (self),
                                        GTK_DIALOG_MODAL | GTK_DIALOG_USE_HEADER_BAR, _("_Cancel"), GTK_RESPONSE_CANCEL,
                                        _("_Put on Grid"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  intro = gtk_label_new (_("They serve this grid in their role from now on, by hand: Assign leaves them here. "
                           "Their other grids in that role lose them."));
  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (intro), 44);
  gtk_label_set_xalign (GTK_LABEL (intro), 0.0);
  drop = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (labels)), NULL);
  gtk_drop_down_set_expression (GTK_DROP_DOWN (drop),
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (drop), TRUE);
  gtk_box_append (GTK_BOX (box), intro);
  gtk_box_append (GTK_BOX (box), drop);
  gtk_box_append (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), box);
  g_object_set_data (G_OBJECT (dialog), "choice", drop);
  g_object_set_data_full (G_OBJECT (dialog), "ids", ids, (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_place_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Shift-drag on the map: the grids whose middle the band holds are selected (added to the
 * selection with Ctrl held too). */
void
_gp_window_on_map_band (GpWindow *self, double x0, double y0, double x1, double y1, guint state)
{
  GpMapData *data = gp_map_view_get_data (self->map_view);
  const double box[4] = { x0, y0, x1, y1 };
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (self->project == NULL || data == NULL || self->cancellable != NULL)
    return;
  found = gp_map_data_find_in_box (data, GP_MAP_LAYER_GRIDS, box);
  if (state & GDK_CONTROL_MASK)
    for (guint i = 0; i < self->selected->len; i++)
      if (g_hash_table_add (seen, g_ptr_array_index (self->selected, i)))
        g_ptr_array_add (codes, g_strdup (g_ptr_array_index (self->selected, i)));
  for (guint i = 0; i < found->len; i++)
    if (g_hash_table_add (seen, g_ptr_array_index (found, i)))
      g_ptr_array_add (codes, g_strdup (g_ptr_array_index (found, i)));
  g_ptr_array_add (codes, NULL);
  _gp_window_select (self, (const char *const *) codes->pdata);
}

/* Whether grids A and B lie in one village: 一格一码 codes are the village's code and a number
 * of three digits. */
static gboolean
same_area (const char *a, const char *b)
{
  size_t n = strlen (a);

  return n > 3 && n == strlen (b) && strncmp (a, b, n - 3) == 0;
}

/* Move Units Here and Split Along a Line are one at a time: each turns the other off. */
void
_gp_window_on_move_toggled (GpWindow *self)
{
  if (gtk_toggle_button_get_active (self->move_toggle))
    gtk_toggle_button_set_active (self->cut_toggle, FALSE);
  _gp_window_edit_refresh (self);
}

void
_gp_window_on_cut_toggled (GpWindow *self)
{
  if (gtk_toggle_button_get_active (self->cut_toggle))
    gtk_toggle_button_set_active (self->move_toggle, FALSE);
  _gp_window_edit_refresh (self);
}

/* The line drawn with Split Along a Line on (local metres): the grid split there. */
static void
split_along (GpWindow *self, const double *points, guint n_points)
{
  GpMapData *data = gp_map_view_get_data (self->map_view);
  GpLocalFrame *frame = data != NULL ? gp_map_data_get_frame (data) : NULL;
  g_autofree double *xy = g_memdup2 (points, 2 * (gsize) n_points * sizeof (double));
  g_autoptr(GError) error = NULL;
  GpProjectEdit *edit;

  /* Back to the project's coordinates, which the edit works in. */
  if (frame != NULL && !gp_local_frame_inverse (frame, xy, n_points, &error))
    {
      _gp_window_show_error (self, _("The edit was not made"), error);
      return;
    }
  edit = gp_project_split_grid (self->project, g_ptr_array_index (self->selected, 0), xy, n_points, &error);
  if (edit != NULL)
    gtk_toggle_button_set_active (self->cut_toggle, FALSE);
  edited (self, edit, error);
}

/* A brush stroke while Move Units Here is on: the compounds and villager groups it passed over
 * move into the selected grid, as one edit. Only ground the stroke reached from the grid, or
 * from a unit it already took, without crossing other ground: the units taken then border the
 * grid through one another, as a move needs. */
void
_gp_window_on_map_painted (GpWindow *self, const double *points, guint n_points)
{
  GpMapData *data = gp_map_view_get_data (self->map_view);
  g_autoptr(GPtrArray) units = g_ptr_array_new ();
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  gboolean reached = FALSE;
  const char *to;
  GpProjectEdit *edit;

  if (self->project == NULL || data == NULL || self->cancellable != NULL || self->selected->len != 1)
    return;
  if (gtk_toggle_button_get_active (self->cut_toggle))
    {
      split_along (self, points, n_points);
      return;
    }
  if (!gtk_toggle_button_get_active (self->move_toggle))
    return;
  to = g_ptr_array_index (self->selected, 0);
  for (guint i = 0; i < n_points; i++)
    {
      const char *unit = gp_map_data_find_at (data, GP_MAP_LAYER_UNITS, points[2 * i], points[2 * i + 1]);
      const char *grid = gp_map_data_find_at (data, GP_MAP_LAYER_GRIDS, points[2 * i], points[2 * i + 1]);

      if (g_strcmp0 (grid, to) == 0)
        reached = TRUE;
      else if (unit != NULL && grid != NULL && same_area (grid, to) && (reached || g_hash_table_contains (taken, unit)))
        {
          /* Units of another village (their grid's code has another area's prefix) cannot come. */
          if (g_hash_table_add (taken, (gpointer) unit))
            g_ptr_array_add (units, (gpointer) unit);
          reached = TRUE;
        }
      else
        reached = FALSE;
    }
  if (units->len == 0)
    return;
  g_ptr_array_add (units, NULL);
  edit = gp_project_move_units (self->project, (const char *const *) units->pdata, to, &error);
  edited (self, edit, error);
}

void
_gp_window_move_units_here (GpWindow *self, const char *const *units)
{
  g_autoptr(GError) error = NULL;
  GpProjectEdit *edit;

  if (self->project == NULL || self->cancellable != NULL || self->selected->len != 1)
    return;
  edit = gp_project_move_units (self->project, units, g_ptr_array_index (self->selected, 0), &error);
  edited (self, edit, error);
}

void
_gp_window_place_person (GpWindow *self, const char *person, const char *grid)
{
  g_autoptr(GError) error = NULL;

  if (self->project == NULL || self->cancellable != NULL)
    return;
  edited (self, gp_project_place_person (self->project, person, grid, &error), error);
}
