/* KEDA manifests: generation, CRD-strict validation of everything generated, the cron capacity
 * guarantee, the scaler catalog and the linter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kairos/kairos.h>
#include "keda/keda_internal.h"
#include "keda/lint_internal.h"
#include "keda_crd_validator.h"

/* ------------------------------------------------------------------ test data ---------- */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (cap - n - 1 == 0) {
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
            }
            buf = p;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

/* tests/data/keda, found from this file's path whatever directory the test runs in. */
static void data_path(char *out, size_t size, const char *name)
{
    static const char *const ups[] = {"", "../", "../../", "../../../"};
    char base[512];
    snprintf(base, sizeof base, "%s", __FILE__);
    char *cut = strstr(base, "unit/test_keda.c");
    if (cut)
        *cut = '\0';
    const char *rel = base;
    while (strncmp(rel, "../", 3) == 0)
        rel += 3; /* also try from the source root when run from there */
    for (int twice = 0; twice < 2; twice++)
        for (size_t i = 0; i < sizeof ups / sizeof ups[0]; i++) {
            const char *b = twice ? rel : base;
            snprintf(out, size, "%s%sdata/keda/%s", b[0] == '/' ? "" : ups[i], b, name);
            FILE *f = fopen(out, "rb");
            if (f) {
                fclose(f);
                return;
            }
        }
}

static char *read_data(const char *name, size_t *len)
{
    char path[1024];
    data_path(path, sizeof path, name);
    char *text = read_all(path, len);
    if (!text)
        fail_msg("cannot read test data %s", path);
    return text;
}

static kk_docs load_yaml(const char *name)
{
    size_t len;
    char *text = read_data(name, &len);
    kk_docs d;
    int rc = kk_parse(text, len, &d);
    free(text);
    if (rc)
        fail_msg("%s: %s", name, kairos_last_error());
    return d;
}

/* ------------------------------------------------------------------ helpers ------------ */

static kk_docs parse_buf(const kairos_buf *b)
{
    kk_docs d;
    if (kk_parse(b->data, b->len, &d))
        fail_msg("generated YAML does not parse: %s\n%s", kairos_last_error(), b->data);
    return d;
}

static const kk_node *at(const kk_node *n, const char *path)
{
    char key[128];
    while (n && *path) {
        size_t k = strcspn(path, ".");
        snprintf(key, sizeof key, "%.*s", (int)k, path);
        if (key[0] == '[')
            n = (n->kind == KK_SEQ && (size_t)atoi(key + 1) < n->n) ? n->items[atoi(key + 1)] : NULL;
        else
            n = kk_get(n, key);
        path += k + (path[k] == '.');
    }
    return n;
}

static const char *at_str(const kk_node *n, const char *path)
{
    n = at(n, path);
    return n && n->kind == KK_SCALAR ? n->str : NULL;
}

static void hourly_plan(kairos_keda_plan *p, int64_t *ts, int32_t *r, size_t n, int64_t t0)
{
    kairos_keda_plan_init(p, KAIROS_KEDA_PLAN_VERSION);
    for (size_t i = 0; i < n; i++) {
        ts[i] = t0 + (int64_t)i * 3600;
        r[i] = (int32_t)(2 + (i % 24 >= 8 && i % 24 < 20 ? 6 + (int32_t)(i % 5) : 0));
    }
    p->n_steps = n;
    p->timestamps = ts;
    p->step_s = 3600;
    p->replicas = r;
}

/* Validate every document of @p b against the matching CRD; fail with the errors. */
static kk_docs crds[5];
static const char *const crd_kinds[5] = {"ScaledObject", "ScaledJob", "TriggerAuthentication",
                                         "ClusterTriggerAuthentication", "HTTPScaledObject"};
static const char *const crd_files[5] = {"keda.sh_scaledobjects.yaml", "keda.sh_scaledjobs.yaml",
    "keda.sh_triggerauthentications.yaml", "keda.sh_clustertriggerauthentications.yaml",
    "http.keda.sh_httpscaledobjects.yaml"};

static int setup_crds(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++)
        crds[i] = load_yaml(crd_files[i]);
    return 0;
}

static int teardown_crds(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++)
        kk_docs_free(&crds[i]);
    return 0;
}

