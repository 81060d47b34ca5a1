package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// mustUser creates a contributor named name with an email derived from it.
func mustUser(tb testing.TB, db *postgres.DB, name string) *fabrique.User {
	tb.Helper()
	u := &fabrique.User{
		Email:        strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org",
		DisplayName:  name,
		PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$a2V5",
	}
	if err := db.CreateUser(context.Background(), u); err != nil {
		tb.Fatalf("CreateUser(%q): %v", u.Email, err)
	}
	return u
}

// checkCode fails the test unless err carries the domain code want.
func checkCode(tb testing.TB, err error, want string) {
	tb.Helper()
	if got := fabrique.ErrorCode(err); got != want {
		tb.Errorf("got code %q (%v), want %q", got, err, want)
	}
}

func TestUsers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	alice := &fabrique.User{Email: "Alice.Martin@Example.org", DisplayName: "Alice Martin", PasswordHash: "hash"}
	if err := db.CreateUser(ctx, alice); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if alice.ID == 0 || alice.CreatedAt.IsZero() {
		t.Errorf("CreateUser: got ID %d and CreatedAt %v, want both set", alice.ID, alice.CreatedAt)
	}
	if alice.Role != fabrique.RoleContributor {
		t.Errorf("CreateUser: got role %q, want %q", alice.Role, fabrique.RoleContributor)
	}

	t.Run("by email in another case", func(t *testing.T) {
		t.Parallel()
		for _, email := range []string{"Alice.Martin@Example.org", "alice.martin@example.org", "ALICE.MARTIN@EXAMPLE.ORG"} {
			u, err := db.UserByEmail(ctx, email)
			if err != nil {
				t.Fatalf("UserByEmail(%q): %v", email, err)
			}
			if u.ID != alice.ID || u.Email != alice.Email || u.DisplayName != alice.DisplayName || u.PasswordHash != "hash" {
				t.Errorf("UserByEmail(%q): got %+v, want %+v", email, u, alice)
			}
		}
	})
	t.Run("by id", func(t *testing.T) {
		t.Parallel()
		u, err := db.UserByID(ctx, alice.ID)
		if err != nil {
			t.Fatalf("UserByID: %v", err)
		}
		if u.Email != alice.Email {
			t.Errorf("UserByID: got %q, want %q", u.Email, alice.Email)
		}
	})
	t.Run("not found", func(t *testing.T) {
		t.Parallel()
		_, err := db.UserByEmail(ctx, "personne@example.org")
		checkCode(t, err, fabrique.ENOTFOUND)
		_, err = db.UserByID(ctx, -1)
		checkCode(t, err, fabrique.ENOTFOUND)
	})
	t.Run("duplicate email in another case", func(t *testing.T) {
		t.Parallel()
		dup := &fabrique.User{Email: "alice.martin@EXAMPLE.ORG", DisplayName: "Autre Alice", PasswordHash: "hash"}
		err := db.CreateUser(ctx, dup)
		checkCode(t, err, fabrique.EINVALID)
		if msg := fabrique.ErrorFields(err)["email"]; msg == "" {
			t.Errorf("got fields %v, want a message on email", fabrique.ErrorFields(err))
		}
	})
	t.Run("invalid row", func(t *testing.T) {
		t.Parallel()
		err := db.CreateUser(ctx, &fabrique.User{Email: "nom.vide@example.org", DisplayName: "", PasswordHash: "hash"})
		checkCode(t, err, fabrique.EINVALID)
	})
}

func TestSetUserRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	bob := mustUser(t, db, "Bob Durand")
	tests := []struct {
		name  string
		email string
		role  string
		code  string
	}{
		{"coordinator in another case", "BOB.DURAND@example.org", fabrique.RoleCoordinator, ""},
		{"unknown email", "personne@example.org", fabrique.RoleCoordinator, fabrique.ENOTFOUND},
		{"unknown role", bob.Email, "admin", fabrique.EINVALID},
	}
	for _, tt := range tests {
		err := db.SetUserRole(ctx, tt.email, tt.role)
		if fabrique.ErrorCode(err) != tt.code {
			t.Errorf("%s: SetUserRole(%q, %q): got %v, want code %q", tt.name, tt.email, tt.role, err, tt.code)
		}
	}
	u, err := db.UserByID(ctx, bob.ID)
	if err != nil {
		t.Fatalf("UserByID: %v", err)
	}
	if !u.IsCoordinator() {
		t.Errorf("after SetUserRole: got role %q, want %q", u.Role, fabrique.RoleCoordinator)
	}
	if err := db.SetUserRole(ctx, bob.Email, fabrique.RoleContributor); err != nil {
		t.Fatalf("SetUserRole back: %v", err)
	}
	if u, err = db.UserByID(ctx, bob.ID); err != nil || u.Role != fabrique.RoleContributor {
		t.Errorf("after SetUserRole back: got %v, %v, want role %q", u, err, fabrique.RoleContributor)
	}
}
