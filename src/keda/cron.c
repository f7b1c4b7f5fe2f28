/* Predictive cron windows: compress a replica plan into a few windows that only ever add
 * capacity, and the calendar/timezone arithmetic their cron expressions need. */
#include "keda_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void kk_civil_from_unix(int64_t t, kk_civil *c)
{
    int64_t days = t / 86400, rem = t % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c->year = (int)(yoe + era * 400 + (c->month <= 2));
    c->hour = (int)(rem / 3600);
    c->minute = (int)(rem % 3600 / 60);
}

int64_t kk_unix_from_civil(const kk_civil *c)
{
    return days_from_civil(c->year, c->month, c->day) * 86400 + c->hour * 3600 + c->minute * 60;
}

/* "+02:00", "-0530", "+2", "UTC+2", "UTC-05:30": seconds east of UTC. */
static int parse_offset(const char *s, int32_t *out)
{
    if (strncmp(s, "UTC", 3) == 0 || strncmp(s, "utc", 3) == 0)
        s += 3;
    if (*s != '+' && *s != '-')
        return 0;
    int sign = *s++ == '-' ? -1 : 1;
    int h = 0, m = 0, nd = 0;
    while (isdigit((unsigned char)*s) && nd < 2) {
        h = h * 10 + (*s++ - '0');
        nd++;
    }
    if (!nd)
        return 0;
    if (*s == ':')
        s++;
    if (*s) {
        if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2])
            return 0;
        m = (s[0] - '0') * 10 + (s[1] - '0');
    }
    if (m >= 60 || h * 60 + m > 14 * 60)
        return 0;
    *out = sign * (h * 3600 + m * 60);
    return 1;
}

int kk_timezone(const char *tz, char *name, size_t size, int32_t *offset_s)
{
    static const char *const utc[] = {"UTC", "Etc/UTC", "Z", "GMT", "Etc/GMT", "utc", "Etc/Zulu",
                                      "Zulu", "Etc/Universal", "Universal", NULL};
    *offset_s = 0;
    snprintf(name, size, "Etc/UTC");
    if (!tz || !*tz)
        return KAIROS_OK;
    for (const char *const *u = utc; *u; u++)
        if (strcmp(tz, *u) == 0)
            return KAIROS_OK;
    int32_t off;
    if (strncmp(tz, "Etc/GMT", 7) == 0 && (tz[7] == '+' || tz[7] == '-')) {
        /* IANA's Etc/GMT-2 is two hours EAST of UTC: the sign is inverted. */
        char *end;
        long h = strtol(tz + 8, &end, 10);
        if (*end || end == tz + 8 || h > (tz[7] == '-' ? 14 : 12))
            return kairos__fail(KAIROS_EINVAL, "timezone '%s' is not a valid Etc/GMT zone", tz);
        *offset_s = (int32_t)((tz[7] == '-' ? 1 : -1) * h * 3600);
        snprintf(name, size, "%s", h ? tz : "Etc/UTC");
        return KAIROS_OK;
    }
    if (parse_offset(tz, &off)) {
        if (off % 3600 == 0 && off != 0 && off / 3600 >= -12) {
            *offset_s = off;
            snprintf(name, size, "Etc/GMT%+d", -(int)(off / 3600));
        }
        /* Offsets with minutes have no Etc/ zone: write the same instants in UTC. */
        return KAIROS_OK;
    }
    if (*tz == '+' || *tz == '-' || strncmp(tz, "UTC", 3) == 0)
        return kairos__fail(KAIROS_EINVAL, "timezone '%s' is not a valid UTC offset", tz);
    for (const char *p = tz; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p))
            return kairos__fail(KAIROS_EINVAL, "timezone '%s' is not an IANA zone name", tz);
    /* A named zone: its DST rules are not carried here, so the instants are written in UTC. */
    return KAIROS_OK;
}

static int32_t plan_at(const kairos_keda_plan *p, size_t i)
{
    if (p->replicas)
        return p->replicas[i];
    return p->replicas_size[i] > INT32_MAX ? INT32_MAX : (int32_t)p->replicas_size[i];
}

