/* Timestamps: ISO 8601 / Unix seconds in, ISO 8601 UTC out. */
#include "series_internal.h"

#include <stdio.h>
#include <string.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (era arithmetic, exact for all years). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int kairos_format_timestamp(int64_t t, char *out, size_t size)
{
    if (!out || size < 21)
        return kairos__fail(KAIROS_EINVAL, "timestamp buffer too small");
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days -= 1;
    }
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999)
        return kairos__fail(KAIROS_ERANGE, "timestamp %lld is outside years 0000-9999", (long long)t);
    snprintf(out, size, "%04d-%02u-%02uT%02d:%02d:%02dZ", (int)y, m, d, (int)(secs / 3600),
             (int)(secs / 60 % 60), (int)(secs % 60));
    return KAIROS_OK;
}

/* ---- Unix seconds ------------------------------------------------------------------- */

static int digit_value(char c) { return c - '0'; }

/* The k-th digit of the mantissa, skipping the decimal point. */
static int mantissa_digit(const char *digits, size_t n_int, size_t k)
{
    return digit_value(digits[k < n_int ? k : k + 1]);
}

int kairos__parse_unix_seconds(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    bool negative = false;
    if (len > 0 && (s[0] == '+' || s[0] == '-'))
        negative = s[i++] == '-';
    const char *digits = s + i;
    size_t n_int = 0, n_frac = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, n_int++;
    if (i < len && s[i] == '.')
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            n_frac++;
    if (n_int + n_frac == 0)
        return KAIROS__NUMBER_INVALID;
    int64_t exponent = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        bool exp_negative = false;
        size_t exp_digits = 0;
        if (++i < len && (s[i] == '+' || s[i] == '-'))
            exp_negative = s[i++] == '-';
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, exp_digits++)
            if (exponent < 1000000)   /* saturate: anything this large overflows anyway */
                exponent = exponent * 10 + digit_value(s[i]);
        if (exp_digits == 0)
            return KAIROS__NUMBER_INVALID;
        if (exp_negative)
            exponent = -exponent;
    }
    if (i != len)
        return KAIROS__NUMBER_INVALID;

    /* Exact decimal arithmetic: the integer part is the first `point` significant digits. */
    size_t total = n_int + n_frac, first = 0;
    while (first < total && mantissa_digit(digits, n_int, first) == 0)
        first++;
    if (first == total) {
        *out = 0;
        return KAIROS__NUMBER_OK;
    }
    int64_t point = (int64_t)n_int - (int64_t)first + exponent;
    if (point > 19)
        return KAIROS__NUMBER_OUT_OF_RANGE;
    size_t significant = total - first;
    uint64_t magnitude = 0;
    for (int64_t k = 0; k < point; k++) {
        int digit = (size_t)k < significant ? mantissa_digit(digits, n_int, first + (size_t)k) : 0;
        magnitude = magnitude * 10 + (uint64_t)digit;
    }
    if (point >= 0 && (size_t)point < significant &&
        mantissa_digit(digits, n_int, first + (size_t)point) >= 5)
        magnitude++;   /* round half away from zero */
    const uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    if (magnitude > limit)
        return KAIROS__NUMBER_OUT_OF_RANGE;
    if (!negative)
        *out = (int64_t)magnitude;
    else
        *out = magnitude == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)magnitude;
    return KAIROS__NUMBER_OK;
}

/* ---- ISO 8601 ----------------------------------------------------------------------- */

typedef struct iso_cursor {
    const char *s;
    size_t len, pos;
} iso_cursor;

typedef struct iso_fields {
    int year, month, day, hour, minute, second;
    bool round_up;      /* the fraction of a second was at least one half */
    int offset_sign;    /* +1 east of UTC, -1 west */
    int offset_hour, offset_minute;
} iso_fields;

static bool take_digits(iso_cursor *c, size_t count, int *value)
{
    if (c->len - c->pos < count)
        return false;
    int v = 0;
    for (size_t i = 0; i < count; i++) {
        char ch = c->s[c->pos + i];
        if (ch < '0' || ch > '9')
            return false;
        v = v * 10 + digit_value(ch);
    }
    c->pos += count;
    *value = v;
    return true;
}

static bool take_char(iso_cursor *c, char ch)
{
    if (c->pos < c->len && c->s[c->pos] == ch) {
        c->pos++;
        return true;
    }
    return false;
}

static bool at_end(const iso_cursor *c) { return c->pos == c->len; }

/* The `Z` or `+HH[:MM]`/`+HHMM` after a time. NULL on success, else what was expected. */
static const char *scan_offset(iso_cursor *c, iso_fields *f)
{
    if (take_char(c, 'Z') || take_char(c, 'z'))
        return NULL;
    if (take_char(c, '+'))
        f->offset_sign = 1;
    else if (take_char(c, '-'))
        f->offset_sign = -1;
    else
        return "'Z', a '+HH:MM' or '-HH:MM' offset, or the end";
    if (!take_digits(c, 2, &f->offset_hour))
        return "a two-digit offset hour";
    if (at_end(c))
        return NULL;
    bool colon = take_char(c, ':');
    if (!take_digits(c, 2, &f->offset_minute))
        return colon ? "two-digit offset minutes" : "two-digit offset minutes or the end";
    return NULL;
}

