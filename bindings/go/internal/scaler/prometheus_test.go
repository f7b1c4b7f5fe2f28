package scaler

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestWindowIsAlignedToTheStep(t *testing.T) {
	w := &Workload{Step: Duration(5 * time.Minute), History: Duration(time.Hour)}
	win := w.WindowAt(time.Unix(1714521600+7*60+13, 0))
	if win.End.Unix() != 1714521600+5*60 || win.End.Sub(win.Start) != time.Hour {
		t.Fatalf("window %v – %v", win.Start, win.End)
	}
	u, err := QueryRangeURL("http://p:9090/", `sum(rate(x{a="b"}[5m]))`, win)
	if err != nil || !strings.HasPrefix(u, "http://p:9090/api/v1/query_range?") ||
		!strings.Contains(u, "step=300") || !strings.Contains(u, "query=sum%28rate%28x%7Ba%3D%22b%22%7D%5B5m%5D%29%29") {
		t.Fatalf("url %s %v", u, err)
	}
}

func TestFetchErrors(t *testing.T) {
	cases := map[string]struct {
		code  int
		body  string
		words string
	}{
		"prometheus error": {400, `{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected"}`, "parse error: unexpected"},
		"no series":        {200, `{"status":"success","data":{"resultType":"matrix","result":[]}}`, "no series"},
		"two series": {200, `{"status":"success","data":{"resultType":"matrix","result":[` +
			`{"metric":{"a":"1"},"values":[[1,"1"]]},{"metric":{"a":"2"},"values":[[1,"1"]]}]}}`, "2 series"},
		"not json":   {502, `<html>bad gateway</html>`, "HTTP 502"},
		"not matrix": {200, `{"status":"success","data":{"resultType":"vector","result":[]}}`, "matrix"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var auth string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				auth = r.Header.Get("X-Scope-OrgID")
				w.WriteHeader(c.code)
				_, _ = io.WriteString(w, c.body)
			}))
			defer srv.Close()
			pc, err := newPromClient(PrometheusSource{URL: srv.URL, Query: "q",
				Timeout: Duration(time.Second), Headers: map[string]string{"X-Scope-OrgID": "team"}})
			if err != nil {
				t.Fatal(err)
			}
			w := &Workload{Step: Duration(time.Minute), History: Duration(time.Hour)}
			_, err = pc.fetch(context.Background(), w.WindowAt(time.Now()))
			if err == nil || !strings.Contains(err.Error(), c.words) {
				t.Fatalf("error %v, want %q", err, c.words)
			}
			if auth != "team" {
				t.Fatalf("header not sent: %q", auth)
			}
		})
	}
}
