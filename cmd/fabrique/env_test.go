package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

// A TRUSTED_PROXIES that is not a list of ranges stops serve before it starts, saying why.
func TestServeRefusesInvalidTrustedProxies(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none?sslmode=disable")
	t.Setenv("TRUSTED_PROXIES", "10.0.0.0/8, proxy.example")
	err := run(context.Background(), []string{"serve"}, strings.NewReader(""), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "TRUSTED_PROXIES") || !strings.Contains(err.Error(), "proxy.example") {
		t.Fatalf("serve with TRUSTED_PROXIES=%q: got %v, want an error naming the variable and the bad entry", "10.0.0.0/8, proxy.example", err)
	}
}
