package fabrique

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The books (DESIGN §3): the ledger is the platform's own earmarking; the association's
// accountant reads it in the plan comptable. Each kind of ledger account maps to an
// account number and label; a year's ledger movements export as a FEC-shaped file — one
// écriture per ledger transaction, one line per entry, an entry's amount on the credit
// side when money goes into the ledger account and on the debit side when it leaves it,
// so every écriture balances as the transaction does. Never presented as the legal FEC.

// BookAccount is an account of the plan comptable.
type BookAccount struct {
	Num   string `json:"num"`
	Label string `json:"label"`
}

// BookAccountKinds are the kinds of ledger account the books map, in the form's order.
var BookAccountKinds = []string{AccountOutside, AccountSeedFund, AccountSeedBudget, AccountCommonsFunds, AccountMatchingPool, AccountOperating}

// DefaultBookAccounts are the accounts an association's accountant would start from: the
// bank for what comes in and goes out, dedicated funds (19x) for the money earmarked.
var DefaultBookAccounts = map[string]BookAccount{
	AccountOutside:      {"512", "Banque"},
	AccountSeedFund:     {"1941", "Fonds dédiés – fonds d’amorçage de l’année"},
	AccountSeedBudget:   {"1942", "Fonds dédiés – budgets d’amorçage des défis"},
	AccountCommonsFunds: {"1951", "Fonds dédiés – fonds de développement des communs"},
	AccountMatchingPool: {"1943", "Fonds dédiés – enveloppes d’abondement"},
	AccountOperating:    {"1945", "Fonds dédiés – fonctionnement du programme"},
}

// BookAccountKindLabel says what a kind of ledger account holds, in the settings form.
func BookAccountKindLabel(kind string) string {
	switch kind {
	case AccountOutside:
		return "Entrées et sorties d’argent (banque)"
	case AccountSeedFund:
		return "Fonds d’amorçage de l’année"
	case AccountSeedBudget:
		return "Budgets d’amorçage des défis"
	case AccountCommonsFunds:
		return "Fonds de développement des communs"
	case AccountMatchingPool:
		return "Enveloppes d’abondement des appels"
	case AccountOperating:
		return "Budget de fonctionnement de l’année (temps de coordination)"
	}
	return kind
}

// BooksSettings are the association's identity and its mapping of the ledger's accounts.
type BooksSettings struct {
	SIREN        string
	JournalCode  string
	JournalLabel string
	Accounts     map[string]BookAccount // by ledger account kind; a missing kind takes its default
}

// DefaultBooksSettings are the settings before a coordinator saves any.
func DefaultBooksSettings() BooksSettings {
	return BooksSettings{JournalCode: "FAB", JournalLabel: "Fabrique à communs", Accounts: map[string]BookAccount{}}
}

// Account returns the book account of a ledger account kind.
func (s BooksSettings) Account(kind string) BookAccount {
	if a, ok := s.Accounts[kind]; ok && a.Num != "" {
		return a
	}
	return DefaultBookAccounts[kind]
}

var (
	sirenRe       = regexp.MustCompile(`^[0-9]{9}$`)
	journalCodeRe = regexp.MustCompile(`^[A-Z0-9]{1,10}$`)
	accountNumRe  = regexp.MustCompile(`^[1-8][0-9A-Z]{1,19}$`)
)

// ValidSIREN reports whether s is a SIREN: nine digits whose Luhn key holds.
func ValidSIREN(s string) bool {
	if !sirenRe.MatchString(s) {
		return false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		d := int(s[8-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// Normalize trims the fields and writes the SIREN without spaces, the code in capitals.
func (s *BooksSettings) Normalize() {
	s.SIREN = strings.ReplaceAll(strings.TrimSpace(s.SIREN), " ", "")
	s.JournalCode = strings.ToUpper(strings.TrimSpace(s.JournalCode))
	s.JournalLabel = strings.Join(strings.Fields(s.JournalLabel), " ")
	for k, a := range s.Accounts {
		s.Accounts[k] = BookAccount{Num: strings.ToUpper(strings.TrimSpace(a.Num)), Label: strings.Join(strings.Fields(a.Label), " ")}
	}
}

// Validate checks the settings field by field; an account's fields are named
// compte_{kind} and libelle_{kind}.
func (s *BooksSettings) Validate() error {
	var v Validation
	if s.SIREN != "" && !ValidSIREN(s.SIREN) {
		v.Add("siren", "Le SIREN compte 9 chiffres et sa clé doit être juste : vérifiez-le sur l’avis de situation INSEE.")
	}
	if !journalCodeRe.MatchString(s.JournalCode) {
		v.Add("journal_code", "Le code journal compte 1 à 10 lettres majuscules ou chiffres, par exemple FAB.")
	}
	if n := utf8.RuneCountInString(s.JournalLabel); n == 0 || n > 100 {
		v.Add("journal_label", "Indiquez le libellé du journal (100 caractères au plus).")
	}
	for _, k := range BookAccountKinds {
		a := s.Accounts[k]
		if !accountNumRe.MatchString(a.Num) {
			v.Add("compte_"+k, "Indiquez un numéro de compte du plan comptable, par exemple 512 ou 1941.")
		}
		if n := utf8.RuneCountInString(a.Label); n == 0 || n > 100 {
			v.Add("libelle_"+k, "Indiquez le libellé du compte (100 caractères au plus).")
		}
	}
	return v.Err()
}

// BooksAuditDetail is the audit line of settings saved.
func BooksAuditDetail(s BooksSettings) string {
	parts := make([]string, 0, len(BookAccountKinds))
	for _, k := range BookAccountKinds {
		a := s.Account(k)
		parts = append(parts, fmt.Sprintf("%s %s", a.Num, a.Label))
	}
	return fmt.Sprintf("SIREN %s, journal %s « %s » ; comptes : %s", s.SIREN, s.JournalCode, s.JournalLabel, strings.Join(parts, ", "))
}

// FECColumns are the 18 columns of a FEC, in their order.
var FECColumns = []string{"JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
	"CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet",
	"DateLet", "ValidDate", "Montantdevise", "Idevise"}

// FECAmount writes cents as the FEC does: a decimal comma, no thousands separator.
func FECAmount(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d,%02d", sign, cents/100, cents%100)
}

// FECText makes a text cell safe for a tab-separated line: no tab, no line break.
func FECText(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
