/* JSON read as a stream of libyaml events: see json_reader.h. */
#include "json_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON to YAML-safe text --------------------------------------------------------- */

static bool read_hex4(const char *s, unsigned *value)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        unsigned d = (c >= '0' && c <= '9')   ? (unsigned)(c - '0')
                     : (c >= 'a' && c <= 'f') ? (unsigned)(c - 'a' + 10)
                     : (c >= 'A' && c <= 'F') ? (unsigned)(c - 'A' + 10)
                                              : 16u;
        if (d == 16)
            return false;
        v = v * 16 + d;
    }
    *value = v;
    return true;
}

/* A \uXXXX escape that is a UTF-16 surrogate, which libyaml refuses. Writes the replacement
 * (\UXXXXXXXX for a pair, \uFFFD for a lone one) and returns how many input bytes it used,
 * or 0 when the escape at @p s is something else. Never writes more than it consumes. */
static size_t rewrite_surrogate(const char *s, size_t left, char *out)
{
    unsigned high, low;
    if (left < 6 || s[1] != 'u' || !read_hex4(s + 2, &high) || high < 0xD800 || high > 0xDFFF)
        return 0;
    if (high <= 0xDBFF && left >= 12 && s[6] == '\\' && s[7] == 'u' && read_hex4(s + 8, &low) &&
        low >= 0xDC00 && low <= 0xDFFF) {
        unsigned code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
        char tmp[16];
        snprintf(tmp, sizeof tmp, "\\U%08X", code);
        memcpy(out, tmp, 10);
        return 12;
    }
    memcpy(out, "\\uFFFD", 6);
    return 6;
}

static bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* libyaml takes a key (a YAML "simple key") only on the line of its ':' and within 1024
 * characters of it; JSON has neither limit. Such a key needs an explicit "? " indicator.
 * @p after is just past the key's closing quote; @p key_bytes its length with the quotes. */
static bool needs_explicit_key(const char *body, size_t len, size_t after, size_t key_bytes)
{
    bool line_break = false;
    size_t i = after;
    for (; i < len && is_json_space(body[i]); i++)
        line_break |= body[i] == '\r' || body[i] == '\n';
    return i < len && body[i] == ':' && (line_break || key_bytes + (i - after) > 512);
}

/* Copy the body for libyaml, which reads JSON as YAML flow style except that: a tab outside a
 * string may not start a token on a fresh line (tabs become spaces); escaped surrogate pairs,
 * emoji in label values, are refused (they become \UXXXXXXXX); and keys are limited as above
 * (they get "? "). Each "? " needs at least 4 bytes of input (`"":` and a line break), so
 * the copy is at most half as long again. */