static void assert_valid_against_crd(const kairos_buf *b)
{
    kk_docs d = parse_buf(b);
    assert_true(d.n >= 1);
    for (size_t k = 0; k < d.n; k++) {
        const char *kind = kk_get_str(d.docs[k], "kind");
        int which = -1;
        for (int i = 0; i < 5; i++)
            if (kind && !strcmp(kind, crd_kinds[i]))
                which = i;
        if (which < 0)
            fail_msg("unexpected kind %s", kind ? kind : "(none)");
        const kk_node *schema = crd_schema(crds[which].docs[0]);
        assert_non_null(schema);
        crd_errors e;
        memset(&e, 0, sizeof e);
        crd_validate(schema, d.docs[k], "", 1, &e);
        if (which == 0) { /* the CRD's CEL rule, by hand */
            long long mn = 0, mx = 100;
            const kk_node *spec = kk_get(d.docs[k], "spec");
            kk_get_int(spec, "maxReplicaCount", &mx);
            if (kk_get_int(spec, "minReplicaCount", &mn) && mn > mx)
                crd_err(&e, "spec", "CEL: minReplicaCount <= maxReplicaCount");
        }
        if (e.n)
            fail_msg("%zu CRD violation(s):\n%s\n--- manifest ---\n%s", e.n, e.text, b->data);
    }
    kk_docs_free(&d);
}

/* The generator's output must also lint without errors or warnings. */
static void assert_lints_clean(const kairos_buf *b)
{
    kairos_keda_lint *l = NULL;
    assert_int_equal(kairos_keda_lint_text(b->data, b->len, &l), KAIROS_OK);
    for (size_t i = 0; i < kairos_keda_lint_count(l); i++) {
        const kairos_keda_finding *f = kairos_keda_lint_get(l, i);
        if (f->severity != KAIROS_KEDA_INFO)
            fail_msg("generated manifest has finding %s at %s: %s\n%s", f->rule, f->path,
                     f->message, b->data);
    }
    kairos_keda_lint_free(l);
}


/* ------------------------------------------------------------------ names, options ----- */

static void names_are_checked_as_dns_labels(void **state)
{
    (void)state;
    assert_int_equal(kairos_keda_check_name("web-api-2", "name"), KAIROS_OK);
    assert_int_equal(kairos_keda_check_name("Web", "name"), KAIROS_EINVAL);
    assert_non_null(strstr(kairos_last_error(), "DNS-1123"));
    assert_int_equal(kairos_keda_check_name("-web", "name"), KAIROS_EINVAL);
    assert_int_equal(kairos_keda_check_name("web-", "name"), KAIROS_EINVAL);
    assert_int_equal(kairos_keda_check_name("a.b", "name"), KAIROS_EINVAL);
    assert_int_equal(kairos_keda_check_name("", "name"), KAIROS_EINVAL);
    char long_name[70];
    memset(long_name, 'a', 64);
    long_name[64] = '\0';
    assert_int_equal(kairos_keda_check_name(long_name, "name"), KAIROS_EINVAL);
    assert_non_null(strstr(kairos_last_error(), "63"));
    long_name[63] = '\0';
    assert_int_equal(kairos_keda_check_name(long_name, "name"), KAIROS_OK);
}

static void options_init_and_refuse_unknown_versions(void **state)
{
    (void)state;
    kairos_keda_so_opts so;
    kairos_keda_sj_opts sj;
    kairos_keda_auth_opts au;
    kairos_keda_http_opts ht;
    kairos_keda_plan pl;
    assert_int_equal(kairos_keda_so_opts_init(&so, KAIROS_KEDA_SO_OPTS_VERSION), KAIROS_OK);
    assert_int_equal(so.min_replicas, 1);
    assert_int_equal(so.max_replicas, 100);
    assert_int_equal(so.idle_replicas, -1);
    assert_true(so.headroom == 1.0);
    assert_int_equal(kairos_keda_sj_opts_init(&sj, 1), KAIROS_OK);
    assert_int_equal(kairos_keda_auth_opts_init(&au, 1), KAIROS_OK);
    assert_int_equal(kairos_keda_http_opts_init(&ht, 1), KAIROS_OK);
    assert_int_equal(kairos_keda_plan_init(&pl, 1), KAIROS_OK);
    assert_int_equal(kairos_keda_so_opts_init(&so, 99), KAIROS_EVERSION);
    assert_int_equal(kairos_keda_plan_init(&pl, 0), KAIROS_EVERSION);
    int64_t ts[4];
    int32_t r[4];
    hourly_plan(&pl, ts, r, 4, 1700000000);
    so.name = "web";
    so.version = 2;
    kairos_buf b = KAIROS_BUF_INIT;
    assert_int_equal(kairos_keda_scaled_object(&pl, &so, &b, NULL), KAIROS_EVERSION);
    assert_null(b.data);
}

