package server

import (
	"bytes"
	"context"
	"net/http"
	"strconv"

	"github.com/a-h/templ"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/typo"
	"github.com/fabrique-a-communs/fabrique/web/components"
)

// A person's own page — their space, /espace — shows nothing that is anyone else's, and
// nothing anyone else may see: its content cannot be shared as renderShared shares a
// défi's. Built for each request it read eleven statements (about a millisecond of
// PostgreSQL) and rendered 23 kB, 4 % of the bytes' ceiling where every shared page stood
// above 25 % (issue 16). So its content is kept for that person alone, in a cache of its
// own (s.own), under their account: only their session, which only they hold, names the
// key, and no other person can ask for it. It follows the data cache's rules: out of date
// at any change of the data, written here or heard from PostgreSQL (a write is read back
// at once by its writer on this instance, and by anyone on another as soon as it hears
// it), and fresh for the TTL for what changes with time alone (a rendez-vous over). The
// layout around it (name, unread count, flash) is rendered for each request, as around a
// shared page. What it buys is a person coming back to their space while nothing changed:
// the back button, a reload, the link in the header.

// maxOwnPages bounds the persons' pages kept, 20–30 kB each: 512 are 15 MB at worst.
const maxOwnPages = 512

// renderOwn answers r with status and the page build returns in the layout of p, the
// page's content kept for the logged-in viewer alone (see above); without the cache, or
// for a visitor, rendered whole as render does. build gets p, or p without its layout.
func (s *Server) renderOwn(w http.ResponseWriter, r *http.Request, status int, p components.Page, build func(ctx context.Context, p components.Page) (templ.Component, error)) {
	ctx := r.Context()
	u := userFrom(ctx)
	if s.own == nil || r.Method != http.MethodGet || u == nil || u.ID == 0 {
		c, err := build(ctx, p)
		if err != nil {
			s.error(w, r, err)
			return
		}
		s.render(w, r, status, c)
		return
	}
	lang := i18n.LangFrom(ctx)
	// The host too: a page may hold links to itself built from it (the calendar's).
	key := "own:" + strconv.FormatInt(u.ID, 10) + ":" + string(u.Role) + ":" + string(lang) + ":" + r.Host + ":" + r.URL.RequestURI()
	body, err := cached(ctx, s.own, key, func(ctx context.Context) (sharedBody, error) {
		bp := p
		bp.BodyOnly, bp.Flash = true, ""
		c, err := build(ctx, bp)
		if err != nil {
			return sharedBody{}, err
		}
		var html bytes.Buffer
		if err := c.Render(ctx, &html); err != nil {
			return sharedBody{}, err
		}
		return sharedBody{html: typo.Append(nil, html.Bytes(), string(lang))}, nil
	})
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderAround(w, r, status, p, body, nil)
}
