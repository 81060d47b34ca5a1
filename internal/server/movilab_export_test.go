package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// A commun described with wiki markup is exported to Movilab with the markup shown as
// typed: no table, rule, behaviour switch or signature reaches the wiki.
func TestMovilabExportShowsWikiMarkupAsTyped(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	k := mustCreateCommons(t, a, fabrique.CommonsForm{Name: "Piège", Kind: "logiciel",
		Summary:     "{|\n|}\n----\n__NOTOC__",
		Description: "{| class=x\n\n|-\n\n----- fin\n\n\\_\\_notoc\\_\\_ et \\~~~~ et {{Modèle}}\n\n</nowiki>[[Page]]"})
	r := a.Client(t).Get("/communs/" + k.Slug + "/movilab.txt")
	wantStatus(t, r, http.StatusOK)
	for _, line := range strings.Split(r.Body, "\n") {
		for _, bad := range []string{"{|", "|}", "|-", "----"} {
			if strings.HasPrefix(line, bad) {
				t.Errorf("line %q starts with %q:\n%s", line, bad, r.Body)
			}
		}
	}
	for _, want := range []string{"<nowiki />{| class=x", "<nowiki />|-", "<nowiki />----- fin", "<nowiki />{|<br />|}<br />----<br /><nowiki>__NOTOC__</nowiki>",
		"<nowiki>__notoc__ et ~~~~ et {{Modèle}}</nowiki>", "<nowiki>&lt;/nowiki>[[Page]]</nowiki>"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("missing %q in:\n%s", want, r.Body)
		}
	}
}
