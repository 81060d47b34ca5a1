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

// A wrong SMTP_URL or MAIL_FROM stops serve before it connects to anything (the database
// here is unreachable), naming the variable — and never showing SMTP_URL's password.
func TestServeRefusesInvalidMailConfig(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none?sslmode=disable")
	for _, c := range []struct{ smtpURL, from, want string }{
		{"http://u:topsecret@mail.example.org", "", "SMTP_URL"},
		{"smtp://mail.example.org:25", "pas une adresse", "MAIL_FROM"},
		{"", "pas une adresse", "MAIL_FROM"},
	} {
		t.Setenv("SMTP_URL", c.smtpURL)
		t.Setenv("MAIL_FROM", c.from)
		err := run(context.Background(), []string{"serve"}, strings.NewReader(""), io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "topsecret") {
			t.Errorf("serve with SMTP_URL=%q MAIL_FROM=%q: got %v, want an error naming %s", c.smtpURL, c.from, err, c.want)
		}
	}
}

func TestHelpNamesMailVariables(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"help"}, strings.NewReader(""), &out); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"SMTP_URL", "MAIL_FROM", "/coordination/courriels"} {
		if !strings.Contains(out.String(), v) {
			t.Errorf("help does not mention %s", v)
		}
	}
}
