// Package jobs is the platform's durable job queue (river, in PostgreSQL): it delivers
// notifications — rendered into the outbox, then sent — and the daily digest. The store
// queues jobs in the transactions that write notifications (postgres.JobInserter), so a
// change rolled back queues nothing, and a job outlives a crash of the app.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/mail"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// DeliverNotificationArgs renders notification NotificationID into the outbox and queues
// its sending.
type DeliverNotificationArgs struct {
	NotificationID int64 `json:"notification_id"`
}

func (DeliverNotificationArgs) Kind() string { return "deliver_notification" }

// SendEmailArgs sends the outbox's e-mail EmailID.
type SendEmailArgs struct {
	EmailID int64 `json:"email_id"`
}

func (SendEmailArgs) Kind() string { return "send_email" }

// DigestArgs writes the daily digests.
type DigestArgs struct{}

func (DigestArgs) Kind() string { return "daily_digest" }

// RemindersArgs writes the reminders due (postgres.SendReminders).
type RemindersArgs struct{}

func (RemindersArgs) Kind() string { return "reminders" }

// Config configures the queue.
type Config struct {
	// Sender sends e-mails; nil (no SMTP_URL) keeps them in the outbox, state kept.
	Sender   mail.Sender
	Renderer Renderer
	Logger   *slog.Logger
	// DigestAt is the daily digest's schedule; nil for DailyAt(7, Europe/Paris).
	DigestAt river.PeriodicSchedule
	// RemindAt is the reminders' schedule; nil for DailyAt(8, Europe/Paris), after the
	// digest, so that a reminder in the digest waits a day rather than a minute.
	RemindAt river.PeriodicSchedule
	// RetryPolicy overrides river's backoff (tests); RescueStuckJobsAfter, when set, is
	// how long a running job may go silent before it is run again (a worker that died).
	RetryPolicy          river.ClientRetryPolicy
	RescueStuckJobsAfter time.Duration
	FetchPollInterval    time.Duration
	Workers              int // jobs run at once; 0 for 2
}

// Queue is the river client and the workers.
type Queue struct {
	client *river.Client[pgx.Tx]
	db     *postgres.DB // the workers' store: a side pool, river's too (postgres.DB.Side)
	cfg    Config
}

// unique keeps one live job per notification or e-mail: a resend while a retry is
// still scheduled, or a job queued twice, adds nothing.
var unique = &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled,
}}}

// New builds the queue on db's pool and gives the store its JobInserter. Nothing runs
// until Start.
func New(db *postgres.DB, cfg Config) (*Queue, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	if cfg.DigestAt == nil {
		cfg.DigestAt = DailyAt(7, paris)
	}
	if cfg.RemindAt == nil {
		cfg.RemindAt = DailyAt(8, paris)
	}
	// Jobs are inserted in the store's transactions; river's own queries and the
	// workers' run on a pool of their own, which the queries counted for a page never see.
	side, err := db.Side(int32(cfg.Workers) + 3)
	if err != nil {
		return nil, err
	}
	q := &Queue{db: side, cfg: cfg}
	workers := river.NewWorkers()
	river.AddWorker(workers, &deliverWorker{q: q})
	river.AddWorker(workers, &sendWorker{q: q})
	river.AddWorker(workers, &digestWorker{q: q})
	river.AddWorker(workers, &accountWorker{q: q})
	river.AddWorker(workers, &remindersWorker{q: q})
	rc := &river.Config{
		Logger:               cfg.Logger,
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:              workers,
		RetryPolicy:          cfg.RetryPolicy,
		RescueStuckJobsAfter: cfg.RescueStuckJobsAfter,
		FetchPollInterval:    cfg.FetchPollInterval,
		MaxAttempts:          10,
		PeriodicJobs: []*river.PeriodicJob{river.NewPeriodicJob(cfg.DigestAt,
			func() (river.JobArgs, *river.InsertOpts) { return DigestArgs{}, nil },
			&river.PeriodicJobOpts{ID: "daily_digest"}),
			river.NewPeriodicJob(cfg.RemindAt,
				func() (river.JobArgs, *river.InsertOpts) { return RemindersArgs{}, nil },
				&river.PeriodicJobOpts{ID: "reminders"})},
	}
	client, err := river.NewClient(riverpgxv5.New(side.Pool()), rc)
	if err != nil {
		side.Close()
		return nil, fmt.Errorf("jobs: river client: %w", err)
	}
	q.client = client
	db.SetJobInserter(q)
	side.SetJobInserter(q)
	return q, nil
}

// Start runs the workers until Stop.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop lets running jobs finish (until ctx is done, then cancels them) and stops.
func (q *Queue) Stop(ctx context.Context) error {
	if err := q.client.Stop(ctx); err != nil {
		return q.client.StopAndCancel(context.WithoutCancel(ctx))
	}
	return nil
}

// Close releases the queue's pool, after Stop.
func (q *Queue) Close() { q.db.Close() }

// StopAndCancel stops at once, cancelling running jobs: a crash, as tests see it.
func (q *Queue) StopAndCancel(ctx context.Context) error { return q.client.StopAndCancel(ctx) }