/* ------------------------------------------------------------------ cron -------------- */

static void cron_windows_merge_cheapest_neighbours_first(void **state)
{
    (void)state;
    int32_t r[] = {5, 5, 1, 6, 1, 1, 1, 1, 9};
    int64_t ts[9];
    for (int i = 0; i < 9; i++)
        ts[i] = 1700000000 - 1700000000 % 3600 + i * 3600;
    kairos_keda_plan p = KAIROS_KEDA_PLAN_INIT;
    p.n_steps = 9;
    p.timestamps = ts;
    p.step_s = 3600;
    p.replicas = r;
    kairos_keda_window w[8];
    size_t n;
    double extra;
    assert_int_equal(kairos_keda_cron_windows(&p, 1, 8, w, 8, &n, &extra), KAIROS_OK);
    assert_int_equal(n, 3);
    assert_true(extra == 0.0);
    /* Joining the 5s and the 6 costs 7 replica-hours; joining the 6 and the 9 costs 35. */
    assert_int_equal(kairos_keda_cron_windows(&p, 1, 2, w, 8, &n, &extra), KAIROS_OK);
    assert_int_equal(n, 2);
    assert_true(fabs(extra - 7.0) < 1e-9);
    assert_int_equal(w[0].start, ts[0]);
    assert_int_equal(w[0].end, ts[3] + 3600);
    assert_int_equal(w[0].desired_replicas, 6);
    assert_int_equal(w[1].desired_replicas, 9);
    assert_int_equal(kairos_keda_cron_windows(&p, 1, 1, w, 8, &n, &extra), KAIROS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(w[0].desired_replicas, 9);
    assert_int_equal(kairos_keda_cron_windows(&p, 1, 0, w, 8, &n, &extra), KAIROS_EINVAL);
    assert_int_equal(kairos_keda_cron_windows(&p, 1, 3, w, 2, &n, &extra), KAIROS_EINVAL);
}

static void timezones_map_to_iana_zones_with_inverted_etc_signs(void **state)
{
    (void)state;
    char name[64];
    int32_t off;
    assert_int_equal(kk_timezone(NULL, name, sizeof name, &off), KAIROS_OK);
    assert_string_equal(name, "Etc/UTC");
    assert_int_equal(kk_timezone("+02:00", name, sizeof name, &off), KAIROS_OK);
    assert_string_equal(name, "Etc/GMT-2");
    assert_int_equal(off, 7200);
    assert_int_equal(kk_timezone("UTC-5", name, sizeof name, &off), KAIROS_OK);
    assert_string_equal(name, "Etc/GMT+5");
    assert_int_equal(off, -18000);
    assert_int_equal(kk_timezone("Etc/GMT-3", name, sizeof name, &off), KAIROS_OK);
    assert_string_equal(name, "Etc/GMT-3");
    assert_int_equal(off, 10800);
    assert_int_equal(kk_timezone("+05:30", name, sizeof name, &off), KAIROS_OK);
    assert_string_equal(name, "Etc/UTC");
    assert_int_equal(off, 0);
    assert_int_equal(kk_timezone("Europe/Paris", name, sizeof name, &off), KAIROS_OK);
    assert_string_equal(name, "Etc/UTC");
    assert_int_equal(kk_timezone("+15:00", name, sizeof name, &off), KAIROS_EINVAL);
    assert_int_equal(kk_timezone("Europe/Paris;rm", name, sizeof name, &off), KAIROS_EINVAL);
    assert_int_equal(kk_timezone("Etc/GMT-15", name, sizeof name, &off), KAIROS_EINVAL);
}

typedef struct cron_expr { int minute, hour, day, month; } cron_expr;

static int parse_cron(const char *s, cron_expr *c)
{
    char star[4];
    return sscanf(s, "%d %d %d %d %1s", &c->minute, &c->hour, &c->day, &c->month, star) == 5 &&
           star[0] == '*';
}

/* Offset of an Etc zone, computed here independently of the library. */
static long zone_offset(const char *tz)
{
    if (!strcmp(tz, "Etc/UTC"))
        return 0;
    assert_true(strncmp(tz, "Etc/GMT", 7) == 0);
    return -atol(tz + 7) * 3600; /* Etc/GMT-2 is UTC+2 */
}

/* Walk minute by minute over the horizon, evaluating each cron trigger as KEDA does (active
 * from a start match until an end match), and check capacity >= plan at every step. */
static void assert_cron_covers_plan(const kairos_buf *b, const kairos_keda_plan *p, int32_t min_r)
{
    kk_docs d = parse_buf(b);
    const kk_node *triggers = at(d.docs[0], "spec.triggers");
    assert_non_null(triggers);
    size_t nt = triggers->n;
    cron_expr *st = calloc(nt, sizeof *st), *en = calloc(nt, sizeof *en);
    long *desired = calloc(nt, sizeof *desired), *off = calloc(nt, sizeof *off);
    int *active = calloc(nt, sizeof *active);
    for (size_t k = 0; k < nt; k++) {
        const kk_node *md = kk_get(triggers->items[k], "metadata");
        assert_string_equal(kk_get_str(triggers->items[k], "type"), "cron");
        assert_true(parse_cron(kk_get_str(md, "start"), &st[k]));
        assert_true(parse_cron(kk_get_str(md, "end"), &en[k]));
        desired[k] = atol(kk_get_str(md, "desiredReplicas"));
        off[k] = zone_offset(kk_get_str(md, "timezone"));
    }
    int64_t first = p->timestamps[0] - p->timestamps[0] % 60 - 60;
    int64_t last = p->timestamps[p->n_steps - 1] + p->step_s;
    size_t n_min = (size_t)((last - first) / 60 + 2);
    long *cap = calloc(n_min, sizeof *cap);
    for (size_t m = 0; m < n_min; m++) {
        time_t t = (time_t)(first + (int64_t)m * 60);
        long best = min_r;
        for (size_t k = 0; k < nt; k++) {
            time_t local = t + off[k];
            struct tm tm;
            gmtime_r(&local, &tm);
            cron_expr now = {tm.tm_min, tm.tm_hour, tm.tm_mday, tm.tm_mon + 1};
            if (!memcmp(&now, &en[k], sizeof now))
                active[k] = 0;
            if (!memcmp(&now, &st[k], sizeof now))
                active[k] = 1;
            if (active[k] && desired[k] > best)
                best = desired[k];
        }
        cap[m] = best;
    }
    for (size_t i = 0; i < p->n_steps; i++) {
        int32_t want = p->replicas[i];
        int64_t a = p->timestamps[i], z = a + p->step_s - 1;
        for (int64_t t = a - a % 60; t <= z; t += 60) {
            long c = cap[(t - first) / 60];
            if (c < want)
                fail_msg("step %zu (t=%lld): schedule gives %ld, plan wants %d", i, (long long)t,
                         c, want);
        }
    }
    free(cap);
    free(st);
    free(en);
    free(desired);
    free(off);
    free(active);
    kk_docs_free(&d);
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

static void cron_capacity_never_falls_below_the_plan(void **state)
{
    (void)state;
    static const char *const zones[] = {NULL, "UTC", "+02:00", "UTC-5", "+05:30", "Etc/GMT-14",
                                        "America/New_York", "-12:00"};
    static const int64_t steps[] = {3600, 900, 300, 90};
    static const size_t maxws[] = {1, 3, 8, 24, 200};
    uint64_t seed = 42;
    size_t runs = 0;
    for (size_t si = 0; si < 4; si++) {
        size_t n = steps[si] == 3600 ? 24 * 9 : steps[si] == 900 ? 4 * 48 : 200;
        int64_t *ts = calloc(n, sizeof *ts);
        int32_t *r = calloc(n, sizeof *r);
        /* Start just before a year end so windows cross New Year; odd offset for 90 s steps. */
        int64_t t0 = 1767225600 - 36 * 3600 + (steps[si] == 90 ? 17 : 0);
        for (size_t i = 0; i < n; i++) {
            ts[i] = t0 + (int64_t)i * steps[si];
            r[i] = (int32_t)(1 + lcg(&seed) % 3 + (i / 7 % 3 == 1 ? (int32_t)(lcg(&seed) % 12) : 0));
        }
        kairos_keda_plan p = KAIROS_KEDA_PLAN_INIT;
        p.n_steps = n;
        p.timestamps = ts;
        p.step_s = steps[si];
        p.replicas = r;
        for (size_t zi = 0; zi < sizeof zones / sizeof zones[0]; zi++)
            for (size_t wi = 0; wi < sizeof maxws / sizeof maxws[0]; wi++)
                for (int32_t mn = 0; mn <= 2; mn += 2) {
                    kairos_keda_so_opts o = KAIROS_KEDA_SO_OPTS_INIT;
                    o.name = "web";
                    o.timezone = zones[zi];
                    o.max_windows = maxws[wi];
                    o.min_replicas = mn;
                    kairos_buf b = KAIROS_BUF_INIT;
                    kairos_keda_report rep;
                    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, &rep), KAIROS_OK);
                    assert_true(rep.n_windows >= 1 && rep.n_windows <= maxws[wi]);
                    assert_true(rep.n_windows <= rep.n_windows_unmerged ||
                                rep.n_windows_unmerged == 0);
                    if (rep.n_windows_unmerged && rep.n_windows_unmerged <= maxws[wi])
                        assert_true(rep.extra_replica_hours == 0.0);
                    assert_true(rep.extra_replica_hours >= 0);
                    assert_cron_covers_plan(&b, &p, mn);
                    kairos_buf_dispose(&b);
                    runs++;
                }
        free(ts);
        free(r);
    }
    assert_int_equal(runs, 4 * 8 * 5 * 2);
}

