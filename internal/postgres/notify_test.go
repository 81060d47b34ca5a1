package postgres_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	neturl "net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// Every table a page shows has the statement trigger that announces changes: a table
// added without it would leave the page cache serving old pages for a TTL.
func TestEveryTableNotifiesChanges(t *testing.T) {
	t.Parallel()
	db, _ := mustMigrator(t)
	missing := mustStrings(t, db, `
		SELECT t.tablename FROM pg_tables t
		WHERE t.schemaname = 'public'
		  AND t.tablename NOT IN ('sessions', 'login_failures', 'login_attempts', 'goose_db_version',
		      -- one person's own things, never on a cached (public) page; river's queue
		      -- would otherwise drop every page at each job
		      'notifications', 'notification_preferences', 'emails', 'account_tokens', 'reminders')
		  AND t.tablename NOT LIKE 'river\_%'
		  AND NOT EXISTS (
		      SELECT 1 FROM pg_trigger g
		      WHERE g.tgrelid = format('public.%I', t.tablename)::regclass
		        AND g.tgfoid = 'fabrique_notify_change'::regproc)
		ORDER BY 1`)
	if len(missing) > 0 {
		t.Errorf("tables without the fabrique_notify_change trigger: %v", missing)
	}
	if n := mustStrings(t, db, `SELECT count(*)::text FROM pg_trigger WHERE tgfoid = 'fabrique_notify_change'::regproc`); slices.Equal(n, []string{"0"}) {
		t.Error("no table has the trigger")
	}
}

