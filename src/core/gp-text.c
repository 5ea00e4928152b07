/* gp-text.c: encoding names, .cpg and LDID lookup, detection, and cached decoders to UTF-8. */
#include "gp-config.h"

#include "gp-text.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "gp-error.h"

/* One encoding GridPlan can read: the name it reports, the iconv name it decodes with (a
 * superset where one exists, so that bytes a strict codec rejects still decode) and the one it
 * encodes with (the strict set, so that a GBK file written for a Chinese office is GBK). */
typedef struct {
  const char *canonical;
  const char *decode_with;   /* NULL: UTF-8 itself */
  const char *encode_with;
} Encoding;

static const Encoding encodings[] = {
  { "UTF-8", NULL, NULL },
  { "ASCII", "ASCII", "ASCII" },
  { "GBK", "GB18030", "GBK" },
  { "GB18030", "GB18030", "GB18030" },
  { "BIG5", "CP950", "BIG5" },
  { "SHIFT_JIS", "CP932", "SHIFT_JIS" },
  { "EUC-JP", "EUC-JP", "EUC-JP" },
  { "EUC-KR", "CP949", "EUC-KR" },
  { "CP874", "CP874", "CP874" },
  { "CP1250", "CP1250", "CP1250" },
  { "CP1251", "CP1251", "CP1251" },
  { "CP1252", "CP1252", "CP1252" },
  { "CP1253", "CP1253", "CP1253" },
  { "CP1254", "CP1254", "CP1254" },
  { "CP1255", "CP1255", "CP1255" },
  { "CP1256", "CP1256", "CP1256" },
  { "CP1257", "CP1257", "CP1257" },
  { "CP1258", "CP1258", "CP1258" },
  { "CP437", "CP437", "CP437" },
  { "CP737", "CP737", "CP737" },
  { "CP775", "CP775", "CP775" },
  { "CP850", "CP850", "CP850" },
  { "CP852", "CP852", "CP852" },
  { "CP855", "CP855", "CP855" },
  { "CP857", "CP857", "CP857" },
  { "CP860", "CP860", "CP860" },
  { "CP861", "CP861", "CP861" },
  { "CP862", "CP862", "CP862" },
  { "CP863", "CP863", "CP863" },
  { "CP864", "CP864", "CP864" },
  { "CP865", "CP865", "CP865" },
  { "CP866", "CP866", "CP866" },
  { "CP869", "CP869", "CP869" },
  { "ISO-8859-1", "ISO-8859-1", "ISO-8859-1" },
  { "ISO-8859-2", "ISO-8859-2", "ISO-8859-2" },
  { "ISO-8859-3", "ISO-8859-3", "ISO-8859-3" },
  { "ISO-8859-4", "ISO-8859-4", "ISO-8859-4" },
  { "ISO-8859-5", "ISO-8859-5", "ISO-8859-5" },
  { "ISO-8859-6", "ISO-8859-6", "ISO-8859-6" },
  { "ISO-8859-7", "ISO-8859-7", "ISO-8859-7" },
  { "ISO-8859-8", "ISO-8859-8", "ISO-8859-8" },
  { "ISO-8859-9", "ISO-8859-9", "ISO-8859-9" },
  { "ISO-8859-10", "ISO-8859-10", "ISO-8859-10" },
  { "ISO-8859-11", "ISO-8859-11", "ISO-8859-11" },
  { "ISO-8859-13", "ISO-8859-13", "ISO-8859-13" },
  { "ISO-8859-14", "ISO-8859-14", "ISO-8859-14" },
  { "ISO-8859-15", "ISO-8859-15", "ISO-8859-15" },
  { "ISO-8859-16", "ISO-8859-16", "ISO-8859-16" },
  { "KOI8-R", "KOI8-R", "KOI8-R" },
  { "KOI8-U", "KOI8-U", "KOI8-U" },
  { "MACINTOSH", "MACINTOSH", "MACINTOSH" },
  { "MAC-CYRILLIC", "MAC-CYRILLIC", "MAC-CYRILLIC" },
  { "MAC-CENTRALEUROPE", "MAC-CENTRALEUROPE", "MAC-CENTRALEUROPE" },
};