static void cron_uses_the_requested_fixed_offset(void **state)
{
    (void)state;
    int64_t ts[1] = {1767225600}; /* 2026-01-01T00:00Z */
    int32_t r[1] = {5};
    kairos_keda_plan p = KAIROS_KEDA_PLAN_INIT;
    p.n_steps = 1;
    p.timestamps = ts;
    p.step_s = 3600;
    p.replicas = r;
    kairos_keda_so_opts o = KAIROS_KEDA_SO_OPTS_INIT;
    o.name = "web";
    o.timezone = "+02:00";
    kairos_buf b = KAIROS_BUF_INIT;
    kairos_keda_report rep;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, &rep), KAIROS_OK);
    assert_string_equal(rep.timezone, "Etc/GMT-2");
    kk_docs d = parse_buf(&b);
    const kk_node *md = at(d.docs[0], "spec.triggers.[0].metadata");
    assert_string_equal(kk_get_str(md, "timezone"), "Etc/GMT-2");
    assert_string_equal(kk_get_str(md, "start"), "0 2 1 1 *");
    assert_string_equal(kk_get_str(md, "end"), "0 3 1 1 *");
    assert_string_equal(kk_get_str(md, "desiredReplicas"), "5");
    kk_docs_free(&d);
    kairos_buf_dispose(&b);
    /* A plan of a year or more would make the yearly cron windows meet themselves. */
    int64_t ts2[2] = {1767225600, 1767225600 + 365 * 86400LL};
    int32_t r2[2] = {3, 3};
    p.n_steps = 2;
    p.timestamps = ts2;
    p.replicas = r2;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_ERANGE);
    assert_null(b.data);
}

