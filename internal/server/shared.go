package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/a-h/templ"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/typo"
	"github.com/fabrique-a-communs/fabrique/web/components"
)

// A page whose content — everything inside <main> but the flash — is the same for every
// viewer of a class (a visitor, a member, a coordinator) is rendered and typeset once per
// generation of the data cache and kept there; each request renders only the layout
// around it, which holds the viewer's own name, notifications and flash. Rendering and
// typesetting 20–50 kB of HTML were most of a logged-in member's page (issue 16).
//
// The content is built as the class's stand-in sees it (classUser): an account with the
// viewer's role and no identity, in the page given to build and in the context, so that
// nothing of the person who happened to ask first — who may be another person than the
// next viewer — can enter what is kept. A page whose content depends on more than the
// class says so in its key (its viewer's facts), or is rendered by render.

// sharedBody is a page's content as its class sees it, typeset, and where its viewer
// parts go, found once when it is kept.
type sharedBody struct {
	html  []byte
	slots []partSlot // in order
}

// partSlot is the slot of a viewer part in a shared body: html[at:end] is the comment.
type partSlot struct {
	at, end int
	name    string
}

// newSharedBody finds the slots of html.
func newSharedBody(html []byte) sharedBody {
	b := sharedBody{html: html}
	for from := 0; ; {
		i := bytes.Index(html[from:], partSlotStart)
		if i < 0 {
			return b
		}
		i += from
		j := bytes.Index(html[i:], partSlotEnd)
		if j < 0 {
			return b
		}
		b.slots = append(b.slots, partSlot{at: i, end: i + j + len(partSlotEnd), name: string(html[i+len(partSlotStart) : i+j])})
		from = i + j + len(partSlotEnd)
	}
}

// bodySlot marks, in the layout rendered for the viewer, where the shared content goes:
// a comment, which no text of a person can forge (escaped), and which the typesetting
// leaves alone.
const bodySlot = "<!--fabrique:body-->"

// classUser is the stand-in of u's class: nil for a visitor, else an account with u's
// role and nothing else of u. Its own facts are known to be none (no tiers-lieu, no team,
// no pledge), so that a page built for it reads none of them from the database.
func classUser(u *fabrique.User) *fabrique.User {
	if u == nil {
		return nil
	}
	return &fabrique.User{Role: u.Role, Own: &fabrique.OwnFacts{PlacesKnown: true, TeamsKnown: true, PledgesKnown: true}}
}

// viewerClass names u's class in a key.
func viewerClass(u *fabrique.User) string {
	switch {
	case u == nil:
		return "visitor"
	case u.IsCoordinator():
		return "coordinator"
	default:
		return "member"
	}
}

// renderShared answers r with status and the page build returns, its title being title
// (final: translated, or a name people wrote). With the data cache, the page's content is
// kept under key — the URL, the language and the viewer's class, to which the caller adds
// anything else the content depends on — and build is called only when it is missing,
// with a page and a context whose user is the class's stand-in. Without it, build is
// called with the viewer's own page and the page rendered whole, as render does.
//
// What the content shows each viewer alone is marked in the templates by
// components.ViewerPart: a slot in what is kept, filled for each request with the
// components parts returns (nil: none), rendered for the viewer.
func (s *Server) renderShared(w http.ResponseWriter, r *http.Request, status int, key, title string, build func(ctx context.Context, p components.Page) (templ.Component, error), parts func() (map[string]templ.Component, error)) {
	p := s.page(r, "")
	p.Title = title
	s.renderSharedPage(w, r, status, key, p, build, parts)
}