/* Names as people and programs write them, reduced to upper-case letters and digits. */
typedef struct {
  const char *key;
  const char *canonical;
} Alias;

static const Alias aliases[] = {
  { "UTF8", "UTF-8" }, { "65001", "UTF-8" }, { "UNICODE", "UTF-8" },
  { "ASCII", "ASCII" }, { "USASCII", "ASCII" }, { "20127", "ASCII" },
  { "GBK", "GBK" }, { "936", "GBK" }, { "GB2312", "GBK" }, { "GB231280", "GBK" },
  { "EUCCN", "GBK" }, { "20936", "GBK" }, { "CHINESE", "GBK" },
  { "GB18030", "GB18030" }, { "54936", "GB18030" },
  { "BIG5", "BIG5" }, { "950", "BIG5" }, { "BIG5HKSCS", "BIG5" },
  { "SHIFTJIS", "SHIFT_JIS" }, { "SJIS", "SHIFT_JIS" }, { "932", "SHIFT_JIS" },
  { "MSKANJI", "SHIFT_JIS" }, { "WINDOWS31J", "SHIFT_JIS" },
  { "EUCJP", "EUC-JP" }, { "51932", "EUC-JP" }, { "20932", "EUC-JP" },
  { "EUCKR", "EUC-KR" }, { "949", "EUC-KR" }, { "UHC", "EUC-KR" }, { "51949", "EUC-KR" },
  { "KSC56011987", "EUC-KR" }, { "KOREAN", "EUC-KR" },
  { "874", "CP874" }, { "TIS620", "CP874" },
  { "1250", "CP1250" }, { "1251", "CP1251" }, { "1252", "CP1252" }, { "1253", "CP1253" },
  { "1254", "CP1254" }, { "1255", "CP1255" }, { "1256", "CP1256" }, { "1257", "CP1257" },
  { "1258", "CP1258" },
  { "437", "CP437" }, { "737", "CP737" }, { "775", "CP775" }, { "850", "CP850" },
  { "852", "CP852" }, { "855", "CP855" }, { "857", "CP857" }, { "860", "CP860" },
  { "861", "CP861" }, { "862", "CP862" }, { "863", "CP863" }, { "864", "CP864" },
  { "865", "CP865" }, { "866", "CP866" }, { "869", "CP869" },
  { "LATIN1", "ISO-8859-1" }, { "L1", "ISO-8859-1" }, { "LATIN2", "ISO-8859-2" },
  { "LATIN9", "ISO-8859-15" },
  { "KOI8R", "KOI8-R" }, { "20866", "KOI8-R" }, { "KOI8U", "KOI8-U" }, { "21866", "KOI8-U" },
  { "MACINTOSH", "MACINTOSH" }, { "MAC", "MACINTOSH" }, { "MACROMAN", "MACINTOSH" },
  { "10000", "MACINTOSH" },
  { "MACCYRILLIC", "MAC-CYRILLIC" }, { "10007", "MAC-CYRILLIC" },
  { "MACCENTRALEUROPE", "MAC-CENTRALEUROPE" }, { "10029", "MAC-CENTRALEUROPE" },
};

/* Prefixes that add nothing to a code page number: "ANSI 1250", "CP936", "windows-1252". */
static const char *const noise_prefixes[] = { "ANSI", "WINDOWS", "WIN", "CP", "MS", "IBM", "X" };

static const Encoding *
find_encoding (const char *canonical)
{
  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    if (strcmp (encodings[i].canonical, canonical) == 0)
      return &encodings[i];
  return NULL;
}