static void cron_extra_hours_match_the_windows(void **state)
{
    (void)state;
    int64_t ts[48];
    int32_t r[48];
    kairos_keda_plan p;
    hourly_plan(&p, ts, r, 48, 1767225600);
    kairos_keda_window w[4];
    size_t n;
    double extra;
    assert_int_equal(kairos_keda_cron_windows(&p, 2, 4, w, 4, &n, &extra), KAIROS_OK);
    double brute = 0;
    for (size_t i = 0; i < 48; i++) {
        int32_t capv = 2;
        for (size_t k = 0; k < n; k++)
            if (ts[i] >= w[k].start && ts[i] < w[k].end && w[k].desired_replicas > capv)
                capv = w[k].desired_replicas;
        assert_true(capv >= r[i]);
        brute += capv - (r[i] > 2 ? r[i] : 2);
    }
    assert_true(fabs(brute - extra) < 1e-9);
    assert_true(extra > 0);
}

/* ------------------------------------------------------------------ modes -------------- */

static kairos_keda_plan small_plan(int64_t *ts, int32_t *r)
{
    kairos_keda_plan p;
    hourly_plan(&p, ts, r, 24, 1767225600);
    return p;
}

static void external_mode_points_at_the_scaler_service(void **state)
{
    (void)state;
    int64_t ts[24];
    int32_t r[24];
    kairos_keda_plan p = small_plan(ts, r);
    kairos_keda_so_opts o = KAIROS_KEDA_SO_OPTS_INIT;
    o.name = "web";
    o.ns = "shop";
    o.mode = KAIROS_KEDA_MODE_EXTERNAL;
    kairos_buf b = KAIROS_BUF_INIT;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_EINVAL);
    assert_non_null(strstr(kairos_last_error(), "scaler address"));
    o.scaler_address = "kairos-scaler.keda:9090";
    o.external_metric = "requests";
    o.external_push = 1;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_OK);
    kk_docs d = parse_buf(&b);
    const kk_node *t = at(d.docs[0], "spec.triggers.[0]");
    assert_string_equal(kk_get_str(t, "type"), "external-push");
    assert_string_equal(at_str(t, "metadata.scalerAddress"), "kairos-scaler.keda:9090");
    assert_string_equal(at_str(t, "metadata.workload"), "shop/web");
    assert_string_equal(at_str(t, "metadata.metric"), "requests");
    assert_string_equal(at_str(d.docs[0], "metadata.namespace"), "shop");
    /* The peak of the plan (13) is below the default max of 100, which stays. */
    assert_string_equal(at_str(d.docs[0], "spec.maxReplicaCount"), "100");
    kk_docs_free(&d);
    kairos_buf_dispose(&b);
}

