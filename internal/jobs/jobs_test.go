package jobs_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/jobs"
	"github.com/fabrique-a-communs/fabrique/internal/mail"
)

// fakeSender records what it sends; fail, when set, answers each Send before it is
// recorded (an error refuses the message).
type fakeSender struct {
	mu   sync.Mutex
	sent []mail.Message
	fail func(ctx context.Context, m mail.Message) error
}

func (s *fakeSender) Send(ctx context.Context, m mail.Message) error {
	if s.fail != nil {
		if err := s.fail(ctx, m); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, m)
	return nil
}

func (s *fakeSender) messages() []mail.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]mail.Message(nil), s.sent...)
}

// retryAtOnce retries a failed job without river's backoff.
type retryAtOnce struct{}

func (retryAtOnce) NextRetry(*rivertype.JobRow) time.Time { return time.Now() }

func fast(c *jobs.Config) {
	c.RetryPolicy = retryAtOnce{}
	c.FetchPollInterval = 100 * time.Millisecond
}

// eventually waits up to 20 s for cond.
func eventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			tb.Fatalf("after 20 s: %s", what)
		}
	}
}

func count(tb testing.TB, a *apptest.App, sql string, args ...any) int {
	tb.Helper()
	var n int
	if err := a.SQL.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
	return n
}

type setup struct {
	a          *apptest.App
	lead, bob  *fabrique.User
	challenge  *fabrique.Challenge
	sender     *fakeSender
	emailState func(id int64) (state string, attempts int, lastError string)
}

func start(t *testing.T, sender mail.Sender, opts ...apptest.Option) *setup {
	t.Helper()
	a := apptest.Start(t, append([]apptest.Option{apptest.WithMail(sender), apptest.WithJobs(fast)}, opts...)...)
	s := &setup{a: a}
	s.lead = a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	s.bob = a.CreateUser(t, "Bob Durand", "bob@example.org", "motdepasse-solide", fabrique.RoleContributor)
	c, err := a.DB.CreateChallenge(context.Background(), fabrique.NewChallenge{
		Title: "Four solaire", Summary: "Un four.", Problem: "Cuire sans gaz."}, s.lead.ID)
	if err != nil {
		t.Fatal(err)
	}
	s.challenge = c
	s.emailState = func(id int64) (state string, attempts int, lastError string) {
		if err := a.SQL.QueryRow(context.Background(), `SELECT state, attempts, last_error FROM emails WHERE id = $1`, id).
			Scan(&state, &attempts, &lastError); err != nil {
			t.Fatal(err)
		}
		return
	}
	return s
}

// A join request e-mails the porteuse at once, through the queue: one e-mail in the
// outbox, sent once, carrying the facts, the link, a Message-ID of our domain and the
// one-click unsubscribe; a new message on the waiting request tells her nothing more.
func TestJoinRequestEmailsThePorteuse(t *testing.T) {
	t.Parallel()
	sender := &fakeSender{}
	s := start(t, sender)
	ctx := context.Background()
	if err := s.a.DB.RequestToJoin(ctx, s.challenge.ID, s.bob.ID, "Je soude."); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the porteuse's e-mail is sent", func() bool { return len(sender.messages()) == 1 })
	m := sender.messages()[0]
	var emailID int64
	var token, messageID string
	if err := s.a.SQL.QueryRow(ctx,
		`SELECT e.id, e.unsubscribe_token, e.message_id FROM notifications n JOIN emails e ON e.id = n.email_id
		  WHERE n.user_id = $1 AND n.kind = 'join_request'`, s.lead.ID).Scan(&emailID, &token, &messageID); err != nil {
		t.Fatal(err)
	}
	base := s.a.URL()
	link := base + "/defis/" + s.challenge.Slug + "#equipe"
	switch {
	case m.To != "alice@example.org":
		t.Errorf("To %q", m.To)
	case m.Subject != "Demande pour rejoindre « Four solaire »":
		t.Errorf("Subject %q", m.Subject)
	case !strings.Contains(m.Text, "Bob Durand demande à rejoindre l’équipe de « Four solaire »") || !strings.Contains(m.Text, link):
		t.Errorf("Text lacks the sentence or the link %s:\n%s", link, m.Text)
	case !strings.Contains(m.HTML, `href="`+link+`"`) || !strings.Contains(m.HTML, "Bob Durand"):
		t.Errorf("HTML lacks the link or the name:\n%s", m.HTML)
	case m.MessageID != messageID || !strings.HasSuffix(m.MessageID, "@127.0.0.1>"):
		t.Errorf("MessageID %q, outbox %q", m.MessageID, messageID)
	case token == "" || m.Unsubscribe != base+"/desabonnement/"+token || !strings.Contains(m.Text, m.Unsubscribe):
		t.Errorf("Unsubscribe %q, token %q", m.Unsubscribe, token)
	}
	eventually(t, "the e-mail marked sent", func() bool { st, _, _ := s.emailState(emailID); return st == "sent" })
	if _, attempts, _ := s.emailState(emailID); attempts != 1 {
		t.Errorf("attempts %d, want 1", attempts)
	}

	// Asking again while waiting only changes the message: no second notification.
	if err := s.a.DB.RequestToJoin(ctx, s.challenge.ID, s.bob.ID, "Je soude et je peins."); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s.a, `SELECT count(*) FROM notifications WHERE user_id = $1`, s.lead.ID); n != 1 {
		t.Errorf("%d notifications after a new message, want 1", n)
	}
	// Her decision tells Bob.
	if err := s.a.DB.DecideJoinRequest(ctx, s.challenge.ID, s.lead, s.bob.ID, true); err != nil {
		t.Fatal(err)
	}
	eventually(t, "Bob's answer is sent", func() bool { return len(sender.messages()) == 2 })
	if m := sender.messages()[1]; m.To != "bob@example.org" || !strings.Contains(m.Text, "est acceptée") {
		t.Errorf("Bob's e-mail to %s:\n%s", m.To, m.Text)
	}
}