static const char *
lookup_key (const char *key)
{
  const char *digits;
  guint64 n;

  if (*key == '\0')
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (strcmp (aliases[i].key, key) == 0)
      return aliases[i].canonical;
  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    {
      g_autofree char *reduced = g_ascii_strup (encodings[i].canonical, -1);
      char *w = reduced;

      for (const char *r = reduced; *r != '\0'; r++)
        if (g_ascii_isalnum (*r))
          *w++ = *r;
      *w = '\0';
      if (strcmp (reduced, key) == 0)
        return encodings[i].canonical;
    }

  /* ISO 8859 parts in all their spellings: "8859-1", "88591", "ISO8859_15", "28591". */
  digits = NULL;
  if (g_str_has_prefix (key, "ISO8859"))
    digits = key + 7;
  else if (g_str_has_prefix (key, "8859"))
    digits = key + 4;
  else if (strlen (key) == 5 && g_str_has_prefix (key, "2859"))
    digits = key + 4;
  if (digits != NULL && *digits != '\0' && strlen (digits) <= 2
      && g_ascii_string_to_unsigned (digits, 10, 1, 16, &n, NULL) && n != 12)
    {
      g_autofree char *name = g_strdup_printf ("ISO-8859-%u", (guint) n);
      const Encoding *encoding = find_encoding (name);

      return encoding != NULL ? encoding->canonical : NULL;
    }
  return NULL;
}

const char *
gp_text_canonical_encoding (const char *name)
{
  g_autofree char *key = NULL;
  const char *canonical;
  char *w;

  if (name == NULL)
    return NULL;
  /* A name is short; anything long (an HTML page in a .cpg) is not one. */
  if (strlen (name) > 64 || strchr (name, '<') != NULL)
    return NULL;

  key = g_ascii_strup (name, -1);
  w = key;
  for (const char *r = key; *r != '\0'; r++)
    if (g_ascii_isalnum (*r))
      *w++ = *r;
  *w = '\0';

  canonical = lookup_key (key);
  if (canonical != NULL)
    return canonical;
  for (guint i = 0; i < G_N_ELEMENTS (noise_prefixes); i++)
    if (g_str_has_prefix (key, noise_prefixes[i]))
      {
        canonical = lookup_key (key + strlen (noise_prefixes[i]));
        if (canonical != NULL)
          return canonical;
      }
  return NULL;
}

const char *
gp_text_encoding_from_cpg (const char *contents, gsize length)
{
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;
  const char *start;
  const char *end;

  if (contents == NULL || length == 0 || length > 1024)
    return NULL;
  if (memchr (contents, '\0', length) != NULL)
    return NULL;
  text = g_strndup (contents, length);
  start = text;
  if (g_str_has_prefix (start, "\xEF\xBB\xBF"))
    start += 3;
  while (g_ascii_isspace (*start))
    start++;
  /* The name is the first line; shapelib and GDAL read it the same way. */
  end = start + strcspn (start, "\r\n");
  line = g_strndup (start, end - start);
  return gp_text_canonical_encoding (line);
}

/* xBase language driver IDs (the byte at offset 29 of a DBF header) as ESRI and dBASE define
 * them; the same table GDAL and QGIS use, with 0x57 ("ANSI") read as CP1252. */
