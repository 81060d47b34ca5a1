package fabrique_test

import (
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

func TestNewPlaceDetailsValidate(t *testing.T) {
	t.Parallel()
	valid := fabrique.NewPlace{Name: "La Grange Partagée", City: "Aubusson", Region: "Nouvelle-Aquitaine",
		Description: "Une **grange** partagée.", Address: "12 rue des Tanneurs\n23200 Aubusson", Contact: "contact@grange.example"}
	tests := []struct {
		name  string
		edit  func(p *fabrique.NewPlace)
		field string // "" when valid
		msg   string
	}{
		{"valid", func(p *fabrique.NewPlace) {}, "", ""},
		{"no details", func(p *fabrique.NewPlace) { p.Description, p.Address, p.Contact = "", "", "" }, "", ""},
		{"description of 5000 letters", func(p *fabrique.NewPlace) { p.Description = strings.Repeat("é", 5000) }, "", ""},
		{"description of 5001 letters", func(p *fabrique.NewPlace) { p.Description = strings.Repeat("é", 5001) },
			"description", "La présentation ne doit pas dépasser 5 000 caractères."},
		{"address of 300 letters", func(p *fabrique.NewPlace) { p.Address = strings.Repeat("é", 300) }, "", ""},
		{"address of 301 letters", func(p *fabrique.NewPlace) { p.Address = strings.Repeat("é", 301) },
			"address", "L’adresse ne doit pas dépasser 300 caractères."},
		{"address of 5 lines", func(p *fabrique.NewPlace) { p.Address = "a\nb\nc\nd\ne" }, "", ""},
		{"address of 6 lines", func(p *fabrique.NewPlace) { p.Address = "a\nb\nc\nd\ne\nf" },
			"address", "L’adresse tient en 5 lignes au plus."},
		{"address with empty lines", func(p *fabrique.NewPlace) { p.Address = "a\n\n\n\n\n\nb\r\n \r\nc" }, "", ""},
		{"French phone", func(p *fabrique.NewPlace) { p.Contact = "04 65 71 12 34" }, "", ""},
		{"dotted phone", func(p *fabrique.NewPlace) { p.Contact = "04.65.71.12.34" }, "", ""},
		{"international phone", func(p *fabrique.NewPlace) { p.Contact = "+33 (0)4 65 71 12 34" }, "", ""},
		{"short number", func(p *fabrique.NewPlace) { p.Contact = "12345" },
			"contact", "Indiquez une adresse e-mail ou un numéro de téléphone (par exemple 04 78 00 00 00 ou +33 4 78 00 00 00)."},
		{"16 digits", func(p *fabrique.NewPlace) { p.Contact = "+1234567890123456" },
			"contact", "Indiquez une adresse e-mail ou un numéro de téléphone (par exemple 04 78 00 00 00 ou +33 4 78 00 00 00)."},
		{"plus inside", func(p *fabrique.NewPlace) { p.Contact = "04 65 +71 12 34" },
			"contact", "Indiquez une adresse e-mail ou un numéro de téléphone (par exemple 04 78 00 00 00 ou +33 4 78 00 00 00)."},
		{"words", func(p *fabrique.NewPlace) { p.Contact = "appelez Marie" },
			"contact", "Indiquez une adresse e-mail ou un numéro de téléphone (par exemple 04 78 00 00 00 ou +33 4 78 00 00 00)."},
		{"javascript", func(p *fabrique.NewPlace) { p.Contact = "javascript:alert(1)" },
			"contact", "Indiquez une adresse e-mail ou un numéro de téléphone (par exemple 04 78 00 00 00 ou +33 4 78 00 00 00)."},
		{"e-mail without a dot", func(p *fabrique.NewPlace) { p.Contact = "contact@grange" }, "contact", "Cette adresse e-mail n’est pas valide."},
		{"e-mail with a name", func(p *fabrique.NewPlace) { p.Contact = "Grange <contact@grange.example>" }, "contact", "Cette adresse e-mail n’est pas valide."},
		{"e-mail with a query", func(p *fabrique.NewPlace) { p.Contact = "contact@grange.example?subject=x" }, "contact", "Cette adresse e-mail n’est pas valide."},
		{"e-mail with a query before", func(p *fabrique.NewPlace) { p.Contact = "a?cc=b@grange.example" }, "contact", "Cette adresse e-mail n’est pas valide."},
		{"accented domain", func(p *fabrique.NewPlace) { p.Contact = "bonjour@grange-partagée.example" }, "", ""},
		{"contact of 255 characters", func(p *fabrique.NewPlace) { p.Contact = strings.Repeat("a", 243) + "@grange.example" },
			"contact", "Le contact ne doit pas dépasser 254 caractères."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := valid
			tt.edit(&p)
			p.Normalize()
			err := p.Validate()
			fields := fabrique.ErrorFields(err)
			if tt.field == "" {
				if err != nil {
					t.Errorf("got %v, want nil", err)
				}
				return
			}
			if len(fields) != 1 || fields[tt.field] != tt.msg {
				t.Errorf("errors: got %v, want %s: %q", fields, tt.field, tt.msg)
			}
		})
	}
}

