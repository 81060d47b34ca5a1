package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	fmail "github.com/fabrique-a-communs/fabrique/internal/mail"
	"github.com/fabrique-a-communs/fabrique/internal/mailtest"
)

func email() fmail.Email {
	return fmail.Email{
		Subject: "Une demande pour rejoindre « Réemploi <b>&</b> »",
		Blocks: []fmail.Block{
			fmail.P("Bonjour Alice,"),
			fmail.P("Bob demande à rejoindre votre défi : Réemploi <script>alert(1)</script>"),
			fmail.Quote("Je sais souder.\nEt coudre."),
			fmail.Link{Label: "Voir la demande", URL: "/defis/12/equipe"},
			fmail.List{{Text: "Une contribution à valider", URL: "/espace/contributions/3"}, {Text: "Sans lien"}},
		},
		BaseURL:     "https://fabrique.example/",
		Unsubscribe: "https://fabrique.example/desabonnement/tok",
	}
}

// TestRenderSendsBothParts: an Email rendered and sent arrives with the same content in
// both parts, every link absolute and working from BASE_URL, people's text escaped,
// French typography in the HTML, and the footer with the preferences and unsubscribe.
func TestRenderSendsBothParts(t *testing.T) {
	t.Parallel()
	ctx := i18n.WithLang(context.Background(), i18n.French)
	msg, err := fmail.Render(ctx, email())
	if err != nil {
		t.Fatal(err)
	}
	msg.To, msg.MessageID, msg.Date = "alice@example.org", fmail.MessageID("fabrique.example"), time.Now()
	srv := mailtest.Start(t)
	if err := newSender(t, srv.URL()).Send(ctx, msg); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitFor(t, 1, 5*time.Second)[0]
	if got.Subject != email().Subject || got.Header.Get("List-Unsubscribe") != "<https://fabrique.example/desabonnement/tok>" {
		t.Errorf("subject %q, List-Unsubscribe %q", got.Subject, got.Header.Get("List-Unsubscribe"))
	}

	wantText := "Bonjour Alice,\n\n" +
		"Bob demande à rejoindre votre défi : Réemploi <script>alert(1)</script>\n\n" +
		"> Je sais souder.\n> Et coudre.\n\n" +
		"Voir la demande\u00a0: https://fabrique.example/defis/12/equipe\n\n" +
		"- Une contribution à valider\u00a0: https://fabrique.example/espace/contributions/3\n- Sans lien\n\n" +
		"-- \nLa Fabrique à communs des tiers-lieux\n" +
		"Vous recevez ce courriel parce que vous avez un compte sur la Fabrique à communs.\n" +
		"Choisir ce que vous recevez\u00a0: https://fabrique.example/espace/notifications/preferences\n" +
		"Ne plus recevoir ces courriels\u00a0: https://fabrique.example/desabonnement/tok\n"
	if got.Text != wantText {
		t.Errorf("text part:\n%q\nwant\n%q", got.Text, wantText)
	}

	doc, err := goquery.NewDocumentFromReader(strings.NewReader(got.HTML))
	if err != nil {
		t.Fatal(err)
	}
	if lang, _ := doc.Find("html").Attr("lang"); lang != "fr" {
		t.Errorf("lang = %q", lang)
	}
	if strings.ReplaceAll(doc.Find("title").Text(), "\u00a0", " ") != email().Subject {
		t.Errorf("title = %q", doc.Find("title").Text())
	}
	if doc.Find("script, img, link").Length() != 0 {
		t.Error("the HTML part has a script, an image or a linked resource")
	}
	if !strings.Contains(got.HTML, "Réemploi &lt;script&gt;") {
		t.Error("a person's text is not escaped")
	}
	if !strings.Contains(doc.Text(), "votre défi\u00a0: Réemploi") {
		t.Error("no French typography in the HTML part")
	}
	if q := doc.Find("blockquote").Text(); q != "Je sais souder.\nEt coudre." {
		t.Errorf("quote = %q", q)
	}
	want := []string{
		"https://fabrique.example/defis/12/equipe",
		"https://fabrique.example/espace/contributions/3",
		"https://fabrique.example/espace/notifications/preferences",
		"https://fabrique.example/desabonnement/tok",
	}
	if links := got.Links(); strings.Join(links, " ") != strings.Join(want, " ") {
		t.Errorf("links = %q, want %q", links, want)
	}
	if a := doc.Find(`a[href$="/defis/12/equipe"]`).Text(); a != "Voir la demande" {
		t.Errorf("action link text = %q", a)
	}
	if !strings.Contains(doc.Text(), "Vous recevez ce courriel parce que vous avez un compte") {
		t.Error("no reason in the footer")
	}
}

// TestRenderAccountMailEnglish: an account e-mail (no Unsubscribe) has no unsubscribe
// link; in English the footer is English and the links read "Label: URL"; a notification
// says which kind it is about.
func TestRenderAccountMailEnglish(t *testing.T) {
	t.Parallel()
	ctx := i18n.WithLang(context.Background(), i18n.English)
	e := email()
	e.Unsubscribe = ""
	e.Reason = fmail.ReasonKind(ctx, "A request to join your challenge")
	msg, err := fmail.Render(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	if msg.Unsubscribe != "" || strings.Contains(msg.HTML, "desabonnement") || strings.Contains(msg.Text, "desabonnement") {
		t.Error("an account e-mail offers to unsubscribe")
	}
	for _, want := range []string{
		"You are receiving this e-mail because you chose to be told by e-mail of: A request to join your challenge.",
		"Choose what you receive: https://fabrique.example/espace/notifications/preferences\n",
	} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, msg.Text)
		}
	}
	if !strings.Contains(msg.HTML, `<html lang="en">`) || !strings.Contains(msg.HTML, "Choose what you receive</a>") {
		t.Errorf("HTML part not in English:\n%s", msg.HTML)
	}
}