const char *
gp_text_encoding_from_ldid (guint8 ldid)
{
  switch (ldid)
    {
    case 0x01: case 0x0B: case 0x0D: case 0x0F: case 0x11: case 0x15: case 0x18: case 0x19:
    case 0x1B:
      return "CP437";
    case 0x02: case 0x0A: case 0x0E: case 0x10: case 0x12: case 0x14: case 0x16: case 0x1A:
    case 0x1D: case 0x25: case 0x37:
      return "CP850";
    case 0x03: case 0x57: case 0x58: case 0x59:
      return "CP1252";
    case 0x04:
      return "MACINTOSH";
    case 0x08: case 0x17: case 0x66:
      return "CP865";
    case 0x13: case 0x7B:
      return "SHIFT_JIS";
    case 0x1C: case 0x6C:
      return "CP863";
    case 0x1F: case 0x22: case 0x23: case 0x40: case 0x64: case 0x87:
      return "CP852";
    case 0x24:
      return "CP860";
    case 0x26: case 0x65:
      return "CP866";
    case 0x4D: case 0x7A:
      return "GBK";
    case 0x4E: case 0x79:
      return "EUC-KR";
    case 0x4F: case 0x78:
      return "BIG5";
    case 0x50: case 0x7C:
      return "CP874";
    case 0x67:
      return "CP861";
    case 0x6A: case 0x86:
      return "CP737";
    case 0x6B: case 0x88:
      return "CP857";
    case 0x96:
      return "MAC-CYRILLIC";
    case 0x97:
      return "MAC-CENTRALEUROPE";
    case 0xC8:
      return "CP1250";
    case 0xC9:
      return "CP1251";
    case 0xCA:
      return "CP1254";
    case 0xCB:
      return "CP1253";
    case 0xCC:
      return "CP1257";
    default:
      return NULL;
    }
}

/* A value boundary: detection samples are text values joined by newlines, and no multi-byte
 * character may continue across one. */
static inline gboolean
at_value_end (const guint8 *p, const guint8 *end)
{
  return p >= end || *p == '\n';
}

/* Counts well-formed multi-byte UTF-8 sequences, malformed bytes, and sequences cut short at
 * the end of a value (what a DBF field too narrow for its text leaves behind). */
static void
scan_utf8 (const guint8 *p, const guint8 *end, guint *good, guint *bad, guint *cut)
{
  while (p < end)
    {
      guint n, i;
      gunichar c;

      if (*p < 0x80)
        {
          p++;
          continue;
        }
      if (*p >= 0xC2 && *p <= 0xDF)
        n = 1, c = *p & 0x1F;
      else if (*p >= 0xE0 && *p <= 0xEF)
        n = 2, c = *p & 0x0F;
      else if (*p >= 0xF0 && *p <= 0xF4)
        n = 3, c = *p & 0x07;
      else
        {
          (*bad)++;
          p++;
          continue;
        }
      for (i = 1; i <= n; i++)
        {
          if (at_value_end (p + i, end))
            break;
          if ((p[i] & 0xC0) != 0x80)
            break;
          c = (c << 6) | (p[i] & 0x3F);
        }
      if (i <= n && at_value_end (p + i, end))
        {
          (*cut)++;
          p += i;
        }
      else if (i <= n || (n == 2 && c < 0x800) || (n == 3 && (c < 0x10000 || c > 0x10FFFF))
               || (c >= 0xD800 && c <= 0xDFFF))
        {
          (*bad)++;
          p++;
        }
      else
        {
          (*good)++;
          p += n + 1;
        }
    }
}

/* Counts GB18030 characters: two-byte ones inside the GB2312 block (where Chinese text
 * lives), other two-byte ones (where Latin-1 letters followed by ASCII land), four-byte ones,
 * malformed bytes and sequences cut short at the end of a value. */
static void
scan_gb (const guint8 *p, const guint8 *end, guint *common, guint *rare, guint *four,
         guint *bad, guint *cut)
{
  while (p < end)
    {
      if (*p < 0x80)
        {
          p++;
          continue;
        }
      if (*p == 0x80 || *p == 0xFF)
        {
          (*bad)++;
          p++;
          continue;
        }
      if (at_value_end (p + 1, end))
        {
          (*cut)++;
          p++;
          continue;
        }
      if (p[1] >= 0x30 && p[1] <= 0x39)
        {
          if (at_value_end (p + 2, end) || at_value_end (p + 3, end))
            {
              (*cut)++;
              p += 2;
              continue;
            }
          if (p[2] >= 0x81 && p[2] <= 0xFE && p[3] >= 0x30 && p[3] <= 0x39)
            {
              (*four)++;
              p += 4;
            }
          else
            {
              (*bad)++;
              p++;
            }
          continue;
        }
      if ((p[1] >= 0x40 && p[1] <= 0x7E) || (p[1] >= 0x80 && p[1] <= 0xFE))
        {
          if (p[0] >= 0xA1 && p[0] <= 0xF7 && p[1] >= 0xA1)
            (*common)++;
          else
            (*rare)++;
          p += 2;
          continue;
        }
      (*bad)++;
      p++;
    }
}

