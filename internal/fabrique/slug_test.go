package fabrique_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// slugRE is the shape the schema's CHECK constraints require of every slug.
var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// checkSlug fails the test unless slug is valid, bounded and idempotent.
func checkSlug(tb testing.TB, in, slug string) {
	tb.Helper()
	if slug != "" && !slugRE.MatchString(slug) {
		tb.Errorf("Slugify(%q) = %q: got an invalid slug, want one matching %s", in, slug, slugRE)
	}
	if len(slug) > fabrique.MaxSlugLen {
		tb.Errorf("Slugify(%q): got length %d, want at most %d", in, len(slug), fabrique.MaxSlugLen)
	}
	if again := fabrique.Slugify(slug); again != slug {
		tb.Errorf("Slugify(Slugify(%q)): got %q, want %q", in, again, slug)
	}
}

func TestSlugify(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Tiers-lieux en réseau ", 10) // 220 characters
	tests := []struct {
		name, in, want string
	}{
		{"accents", "Réseau des fablabs", "reseau-des-fablabs"},
		{"apostrophe and ligature", "L'Œuvre des tiers-lieux", "l-oeuvre-des-tiers-lieux"},
		{"typographic apostrophe", "L’œuvre", "l-oeuvre"},
		{"capital accent and ampersand", "Économie sociale & solidaire", "economie-sociale-solidaire"},
		{"leading and trailing punctuation", "  --Ça marche !!  ", "ca-marche"},
		{"digits and symbols", "Défi n°3 : 100 % libre", "defi-n-3-100-libre"},
		{"only punctuation", "!!!", ""},
		{"empty", "", ""},
		{"spaces", "   ", ""},
		{"emoji only", "🚀🌱", ""},
		{"emoji between words", "🚀 Fusée 🌱 verte", "fusee-verte"},
		{"already a slug", "reseau-des-fablabs", "reseau-des-fablabs"},
		{"repeated separators", "a -- b__c", "a-b-c"},
		{"other ligatures", "Æsthétique Straße Øresund Łódź", "aesthetique-strasse-oresund-lodz"},
		{"tabs and newlines", "Ligne\tune\nligne deux", "ligne-une-ligne-deux"},
		{"upper case", "TIERS-LIEUX", "tiers-lieux"},
		// A title pasted from a PDF often carries the "ﬁ" ligature (U+FB01): NFD keeps it
		// whole, so the letters vanish.
		{"compatibility ligature from a PDF", "Déﬁ des tiers-lieux", "defi-des-tiers-lieux"},
		{"capital letters missing from the ligature table", "ẞ Đakovo", "ss-dakovo"},
		{"long title cut at a word", long, "tiers-lieux-en-reseau-tiers-lieux-en-reseau-tiers-lieux-en-reseau-tiers-lieux"},
		{"long word cut at the bound", strings.Repeat("a", 100), strings.Repeat("a", fabrique.MaxSlugLen)},
		{"cut just before a hyphen", strings.Repeat("a", 79) + " bcd", strings.Repeat("a", 79)},
		{"cut just after a hyphen", strings.Repeat("a", 80) + " bcd", strings.Repeat("a", 80)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := fabrique.Slugify(tt.in)
			if got != tt.want {
				t.Errorf("Slugify(%q): got %q, want %q", tt.in, got, tt.want)
			}
			checkSlug(t, tt.in, got)
		})
	}
}

func TestSlugifyLongTitleHasNoTrailingHyphen(t *testing.T) {
	t.Parallel()
	// Every split point of the bound: the cut may fall on a letter or on a hyphen.
	for n := 1; n < 12; n++ {
		in := strings.Repeat(strings.Repeat("x", n)+" ", 200/n)
		got := fabrique.Slugify(in)
		if strings.HasSuffix(got, "-") || strings.HasPrefix(got, "-") {
			t.Errorf("Slugify(%q): got %q, want no leading or trailing hyphen", in, got)
		}
		if len(got) > fabrique.MaxSlugLen || len(got) < fabrique.MaxSlugLen/2 {
			t.Errorf("Slugify(words of %d letters): got length %d, want between %d and %d", n, len(got), fabrique.MaxSlugLen/2, fabrique.MaxSlugLen)
		}
		checkSlug(t, in, got)
	}
}

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{
		"Réseau des fablabs",
		"L'Œuvre des tiers-lieux",
		"Économie sociale & solidaire",
		"  --Ça marche !!  ",
		"Défi n°3 : 100 % libre",
		"!!!",
		"",
		"🚀 Fusée 🌱",
		"Déﬁ",
		"İstanbul Kelvin K",
		strings.Repeat("Tiers-lieux en réseau ", 10),
		strings.Repeat("a", 79) + "-b",
		"e\u0301\u0301\u0301",
		"\xff\xfe invalid utf-8",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := fabrique.Slugify(in)
		checkSlug(t, in, got)
		if !utf8.ValidString(got) {
			t.Errorf("Slugify(%q): got invalid UTF-8 %q", in, got)
		}
	})
}

func TestSlugWithSuffix(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		slug string
		n    int
		want string
	}{
		{"short", "reseau-des-fablabs", 2, "reseau-des-fablabs-2"},
		{"big number", "reseau", 9999, "reseau-9999"},
		{"at the bound", strings.Repeat("a", 78), 2, strings.Repeat("a", 78) + "-2"},
		{"one over the bound", strings.Repeat("a", 79), 2, strings.Repeat("a", 78) + "-2"},
		{"full slug", strings.Repeat("a", 80), 12, strings.Repeat("a", 77) + "-12"},
		{"cut on a hyphen", strings.Repeat("a", 77) + "-bc", 2, strings.Repeat("a", 77) + "-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := fabrique.SlugWithSuffix(tt.slug, tt.n)
			if got != tt.want {
				t.Errorf("SlugWithSuffix(%q, %d): got %q, want %q", tt.slug, tt.n, got, tt.want)
			}
		})
	}
}

func TestSlugWithSuffixStaysValid(t *testing.T) {
	t.Parallel()
	titles := []string{
		"Réseau des fablabs",
		strings.Repeat("Tiers-lieux en réseau ", 10),
		strings.Repeat("a", 200),
		strings.Repeat("ab ", 60),
	}
	for _, title := range titles {
		base := fabrique.Slugify(title)
		for _, n := range []int{2, 9, 10, 99, 100, 9999, 123456789} {
			got := fabrique.SlugWithSuffix(base, n)
			if len(got) > fabrique.MaxSlugLen {
				t.Errorf("SlugWithSuffix(%q, %d): got length %d, want at most %d", base, n, len(got), fabrique.MaxSlugLen)
			}
			if !slugRE.MatchString(got) {
				t.Errorf("SlugWithSuffix(%q, %d): got invalid slug %q", base, n, got)
			}
		}
	}
}

func TestReservedSlug(t *testing.T) {
	t.Parallel()
	tests := []struct {
		slug string
		want bool
	}{
		{"nouveau", true},
		{"nouvelle", true},
		{"recherche", true},
		{"nouveau-2", false},
		{"reseau-des-fablabs", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := fabrique.ReservedSlug(tt.slug); got != tt.want {
			t.Errorf("ReservedSlug(%q): got %v, want %v", tt.slug, got, tt.want)
		}
	}
	// A défi titled "Nouveau" must not get a slug that a route shadows.
	if s := fabrique.Slugify("Nouveau"); !fabrique.ReservedSlug(s) {
		t.Errorf("ReservedSlug(Slugify(%q)) = ReservedSlug(%q): got false, want true", "Nouveau", s)
	}
}
