package scaler

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// certFiles serves the certificate, key and client CA files of the gRPC listener and
// re-reads them when they change on disk (cert-manager renewals, mounted Secrets), checking
// at most once a second. A change that does not load keeps the previous files in service.
type certFiles struct {
	cfg *TLSConfig
	log *slog.Logger

	mu      sync.Mutex
	checked time.Time
	stamp   string // modification times and sizes of the files last loaded
	cert    *tls.Certificate
	pool    *x509.CertPool
}

func (c *certFiles) fileStamp() string {
	s := ""
	for _, p := range []string{c.cfg.CertFile, c.cfg.KeyFile, c.cfg.ClientCAFile} {
		if p == "" {
			continue
		}
		if fi, err := os.Stat(p); err == nil {
			s += fmt.Sprintf("%s:%d:%d;", p, fi.ModTime().UnixNano(), fi.Size())
		}
	}
	return s
}

func (c *certFiles) load() (*tls.Certificate, *x509.CertPool, error) {
	cert, err := tls.LoadX509KeyPair(c.cfg.CertFile, c.cfg.KeyFile)
	if err != nil {
		return nil, nil, fmt.Errorf("tls: %w", err)
	}
	var pool *x509.CertPool
	if c.cfg.ClientCAFile != "" {
		pem, err := os.ReadFile(c.cfg.ClientCAFile)
		if err != nil {
			return nil, nil, fmt.Errorf("tls: %w", err)
		}
		pool = x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, nil, fmt.Errorf("tls: %s holds no certificate", c.cfg.ClientCAFile)
		}
	}
	return &cert, pool, nil
}

// current returns the files in service, reloading them when they changed.
func (c *certFiles) current() (*tls.Certificate, *x509.CertPool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.checked) < time.Second {
		return c.cert, c.pool
	}
	c.checked = time.Now()
	if stamp := c.fileStamp(); stamp != c.stamp {
		cert, pool, err := c.load()
		if err != nil {
			c.log.Warn("TLS files changed but do not load; keeping the previous ones", "err", err)
		} else {
			c.cert, c.pool, c.stamp = cert, pool, stamp
			c.log.Info("TLS files reloaded")
		}
	}
	return c.cert, c.pool
}

// ServerTLS is the gRPC listener's TLS configuration (nil without a tls section). The
// certificate and client CA are re-read when their files change.
func ServerTLS(t *TLSConfig, log *slog.Logger) (*tls.Config, error) {
	if t == nil {
		return nil, nil
	}
	cf := &certFiles{cfg: t, log: log}
	cert, pool, err := cf.load()
	if err != nil {
		return nil, err
	}
	cf.cert, cf.pool, cf.stamp, cf.checked = cert, pool, cf.fileStamp(), time.Now()
	minVersion := uint16(tls.VersionTLS12)
	if t.MinVersion == "1.3" {
		minVersion = tls.VersionTLS13
	}
	base := &tls.Config{MinVersion: minVersion, ClientCAs: pool,
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			c, _ := cf.current()
			return c, nil
		}}
	if t.ClientCAFile != "" {
		base.ClientAuth = tls.RequireAndVerifyClientCert
		base.GetConfigForClient = func(*tls.ClientHelloInfo) (*tls.Config, error) {
			c, p := cf.current()
			conf := base.Clone()
			conf.GetConfigForClient = nil
			conf.Certificates, conf.GetCertificate, conf.ClientCAs = []tls.Certificate{*c}, nil, p
			return conf, nil
		}
	}
	return base, nil
}