const char *
gp_text_detect_encoding (const char *bytes, gsize length)
{
  const guint8 *p = (const guint8 *) bytes;
  const guint8 *end = p + length;
  guint good = 0, bad = 0, cut = 0;
  guint common = 0, rare = 0, four = 0;

  if (bytes == NULL || length == 0)
    return "UTF-8";

  scan_utf8 (p, end, &good, &bad, &cut);
  if (bad == 0 && (cut == 0 || good > 0))
    return "UTF-8";

  /* Decodes cleanly as GB18030 (a cut-off last character here and there is what narrow DBF
   * fields do to real text) and reads as Chinese: most characters from the common block. */
  bad = cut = 0;
  scan_gb (p, end, &common, &rare, &four, &bad, &cut);
  if (bad == 0 && common > 0 && cut * 10 <= common + rare && common * 10 >= (common + rare) * 6)
    return four > 0 ? "GB18030" : "GBK";

  return "CP1252";
}

struct _GpTextDecoder
{
  const Encoding *encoding;
  GIConv cd;          /* (GIConv) -1 for UTF-8 */
};

GpTextDecoder *
gp_text_decoder_new (const char *encoding, GError **error)
{
  const char *canonical = gp_text_canonical_encoding (encoding);
  GpTextDecoder *decoder;
  GIConv cd = (GIConv) -1;

  if (canonical == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_ENCODING, _("Unknown text encoding “%s”"),
                   encoding != NULL ? encoding : "");
      return NULL;
    }

  decoder = g_new0 (GpTextDecoder, 1);
  decoder->encoding = find_encoding (canonical);
  if (decoder->encoding->decode_with != NULL)
    {
      cd = g_iconv_open ("UTF-8", decoder->encoding->decode_with);
      if (cd == (GIConv) -1)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_ENCODING,
                       _("The text encoding “%s” is not supported on this system"), canonical);
          g_free (decoder);
          return NULL;
        }
    }
  decoder->cd = cd;
  return decoder;
}

void
gp_text_decoder_free (GpTextDecoder *decoder)
{
  if (decoder == NULL)
    return;
  if (decoder->cd != (GIConv) -1)
    g_iconv_close (decoder->cd);
  g_free (decoder);
}

const char *
gp_text_decoder_get_encoding (GpTextDecoder *decoder)
{
  g_return_val_if_fail (decoder != NULL, NULL);
  return decoder->encoding->canonical;
}

#define REPLACEMENT "\xEF\xBF\xBD"

static char *
decode_utf8 (const char *bytes, gsize length, gboolean *lossy)
{
  GString *out;
  const char *p = bytes;
  const char *end = bytes + length;

  if (g_utf8_validate_len (bytes, length, NULL))
    return g_strndup (bytes, length);

  out = g_string_sized_new (length + 8);
  while (p < end)
    {
      const char *valid_end;

      if (g_utf8_validate_len (p, end - p, &valid_end))
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, valid_end - p);
      g_string_append (out, REPLACEMENT);
      p = valid_end + 1;
      if (lossy != NULL)
        *lossy = TRUE;
    }
  return g_string_free (out, FALSE);
}