static void prometheus_threshold_is_the_target_per_replica_over_headroom(void **state)
{
    (void)state;
    int64_t ts[24];
    int32_t r[24];
    kairos_keda_plan p = small_plan(ts, r);
    kairos_keda_so_opts o = KAIROS_KEDA_SO_OPTS_INIT;
    o.name = "web";
    o.mode = KAIROS_KEDA_MODE_PROMETHEUS;
    o.prometheus_server = "http://prometheus.monitoring:9090";
    o.query = "sum(rate(http_requests_total{app=\"web\"}[2m]))";
    o.target_per_replica = 120;
    o.headroom = 1.2;
    o.activation_threshold = 5;
    kairos_buf b = KAIROS_BUF_INIT;
    kairos_keda_report rep;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, &rep), KAIROS_OK);
    assert_true(fabs(rep.threshold - 100) < 1e-9);
    kk_docs d = parse_buf(&b);
    const kk_node *t = at(d.docs[0], "spec.triggers.[0]");
    assert_string_equal(kk_get_str(t, "metricType"), "AverageValue");
    assert_string_equal(at_str(t, "metadata.threshold"), "100");
    assert_string_equal(at_str(t, "metadata.activationThreshold"), "5");
    assert_string_equal(at_str(t, "metadata.query"), o.query);
    kk_docs_free(&d);
    kairos_buf_dispose(&b);
}

static void cpu_and_memory_targets_come_from_the_request(void **state)
{
    (void)state;
    int64_t ts[24];
    int32_t r[24];
    kairos_keda_plan p = small_plan(ts, r);
    kairos_keda_so_opts o = KAIROS_KEDA_SO_OPTS_INIT;
    o.name = "web";
    o.mode = KAIROS_KEDA_MODE_CPU;
    o.target_per_replica = 0.6;
    o.cpu_request_cores = 1.0;
    kairos_buf b = KAIROS_BUF_INIT;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_OK);
    kk_docs d = parse_buf(&b);
    assert_string_equal(at_str(d.docs[0], "spec.triggers.[0].metricType"), "Utilization");
    assert_string_equal(at_str(d.docs[0], "spec.triggers.[0].metadata.value"), "60");
    kk_docs_free(&d);
    kairos_buf_dispose(&b);
    o.cpu_request_cores = 0;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_OK);
    d = parse_buf(&b);
    assert_string_equal(at_str(d.docs[0], "spec.triggers.[0].metricType"), "AverageValue");
    assert_string_equal(at_str(d.docs[0], "spec.triggers.[0].metadata.value"), "600m");
    kk_docs_free(&d);
    kairos_buf_dispose(&b);
    o.mode = KAIROS_KEDA_MODE_MEMORY;
    o.target_per_replica = 512.0 * 1024 * 1024;
    o.memory_request_bytes = 1024.0 * 1024 * 1024;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_OK);
    d = parse_buf(&b);
    assert_string_equal(at_str(d.docs[0], "spec.triggers.[0].metadata.value"), "50");
    kk_docs_free(&d);
    kairos_buf_dispose(&b);
}