// renderSharedPage is renderShared with the layout's page p, built by the caller.
func (s *Server) renderSharedPage(w http.ResponseWriter, r *http.Request, status int, key string, p components.Page, build func(ctx context.Context, p components.Page) (templ.Component, error), parts func() (map[string]templ.Component, error)) {
	ctx := r.Context()
	// The page rendered whole for this request, as render does.
	whole := func() {
		c, err := build(ctx, p)
		if err != nil {
			s.error(w, r, err)
			return
		}
		s.render(w, r, status, c)
	}
	if s.data == nil || r.Method != http.MethodGet {
		whole()
		return
	}
	u := userFrom(ctx)
	lang := i18n.LangFrom(ctx)
	key = "body:" + string(lang) + ":" + viewerClass(u) + ":" + r.URL.RequestURI() + ":" + key
	body, err := cached(ctx, s.data, key, func(ctx context.Context) (sharedBody, error) {
		stand := classUser(u)
		ctx = context.WithValue(ctx, userKey{}, stand)
		c, err := build(ctx, components.Page{Title: p.Title, User: stand, Path: r.URL.RequestURI(), Lang: lang, BodyOnly: true})
		if err != nil {
			return sharedBody{}, err
		}
		var html bytes.Buffer
		if err := c.Render(components.SharingContent(ctx), &html); err != nil {
			return sharedBody{}, err
		}
		return newSharedBody(typo.Append(nil, html.Bytes(), string(lang))), nil
	})
	if errors.Is(err, errNotShared) {
		whole()
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	var own map[string]templ.Component
	if parts != nil {
		if own, err = parts(); err != nil {
			s.error(w, r, err)
			return
		}
	}
	s.renderAround(w, r, status, p, body, own)
}

// renderAround writes the layout of p with body, already typeset, in its content, and the
// viewer's parts, typeset, in body's slots.
func (s *Server) renderAround(w http.ResponseWriter, r *http.Request, status int, p components.Page, body sharedBody, parts map[string]templ.Component) {
	buf := bufPool.Get().(*renderBuffers)
	buf.html.Reset()
	defer func() {
		if buf.html.Cap() <= 1<<20 && cap(buf.out) <= 1<<20 {
			bufPool.Put(buf)
		}
	}()
	lang := string(i18n.LangFrom(r.Context()))
	out, err := s.layouts.appendLayout(r.Context(), buf.out[:0], &buf.html, p, lang)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	layoutEnd := len(out)
	// Then each part, typeset after the layout in the same buffer: part k ends at
	// partEnds[k], and starts where the one before ends (the first, at layoutEnd).
	var ends [4]int
	partEnds := ends[:0]
	for _, slot := range body.slots {
		c, ok := parts[slot.name]
		if !ok {
			s.serverError(w, r, fmt.Errorf("server: no viewer part %q for the shared content", slot.name))
			return
		}
		if kept, ok := c.(keptPart); ok && s.data != nil {
			html, err := cached(r.Context(), s.data, "part:"+lang+":"+kept.key, func(ctx context.Context) ([]byte, error) {
				var html bytes.Buffer
				ctx = context.WithValue(ctx, userKey{}, classUser(userFrom(ctx)))
				if err := kept.c.Render(ctx, &html); err != nil {
					return nil, err
				}
				return typo.Append(nil, html.Bytes(), lang), nil
			})
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			out = append(out, html...)
			partEnds = append(partEnds, len(out))
			continue
		}
		buf.html.Reset()
		if err := c.Render(r.Context(), &buf.html); err != nil {
			s.serverError(w, r, err)
			return
		}
		out = typo.Append(out, buf.html.Bytes(), lang)
		partEnds = append(partEnds, len(out))
	}
	i := bytes.Index(out[:layoutEnd], []byte(bodySlot))
	if i < 0 {
		s.serverError(w, r, errNoBodySlot)
		return
	}
	buf.out = out
	// The layout's two halves around the content, assembled in the buffer the layout was
	// rendered into, so that the page is written in one piece as render does.
	buf.html.Reset()
	buf.html.Write(out[:i])
	from, partFrom := 0, layoutEnd
	for k, slot := range body.slots {
		buf.html.Write(body.html[from:slot.at])
		buf.html.Write(out[partFrom:partEnds[k]])
		from, partFrom = slot.end, partEnds[k]
	}
	buf.html.Write(body.html[from:])
	buf.html.Write(out[i+len(bodySlot) : layoutEnd])
	writeHTML(w, status, buf.html.Bytes())
}

// keptPart is a viewer part whose HTML is the same for every viewer with the same key —
// their class and the facts the part shows of them (which of the tiers-lieux are theirs,
// say), never who they are — built with the class's stand-in (classUser) and kept,
// typeset, in the data cache: rendered once per change of the data for all alike.
type keptPart struct {
	key string
	c   templ.Component
}

// Render renders the part for this request alone (without the data cache).
func (p keptPart) Render(ctx context.Context, w io.Writer) error { return p.c.Render(ctx, w) }

// placesFactsKey names, in a kept part's key, a list of tiers-lieux as a viewer sees it:
// each place with whether it is linked and whether it is theirs.
func placesFactsKey(places []fabrique.LinkedPlace) string {
	b := make([]byte, 0, 8*len(places))
	for _, p := range places {
		b = strconv.AppendInt(b, p.ID, 10)
		switch {
		case p.Linked && p.Mine:
			b = append(b, 'b')
		case p.Linked:
			b = append(b, 'l')
		case p.Mine:
			b = append(b, 'm')
		}
		b = append(b, ',')
	}
	return string(b)
}

var (
	partSlotStart = []byte("<!--fabrique:part:")
	partSlotEnd   = []byte("-->")
)

// errNotShared, from a page's build, says that this request's content may not be kept
// under the key it was asked for: the page is rendered for the request alone.
var errNotShared = errors.New("server: content not shared")

var errNoBodySlot = errors.New("server: the layout has no slot for the shared content")
