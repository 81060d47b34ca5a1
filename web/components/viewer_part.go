package components

import (
	"context"
	"io"

	"github.com/a-h/templ"
)

// A page whose content is shared by everyone of the viewer's class (internal/server,
// renderShared) marks with ViewerPart what it shows each viewer alone — their pledges,
// their own forms. When the shared content is rendered, the part is a slot; for each
// request, the viewer's own part is rendered and put there.

// ViewerPartSlot is the slot of the part named name in the shared content: a comment,
// which no text of a person can forge (escaped).
func ViewerPartSlot(name string) string { return "<!--fabrique:part:" + name + "-->" }

type sharedRenderKey struct{}

// SharingContent marks ctx as rendering the shared content: viewer parts become slots.
func SharingContent(ctx context.Context) context.Context {
	return context.WithValue(ctx, sharedRenderKey{}, true)
}

// ViewerPart renders c, or its slot named name while the shared content is rendered.
func ViewerPart(name string, c templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		if sharing, _ := ctx.Value(sharedRenderKey{}).(bool); sharing {
			_, err := io.WriteString(w, ViewerPartSlot(name))
			return err
		}
		return c.Render(ctx, w)
	})
}
