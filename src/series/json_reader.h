/* JSON read as a stream of libyaml events, for schema-driven recursive-descent parsers.
 *
 * libyaml reads JSON as YAML flow style. The reader smooths over the differences that real
 * bodies hit (tabs outside strings, escaped UTF-16 surrogates), refuses YAML aliases, tracks
 * the nesting depth so a parser can skip what it does not know, and words every failure as
 * "<what>: <where>: expected <this>, found <that> (line L, column C)". */
#ifndef KAIROS_SERIES_JSON_READER_H
#define KAIROS_SERIES_JSON_READER_H

#include "series_internal.h"

#include <yaml.h>

typedef struct kairos__json_reader {
    yaml_parser_t parser;
    yaml_event_t event;   /* the current event when have_event */
    bool have_event;
    bool broken;          /* the text is not JSON: no further events */
    size_t depth;         /* open lists and objects */
    char *text;           /* the YAML-safe copy being read */
    const char *what;     /* names the document in messages: "Prometheus response" */
} kairos__json_reader;

/* Start reading @p len bytes of @p body (copied). KAIROS_OK or KAIROS_ENOMEM; close the
 * reader either way. */
int kairos__json_open(kairos__json_reader *r, const char *body, size_t len, const char *what);
void kairos__json_close(kairos__json_reader *r);

/* Move to the next event. KAIROS_EPARSE (with libyaml's diagnosis) when the text is not
 * JSON; after that every call fails the same way. */
int kairos__json_advance(kairos__json_reader *r);

bool kairos__json_is(const kairos__json_reader *r, yaml_event_type_t type);
bool kairos__json_is_start(const kairos__json_reader *r);    /* a list or an object opens */
bool kairos__json_is_string(const kairos__json_reader *r);   /* a quoted scalar */
bool kairos__json_is_plain(const kairos__json_reader *r);    /* a number, true, null, ... */
/* The current scalar's text: NUL-terminated, but may hold NULs of its own. */
const char *kairos__json_text(const kairos__json_reader *r);
size_t kairos__json_len(const kairos__json_reader *r);

/* Fail with KAIROS_EPARSE: "<what>: <where>: expected <expected>, found <current event>". */
int kairos__json_expected(const kairos__json_reader *r, const char *where, const char *expected);

/* Skip the value at the current event (a whole list or object when one opens here). */
int kairos__json_skip_value(kairos__json_reader *r);

/* Move to the next key of the object being read: 1 with the key as the current event, 0 at
 * the end of the object, or an error. */
int kairos__json_next_key(kairos__json_reader *r, const char *where);

/* Match the current key against @p keys (@p key = its index, or -1 for another key), refuse
 * a key already in @p seen, then move to the key's value. */
int kairos__json_enter_value(kairos__json_reader *r, const char *where, const char *const *keys,
                             int n_keys, unsigned *seen, int *key);

/* The depth the reader returns to once the current value has been read. */
size_t kairos__json_depth_around(const kairos__json_reader *r);

/* Copy the current string (an excerpt when long) into @p out, or fail if it is no string. */
int kairos__json_read_string(const kairos__json_reader *r, const char *where, char *out,
                             size_t size);

/* A schema error inside a nested value, set aside so that a more telling error found later
 * in the enclosing object wins (`"status":"error"`, a resultType that is not "matrix"). */
typedef struct kairos__json_deferred {
    bool set;
    char message[512];
} kairos__json_deferred;

/* If @p rc is a schema error, keep its message in @p d (the first one wins), skip the rest
 * of the value down to depth @p base and return KAIROS_OK; else return @p rc. */
int kairos__json_defer(kairos__json_reader *r, kairos__json_deferred *d, size_t base, int rc);

/* After a schema error @p rc, read on to the end: if the text is not even JSON further down,
 * report that instead, since it is the more basic fault. */
int kairos__json_prefer_syntax_error(kairos__json_reader *r, int rc);

#endif /* KAIROS_SERIES_JSON_READER_H */