static void webhook_rejections_are_refused_before_writing(void **state)
{
    (void)state;
    int64_t ts[24];
    int32_t r[24];
    kairos_keda_plan p = small_plan(ts, r);
    kairos_keda_so_opts o = KAIROS_KEDA_SO_OPTS_INIT;
    o.name = "web";
    o.mode = KAIROS_KEDA_MODE_CPU;
    o.target_per_replica = 0.5;
    o.cpu_request_cores = 1;
    kairos_buf b = KAIROS_BUF_INIT;
    kairos__buf_puts(&b, "keep me\n");
    o.min_replicas = 0;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_EINVAL);
    assert_non_null(strstr(kairos_last_error(), "cpu/memory"));
    o.min_replicas = 1;
    o.fallback_replicas = 4;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_EINVAL);
    assert_non_null(strstr(kairos_last_error(), "fallback"));
    o.mode = KAIROS_KEDA_MODE_CRON; /* a cron trigger with fallback is fine, and AverageValue */
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_OK);
    assert_non_null(strstr(b.data, "metricType: AverageValue"));
    kairos_buf_dispose(&b);
    kairos__buf_puts(&b, "keep me\n");
    o.mode = KAIROS_KEDA_MODE_CPU;
    o.fallback_replicas = -1;
    o.idle_replicas = 1;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_EINVAL);
    o.idle_replicas = -1;
    kairos_keda_kv md[] = {{"start", "0 8 * * *"}, {"end", "0 9 * * *"},
                           {"timezone", "Etc/UTC"}, {"desiredReplicas", "3"}};
    kairos_keda_trigger extra[2] = {{"cron", "kairos-cpu", NULL, md, 4, NULL, 0, 0},
                                    {"cron", NULL, NULL, md, 4, NULL, 0, 1}};
    o.extra_triggers = extra;
    o.n_extra_triggers = 1;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_EINVAL);
    assert_non_null(strstr(kairos_last_error(), "used twice"));
    o.extra_triggers = extra + 1;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_EINVAL);
    assert_non_null(strstr(kairos_last_error(), "useCachedMetrics"));
    o.n_extra_triggers = 0;
    o.name = "Web_API";
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_EINVAL);
    assert_string_equal(b.data, "keep me\n");
    kairos_buf_dispose(&b);
}

static void behavior_follows_the_plan_limits(void **state)
{
    (void)state;
    int64_t ts[24];
    int32_t r[24];
    kairos_keda_plan p = small_plan(ts, r);
    kairos_keda_so_opts o = KAIROS_KEDA_SO_OPTS_INIT;
    o.name = "web";
    o.max_up_factor = 2;
    o.max_down_fraction = 0.5;
    o.stabilization_s = 300;
    kairos_buf b = KAIROS_BUF_INIT;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_OK);
    kk_docs d = parse_buf(&b);
    const kk_node *bh = at(d.docs[0], "spec.advanced.horizontalPodAutoscalerConfig.behavior");
    assert_string_equal(at_str(bh, "scaleUp.policies.[0].type"), "Percent");
    /* Hourly steps, HPA periods of at most 30 min: x2 per hour is +41.4 % (up: 42) per
     * half hour, -50 % per hour is -29.3 % (down: 29). */
    assert_string_equal(at_str(bh, "scaleUp.policies.[0].value"), "42");
    assert_string_equal(at_str(bh, "scaleUp.policies.[0].periodSeconds"), "1800");
    assert_string_equal(at_str(bh, "scaleDown.policies.[0].value"), "29");
    kk_docs_free(&d);
    kairos_buf_dispose(&b);
    o.policy_period_s = 3600 / 2;
    p.step_s = 1800; /* one step per period: the plan's limits as they are */
    for (size_t i = 0; i < 24; i++)
        ts[i] = 1767225600 + (int64_t)i * 1800;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_OK);
    d = parse_buf(&b);
    bh = at(d.docs[0], "spec.advanced.horizontalPodAutoscalerConfig.behavior");
    assert_string_equal(at_str(bh, "scaleUp.policies.[0].value"), "100");
    assert_string_equal(at_str(bh, "scaleDown.policies.[0].value"), "50");
    assert_string_equal(at_str(bh, "scaleDown.stabilizationWindowSeconds"), "300");
    kk_docs_free(&d);
    kairos_buf_dispose(&b);
    o.max_up_factor = 1.0;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_EINVAL);
    o.max_up_factor = NAN;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_EINVAL);
    o.max_up_factor = 2;
    o.mode = KAIROS_KEDA_MODE_PROMETHEUS;
    o.prometheus_server = "http://p:9090";
    o.query = "sum(up)";
    o.target_per_replica = INFINITY;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_EINVAL);
    o.target_per_replica = NAN;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_EINVAL);
}

