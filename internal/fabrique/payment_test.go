package fabrique_test

import (
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

func TestValidIBAN(t *testing.T) {
	for _, tc := range []struct {
		iban string
		ok   bool
	}{
		{"FR7630006000011234567890189", true},
		{"DE89370400440532013000", true},
		{"GB82WEST12345698765432", true},
		{"FR7630006000011234567890188", false}, // one digit off
		{"FR763000600001123456789018", false},  // one character short: the check fails
		{"fr7630006000011234567890189", false}, // lower case: Normalize first
		{"FR76 3000 6000 0112 3456 7890 189", false},
		{"7630006000011234567890189FR", false},
		{"", false},
	} {
		if got := fabrique.ValidIBAN(tc.iban); got != tc.ok {
			t.Errorf("ValidIBAN(%q) = %v, want %v", tc.iban, got, tc.ok)
		}
	}
}

func TestPaymentInstructions(t *testing.T) {
	p := fabrique.PaymentInstructions{Payee: "  Compagnie   des Tiers-Lieux ", IBAN: "fr76 3000 6000 0112 3456 7890 189", ReferencePrefix: "appel-2027"}
	p.Normalize()
	var v fabrique.Validation
	p.Validate(&v)
	if err := v.Err(); err != nil {
		t.Fatalf("valid instructions refused: %v", err)
	}
	if p.Payee != "Compagnie des Tiers-Lieux" || p.IBAN != "FR7630006000011234567890189" || p.ReferencePrefix != "APPEL-2027" {
		t.Errorf("normalized: %+v", p)
	}
	if got := p.Reference(42); got != "APPEL-2027-42" {
		t.Errorf("Reference(42) = %q", got)
	}
	if got := p.GroupedIBAN(); got != "FR76 3000 6000 0112 3456 7890 189" {
		t.Errorf("GroupedIBAN = %q", got)
	}
	if got := (fabrique.PaymentInstructions{}).Reference(7); got != "PROMESSE-7" {
		t.Errorf("Reference without prefix = %q", got)
	}
	for name, bad := range map[string]fabrique.PaymentInstructions{
		"payee without IBAN": {Payee: "X"},
		"IBAN without payee": {IBAN: "FR7630006000011234567890189"},
		"wrong IBAN":         {Payee: "X", IBAN: "FR7630006000011234567890188"},
		"accent in prefix":   {Payee: "X", IBAN: "FR7630006000011234567890189", ReferencePrefix: "APPÉL"},
	} {
		var v fabrique.Validation
		bad.Validate(&v)
		if v.Err() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