// Without an SMTP server the e-mail stays in the outbox, kept, and nothing is lost.
func TestNoSenderKeepsTheEmail(t *testing.T) {
	t.Parallel()
	s := start(t, nil)
	if err := s.a.DB.RequestToJoin(context.Background(), s.challenge.ID, s.bob.ID, ""); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the e-mail is kept", func() bool {
		return count(t, s.a, `SELECT count(*) FROM emails WHERE state = 'kept' AND attempts = 0 AND to_address = 'alice@example.org'`) == 1
	})
}

// A refused attempt records the server's answer and is retried: one e-mail, sent on the
// second attempt.
func TestFailedSendIsRetried(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	tries := 0
	release := make(chan struct{})
	sender := &fakeSender{fail: func(context.Context, mail.Message) error {
		mu.Lock()
		tries++
		first := tries == 1
		mu.Unlock()
		if first {
			return errors.New("451 4.3.0 Mailbox busy, try later")
		}
		<-release // the test reads the failure before the retry succeeds
		return nil
	}}
	s := start(t, sender)
	if err := s.a.DB.RequestToJoin(context.Background(), s.challenge.ID, s.bob.ID, ""); err != nil {
		t.Fatal(err)
	}
	var emailID int64
	eventually(t, "the first attempt fails", func() bool {
		return s.a.SQL.QueryRow(context.Background(), `SELECT id FROM emails WHERE state = 'failed'`).Scan(&emailID) == nil
	})
	if _, attempts, lastError := s.emailState(emailID); attempts != 1 || !strings.Contains(lastError, "451 4.3.0 Mailbox busy") {
		t.Errorf("after the failure: attempts %d, last error %q", attempts, lastError)
	}
	close(release)
	eventually(t, "the retry sends it", func() bool { st, _, _ := s.emailState(emailID); return st == "sent" })
	if _, attempts, _ := s.emailState(emailID); attempts != 2 || len(sender.messages()) != 1 ||
		count(t, s.a, `SELECT count(*) FROM emails`) != 1 {
		t.Errorf("attempts %d, %d messages, %d e-mails; want 2, 1, 1", attempts, len(sender.messages()), count(t, s.a, `SELECT count(*) FROM emails`))
	}
}

