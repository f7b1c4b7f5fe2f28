package scaler

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	kairos "github.com/libkairos/kairos-go"
)

// maxBody bounds a query_range response (11000 points of one series are well under 1 MiB).
const maxBody = 64 << 20

// Window is the range a refresh asks Prometheus for: End is the current time rounded down
// to a whole step, Start is End − History, so every refresh within one step asks for the
// same points (and a test can ask for them too).
type Window struct {
	Start, End time.Time
	Step       time.Duration
}

// WindowAt is the window a workload fetches at time now.
func (w *Workload) WindowAt(now time.Time) Window {
	step := w.Step.D()
	end := time.Unix(now.Unix()/int64(step/time.Second)*int64(step/time.Second), 0).UTC()
	return Window{Start: end.Add(-w.History.D()), End: end, Step: step}
}

// QueryRangeURL is the /api/v1/query_range URL for a query and window.
func QueryRangeURL(base, query string, win Window) (string, error) {
	u, err := url.Parse(strings.TrimRight(base, "/") + "/api/v1/query_range")
	if err != nil {
		return "", err
	}
	q := url.Values{}
	q.Set("query", query)
	q.Set("start", strconv.FormatInt(win.Start.Unix(), 10))
	q.Set("end", strconv.FormatInt(win.End.Unix(), 10))
	q.Set("step", strconv.FormatInt(int64(win.Step/time.Second), 10))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// promClient fetches one workload's history.
type promClient struct {
	src    PrometheusSource
	client *http.Client
}

func newPromClient(src PrometheusSource) (*promClient, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if src.CAFile != "" {
		pem, err := os.ReadFile(src.CAFile)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s: no certificate", src.CAFile)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &promClient{src: src, client: &http.Client{Transport: tr, Timeout: src.Timeout.D()}}, nil
}

// fetch runs the query over the window and returns its one series, parsed by libkairos.
func (c *promClient) fetch(ctx context.Context, win Window) (*kairos.Series, error) {
	u, err := QueryRangeURL(c.src.URL, c.src.Query, win)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	for k, v := range c.src.Headers {
		req.Header.Set(k, v)
	}
	if c.src.BearerTokenFile != "" {
		tok, err := os.ReadFile(c.src.BearerTokenFile)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(tok)))
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, err
	}
	// Prometheus answers errors (400, 422, 503) with a JSON body the parser turns into a
	// message; anything else that is not 200 is reported by its status.
	list, perr := kairos.ParsePrometheus(body)
	if resp.StatusCode != http.StatusOK && perr == nil {
		perr = fmt.Errorf("HTTP %s", resp.Status)
	}
	if perr != nil {
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("prometheus: HTTP %d: %w", resp.StatusCode, perr)
		}
		return nil, fmt.Errorf("prometheus: %w", perr)
	}
	switch len(list) {
	case 0:
		return nil, fmt.Errorf("prometheus: the query returned no series")
	case 1:
		return &list[0], nil
	}
	return nil, fmt.Errorf("prometheus: the query returned %d series; aggregate it to one "+
		"(e.g. sum(...))", len(list))
}
