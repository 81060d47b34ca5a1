package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/demo"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// A demo contributor who was paid and a funder whose pledge was confirmed delete their
// accounts: a wrong password changes nothing; then their personal data is gone, every
// session of theirs ends, the ledger's balances are what they were, the public accounts
// show the pseudonym where the name was, and their address can make a new account.
func TestAccountDeletionKeepsTheLedger(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	if _, err := demo.Demo(ctx, a.DB, a.SQL); err != nil {
		t.Fatal(err)
	}
	var id int64
	var email, name string
	if err := a.SQL.QueryRow(ctx, `SELECT u.id, u.email, u.display_name FROM users u
		WHERE EXISTS (SELECT 1 FROM contributions c WHERE c.user_id = u.id AND c.state = 'payee')
		  AND EXISTS (SELECT 1 FROM pledges p WHERE p.user_id = u.id AND p.state = 'confirmee')
		  AND u.role = 'contributor' ORDER BY u.id LIMIT 1`).Scan(&id, &email, &name); err != nil {
		// No demo account both contributes and funds: take a paid contributor.
		if err := a.SQL.QueryRow(ctx, `SELECT u.id, u.email, u.display_name FROM users u
			WHERE EXISTS (SELECT 1 FROM contributions c WHERE c.user_id = u.id AND c.state = 'payee') AND u.role = 'contributor'
			ORDER BY u.id LIMIT 1`).Scan(&id, &email, &name); err != nil {
			t.Fatal(err)
		}
	}
	balances := func() string {
		var s string
		if err := a.SQL.QueryRow(ctx, `SELECT string_agg(account_id || '=' || balance, ',' ORDER BY account_id) FROM
			(SELECT account_id, sum(amount) AS balance FROM ledger_entries GROUP BY account_id) b`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := balances()
	visitor := a.Client(t)
	transparency := visitor.Get("/transparence.csv")
	if !strings.Contains(transparency.Body, name) {
		t.Fatalf("the public accounts do not name %s before", name)
	}

	me, other := a.Client(t), a.Client(t)
	me.Login(email, demo.DemoPassword)
	other.Login(email, demo.DemoPassword)
	// Their data first, as a JSON file holding their facts and no one else's address.
	r := me.Get("/espace/donnees")
	var data map[string]json.RawMessage
	if r.StatusCode != 200 || json.Unmarshal([]byte(r.Raw), &data) != nil {
		t.Fatalf("my data: %d %q", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if !strings.Contains(string(data["compte"]), email) || string(data["contributions"]) == "[]" {
		t.Errorf("my data lacks my account or contributions: %s", data["compte"])
	}
	var others int
	if err := a.SQL.QueryRow(ctx, `SELECT count(*) FROM users WHERE id <> $1 AND position(email::text IN $2) > 0`, id, r.Raw).Scan(&others); err != nil {
		t.Fatal(err)
	}
	if others != 0 {
		t.Errorf("my data holds %d other people's addresses", others)
	}

	if r := me.Post("/espace/compte/suppression", url.Values{"password": {"pas le bon"}}); r.StatusCode != 422 {
		t.Errorf("a wrong password: %d, want 422", r.StatusCode)
	}
	if got, _ := a.DB.UserByID(ctx, id); got.Email != email {
		t.Fatal("a wrong password changed the account")
	}
	if r := me.Post("/espace/compte/suppression", url.Values{"password": {demo.DemoPassword}}); r.StatusCode != 303 || r.Location() != "/" {
		t.Fatalf("delete: %d → %q", r.StatusCode, r.Location())
	}
	for who, c := range map[string]*apptest.Client{"this session": me, "the other session": other} {
		if r := c.Get("/espace"); r.StatusCode != 303 {
			t.Errorf("%s after deletion: %d, want the login page", who, r.StatusCode)
		}
	}
	if r := visitor.Post("/connexion", url.Values{"email": {email}, "password": {demo.DemoPassword}}); r.StatusCode != 422 {
		t.Errorf("login after deletion: %d, want 422", r.StatusCode)
	}
	if after := balances(); after != before {
		t.Error("the ledger's balances changed")
	}
	var total int64
	if err := a.SQL.QueryRow(ctx, `SELECT coalesce(sum(amount), 0) FROM ledger_entries`).Scan(&total); err != nil || total != 0 {
		t.Errorf("ledger total %d, %v", total, err)
	}
	transparencyAfter := visitor.Get("/transparence.csv")
	pseudonym := fabrique.DeletedName(id)
	if strings.Contains(transparencyAfter.Body, name) || strings.ReplaceAll(transparency.Body, name, pseudonym) != transparencyAfter.Body {
		t.Error("the public accounts changed beyond the name")
	}
	var notes, emails int
	if err := a.SQL.QueryRow(ctx, `SELECT (SELECT count(*) FROM notifications WHERE user_id = $1), (SELECT count(*) FROM emails WHERE user_id = $1)`, id).Scan(&notes, &emails); err != nil || notes+emails != 0 {
		t.Errorf("left: %d notifications, %d e-mails", notes, emails)
	}
	newcomer := a.Client(t)
	newcomer.SignUp("Nouvelle personne", email, "un mot de passe neuf")
}

// The last coordinator cannot delete their account.
func TestLastCoordinatorStays(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	const pass = "motdepasse-solide"
	a.CreateUser(t, "Camille Coordination", "coord@example.org", pass, fabrique.RoleCoordinator)
	c := a.Client(t)
	c.Login("coord@example.org", pass)
	if r := c.Post("/espace/compte/suppression", url.Values{"password": {pass}}); r.StatusCode != http.StatusConflict {
		t.Errorf("the last coordinator: %d, want 409", r.StatusCode)
	}
	if r := c.Get("/espace"); r.StatusCode != 200 {
		t.Errorf("still logged in: %d", r.StatusCode)
	}
}