// The worker dies between queueing and sending: the send is cut off mid-job, the queue
// stops, and a new one (the app restarted) sends the e-mail — exactly one e-mail, sent
// once, and rendering the notification again makes no other.
func TestCrashBetweenQueueingAndSending(t *testing.T) {
	t.Parallel()
	started := make(chan struct{}, 1)
	hanging := &fakeSender{fail: func(ctx context.Context, _ mail.Message) error {
		select {
		case started <- struct{}{}:
		default:
		}
		<-ctx.Done() // the SMTP server never answers; the worker is killed meanwhile
		return ctx.Err()
	}}
	s := start(t, hanging)
	ctx := context.Background()
	if err := s.a.DB.RequestToJoin(ctx, s.challenge.ID, s.bob.ID, ""); err != nil {
		t.Fatal(err)
	}
	select {
	case <-started:
	case <-time.After(20 * time.Second):
		t.Fatal("the send never started")
	}
	stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.a.Jobs.StopAndCancel(stopCtx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s.a, `SELECT count(*) FROM emails WHERE state <> 'sent'`); n != 1 || len(hanging.messages()) != 0 {
		t.Fatalf("after the crash: %d unsent e-mails, %d sent; want 1 and 0", n, len(hanging.messages()))
	}

	sender := &fakeSender{}
	restarted, err := jobs.New(s.a.DB, jobs.Config{Sender: sender, Renderer: jobs.Renderer{BaseURL: s.a.URL()},
		RetryPolicy: retryAtOnce{}, FetchPollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := restarted.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = restarted.Stop(context.Background()); restarted.Close() })
	eventually(t, "the restarted queue sends it", func() bool { return len(sender.messages()) == 1 })

	var notificationID, emailID int64
	if err := s.a.SQL.QueryRow(ctx, `SELECT id, email_id FROM notifications WHERE user_id = $1`, s.lead.ID).
		Scan(&notificationID, &emailID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the e-mail marked sent", func() bool { st, _, _ := s.emailState(emailID); return st == "sent" })
	// The delivery job run again (a crash after rendering, before river noted it done).
	again, created, err := s.a.DB.EmailNotification(ctx, notificationID, func(fabrique.Notification, fabrique.Recipient) (fabrique.EmailDraft, error) {
		t.Error("a notification with its e-mail is rendered again")
		return fabrique.EmailDraft{}, nil
	})
	if err != nil || created || again != emailID {
		t.Errorf("EmailNotification again: %d, created %v, %v; want %d, false", again, created, err, emailID)
	}
	time.Sleep(300 * time.Millisecond) // time for a stray job to send twice
	if n := count(t, s.a, `SELECT count(*) FROM emails`); n != 1 || len(sender.messages()) != 1 {
		t.Errorf("%d e-mails, %d sent after the restart; want exactly 1", n, len(sender.messages()))
	}
}

// The digest gathers a person's « résumé » notifications in one e-mail, and a day with
// none sends nothing.
func TestDigestOneEmailForThreeItems(t *testing.T) {
	t.Parallel()
	sender := &fakeSender{}
	s := start(t, sender)
	ctx := context.Background()
	if _, err := s.a.SQL.Exec(ctx, `INSERT INTO notification_preferences (user_id, kind, delivery) VALUES ($1, 'join_request', 'resume')`, s.lead.ID); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Bob", "Chloé", "Driss"} {
		u := s.bob
		if name != "Bob" {
			u = s.a.CreateUser(t, name, strings.ToLower(name)+"@example.org", "motdepasse-solide", fabrique.RoleContributor)
		}
		if err := s.a.DB.RequestToJoin(ctx, s.challenge.ID, u.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, s.a, `SELECT count(*) FROM emails`); n != 0 {
		t.Fatalf("%d e-mails before the digest, want 0", n)
	}
	if err := s.a.Jobs.RunDigest(ctx); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the digest is sent", func() bool { return len(sender.messages()) == 1 })
	m := sender.messages()[0]
	for _, who := range []string{"Bob Durand demande", "Chloé demande", "Driss demande"} {
		if !strings.Contains(m.Text, who) || !strings.Contains(m.HTML, who) {
			t.Errorf("the digest lacks %q:\n%s", who, m.Text)
		}
	}
	if m.Subject != "Votre résumé quotidien sur la Fabrique" || m.Unsubscribe == "" {
		t.Errorf("digest subject %q, unsubscribe %q", m.Subject, m.Unsubscribe)
	}
	if n := count(t, s.a, `SELECT count(*) FROM notifications WHERE email_id IS NULL`); n != 0 {
		t.Errorf("%d notifications left out of the digest", n)
	}
	if err := s.a.Jobs.RunDigest(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s.a, `SELECT count(*) FROM emails`); n != 1 {
		t.Errorf("a second digest with nothing new made %d e-mails in all, want 1", n)
	}
}

// The digest runs every day at 7:00 in Paris.
func TestDailyAt(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	sched := jobs.DailyAt(7, paris)
	for _, tt := range []struct{ now, want string }{
		{"2026-12-04T06:59:00+01:00", "2026-12-04T07:00:00+01:00"},
		{"2026-12-04T07:00:00+01:00", "2026-12-05T07:00:00+01:00"},
		{"2026-03-28T23:00:00+01:00", "2026-03-29T07:00:00+02:00"}, // over the change to summer time
	} {
		now, _ := time.Parse(time.RFC3339, tt.now)
		want, _ := time.Parse(time.RFC3339, tt.want)
		if got := sched.Next(now); !got.Equal(want) {
			t.Errorf("Next(%s) = %s, want %s", tt.now, got, tt.want)
		}
	}
}