static char *yaml_safe_copy(const char *body, size_t len, size_t *out_len)
{
    char *out = len <= (SIZE_MAX - 3) / 3 * 2 ? malloc(len + len / 2 + 3) : NULL;
    if (!out)
        return NULL;
    size_t o = 0, opened_at = 0, opened_in = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = body[i];
        if (!in_string) {
            in_string = c == '"';
            opened_at = o;
            opened_in = i;
            out[o++] = c == '\t' ? ' ' : c;
        } else if (c == '"') {
            in_string = false;
            out[o++] = c;
            if (needs_explicit_key(body, len, i + 1, i + 1 - opened_in)) {
                memmove(out + opened_at + 2, out + opened_at, o - opened_at);
                memcpy(out + opened_at, "? ", 2);
                o += 2;
            }
        } else if (c == '\\' && i + 1 < len) {
            size_t used = rewrite_surrogate(body + i, len - i, out + o);
            if (used) {
                o += used == 12 ? 10 : 6;
                i += used - 1;
            } else {
                out[o++] = c;
                out[o++] = body[++i];
            }
        } else {
            out[o++] = c;
        }
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

/* ---- Opening and reading ------------------------------------------------------------ */

int kairos__json_open(kairos__json_reader *r, const char *body, size_t len, const char *what)
{
    memset(r, 0, sizeof *r);
    r->what = what;
    size_t text_len = 0;
    r->text = yaml_safe_copy(body, len, &text_len);
    if (!r->text || !yaml_parser_initialize(&r->parser)) {
        free(r->text);
        r->text = NULL;
        r->broken = true;
        return kairos__fail(KAIROS_ENOMEM, "out of memory reading a %s", what);
    }
    yaml_parser_set_input_string(&r->parser, (const unsigned char *)r->text, text_len);
    return KAIROS_OK;
}

void kairos__json_close(kairos__json_reader *r)
{
    if (r->have_event)
        yaml_event_delete(&r->event);
    r->have_event = false;
    if (r->text)
        yaml_parser_delete(&r->parser);
    free(r->text);
    r->text = NULL;
}

static int syntax_error(kairos__json_reader *r)
{
    r->broken = true;
    if (r->parser.error == YAML_MEMORY_ERROR)
        return kairos__fail(KAIROS_ENOMEM, "out of memory reading a %s", r->what);
    const char *problem = r->parser.problem ? r->parser.problem : "unreadable text";
    return kairos__fail(KAIROS_EPARSE, "%s is not valid JSON: %s%s%s (line %zu, column %zu)",
                        r->what, problem, r->parser.context ? " " : "",
                        r->parser.context ? r->parser.context : "",
                        r->parser.problem_mark.line + 1, r->parser.problem_mark.column + 1);
}

int kairos__json_advance(kairos__json_reader *r)
{
    if (r->broken)
        return KAIROS_EPARSE;
    if (r->have_event)
        yaml_event_delete(&r->event);
    r->have_event = false;
    if (!yaml_parser_parse(&r->parser, &r->event))
        return syntax_error(r);
    r->have_event = true;
    switch (r->event.type) {
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        r->depth++;
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        r->depth--;
        break;
    case YAML_ALIAS_EVENT:   /* JSON has none; refusing them also rules out alias bombs */
        r->broken = true;
        return kairos__fail(KAIROS_EPARSE, "%s is not JSON: it has a YAML alias (line %zu, "
                                           "column %zu)", r->what,
                            r->event.start_mark.line + 1, r->event.start_mark.column + 1);
    default:
        break;
    }
    return KAIROS_OK;
}

/* ---- The current event -------------------------------------------------------------- */

bool kairos__json_is(const kairos__json_reader *r, yaml_event_type_t type)
{
    return r->have_event && r->event.type == type;
}

bool kairos__json_is_start(const kairos__json_reader *r)
{
    return kairos__json_is(r, YAML_SEQUENCE_START_EVENT) ||
           kairos__json_is(r, YAML_MAPPING_START_EVENT);
}

bool kairos__json_is_string(const kairos__json_reader *r)
{
    return kairos__json_is(r, YAML_SCALAR_EVENT) &&
           r->event.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
}

bool kairos__json_is_plain(const kairos__json_reader *r)
{
    return kairos__json_is(r, YAML_SCALAR_EVENT) &&
           r->event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

const char *kairos__json_text(const kairos__json_reader *r)
{
    return (const char *)r->event.data.scalar.value;
}

size_t kairos__json_len(const kairos__json_reader *r)
{
    return r->event.data.scalar.length;
}

/* "string \"abc\"", "number 12", "an object", ... for messages. */
static void describe_event(const kairos__json_reader *r, char *out, size_t size)
{
    char text[KAIROS__EXCERPT_SIZE];
    switch (r->event.type) {
    case YAML_SCALAR_EVENT:
        kairos__excerpt(kairos__json_text(r), kairos__json_len(r), text, sizeof text);
        if (kairos__json_is_string(r))
            snprintf(out, size, "string \"%s\"", text);
        else if (kairos__json_len(r) == 0)
            snprintf(out, size, "nothing");
        else if (!strcmp(text, "null") || !strcmp(text, "true") || !strcmp(text, "false"))
            snprintf(out, size, "%s", text);
        else
            snprintf(out, size, "%s%s", text[0] == '-' || (text[0] >= '0' && text[0] <= '9')
                                            ? "number " : "", text);
        return;
    case YAML_MAPPING_START_EVENT:  snprintf(out, size, "an object"); return;
    case YAML_SEQUENCE_START_EVENT: snprintf(out, size, "a list"); return;
    case YAML_MAPPING_END_EVENT:    snprintf(out, size, "the end of the object"); return;
    case YAML_SEQUENCE_END_EVENT:   snprintf(out, size, "the end of the list"); return;
    default:                        snprintf(out, size, "the end of the document"); return;
    }
}

int kairos__json_expected(const kairos__json_reader *r, const char *where, const char *expected)
{
    char found[KAIROS__EXCERPT_SIZE + 16];
    describe_event(r, found, sizeof found);
    return kairos__fail(KAIROS_EPARSE, "%s: %s: expected %s, found %s (line %zu, column %zu)",
                        r->what, where, expected, found, r->event.start_mark.line + 1,
                        r->event.start_mark.column + 1);
}

int kairos__json_read_string(const kairos__json_reader *r, const char *where, char *out,
                             size_t size)
{
    if (!kairos__json_is_string(r))
        return kairos__json_expected(r, where, "a string");
    kairos__excerpt(kairos__json_text(r), kairos__json_len(r), out, size);
    return KAIROS_OK;
}

/* ---- Navigation --------------------------------------------------------------------- */

int kairos__json_skip_value(kairos__json_reader *r)
{
    if (!kairos__json_is_start(r))
        return KAIROS_OK;
    size_t base = r->depth - 1;
    while (r->depth > base) {
        int rc = kairos__json_advance(r);
        if (rc)
            return rc;
    }
    return KAIROS_OK;
}

int kairos__json_next_key(kairos__json_reader *r, const char *where)
{
    int rc = kairos__json_advance(r);
    if (rc)
        return rc;
    if (kairos__json_is(r, YAML_MAPPING_END_EVENT))
        return 0;
    if (!kairos__json_is(r, YAML_SCALAR_EVENT))
        return kairos__json_expected(r, where, "a string key");
    return 1;
}

static int match_key(const kairos__json_reader *r, const char *where, const char *const *keys,
                     int n_keys, unsigned *seen, int *key)
{
    *key = -1;
    for (int k = 0; k < n_keys; k++) {
        if (strlen(keys[k]) != kairos__json_len(r) || strcmp(keys[k], kairos__json_text(r)) != 0)
            continue;
        if (*seen & (1u << k))
            return kairos__fail(KAIROS_EPARSE,
                                "%s: %s: duplicate key \"%s\" (line %zu, column %zu)",
                                r->what, where, keys[k], r->event.start_mark.line + 1,
                                r->event.start_mark.column + 1);
        *seen |= 1u << k;
        *key = k;
    }
    return KAIROS_OK;
}

int kairos__json_enter_value(kairos__json_reader *r, const char *where, const char *const *keys,
                             int n_keys, unsigned *seen, int *key)
{
    int rc = match_key(r, where, keys, n_keys, seen, key);
    return rc ? rc : kairos__json_advance(r);
}

size_t kairos__json_depth_around(const kairos__json_reader *r)
{
    return r->depth - kairos__json_is_start(r);
}

/* ---- Error precedence --------------------------------------------------------------- */

int kairos__json_defer(kairos__json_reader *r, kairos__json_deferred *d, size_t base, int rc)
{
    if (rc != KAIROS_EPARSE || r->broken)
        return rc;
    if (!d->set) {
        snprintf(d->message, sizeof d->message, "%s", kairos_last_error());
        d->set = true;
    }
    while (r->depth > base)
        if ((rc = kairos__json_advance(r)))
            return rc;
    return KAIROS_OK;
}

int kairos__json_prefer_syntax_error(kairos__json_reader *r, int rc)
{
    if (rc != KAIROS_EPARSE || r->broken)
        return rc;
    kairos__json_deferred schema = { 0 };
    snprintf(schema.message, sizeof schema.message, "%s", kairos_last_error());
    while (r->have_event && !kairos__json_is(r, YAML_STREAM_END_EVENT)) {
        int syntax = kairos__json_advance(r);
        if (syntax)
            return syntax;
    }
    return kairos__fail(KAIROS_EPARSE, "%s", schema.message);
}
