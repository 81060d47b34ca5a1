package fabrique

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// PaymentInstructions say how a funder pays a pledge made in a call: by transfer to
// Payee's IBAN, with a reference that names the pledge, so the coordination recognises
// the funds when it confirms them.
type PaymentInstructions struct {
	Payee           string
	IBAN            string // upper case, without spaces
	ReferencePrefix string // e.g. "APPEL2027"; the pledge's number follows it
}

// Bounds of the payment instructions.
const (
	MaxPayeeLen           = 160
	MaxReferencePrefixLen = 20
)

// Set reports whether the instructions are given (a payee and an IBAN).
func (p PaymentInstructions) Set() bool { return p.Payee != "" && p.IBAN != "" }

// Normalize trims the payee and writes the IBAN and the prefix in upper case, without
// spaces.
func (p *PaymentInstructions) Normalize() {
	p.Payee = strings.Join(strings.Fields(p.Payee), " ")
	p.IBAN = strings.ToUpper(strings.Join(strings.Fields(p.IBAN), ""))
	p.ReferencePrefix = strings.ToUpper(strings.Join(strings.Fields(p.ReferencePrefix), ""))
}

// Validate checks the instructions into v, by form field: all empty, or a payee and a
// valid IBAN (its check digits verified).
func (p *PaymentInstructions) Validate(v *Validation) {
	if utf8.RuneCountInString(p.Payee) > MaxPayeeLen {
		v.Add("payee", "Le bénéficiaire ne doit pas dépasser 160 caractères.")
	}
	if p.IBAN != "" && !ValidIBAN(p.IBAN) {
		v.Add("iban", "Cet IBAN n’est pas valide : vérifiez-le, il commence par deux lettres (FR76…) et sa clé doit être juste.")
	}
	if (p.Payee == "") != (p.IBAN == "") {
		if p.Payee == "" {
			v.Add("payee", "Indiquez le bénéficiaire du virement, avec l’IBAN.")
		} else {
			v.Add("iban", "Indiquez l’IBAN du bénéficiaire.")
		}
	}
	if len(p.ReferencePrefix) > MaxReferencePrefixLen || strings.Trim(p.ReferencePrefix, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
		v.Add("reference_prefix", "La référence s’écrit en lettres sans accent, chiffres et tirets, 20 caractères au plus.")
	}
}

// Reference is what the funder of pledge id writes on their transfer.
func (p PaymentInstructions) Reference(id int64) string {
	prefix := p.ReferencePrefix
	if prefix == "" {
		prefix = "PROMESSE"
	}
	return prefix + "-" + strconv.FormatInt(id, 10)
}

// GroupedIBAN writes the IBAN by groups of four characters, as on a RIB.
func (p PaymentInstructions) GroupedIBAN() string {
	var b strings.Builder
	for i, r := range p.IBAN {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ValidIBAN checks an IBAN, upper case without spaces: its shape, and its check digits
// (ISO 13616: the number read with its first four characters moved to the end, letters
// as 10 to 35, is 1 modulo 97).
func ValidIBAN(iban string) bool {
	if len(iban) < 15 || len(iban) > 34 {
		return false
	}
	for i, c := range iban {
		switch {
		case i < 2 && (c < 'A' || c > 'Z'), i >= 2 && i < 4 && (c < '0' || c > '9'):
			return false
		case !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z'):
			return false
		}
	}
	mod := 0
	for _, c := range iban[4:] + iban[:4] {
		if c >= 'A' {
			mod = (mod*100 + int(c-'A'+10)) % 97
		} else {
			mod = (mod*10 + int(c-'0')) % 97
		}
	}
	return mod == 1
}
