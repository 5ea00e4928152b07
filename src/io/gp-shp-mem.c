/* gp-shp-mem.c: in-memory files for shapelib's I/O hooks (mapped inputs, rebuilt indexes). */
#include "gp-shp-private.h"

#include <stdio.h>

/* Files published by name for the short time between publishing and shapelib's open call.
 * An open file keeps its own reference to the bytes, so withdrawing a name is always safe. */
static GMutex mem_lock;
static GHashTable *mem_files;   /* name → GBytes */
static guint mem_serial;

typedef struct {
  GBytes *bytes;
  const guint8 *data;
  gsize size;
  gsize pos;
} MemFile;

static SAFile
mem_open (const char *filename, const char *access)
{
  GBytes *bytes = NULL;
  MemFile *file;

  /* Read-only: shapelib's write paths never get here. */
  if (filename == NULL || access == NULL || access[0] != 'r' || strchr (access, '+') != NULL)
    return NULL;

  g_mutex_lock (&mem_lock);
  if (mem_files != NULL)
    bytes = g_hash_table_lookup (mem_files, filename);
  if (bytes != NULL)
    g_bytes_ref (bytes);
  g_mutex_unlock (&mem_lock);
  if (bytes == NULL)
    return NULL;

  file = g_new0 (MemFile, 1);
  file->bytes = bytes;
  file->data = g_bytes_get_data (bytes, &file->size);
  return (SAFile) file;
}

static SAOffset
mem_read (void *p, SAOffset size, SAOffset nmemb, SAFile handle)
{
  MemFile *file = (MemFile *) handle;
  gsize available, wanted;

  if (size == 0 || nmemb == 0 || file->pos >= file->size)
    return 0;
  available = file->size - file->pos;
  wanted = nmemb > available / size ? available : (gsize) (size * nmemb);
  memcpy (p, file->data + file->pos, wanted);
  file->pos += wanted;
  /* Like fread: a partial last item is read, but only whole items count. */
  return wanted / size;
}

static SAOffset
mem_write (void *p, SAOffset size, SAOffset nmemb, SAFile handle)
{
  return 0;
}

static SAOffset
mem_seek (SAFile handle, SAOffset offset, int whence)
{
  MemFile *file = (MemFile *) handle;
  gsize base;

  switch (whence)
    {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = file->pos; break;
    case SEEK_END: base = file->size; break;
    default: return (SAOffset) -1;
    }
  /* SAOffset is unsigned; shapelib only seeks forward from a base. */
  file->pos = base + offset;
  return 0;
}

static SAOffset
mem_tell (SAFile handle)
{
  return ((MemFile *) handle)->pos;
}

static int
mem_flush (SAFile handle)
{
  return 0;
}

static int
mem_close (SAFile handle)
{
  MemFile *file = (MemFile *) handle;

  g_bytes_unref (file->bytes);
  g_free (file);
  return 0;
}

static int
mem_remove (const char *filename)
{
  return -1;
}

/* shapelib's own messages are English and we check every record before it sees it, so they
 * only go to the debug log. */
static void
mem_error (const char *message)
{
  g_debug ("shapelib: %s", message);
}

static double
mem_atof (const char *str)
{
  return g_ascii_strtod (str, NULL);
}

void
gp_shp_mem_setup_hooks (SAHooks *hooks)
{
  memset (hooks, 0, sizeof *hooks);
  hooks->FOpen = mem_open;
  hooks->FRead = mem_read;
  hooks->FWrite = mem_write;
  hooks->FSeek = mem_seek;
  hooks->FTell = mem_tell;
  hooks->FFlush = mem_flush;
  hooks->FClose = mem_close;
  hooks->Remove = mem_remove;
  hooks->Error = mem_error;
  hooks->Atof = mem_atof;
}

char *
gp_shp_mem_new_base (void)
{
  guint serial;

  g_mutex_lock (&mem_lock);
  serial = ++mem_serial;
  g_mutex_unlock (&mem_lock);
  return g_strdup_printf ("/gridplan-mem/%u/layer", serial);
}

void
gp_shp_mem_publish (const char *base, const char *suffix, GBytes *bytes)
{
  g_mutex_lock (&mem_lock);
  if (mem_files == NULL)
    mem_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_bytes_unref);
  g_hash_table_replace (mem_files, g_strconcat (base, suffix, NULL), g_bytes_ref (bytes));
  g_mutex_unlock (&mem_lock);
}

void
gp_shp_mem_withdraw (const char *base, const char *suffix)
{
  g_autofree char *name = g_strconcat (base, suffix, NULL);

  g_mutex_lock (&mem_lock);
  if (mem_files != NULL)
    g_hash_table_remove (mem_files, name);
  g_mutex_unlock (&mem_lock);
}
