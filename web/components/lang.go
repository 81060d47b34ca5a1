package components

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// French marks the element holding content people wrote in French (a défi's title, a
// place's description, a pledge's message…) as French on an English page, with
// lang="fr": screen readers then read it in French, the validator knows the page is
// English, and French typography applies to it alone. On a French page it is nothing.
func French(ctx context.Context) templ.Attributes {
	if i18n.LangFrom(ctx) == i18n.French {
		return nil
	}
	return templ.Attributes{"lang": "fr"}
}

// Fr is French content given to T: on an English page it is written in a
// <span lang="fr">.
type Fr string

// T writes the catalogue's sentence key in the page's language, its verbs (%s, %d)
// replaced by args as i18n.T does, an argument of type Fr marked as French content.
func T(key string, args ...any) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		args := append([]any(nil), args...)
		english := i18n.LangFrom(ctx) != i18n.French
		var marked []string // the French arguments, by their place-holder's number
		for i, a := range args {
			if f, ok := a.(Fr); ok {
				if english {
					args[i] = "\x00" + strconv.Itoa(len(marked)) + "\x00"
					marked = append(marked, `<span lang="fr">`+templ.EscapeString(string(f))+`</span>`)
				} else {
					args[i] = string(f)
				}
			}
		}
		s := templ.EscapeString(i18n.T(ctx, key, args...))
		for i, m := range marked {
			s = strings.Replace(s, "\x00"+strconv.Itoa(i)+"\x00", m, 1)
		}
		_, err := io.WriteString(w, s)
		return err
	})
}

// FrText writes s, French content, as T writes an argument of type Fr.
func FrText(s string) templ.Component { return T("%s", Fr(s)) }

// FrenchAttr is French's attribute as markup written by hand: ` lang="fr"` in lang
// English, else "".
func FrenchAttr(lang i18n.Lang) string {
	if lang == i18n.French {
		return ""
	}
	return ` lang="fr"`
}