func TestListenChanges(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := postgres.Open(ctx, pgtest.URL(t), postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var heard atomic.Int64
	listening := make(chan bool, 10) // whether listening was called with no error
	done := make(chan struct{})
	go func() {
		defer close(done)
		db.ListenChanges(ctx, postgres.Listener{Changed: func() { heard.Add(1) }, Fenced: func() {},
			Listening: func(err error) { listening <- err == nil }})
	}()
	if b := <-listening; !b {
		t.Fatal("first call of listening: false, want true")
	}
	waitHeard := func(want int64, what string) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); heard.Load() < want; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: heard %d changes, want %d", what, heard.Load(), want)
			}
		}
	}

	// A transaction of several statements on several tables: one notification.
	tx, err := postgres.Pool(db).Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`INSERT INTO users (email, display_name, password_hash) VALUES ('a@example.org', 'A', 'x'), ('b@example.org', 'B', 'x')`,
		`UPDATE users SET display_name = 'AA' WHERE email = 'a@example.org'`,
		`INSERT INTO commons (slug, name) VALUES ('un-commun', 'Un commun')`,
	} {
		if _, err := tx.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	waitHeard(1, "after a committed transaction")

	// A rolled-back transaction, and a session's row, announce nothing; the next change does.
	tx, err = postgres.Pool(db).Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM commons`); err != nil {
		t.Fatal(err)
	}
	_ = tx.Rollback(ctx)
	if _, err := postgres.Pool(db).Exec(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ('t', '\x00', now() + interval '1 hour')`); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Pool(db).Exec(ctx, `DELETE FROM commons`); err != nil {
		t.Fatal(err)
	}
	waitHeard(2, "after a delete")
	time.Sleep(50 * time.Millisecond)
	if n := heard.Load(); n != 2 {
		t.Errorf("heard %d changes, want 2: the rollback or the session was announced", n)
	}

	// The connection killed by the server: listening(false), then back to listening.
	if _, err := postgres.Pool(db).Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND starts_with(application_name, 'fabrique-listen ')`); err != nil {
		t.Fatal(err)
	}
	for _, want := range []bool{false, true} {
		select {
		case b := <-listening:
			if b != want {
				t.Fatalf("after the connection was killed: listening(%v), want %v", b, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("after the connection was killed: no listening(%v) within 10 s", want)
		}
	}
	if _, err := postgres.Pool(db).Exec(ctx, `INSERT INTO commons (slug, name) VALUES ('un-autre', 'Un autre')`); err != nil {
		t.Fatal(err)
	}
	waitHeard(3, "after reconnecting")
	cancel()
	<-done
}

// A session revoked is fenced: FenceSessions returns once every listener has forgotten
// what it keeps (its Fenced has run), however slow; a listener that never answers (a
// process stalled) is waited for only so long, and logged.
func TestFenceSessions(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url := pgtest.URL(t)
	db, err := postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logged bytes.Buffer
	db.SetLogger(slog.New(slog.NewTextHandler(&logged, nil)))

	// No listener: nothing to wait for.
	start := time.Now()
	db.FenceSessions(ctx)
	if d := time.Since(start); d > time.Second {
		t.Errorf("a fence without listeners took %v", d)
	}

	// Two listeners (two instances), each slow to forget.
	var fenced [2]atomic.Int64
	for i := range fenced {
		listening := make(chan bool, 10)
		go db.ListenChanges(ctx, postgres.Listener{Changed: func() {},
			Fenced:    func() { time.Sleep(150 * time.Millisecond); fenced[i].Add(1) },
			Listening: func(err error) { listening <- err == nil }})
		if !<-listening {
			t.Fatal("not listening")
		}
	}
	db.FenceSessions(ctx)
	for i := range fenced {
		if n := fenced[i].Load(); n != 1 {
			t.Errorf("listener %d forgot %d times before the fence returned, want 1", i, n)
		}
	}

	// A listener that never answers: waited for until the timeout, then logged.
	silent, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close(context.Background())
	if _, err := silent.Exec(ctx, `SELECT set_config('application_name', 'fabrique-listen silencieux', false)`); err != nil {
		t.Fatal(err)
	}
	postgres.SetFenceTimeout(db, 300*time.Millisecond)
	start = time.Now()
	db.FenceSessions(ctx)
	if d := time.Since(start); d < 300*time.Millisecond || d > 3*time.Second {
		t.Errorf("a fence with a silent listener returned after %v, want its timeout (300 ms)", d)
	}
	if !strings.Contains(logged.String(), "silencieux") {
		t.Errorf("the silent listener is not logged: %q", logged.String())
	}
	for i := range fenced {
		if n := fenced[i].Load(); n != 2 {
			t.Errorf("listener %d forgot %d times, want 2", i, n)
		}
	}
}

// A listener whose connection goes silent without a word — a network partition, which
// TCP's keepalive would tell in minutes — notices it within its ping's wait and says it
// no longer listens: the caches then serve nothing from memory, and no session revoked
// meanwhile (unheard) among it. A healthy connection answers its pings and keeps
// listening.
func TestListenerGivesUpASilentConnection(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	u, err := neturl.Parse(pgtest.URL(t))
	if err != nil || u.Host == "" {
		t.Skipf("a database URL with a host and port is needed: %v", err)
	}
	p := startFreezingProxy(t, u.Host)
	u.Host = p.addr
	db, err := postgres.Open(ctx, u.String(), postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	postgres.SetListenerPing(db, 200*time.Millisecond)
	listening := make(chan bool, 100)
	go db.ListenChanges(ctx, postgres.Listener{Changed: func() {}, Fenced: func() {},
		Listening: func(err error) { listening <- err == nil }})
	if !<-listening {
		t.Fatal("not listening")
	}
	select {
	case b := <-listening:
		t.Fatalf("a healthy connection, pinged: listening(%v)", b)
	case <-time.After(time.Second): // five pings answered
	}
	p.freeze()
	defer p.thaw()
	select {
	case b := <-listening:
		if b {
			t.Fatal("listening(true) after the connection went silent")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a silent connection still counted as listening after 5 s")
	}
	cancel()
	p.thaw()
	db.Close()
}

// freezingProxy forwards TCP connections to a server until frozen: then nothing goes
// through either way, and no connection is closed — what a network partition looks like.
type freezingProxy struct {
	addr   string
	gate   sync.Mutex // held while frozen
	frozen atomic.Bool
	close  func()
}

func startFreezingProxy(t *testing.T, target string) *freezingProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &freezingProxy{addr: l.Addr().String()}
	var mu sync.Mutex
	var conns []net.Conn
	p.close = func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}
	t.Cleanup(func() { p.thaw(); p.close() })
	forward := func(dst, src net.Conn) {
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				p.gate.Lock() // waits while frozen
				p.gate.Unlock()
				if _, werr := dst.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				dst.Close()
				return
			}
		}
	}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, c, s)
			mu.Unlock()
			go forward(s, c)
			go forward(c, s)
		}
	}()
	return p
}

func (p *freezingProxy) freeze() {
	if p.frozen.CompareAndSwap(false, true) {
		p.gate.Lock()
	}
}

// thaw lets data through again.
func (p *freezingProxy) thaw() {
	if p.frozen.CompareAndSwap(true, false) {
		p.gate.Unlock()
	}
}
