package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
)

// The outbox: coordinators only; without SMTP an e-mail is kept and read there, its text
// part as written and its HTML part in a sandboxed frame, never as the page's own markup;
// a failed one can be sent again, any other not.
func TestOutbox(t *testing.T) {
	t.Parallel()
	s := newTeamSetup(t, apptest.WithWorkers()) // the e-mail is rendered and kept by jobs
	s.join(t, s.bobC, "Je soude.")
	var id int64
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		err := s.a.SQL.QueryRow(context.Background(), `SELECT id FROM emails WHERE state = 'kept'`).Scan(&id)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no e-mail kept after 20 s: %v", err)
		}
	}
	detail := fmt.Sprintf("/coordination/courriels/%d", id)
	resend := detail + "/renvoyer"

	for _, c := range []struct {
		name   string
		status int
		get    func() int
	}{
		{"the porteuse reads the outbox", http.StatusForbidden, func() int { return s.leadC.Get("/coordination/courriels").StatusCode }},
		{"the porteuse reads her e-mail there", http.StatusForbidden, func() int { return s.leadC.Get(detail).StatusCode }},
		{"a contributor resends", http.StatusForbidden, func() int { return s.bobC.Post(resend, nil).StatusCode }},
		{"a visitor reads an e-mail", http.StatusSeeOther, func() int { return s.anC.Get(detail).StatusCode }},
		{"an unknown e-mail", http.StatusNotFound, func() int { return s.coordC.Get("/coordination/courriels/999999").StatusCode }},
	} {
		if got := c.get(); got != c.status {
			t.Errorf("%s: got %d, want %d", c.name, got, c.status)
		}
	}

	list := s.coordC.Get("/coordination/courriels")
	wantStatus(t, list, http.StatusOK)
	row := list.Doc.Find(fmt.Sprintf(`[data-testid=outbox-email][data-id="%d"]`, id))
	if row.Length() != 1 || !strings.Contains(row.Text(), "alice@example.org") ||
		!strings.Contains(row.Text(), "Demande pour rejoindre « Réseau des fablabs »") ||
		strings.TrimSpace(row.Find("[data-testid=email-state]").Text()) != "Conservé" {
		t.Fatalf("the outbox's row: %q", row.Text())
	}

	page := s.coordC.Get(detail)
	wantStatus(t, page, http.StatusOK)
	if got := text(page, "[data-testid=email-text]"); !strings.Contains(got, "Bob Durand demande à rejoindre l’équipe de « Réseau des fablabs »") {
		t.Errorf("the text part: %q", got)
	}
	frame := page.Doc.Find("iframe[data-testid=email-html]")
	srcdoc, _ := frame.Attr("srcdoc")
	if sandbox, ok := frame.Attr("sandbox"); !ok || sandbox != "" || !strings.Contains(srcdoc, `<a href="`) {
		t.Errorf("the HTML part: sandbox %q (%v), srcdoc %q", sandbox, ok, srcdoc)
	}
	if n := page.Doc.Find(`main a[href*="/desabonnement/"]`).Length(); n != 0 {
		t.Errorf("the e-mail's HTML became the page's own markup (%d links)", n)
	}
	if page.Doc.Find("[data-testid=email-resend]").Length() != 0 {
		t.Error("a kept e-mail offers « Renvoyer »")
	}
	if r := s.coordC.Post(resend, nil); r.StatusCode != http.StatusConflict {
		t.Errorf("resending a kept e-mail: got %d, want 409", r.StatusCode)
	}

	// It failed: the outbox says how, and « Renvoyer » queues it again — once river has
	// noted its job done (a job still live for the e-mail would take the resend itself).
	for deadline := time.Now().Add(20 * time.Second); countRows(t, s.a, `SELECT count(*) FROM river_job WHERE kind = 'send_email' AND state <> 'completed'`) != 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the sending job is not done after 20 s")
		}
	}
	if _, err := s.a.SQL.Exec(context.Background(),
		`UPDATE emails SET state = 'failed', attempts = 3, last_error = '550 5.1.1 No such user' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	list = s.coordC.Get("/coordination/courriels")
	if got := text(list, "[data-testid=email-error]"); got != "550 5.1.1 No such user" {
		t.Errorf("the failure's answer in the outbox: %q", got)
	}
	if got := text(list, "[data-testid=email-state]"); got != "Échec" {
		t.Errorf("the failed state: %q", got)
	}
	page = s.coordC.Get(detail)
	if page.Doc.Find(fmt.Sprintf(`form[data-testid=email-resend][action="%s"] button`, resend)).Length() != 1 {
		t.Fatal("a failed e-mail offers no « Renvoyer »")
	}
	wantRedirect(t, s.coordC.Post(resend, nil), detail)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if countRows(t, s.a, `SELECT count(*) FROM emails WHERE id = $1 AND state = 'kept'`, id) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the resent e-mail was not taken up by the queue")
		}
	}
	if n := countRows(t, s.a, `SELECT count(*) FROM emails`); n != 1 {
		t.Errorf("%d e-mails after the resend, want 1", n)
	}
}
