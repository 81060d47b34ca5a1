package password_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/password"
)

// fast keeps the tests quick; the format and the checks are the same as with Default.
var fast = password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// mustHash returns the hash of pw with p.
func mustHash(tb testing.TB, pw string, p password.Params) string {
	tb.Helper()
	h, err := password.Hash(pw, p)
	if err != nil {
		tb.Fatalf("Hash: %v", err)
	}
	return h
}

func TestHashCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params password.Params
		pw     string
	}{
		{"default params", password.Default, "motdepasse-solide"},
		{"fast params", fast, "motdepasse-solide"},
		{"accents", fast, "éléphant-àçùœ"},
		{"empty", fast, ""},
		{"long", fast, strings.Repeat("x", 256)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := mustHash(t, tt.pw, tt.params)
			if !strings.HasPrefix(h, "$argon2id$v=19$") {
				t.Errorf("got hash %q, want prefix %q", h, "$argon2id$v=19$")
			}
			ok, err := password.Check(tt.pw, h)
			if err != nil || !ok {
				t.Errorf("Check(right password): got %v, %v, want true, nil", ok, err)
			}
			for _, wrong := range []string{tt.pw + "x", strings.ToUpper(tt.pw) + "!", "autre-mot-de-passe"} {
				ok, err := password.Check(wrong, h)
				if err != nil || ok {
					t.Errorf("Check(%q): got %v, %v, want false, nil", wrong, ok, err)
				}
			}
		})
	}
}

func TestHashFormat(t *testing.T) {
	t.Parallel()
	h := mustHash(t, "motdepasse-solide", password.Default)
	parts := strings.Split(h, "$")
	if len(parts) != 6 {
		t.Fatalf("got %d parts in %q, want 6", len(parts), h)
	}
	if got, want := parts[3], "m=19456,t=2,p=1"; got != want {
		t.Errorf("params: got %q, want %q", got, want)
	}
	if got, want := len(parts[4]), 22; got != want { // 16 bytes, unpadded base64
		t.Errorf("salt length: got %d, want %d", got, want)
	}
	if got, want := len(parts[5]), 43; got != want { // 32 bytes, unpadded base64
		t.Errorf("key length: got %d, want %d", got, want)
	}
}

func TestHashIsSalted(t *testing.T) {
	t.Parallel()
	a := mustHash(t, "motdepasse-solide", fast)
	b := mustHash(t, "motdepasse-solide", fast)
	if a == b {
		t.Errorf("got the same hash twice %q, want different salts", a)
	}
	for _, h := range []string{a, b} {
		if ok, err := password.Check("motdepasse-solide", h); err != nil || !ok {
			t.Errorf("Check(%q): got %v, %v, want true, nil", h, ok, err)
		}
	}
}

// A hash made with other costs still checks: the costs are read from the hash.
func TestCheckReadsParams(t *testing.T) {
	t.Parallel()
	p := password.Params{Memory: 128, Time: 3, Threads: 2, SaltLen: 8, KeyLen: 16}
	h := mustHash(t, "motdepasse-solide", p)
	if ok, err := password.Check("motdepasse-solide", h); err != nil || !ok {
		t.Errorf("Check(%q): got %v, %v, want true, nil", h, ok, err)
	}
}

// checkNoPanic calls Check and turns a panic into a test failure and ErrMalformed, so
// the other cases still run.
func checkNoPanic(tb testing.TB, hash string) (ok bool, err error) {
	tb.Helper()
	defer func() {
		if r := recover(); r != nil {
			tb.Errorf("Check(%q): got panic %v, want ErrMalformed", hash, r)
			ok, err = false, password.ErrMalformed
		}
	}()
	return password.Check("motdepasse-solide", hash)
}

func TestCheckMalformed(t *testing.T) {
	t.Parallel()
	good := mustHash(t, "motdepasse-solide", fast)
	parts := strings.Split(good, "$")
	salt, key := parts[4], parts[5]
	tests := []struct {
		name string
		hash string
	}{
		{"empty", ""},
		{"plain text", "motdepasse-solide"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key},
		{"too few parts", "$argon2id$v=19$m=64,t=1,p=1$" + salt},
		{"too many parts", good + "$x"},
		{"no version", "$argon2id$$m=64,t=1,p=1$" + salt + "$" + key},
		{"old version", "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key},
		{"no params", "$argon2id$v=19$$" + salt + "$" + key},
		{"params out of order", "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key},
		{"negative memory", "$argon2id$v=19$m=-64,t=1,p=1$" + salt + "$" + key},
		{"threads overflow", "$argon2id$v=19$m=64,t=1,p=256$" + salt + "$" + key},
		{"bad salt", "$argon2id$v=19$m=64,t=1,p=1$!!!$" + key},
		{"padded salt", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key},
		{"bad key", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$!!!"},
		{"empty key", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$"},
		// argon2.IDKey panics on zero rounds or zero threads: Check must refuse them first.
		{"zero time", "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key},
		{"zero threads", "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ok, err := checkNoPanic(t, tt.hash)
			if ok || !errors.Is(err, password.ErrMalformed) {
				t.Errorf("Check(%q): got %v, %v, want false, ErrMalformed", tt.hash, ok, err)
			}
		})
	}
}

// A stored hash must not make a login allocate terabytes: the runtime's out-of-memory
// error is fatal, so recover cannot catch it and the test runs Check in a child process.
func TestCheckHugeMemory(t *testing.T) {
	t.Parallel()
	const hash = "$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"
	if os.Getenv("PASSWORD_TEST_CHILD") == "1" {
		ok, err := password.Check("motdepasse-solide", hash)
		if ok || !errors.Is(err, password.ErrMalformed) {
			t.Fatalf("Check(%q): got %v, %v, want false, ErrMalformed", hash, ok, err)
		}
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCheckHugeMemory$", "-test.count=1")
	cmd.Env = append(os.Environ(), "PASSWORD_TEST_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		first, _, _ := strings.Cut(string(out), "\n")
		t.Errorf("Check(%q) in a child process: got %v (%s), want false, ErrMalformed", hash, err, first)
	}
}

func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		if _, err := password.Hash("motdepasse-solide", password.Default); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	h := mustHash(b, "motdepasse-solide", password.Default)
	for b.Loop() {
		if _, err := password.Check("motdepasse-solide", h); err != nil {
			b.Fatal(err)
		}
	}
}