// Client is river's client, for tests that watch jobs.
func (q *Queue) Client() *river.Client[pgx.Tx] { return q.client }

// DeliverNotification queues notification id's delivery in tx (postgres.JobInserter).
func (q *Queue) DeliverNotification(ctx context.Context, tx pgx.Tx, id int64) error {
	_, err := q.client.InsertTx(ctx, tx, DeliverNotificationArgs{NotificationID: id}, unique)
	return err
}

// SendEmail queues e-mail id's sending in tx (postgres.JobInserter).
func (q *Queue) SendEmail(ctx context.Context, tx pgx.Tx, id int64) error {
	_, err := q.client.InsertTx(ctx, tx, SendEmailArgs{EmailID: id}, unique)
	return err
}

type deliverWorker struct {
	river.WorkerDefaults[DeliverNotificationArgs]
	q *Queue
}

// Work renders the e-mail into the outbox; the store makes it idempotent, so a retried
// job whose notification has its e-mail makes no other.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverNotificationArgs]) error {
	_, _, err := w.q.db.EmailNotification(ctx, job.Args.NotificationID,
		func(n fabrique.Notification, r fabrique.Recipient) (fabrique.EmailDraft, error) {
			return w.q.cfg.Renderer.Notification(n, r)
		})
	if errors.Is(err, fabrique.ErrNotFound) {
		return river.JobCancel(err) // the person was deleted, and their notifications with them
	}
	return err
}

type sendWorker struct {
	river.WorkerDefaults[SendEmailArgs]
	q *Queue
}

// Work sends the e-mail once: a sent one is left alone; without a Sender it is kept; a
// failure is recorded with the server's answer and returned, so river retries it.
func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendEmailArgs]) error {
	db := w.q.db
	e, err := db.Email(ctx, job.Args.EmailID)
	if errors.Is(err, fabrique.ErrNotFound) {
		return river.JobCancel(err)
	} else if err != nil {
		return err
	}
	if e.State == fabrique.EmailSent {
		return nil
	}
	if w.q.cfg.Sender == nil {
		return db.MarkEmailKept(ctx, e.ID)
	}
	m := mail.Message{To: e.To, Subject: e.Subject, Text: e.Text, HTML: e.HTML, MessageID: e.MessageID, Date: e.CreatedAt}
	if e.Unsubscribe != "" {
		m.Unsubscribe = w.q.cfg.Renderer.UnsubscribeURL(e.Unsubscribe)
	}
	if err := w.q.cfg.Sender.Send(ctx, m); err != nil {
		// Recorded even when the job is being cancelled: the outbox says what happened.
		if merr := db.MarkEmailFailed(context.WithoutCancel(ctx), e.ID, err.Error()); merr != nil {
			return errors.Join(err, merr)
		}
		return fmt.Errorf("jobs: send e-mail %d: %w", e.ID, err)
	}
	return db.MarkEmailSent(context.WithoutCancel(ctx), e.ID)
}

type digestWorker struct {
	river.WorkerDefaults[DigestArgs]
	q *Queue
}

// Work writes one digest per person with digest notifications not yet e-mailed.
func (w *digestWorker) Work(ctx context.Context, _ *river.Job[DigestArgs]) error {
	_, err := w.q.db.EmailDigests(ctx, func(r fabrique.Recipient, ns []fabrique.Notification) (fabrique.EmailDraft, error) {
		return w.q.cfg.Renderer.Digest(r, ns)
	})
	return err
}

// RunDigest writes the digests now (the periodic job's work), for tests and tools.
func (q *Queue) RunDigest(ctx context.Context) error {
	return (&digestWorker{q: q}).Work(ctx, nil)
}

type remindersWorker struct {
	river.WorkerDefaults[RemindersArgs]
	q *Queue
}

// Work writes the reminders due now; the store records each, so a rerun sends none twice.
func (w *remindersWorker) Work(ctx context.Context, _ *river.Job[RemindersArgs]) error {
	_, err := w.q.db.SendReminders(ctx, time.Now())
	return err
}

// RunReminders writes the reminders due at now (the periodic job's work at another
// time), for tests and tools; it returns how many.
func (q *Queue) RunReminders(ctx context.Context, now time.Time) (int, error) {
	return q.db.SendReminders(ctx, now)
}

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// dailyAt is a river schedule: every day at hour:00 in loc.
type dailyAt struct {
	hour int
	loc  *time.Location
}

// DailyAt runs a periodic job every day at hour o'clock in loc.
func DailyAt(hour int, loc *time.Location) river.PeriodicSchedule { return dailyAt{hour, loc} }

func (d dailyAt) Next(now time.Time) time.Time {
	t := now.In(d.loc)
	next := time.Date(t.Year(), t.Month(), t.Day(), d.hour, 0, 0, 0, d.loc)
	if !next.After(t) {
		next = time.Date(t.Year(), t.Month(), t.Day()+1, d.hour, 0, 0, 0, d.loc)
	}
	return next
}