static const char *scan_time(iso_cursor *c, iso_fields *f)
{
    if (!take_digits(c, 2, &f->hour))
        return "a two-digit hour";
    if (!take_char(c, ':'))
        return "':' after the hour";
    if (!take_digits(c, 2, &f->minute))
        return "two-digit minutes";
    if (take_char(c, ':')) {
        if (!take_digits(c, 2, &f->second))
            return "two-digit seconds";
        if (take_char(c, '.')) {
            size_t start = c->pos;
            while (c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9')
                c->pos++;
            if (c->pos == start)
                return "digits after the decimal point";
            f->round_up = c->s[start] >= '5';
        }
    }
    return at_end(c) ? NULL : scan_offset(c, f);
}

static const char *scan_iso(iso_cursor *c, iso_fields *f)
{
    if (!take_digits(c, 4, &f->year) || !take_char(c, '-'))
        return "a four-digit year and '-'";
    if (!take_digits(c, 2, &f->month))
        return "a two-digit month";
    if (!take_char(c, '-'))
        return "'-' after the month";
    if (!take_digits(c, 2, &f->day))
        return "a two-digit day";
    if (at_end(c))
        return NULL;
    if (!take_char(c, 'T') && !take_char(c, 't') && !take_char(c, ' '))
        return "'T' or a space before the time";
    const char *expected = scan_time(c, f);
    if (expected)
        return expected;
    return at_end(c) ? NULL : "the end of the timestamp";
}

static bool is_leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap_year(y) ? 29 : days[m - 1];
}

static const char *const month_names[12] = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"
};

/* Range checks after a successful scan: false with the reason in @p why. */
static bool check_fields(const iso_fields *f, const char *quoted, char *why, size_t size)
{
    if (f->month < 1 || f->month > 12) {
        snprintf(why, size, "timestamp '%s' is not a valid date (month %d)", quoted, f->month);
        return false;
    }
    if (f->day < 1 || f->day > days_in_month(f->year, f->month)) {
        snprintf(why, size, "timestamp '%s' is not a valid date (%s %04d has %d days)", quoted,
                 month_names[f->month - 1], f->year, days_in_month(f->year, f->month));
        return false;
    }
    const char *what = NULL;
    int value = 0;
    if (f->hour > 23)
        what = "hour", value = f->hour;
    else if (f->minute > 59)
        what = "minute", value = f->minute;
    else if (f->second > 59)
        what = "second", value = f->second;
    if (what) {
        snprintf(why, size, "timestamp '%s' is not a valid time (%s %d%s)", quoted, what, value,
                 value == 60 && what[0] == 's' ? "; leap seconds are not supported" : "");
        return false;
    }
    if (f->offset_hour > 23 || f->offset_minute > 59) {
        snprintf(why, size, "timestamp '%s' has an invalid UTC offset (%02d:%02d)", quoted,
                 f->offset_hour, f->offset_minute);
        return false;
    }
    return true;
}

static int64_t iso_to_unix(const iso_fields *f)
{
    int64_t days = days_from_civil(f->year, (unsigned)f->month, (unsigned)f->day);
    int64_t local = days * 86400 + f->hour * 3600 + f->minute * 60 + f->second + f->round_up;
    return local - f->offset_sign * (f->offset_hour * 3600 + f->offset_minute * 60);
}

static bool is_space(char c) { return c == ' ' || c == '\t'; }

/* An ISO date starts with four digits and '-'; anything else must be Unix seconds. */
static bool looks_like_iso(const char *s, size_t len)
{
    if (len < 5 || s[4] != '-')
        return false;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int kairos__parse_timestamp(const char *s, size_t len, int64_t *out, char *why, size_t why_size)
{
    while (len > 0 && is_space(s[0]))
        s++, len--;
    while (len > 0 && is_space(s[len - 1]))
        len--;
    char quoted[KAIROS__EXCERPT_SIZE];
    kairos__excerpt(s, len, quoted, sizeof quoted);
    if (len == 0) {
        snprintf(why, why_size, "timestamp is empty");
        return KAIROS_EPARSE;
    }
    if (!looks_like_iso(s, len)) {
        int rc = kairos__parse_unix_seconds(s, len, out);
        if (rc == KAIROS__NUMBER_OK)
            return KAIROS_OK;
        snprintf(why, why_size, rc == KAIROS__NUMBER_OUT_OF_RANGE
                     ? "timestamp '%s' is out of range (beyond 64-bit Unix seconds)"
                     : "timestamp '%s' is neither ISO 8601 (2024-05-01T13:00:00Z) nor Unix seconds",
                 quoted);
        return KAIROS_EPARSE;
    }
    iso_cursor c = { s, len, 0 };
    iso_fields f = { 0, 0, 0, 0, 0, 0, false, 1, 0, 0 };
    const char *expected = scan_iso(&c, &f);
    if (expected) {
        snprintf(why, why_size,
                 "timestamp '%s' is not valid ISO 8601 (expected %s at character %zu)", quoted,
                 expected, c.pos + 1);
        return KAIROS_EPARSE;
    }
    if (!check_fields(&f, quoted, why, why_size))
        return KAIROS_EPARSE;
    *out = iso_to_unix(&f);
    return KAIROS_OK;
}

int kairos_parse_timestamp(const char *text, size_t len, int64_t *out)
{
    if (!out || (!text && len > 0))
        return kairos__fail(KAIROS_EINVAL, "kairos_parse_timestamp: NULL argument");
    char why[256];
    int rc = kairos__parse_timestamp(text ? text : "", len, out, why, sizeof why);
    return rc == KAIROS_OK ? rc : kairos__fail(rc, "%s", why);
}
