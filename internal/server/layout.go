package server

import (
	"bytes"
	"context"
	"strconv"
	"sync"

	"github.com/a-h/templ"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/typo"
	"github.com/fabrique-a-communs/fabrique/web/components"
)

// The layout around a page's content (header, navigation, footer), rendered and typeset
// for each request, was about a tenth of the process's CPU on a logged-in member's défi
// page (CPU profile, `-only defi -profile`: the layout's typesetting alone 0.38 s of 7.6 s;
// kept, 0.07 s in all for it, 171–184 → 148–167 µs of process CPU a request). It is a
// function of few things — the language, the title, the path (the section marked, the
// links to switch language or to log in and come back), and for a logged-in person their
// role, their unread count and their name — so it is kept, typeset, by all of them but
// the name, which is put in for each request: every member who opens the same page with
// the same role and unread count gets the same layout, and every visitor whose page is
// built (the page cache missed) the visitors' one. Nothing in it comes from the database
// but what the key names, so it never goes out of date; a page with a flash message is
// rendered as before.

// maxLayouts bounds the layouts kept (a few kB each): when full, it starts afresh.
const maxLayouts = 512

// layoutNameMark stands for the viewer's name in a kept layout: a word, which the
// typesetter leaves as it is and treats as it treats a name. A layout in which it stands
// other than once is not kept (appendLayout).
const layoutNameMark = "Zqxjnomdelapersonneqxjz"

type layoutCache struct {
	mu      sync.Mutex
	layouts map[string][]byte
}

func newLayoutCache() *layoutCache { return &layoutCache{layouts: map[string][]byte{}} }

// appendLayout appends to dst the layout of p, typeset in lang, with bodySlot in its
// content (renderAround fills it), and returns it. html is scratch space.
func (c *layoutCache) appendLayout(ctx context.Context, dst []byte, html *bytes.Buffer, p components.Page, lang string) ([]byte, error) {
	render := func(p components.Page) ([]byte, error) {
		html.Reset()
		if err := components.Layout(p).Render(templ.WithChildren(ctx, templ.Raw(bodySlot)), html); err != nil {
			return nil, err
		}
		return typo.Append(dst, html.Bytes(), lang), nil
	}
	if c == nil || p.Flash != "" {
		return render(p)
	}
	key := lang + "\x00" + p.Title + "\x00" + p.Path
	var name string
	if u := p.User; u != nil {
		key += "\x00" + string(u.Role) + "\x00" + strconv.Itoa(u.Unread)
		name = u.DisplayName
		stand := fabrique.User{Role: u.Role, Unread: u.Unread, DisplayName: layoutNameMark}
		p.User = &stand
	}
	c.mu.Lock()
	kept, ok := c.layouts[key]
	c.mu.Unlock()
	if !ok {
		out, err := render(p)
		if err != nil {
			return nil, err
		}
		kept = bytes.Clone(out[len(dst):])
		if p.User != nil && bytes.Count(kept, []byte(layoutNameMark)) != 1 {
			// The mark stands once, for the name: more (a title or a path holding it) and
			// the layout is rendered for each request, the name in it.
			p.User.DisplayName = name
			return render(p)
		}
		c.mu.Lock()
		if len(c.layouts) >= maxLayouts {
			clear(c.layouts)
		}
		c.layouts[key] = kept
		c.mu.Unlock()
	}
	if p.User == nil {
		return append(dst, kept...), nil
	}
	// The name as the layout would have it: escaped, then typeset.
	i := bytes.Index(kept, []byte(layoutNameMark))
	dst = append(dst, kept[:i]...)
	dst = typo.Append(dst, []byte(templ.EscapeString(name)), lang)
	return append(dst, kept[i+len(layoutNameMark):]...), nil
}
