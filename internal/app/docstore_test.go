package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/fabrique-a-communs/fabrique/internal/app"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
)

// An S3_URL whose bucket does not answer stops the app at its start, with a sentence
// that says so, rather than failing at the first upload.
func TestS3MissingBucketStopsTheStart(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(srv.Close)
	for url, want := range map[string]string{
		"s3://cle:secret@" + strings.TrimPrefix(srv.URL, "http://") + "/absent": "does not exist",
		"ftp://cle:secret@localhost/documents":                                  "scheme",
	} {
		a, err := app.New(context.Background(), app.Config{DatabaseURL: pgtest.URL(t), Addr: "127.0.0.1:0",
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), NoWorkers: true, S3URL: url})
		if err == nil {
			a.Close()
			t.Errorf("%s: the app started", url)
		} else if !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want it to say %q", url, err, want)
		}
	}
}
