package jobs

import (
	"context"
	"errors"
	"net/url"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/mail"
)

// AccountEmailArgs makes an account e-mail (postgres.MakeAccountEmail) and queues its
// sending: a password reset, a verification, a change of address, a sign-up warning.
type AccountEmailArgs struct {
	fabrique.AccountEmail
}

func (AccountEmailArgs) Kind() string { return "account_email" }

// AccountEmail queues e's making in tx (postgres.JobInserter).
func (q *Queue) AccountEmail(ctx context.Context, tx pgx.Tx, e fabrique.AccountEmail) error {
	_, err := q.client.InsertTx(ctx, tx, AccountEmailArgs{e}, nil)
	return err
}

type accountWorker struct {
	river.WorkerDefaults[AccountEmailArgs]
	q *Queue
}

// Work makes the e-mail once: the store keys it by the job's id, so a retry after a crash
// makes no second one.
func (w *accountWorker) Work(ctx context.Context, job *river.Job[AccountEmailArgs]) error {
	e := job.Args.AccountEmail
	_, err := w.q.db.MakeAccountEmail(ctx, job.ID, e, func(r fabrique.Recipient, token string) (fabrique.EmailDraft, error) {
		return w.q.cfg.Renderer.Account(ctx, e, r, token)
	})
	if errors.Is(err, fabrique.ErrNotFound) {
		return river.JobCancel(err)
	}
	return err
}

// Account renders the account e-mail e to r in e's language; token is its link's.
func (r Renderer) Account(ctx context.Context, e fabrique.AccountEmail, rc fabrique.Recipient, token string) (fabrique.EmailDraft, error) {
	lang := e.Lang
	if lang == "" {
		lang = rc.Lang
	}
	ctx = i18n.WithLang(ctx, i18n.Parse(lang))
	t := func(key string, args ...any) string { return i18n.T(ctx, key, args...) }
	hello := mail.P(t("Bonjour %s,", rc.Name))
	var (
		subject string
		blocks  []mail.Block
	)
	switch e.Kind {
	case fabrique.EmailKindReset:
		subject = t("Choisir un nouveau mot de passe")
		blocks = []mail.Block{hello,
			mail.P(t("Quelqu’un, sans doute vous, a demandé à changer le mot de passe de votre compte sur la Fabrique à communs.")),
			mail.Link{Label: t("Choisir un nouveau mot de passe"), URL: "/mot-de-passe/" + url.PathEscape(token)},
			mail.P(t("Ce lien est valable une heure et ne sert qu’une fois. Si vous n’avez rien demandé, ignorez ce courriel : votre mot de passe reste le même.")),
		}
	case fabrique.EmailKindVerify:
		subject = t("Confirmez votre adresse e-mail")
		blocks = []mail.Block{hello,
			mail.P(t("Bienvenue sur la Fabrique à communs des tiers-lieux. Pour confirmer que cette adresse est bien la vôtre, suivez ce lien :")),
			mail.Link{Label: t("Confirmer mon adresse"), URL: "/verification/" + url.PathEscape(token)},
			mail.P(t("Ce lien est valable 48 heures. Votre compte est utilisable dès maintenant ; si vous n’avez pas créé de compte, ignorez ce courriel.")),
		}
	case fabrique.EmailKindEmailChange:
		subject = t("Confirmez votre nouvelle adresse e-mail")
		blocks = []mail.Block{hello,
			mail.P(t("Vous avez demandé que votre compte sur la Fabrique à communs utilise désormais l’adresse %s. Elle ne changera qu’une fois ce lien suivi :", e.NewEmail)),
			mail.Link{Label: t("Confirmer ma nouvelle adresse"), URL: "/verification/" + url.PathEscape(token)},
			mail.P(t("Ce lien est valable 48 heures. Si vous n’avez rien demandé, ignorez ce courriel : rien ne change.")),
		}
	case fabrique.EmailKindEmailChanged:
		subject = t("L’adresse e-mail de votre compte a changé")
		blocks = []mail.Block{hello,
			mail.P(t("Votre compte sur la Fabrique à communs utilise désormais l’adresse %s ; cette adresse-ci ne recevra plus rien.", e.NewEmail)),
			mail.P(t("Si vous n’êtes pas à l’origine de ce changement, écrivez à la coordination de la Fabrique et choisissez un nouveau mot de passe :")),
			mail.Link{Label: t("Mot de passe oublié"), URL: "/mot-de-passe-oublie"},
		}
	case fabrique.EmailKindSignupTaken:
		subject = t("Une inscription avec votre adresse e-mail")
		blocks = []mail.Block{hello,
			mail.P(t("Quelqu’un vient d’essayer de créer un compte sur la Fabrique à communs avec votre adresse e-mail. Vous avez déjà un compte : aucun autre n’a été créé.")),
			mail.P(t("Si c’était vous et que vous avez oublié votre mot de passe, vous pouvez en choisir un nouveau :")),
			mail.Link{Label: t("Mot de passe oublié"), URL: "/mot-de-passe-oublie"},
			mail.P(t("Sinon, ignorez ce courriel : votre compte ne change pas.")),
		}
	default:
		return fabrique.EmailDraft{}, errors.New("jobs: unknown account e-mail " + e.Kind)
	}
	m, err := mail.Render(ctx, mail.Email{Subject: subject, Blocks: blocks, BaseURL: r.BaseURL})
	if err != nil {
		return fabrique.EmailDraft{}, err
	}
	return fabrique.EmailDraft{Kind: e.Kind, Subject: m.Subject, Text: m.Text, HTML: m.HTML, MessageID: r.messageID()}, nil
}
