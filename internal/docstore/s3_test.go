package docstore_test

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/fabrique-a-communs/fabrique/internal/docstore"
)

// fakeS3 serves an in-process S3 stand-in with one bucket, "factures"; it returns its
// host:port and its backend, to look at what was stored.
func fakeS3(t *testing.T) (string, *s3mem.Backend) {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("factures"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), backend
}

func TestS3RoundTrip(t *testing.T) {
	host, backend := fakeS3(t)
	cfg, err := docstore.ParseS3URL("s3://cle:secret%2Fsecret@" + host + "/factures?region=fr-par")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SecretKey != "secret/secret" || cfg.Region != "fr-par" || cfg.Secure {
		t.Errorf("parsed: %+v", cfg)
	}
	s, err := docstore.NewS3(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	if err := s.Put(t.Context(), "documents/abc", "application/pdf", pdf); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(t.Context(), "documents/abc", "application/pdf", pdf); err != nil { // the same key again
		t.Fatal(err)
	}
	got, err := s.Get(t.Context(), "documents/abc")
	if err != nil || !bytes.Equal(got, pdf) {
		t.Errorf("get: %q, %v", got, err)
	}
	// The content type is kept with the object, for whoever reads the bucket directly.
	if obj, err := backend.HeadObject("factures", "documents/abc"); err != nil {
		t.Error(err)
	} else if got := obj.Metadata["Content-Type"]; got != "application/pdf" {
		t.Errorf("content type: got %q, want %q", got, "application/pdf")
	}
	if _, err := s.Get(t.Context(), "documents/none"); !errors.Is(err, docstore.ErrNotFound) {
		t.Errorf("a missing key: %v, want ErrNotFound", err)
	}
	cfg.Bucket = "absent"
	if _, err := docstore.NewS3(t.Context(), cfg); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("a missing bucket: %v", err)
	}
}

func TestParseS3URL(t *testing.T) {
	for raw, want := range map[string]string{
		"s3://a:b@minio:9000/docs":           "",
		"s3s://a:b@s3.fr-par.scw.cloud/docs": "",
		"http://a:b@minio:9000/docs":         "scheme",
		"s3://minio:9000/docs":               "access key",
		"s3://a@minio:9000/docs":             "secret key",
		"s3://a:b@minio:9000":                "bucket",
		"s3://a:b@minio:9000/docs/more":      "bucket",
		"s3://a:b@/docs":                     "host",
		"s3://a:b@minio:90x0/docs":           "port",
	} {
		_, err := docstore.ParseS3URL(raw)
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", raw, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s: %v, want an error about the %s", raw, err, want)
		case err != nil && strings.Contains(err.Error(), ":b@"):
			t.Errorf("%s: %v, the secret key in the log", raw, err)
		}
	}
}
