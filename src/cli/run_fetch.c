/* The Prometheus source of `kairos run`: one query_range request per workload, made here
 * with libcurl because the library does no network I/O (DESIGN.md); the response body goes
 * to kairos_series_parse_prometheus(). libcurl is optional: without it, a Prometheus
 * source is a clear error and CSV sources work as before. */
#include "run.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef KAIROS_HAVE_CURL
#include <curl/curl.h>

/* A body larger than this is not a metric history but a mistake (or an attack). */
#define MAX_BODY ((size_t)256 << 20)

typedef struct body {
    char *data;
    size_t len, cap;
    bool too_large;
} body;

static size_t collect(char *chunk, size_t size, size_t count, void *ctx)
{
    body *b = ctx;
    size_t n = size * count;
    if (n > MAX_BODY - b->len) {
        b->too_large = true;
        return 0;   /* makes curl stop with CURLE_WRITE_ERROR */
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *bigger = realloc(b->data, cap);
        if (!bigger)
            return 0;
        b->data = bigger;
        b->cap = cap;
    }
    memcpy(b->data + b->len, chunk, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

void run_fetch_global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

void run_fetch_global_cleanup(void)
{
    curl_global_cleanup();
}

/* BASE/api/v1/query_range?query=Q&start=S&end=E&step=STEP, the query percent-encoded. */
static char *query_url(CURL *curl, const run_prometheus *p, int64_t end)
{
    char *query = curl_easy_escape(curl, p->query, 0);
    if (!query)
        return NULL;
    const char *base = p->url;
    size_t base_len = strlen(base);
    while (base_len && base[base_len - 1] == '/')
        base_len--;
    size_t size = base_len + strlen(query) + 160;
    char *url = malloc(size);
    if (url)
        snprintf(url, size, "%.*s/api/v1/query_range?query=%s&start=%lld&end=%lld&step=%lld",
                 (int)base_len, base, query, (long long)(end - p->window_s), (long long)end,
                 (long long)p->step_s);
    curl_free(query);
    return url;
}

static int fetch_body(const run_workload *w, body *b)
{
    const run_prometheus *p = &w->prometheus;
    CURL *curl = curl_easy_init();
    if (!curl)
        return cli_fail(CLI_EXIT_MODEL, "cannot start an HTTP client (libcurl)");
    int64_t end = p->end ? p->end : (int64_t)time(NULL);
    char *url = query_url(curl, p, end);
    char curl_error[CURL_ERROR_SIZE] = "";
    CURLcode rc = CURLE_OUT_OF_MEMORY;
    if (url) {
        curl_easy_setopt(curl, CURLOPT_URL, url);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, b);
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)p->timeout_s);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);     /* threads: no SIGALRM timeouts */
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(curl, CURLOPT_USERAGENT, "kairos-run");
        rc = curl_easy_perform(curl);
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    free(url);
    if (b->too_large)
        return cli_fail(CLI_EXIT_DATA, "%s: the response is larger than 256 MiB", p->url);
    if (rc != CURLE_OK)
        return cli_fail(CLI_EXIT_DATA, "%s: %s", p->url,
                        *curl_error ? curl_error : curl_easy_strerror(rc));
    /* Prometheus explains a bad query in a JSON body with status 400/422: parse it. */
    if (status != 200 && !(b->len && b->data[0] == '{'))
        return cli_fail(CLI_EXIT_DATA, "%s: HTTP status %ld", p->url, status);
    return CLI_EXIT_OK;
}

/* The query must give exactly one series: a plan is made for one load. */
static int one_series(const run_workload *w, const kairos_series_list *list,
                      kairos_series **out)
{
    size_t n = kairos_series_list_count(list);
    if (n != 1)
        return cli_fail(CLI_EXIT_DATA, "%s: the query gave %zu series; it must give one "
                        "(aggregate it, e.g. sum(...))", w->prometheus.url, n);
    const kairos_series *s = kairos_series_list_get(list, 0);
    int status = kairos_series_from_arrays(out, kairos_series_values(s),
                                           kairos_series_timestamps(s),
                                           kairos_series_length(s));
    return status == KAIROS_OK ? CLI_EXIT_OK : cli_fail_status(status, w->prometheus.url);
}

int run_fetch_prometheus(const run_workload *w, kairos_series **out)
{
    *out = NULL;
    body b = { NULL, 0, 0, false };
    int code = fetch_body(w, &b);
    kairos_series_list *list = NULL;
    if (code == CLI_EXIT_OK) {
        int status = kairos_series_parse_prometheus(&list, b.data ? b.data : "", b.len);
        if (status != KAIROS_OK)
            code = cli_fail_status(status, w->prometheus.url);
    }
    if (code == CLI_EXIT_OK)
        code = one_series(w, list, out);
    kairos_series_list_free(list);
    free(b.data);
    return code;
}

#else /* !KAIROS_HAVE_CURL */

void run_fetch_global_init(void)
{
}

void run_fetch_global_cleanup(void)
{
}

int run_fetch_prometheus(const run_workload *w, kairos_series **out)
{
    (void)w;
    *out = NULL;
    return cli_fail(CLI_EXIT_USAGE, "prometheus sources need libcurl, and this kairos was "
                    "built without it (install libcurl4-openssl-dev and rebuild)");
}

#endif
