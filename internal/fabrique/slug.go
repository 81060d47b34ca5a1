package fabrique

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxSlugLen bounds slugs so URLs stay readable.
const MaxSlugLen = 80

// ligatures are the lower-case letters that compatibility decomposition does not split
// into ASCII (NFKD already splits "ﬁ" into "fi").
var ligatures = map[rune]string{'œ': "oe", 'æ': "ae", 'ß': "ss", 'ø': "o", 'đ': "d", 'ł': "l", 'ı': "i", 'ð': "d", 'þ': "th"}

// Slugify turns a French title into a readable URL segment: lower case ASCII letters and
// digits separated by single hyphens ("Réseau des fablabs" → "reseau-des-fablabs"). It
// returns "" when the title has no letter or digit.
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue // accents, once decomposed
		}
		r = unicode.ToLower(r)
		if l, ok := ligatures[r]; ok {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteString(l)
			continue
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	out := b.String()
	if len(out) > MaxSlugLen {
		out = out[:MaxSlugLen]
		if i := strings.LastIndexByte(out, '-'); i > MaxSlugLen/2 {
			out = out[:i]
		}
		out = strings.TrimRight(out, "-")
	}
	return out
}

// The refusals of a slug: a title or name without a letter or digit gives none, and a
// base whose every numbered variant is taken leaves none free.
var (
	ErrTitleWithoutSlug = Errorf(EINVALID, "Le titre doit contenir au moins une lettre ou un chiffre.")
	ErrNameWithoutSlug  = Errorf(EINVALID, "Le nom doit contenir au moins une lettre ou un chiffre.")
	ErrNoFreeSlug       = Errorf(ECONFLICT, "Trop d’éléments portent déjà ce nom.")
)

// SlugWithSuffix returns slug made unique by a numeric suffix ("reseau-des-fablabs-2"),
// still within MaxSlugLen.
func SlugWithSuffix(slug string, n int) string {
	suffix := "-" + strconv.Itoa(n)
	if len(slug)+len(suffix) > MaxSlugLen {
		slug = strings.TrimRight(slug[:MaxSlugLen-len(suffix)], "-")
	}
	return slug + suffix
}

// reservedSlugs are path segments that a route takes before a slug would.
var reservedSlugs = map[string]bool{"nouveau": true, "nouvelle": true, "recherche": true}

// ReservedSlug reports whether slug would be shadowed by a fixed route.
func ReservedSlug(slug string) bool { return reservedSlugs[slug] }