func TestNewPlaceDetailsNormalize(t *testing.T) {
	t.Parallel()
	p := fabrique.NewPlace{Description: "\r\n  Un **lieu**.\r\n\r\n- a\r\n  ", Address: "  12   rue des Tanneurs \r\n\r\n \t\n23200\tAubusson  \n",
		Contact: "  04  65 71 12 34 "}
	p.Normalize()
	if want := "Un **lieu**.\n\n- a"; p.Description != want {
		t.Errorf("description: got %q, want %q", p.Description, want)
	}
	if want := "12 rue des Tanneurs\n23200 Aubusson"; p.Address != want {
		t.Errorf("address: got %q, want %q", p.Address, want)
	}
	if want := "04 65 71 12 34"; p.Contact != want {
		t.Errorf("contact: got %q, want %q", p.Contact, want)
	}
}

func TestPhoneDigits(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"04 65 71 12 34":       "0465711234",
		"04.65.71.12.34":       "0465711234",
		"+33 (0)4 65 71 12 34": "+330465711234",
		"+262 262 00 00 00":    "+262262000000",
		"3631":                 "",
		"04 65 71 12 34 ext 2": "",
		"++33465711234":        "",
		"":                     "",
	} {
		if got := fabrique.PhoneDigits(in); got != want {
			t.Errorf("PhoneDigits(%q): got %q, want %q", in, got, want)
		}
	}
	if !fabrique.ContactIsEmail("a@b.example") || fabrique.ContactIsEmail("04 65 71 12 34") {
		t.Error("ContactIsEmail tells an e-mail from a phone wrong")
	}
}

func TestCheckPlaceEdit(t *testing.T) {
	t.Parallel()
	contributor := &fabrique.User{ID: 1, Role: fabrique.RoleContributor}
	coordinator := &fabrique.User{ID: 2, Role: fabrique.RoleCoordinator}
	tests := []struct {
		name   string
		u      *fabrique.User
		member bool
		want   string // error code, "" when allowed
	}{
		{"member", contributor, true, ""},
		{"stranger", contributor, false, fabrique.EFORBIDDEN},
		{"coordinator", coordinator, false, ""},
		{"coordinator and member", coordinator, true, ""},
		{"nobody", nil, false, fabrique.EFORBIDDEN},
	}
	for _, tt := range tests {
		if got := fabrique.ErrorCode(fabrique.CheckPlaceEdit(tt.u, tt.member)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestPlaceForm(t *testing.T) {
	t.Parallel()
	p := fabrique.PlaceSummary{
		Place:        fabrique.Place{Name: "A", City: "B", Region: "Corse", Website: "https://a.example"},
		PlaceDetails: fabrique.PlaceDetails{Description: "D", Address: "E", Contact: "F"},
	}
	want := fabrique.NewPlace{Name: "A", City: "B", Region: "Corse", Website: "https://a.example", Description: "D", Address: "E", Contact: "F"}
	if got := p.Form(); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
