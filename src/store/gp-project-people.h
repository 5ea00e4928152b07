/* gp-project-people.h: the people of a project (workers, party members, building heads, instructors), read and written in one go. */
#pragma once

#include <glib.h>

#include "gp-project.h"

G_BEGIN_DECLS

typedef struct {
  char    *id;          /* the project's id for the person ("P000001"); NULL until written */
  char    *name;
  char    *role;        /* fulltime, parttime, party, building_head, unit_head, instructor, community_worker */
  char    *phone;       /* NULL: none */
  char    *id_number;   /* NULL: none */
  char    *org;
  char    *department;
  char    *area_code;   /* the village/community they belong to; NULL: none */
  gboolean has_home;
  double   home_x, home_y;  /* in the project's CRS */
  gint     capacity;    /* households they can keep in contact with; -1: not given */
} GpProjectPerson;

GpProjectPerson *gp_project_person_new  (void);
void             gp_project_person_free (GpProjectPerson *person);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpProjectPerson, gp_project_person_free)

/* Every person of the project, in id order. */
GPtrArray *gp_project_load_people (GpProject *self, GError **error);
/* The people serving GRID, once per role they serve it in (their ROLE is the assignment's), in
 * the order they were put there: only their id, name and role are filled. */
GPtrArray *gp_project_load_grid_people (GpProject *self, const char *grid, GError **error);

/* Writes PEOPLE (of GpProjectPerson) in one transaction. A person already in the project (the
 * same ID number, or without one the same name and phone) is updated in place, keeping their id
 * and so their assignments; the others get new ids. Each person's id is set; N_NEW and N_UPDATED
 * count them. Nothing is written on any error. */
gboolean   gp_project_put_people  (GpProject  *self,
                                   GPtrArray  *people,
                                   guint      *n_new,
                                   guint      *n_updated,
                                   GError    **error);

/* A person serving a grid in a role; made by hand (manual) or by `assign`; locked ones are never
 * changed by `assign`. */
typedef struct {
  char    *person_id;
  char    *grid_code;
  char    *role;
  gboolean manual;
  gboolean locked;
} GpProjectAssignment;

void       gp_project_assignment_free (GpProjectAssignment *assignment);

/* Every assignment of the project. */
GPtrArray *gp_project_load_assignments (GpProject *self, GError **error);

/* A party member's contact (党员联系户) on their grid: one household point (household_code), a
 * unit's households or some of them (unit_code), or, where the grid's households are known only
 * as a total, so many of them (both NULL). */
typedef struct {
  char   *person_id;
  char   *grid_code;
  char   *unit_code;
  char   *household_code;
  gint64  households;
} GpProjectContact;

void       gp_project_contact_free (GpProjectContact *contact);

/* Every party contact of the project. */
GPtrArray *gp_project_load_party_contacts (GpProject *self, GError **error);

/* In one transaction, every party contact goes and CONTACTS (of GpProjectContact), linked with
 * RATIO households per member (unless the roster says), come in. */
gboolean   gp_project_replace_party_contacts (GpProject *self, GPtrArray *contacts, double ratio, GError **error);

/* Households per party member the contacts were last linked with; 5 before any were. */
double     gp_project_get_contact_ratio      (GpProject *self);

/* In one transaction: the assignments of the ROLES (NULL-terminated) made by `assign` (neither
 * manual nor locked) go, and ASSIGNMENTS (of GpProjectAssignment, made by `assign`) come in;
 * unless CONTACTS is NULL, the party contacts are replaced by them too (linked with RATIO). */
gboolean   gp_project_replace_auto_assignments (GpProject         *self,
                                                const char *const *roles,
                                                GPtrArray         *assignments,
                                                GPtrArray         *contacts,
                                                double             ratio,
                                                GError           **error);

/* Hand edits, in one transaction: each of SET ("PERSON=GRID") makes a manual assignment in the
 * person's role (replacing their other assignments), each of UNSET removes a person's
 * assignments (a person set or unset loses their party contacts, which belonged to the old
 * grid), each of LOCK locks a person's assignments against `assign`. PERSON is the
 * project's id (P000001) or an ID number; GRID a grid code. Nothing is written when any is
 * unknown (GP_ERROR_NOT_FOUND, naming the project id or grid but never an ID number). */
gboolean   gp_project_edit_assignments (GpProject         *self,
                                        const char *const *set,
                                        const char *const *unset,
                                        const char *const *lock,
                                        GError           **error);

G_END_DECLS