int kairos__keda_check_plan(const kairos_keda_plan *p)
{
    if (!p)
        return kairos__fail(KAIROS_EINVAL, "plan is NULL");
    int rc = kairos__check_version(p->version, KAIROS_KEDA_PLAN_VERSION, "kairos_keda_plan");
    if (rc)
        return rc;
    if (p->n_steps == 0 || !p->timestamps || (!p->replicas == !p->replicas_size))
        return kairos__fail(KAIROS_EINVAL, "plan needs steps, timestamps and exactly one "
                                           "replicas array");
    if (p->step_s < 1 || p->step_s > 366 * 86400)
        return kairos__fail(KAIROS_EINVAL, "plan step length %lld s is out of range",
                            (long long)p->step_s);
    for (size_t i = 0; i < p->n_steps; i++) {
        if (plan_at(p, i) < 0)
            return kairos__fail(KAIROS_EINVAL, "plan step %zu has negative replicas", i + 1);
        if (p->timestamps[i] < 0 || p->timestamps[i] > (int64_t)1 << 40)
            return kairos__fail(KAIROS_EINVAL, "plan step %zu has timestamp out of range", i + 1);
        if (i && p->timestamps[i] <= p->timestamps[i - 1])
            return kairos__fail(KAIROS_EINVAL, "plan timestamps must increase (step %zu)", i + 1);
    }
    return KAIROS_OK;
}

size_t kk_count_runs(const kairos_keda_plan *p, int32_t floor_r)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n_steps; i++) {
        int32_t r = plan_at(p, i);
        n += r > floor_r && (i == 0 || plan_at(p, i - 1) != r);
    }
    return n;
}

typedef struct run {
    size_t  first, last;   /* steps covered */
    int32_t level;
} run;

/* Replica-seconds added by merging runs a and b (and the gap between them) at one level. */
static double merge_cost(const run *a, const run *b, int32_t floor_r, int64_t step_s)
{
    int32_t top = a->level > b->level ? a->level : b->level;
    double gap = (double)(b->first - a->last - 1);
    double added = (double)(top - a->level) * (double)(a->last - a->first + 1)
                 + (double)(top - b->level) * (double)(b->last - b->first + 1)
                 + (double)(top - floor_r) * gap;
    return added * (double)step_s;
}

int kairos_keda_cron_windows(const kairos_keda_plan *plan, int32_t min_replicas,
                             size_t max_windows, kairos_keda_window *windows, size_t cap,
                             size_t *n_out, double *extra_replica_hours)
{
    int rc = kairos__keda_check_plan(plan);
    if (rc)
        return rc;
    if (!n_out || (!windows && cap) || max_windows == 0 || min_replicas < 0)
        return kairos__fail(KAIROS_EINVAL, "cron windows need an output, max_windows >= 1 and "
                                           "min_replicas >= 0");
    size_t n = plan->n_steps, nr = 0;
    run *runs = kairos__malloc_array(n, sizeof *runs);
    if (!runs)
        return kairos__fail(KAIROS_ENOMEM, "out of memory compressing a %zu-step plan", n);
    /* One run per stretch of equal replicas above the floor; steps at the floor need none. */
    for (size_t i = 0; i < n; i++) {
        int32_t r = plan_at(plan, i);
        if (r <= min_replicas)
            continue;
        if (nr && runs[nr - 1].last == i - 1 && runs[nr - 1].level == r)
            runs[nr - 1].last = i;
        else
            runs[nr++] = (run){i, i, r};
    }
    /* Merge the cheapest neighbours until few enough remain. Quadratic in the number of
     * runs, which is bounded by the plan length (a few thousand steps at most in practice). */
    while (nr > max_windows) {
        size_t best = 0;
        double best_cost = 0;
        for (size_t k = 0; k + 1 < nr; k++) {
            double c = merge_cost(&runs[k], &runs[k + 1], min_replicas, plan->step_s);
            if (k == 0 || c < best_cost) {
                best = k;
                best_cost = c;
            }
        }
        if (runs[best + 1].level > runs[best].level)
            runs[best].level = runs[best + 1].level;
        runs[best].last = runs[best + 1].last;
        memmove(&runs[best + 1], &runs[best + 2], (nr - best - 2) * sizeof *runs);
        nr--;
    }
    if (nr > cap) {
        free(runs);
        return kairos__fail(KAIROS_EINVAL, "room for %zu windows, %zu needed", cap, nr);
    }
    double extra = 0;
    for (size_t k = 0; k < nr; k++) {
        for (size_t i = runs[k].first; i <= runs[k].last; i++) {
            int32_t r = plan_at(plan, i);
            extra += (double)(runs[k].level - (r > min_replicas ? r : min_replicas));
        }
        int64_t s = plan->timestamps[runs[k].first];
        int64_t e = plan->timestamps[runs[k].last] + plan->step_s;
        windows[k].start = s - (s % 60);                  /* outwards to whole minutes */
        windows[k].end = e % 60 ? e + (60 - e % 60) : e;
        windows[k].desired_replicas = runs[k].level;
    }
    free(runs);
    *n_out = nr;
    if (extra_replica_hours)
        *extra_replica_hours = extra * (double)plan->step_s / 3600.0;
    return KAIROS_OK;
}