static void every_metadata_value_is_a_quoted_string(void **state)
{
    (void)state;
    int64_t ts[24];
    int32_t r[24];
    kairos_keda_plan p = small_plan(ts, r);
    kairos_keda_so_opts o = KAIROS_KEDA_SO_OPTS_INIT;
    o.name = "web";
    kairos_keda_kv extra[] = {{"true", "yes"}, {"n", "0x10"}};
    kairos_keda_trigger t = {"metrics-api", "api", "AverageValue", extra, 2, NULL, 0, 0};
    o.extra_triggers = &t;
    o.n_extra_triggers = 1;
    kairos_buf b = KAIROS_BUF_INIT;
    assert_int_equal(kairos_keda_scaled_object(&p, &o, &b, NULL), KAIROS_OK);
    kk_docs d = parse_buf(&b);
    const kk_node *triggers = at(d.docs[0], "spec.triggers");
    size_t checked = 0;
    for (size_t i = 0; i < triggers->n; i++) {
        const kk_node *md = kk_get(triggers->items[i], "metadata");
        for (size_t k = 0; k < md->n; k++, checked++) {
            assert_false(md->items[k]->plain);
            assert_int_equal(kk_scalar_type(md->items[k]), KK_STRING);
            /* keys that would read as bools are quoted too */
            assert_int_equal(kk_scalar_type(md->keys[k]), KK_STRING);
        }
    }
    assert_true(checked >= 6);
    kk_docs_free(&d);
    kairos_buf_dispose(&b);
}

#include "keda_crd_cases.h"
#include "keda_lint_cases.h"

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_are_checked_as_dns_labels),
        cmocka_unit_test(options_init_and_refuse_unknown_versions),
        cmocka_unit_test(cron_windows_merge_cheapest_neighbours_first),
        cmocka_unit_test(timezones_map_to_iana_zones_with_inverted_etc_signs),
        cmocka_unit_test(cron_capacity_never_falls_below_the_plan),
        cmocka_unit_test(cron_uses_the_requested_fixed_offset),
        cmocka_unit_test(cron_extra_hours_match_the_windows),
        cmocka_unit_test(external_mode_points_at_the_scaler_service),
        cmocka_unit_test(prometheus_threshold_is_the_target_per_replica_over_headroom),
        cmocka_unit_test(cpu_and_memory_targets_come_from_the_request),
        cmocka_unit_test(webhook_rejections_are_refused_before_writing),
        cmocka_unit_test(behavior_follows_the_plan_limits),
        cmocka_unit_test(every_metadata_value_is_a_quoted_string),
        cmocka_unit_test(every_generated_scaled_object_validates_against_the_crd),
        cmocka_unit_test(other_resources_validate_against_their_crds),
        cmocka_unit_test(every_resource_variant_validates_against_its_crd),
        cmocka_unit_test(the_crd_validator_catches_violations),
        cmocka_unit_test(linter_schema_tables_match_the_crds),
        cmocka_unit_test(catalog_has_the_most_used_scalers),
        cmocka_unit_test(catalog_matches_the_scaler_schema),
        cmocka_unit_test(catalog_describes_scalers_as_text_and_json),
        cmocka_unit_test(every_rule_has_a_fixture_that_triggers_it),
        cmocka_unit_test(the_clean_fixture_has_no_findings),
        cmocka_unit_test(findings_carry_rule_path_line_and_hint),
        cmocka_unit_test(hostile_yaml_is_refused_with_a_reason),
        cmocka_unit_test(integers_beyond_their_format_are_schema_errors),
        cmocka_unit_test(plain_scalars_resolve_as_kubernetes_reads_them),
    };
    return cmocka_run_group_tests(tests, setup_crds, teardown_crds);
}
