package server

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/typo"
	"github.com/fabrique-a-communs/fabrique/web/components"
)

// A kept layout is, byte for byte, the layout rendered and typeset for the request —
// whoever asks after whom, whatever their name holds that escaping or typesetting
// changes — and never carries one person's name to another.
func TestLayoutKeptIsTheLayoutRendered(t *testing.T) {
	t.Parallel()
	c := newLayoutCache()
	names := []string{"Léa Martin", "O'Neil & fils", "Anne « Nanou » Roy", "Zoé ?", "Jean : le retour", "<b>Bob</b>",
		"Chloé !", "Marc-André d’Arc", "Ève ;", "M. Dupont . ", "Zqxjnomdelapersonneqxjz", "Ada \"Lovelace\""}
	var users []*fabrique.User
	for i, n := range names {
		role := fabrique.RoleContributor
		if i%3 == 0 {
			role = fabrique.RoleCoordinator
		}
		users = append(users, &fabrique.User{ID: int64(i + 1), DisplayName: n, Role: role, Unread: i % 2})
	}
	users = append(users, nil) // a visitor
	for _, lang := range []i18n.Lang{i18n.French, i18n.English} {
		ctx := i18n.WithLang(context.Background(), lang)
		// The last two hold the mark standing for the name: rendered for each request.
		for _, path := range []string{"/defis/cantine-partagee", "/defis?q=outil&page=2", "/", "/defis?q=" + layoutNameMark, "/defis?q=Zqxj%6Eomdelapersonneqxjz"} {
			for round := range 2 { // the first builds what the second reads
				for _, u := range users {
					p := components.Page{Title: "Cantine : l’atelier !", User: u, Path: path, Lang: lang}
					var html bytes.Buffer
					got, err := c.appendLayout(ctx, []byte("avant|"), &html, p, string(lang))
					if err != nil {
						t.Fatal(err)
					}
					html.Reset()
					if err := components.Layout(p).Render(templ.WithChildren(ctx, templ.Raw(bodySlot)), &html); err != nil {
						t.Fatal(err)
					}
					want := typo.Append([]byte("avant|"), html.Bytes(), string(lang))
					if !bytes.Equal(got, want) {
						t.Fatalf("%s, %s, %s, round %d: the kept layout differs from the one rendered:\n%s\nwant\n%s", lang, path, nameOf(u), round, got, want)
					}
					for _, other := range users {
						if other != nil && other != u && !strings.Contains(nameOf(u), other.DisplayName) && !strings.Contains(path, other.DisplayName) &&
							bytes.Contains(got, []byte(templ.EscapeString(other.DisplayName))) {
							t.Errorf("%s's layout carries %s's name", nameOf(u), other.DisplayName)
						}
					}
				}
			}
		}
	}
}

func nameOf(u *fabrique.User) string {
	if u == nil {
		return "a visitor"
	}
	return u.DisplayName
}
