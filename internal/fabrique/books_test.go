package fabrique_test

import (
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

func TestBooksFormats(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"732829320": true, "552100554": true, "123456789": false, "73282932": false, "73282932A": false} {
		if got := fabrique.ValidSIREN(s); got != want {
			t.Errorf("ValidSIREN(%q) = %v", s, got)
		}
	}
	for c, want := range map[int64]string{0: "0,00", 5: "0,05", 123456: "1234,56", -230000: "-2300,00"} {
		if got := fabrique.FECAmount(c); got != want {
			t.Errorf("FECAmount(%d) = %q, want %q", c, got, want)
		}
	}
	if got := fabrique.FECText("Atelier\tdu\nlundi  soir"); got != "Atelier du lundi soir" {
		t.Errorf("FECText = %q", got)
	}
	s := fabrique.BooksSettings{JournalCode: " fab ", JournalLabel: "Fabrique", Accounts: map[string]fabrique.BookAccount{}}
	for _, k := range fabrique.BookAccountKinds {
		s.Accounts[k] = fabrique.DefaultBookAccounts[k]
	}
	s.Accounts[fabrique.AccountOutside] = fabrique.BookAccount{Num: "banque", Label: ""}
	s.Normalize()
	fields := fabrique.ErrorFields(s.Validate())
	if s.JournalCode != "FAB" || fields["compte_outside"] == "" || fields["libelle_outside"] == "" || len(fields) != 2 {
		t.Errorf("validation: code %q, fields %v", s.JournalCode, fields)
	}
}