static char *
decode_iconv (GIConv cd, const char *bytes, gsize length, gboolean *lossy)
{
  /* Every supported encoding yields at most 3 UTF-8 bytes per input byte (4 for a 4-byte
   * GB18030 sequence), and U+FFFD is 3 bytes for one bad byte. */
  gsize capacity = 3 * length + 8;
  char *out = g_malloc (capacity);
  char *in = (char *) bytes;
  gsize in_left = length;
  char *w = out;
  gsize out_left = capacity - 1;

  g_iconv (cd, NULL, NULL, NULL, NULL);
  while (in_left > 0)
    {
      gsize r = g_iconv (cd, &in, &in_left, &w, &out_left);

      if (r != (gsize) -1)
        break;
      if (errno == E2BIG)
        {
          gsize used = w - out;

          capacity *= 2;
          out = g_realloc (out, capacity);
          w = out + used;
          out_left = capacity - used - 1;
          continue;
        }
      /* EILSEQ: a byte that does not decode; EINVAL: a character cut off at the end. */
      if (out_left < 4)
        {
          gsize used = w - out;

          capacity = capacity * 2 + 8;
          out = g_realloc (out, capacity);
          w = out + used;
          out_left = capacity - used - 1;
        }
      memcpy (w, REPLACEMENT, 3);
      w += 3;
      out_left -= 3;
      if (lossy != NULL)
        *lossy = TRUE;
      if (errno == EINVAL)
        break;
      in++;
      in_left--;
      g_iconv (cd, NULL, NULL, NULL, NULL);
    }
  *w = '\0';
  return out;
}

char *
gp_text_decoder_decode (GpTextDecoder *decoder, const char *bytes, gssize length, gboolean *lossy)
{
  gsize n;
  gboolean ascii = TRUE;

  g_return_val_if_fail (decoder != NULL, NULL);

  if (bytes == NULL)
    return g_strdup ("");
  n = length < 0 ? strlen (bytes) : (gsize) length;

  for (gsize i = 0; i < n; i++)
    if ((guchar) bytes[i] >= 0x80 || bytes[i] == '\0')
      {
        ascii = FALSE;
        break;
      }
  /* Every supported encoding leaves ASCII as it is, and most DBF text is ASCII. */
  if (ascii)
    return g_strndup (bytes, n);

  if (decoder->cd == (GIConv) -1)
    return decode_utf8 (bytes, n, lossy);
  return decode_iconv (decoder->cd, bytes, n, lossy);
}

char *
gp_text_encode (const char *utf8, const char *encoding, gsize *out_length, GError **error)
{
  const char *canonical = gp_text_canonical_encoding (encoding);
  const Encoding *target;
  g_autoptr(GError) local_error = NULL;
  gsize written = 0;
  char *out;

  g_return_val_if_fail (utf8 != NULL, NULL);

  if (canonical == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_ENCODING, _("Unknown text encoding “%s”"),
                   encoding != NULL ? encoding : "");
      return NULL;
    }
  if (!g_utf8_validate (utf8, -1, NULL))
    {
      g_set_error_literal (error, GP_ERROR, GP_ERROR_ENCODING,
                           _("The text to encode is not valid UTF-8"));
      return NULL;
    }
  target = find_encoding (canonical);
  if (target->encode_with == NULL)
    {
      if (out_length != NULL)
        *out_length = strlen (utf8);
      return g_strdup (utf8);
    }

  out = g_convert (utf8, -1, target->encode_with, "UTF-8", NULL, &written, &local_error);
  if (out == NULL)
    {
      if (g_error_matches (local_error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE))
        g_set_error (error, GP_ERROR, GP_ERROR_ENCODING,
                     _("“%s” has characters that cannot be written in %s"), utf8, canonical);
      else
        g_set_error (error, GP_ERROR, GP_ERROR_ENCODING, _("Cannot encode text as %s: %s"),
                     canonical, local_error->message);
      return NULL;
    }
  if (out_length != NULL)
    *out_length = written;
  return out;
}
