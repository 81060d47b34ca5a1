package fabrique

import (
	"fmt"
	"regexp"
	"strings"
	"time"
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

// The accounts the books add to the ledger's own, for what the ledger only earmarks:
// what a confirmed pledge brings in (income) and dedicates (dedication), what a payment
// costs (expense) and takes from dedicated funds (release).
const (
	BookIncome     = "income"
	BookExpense    = "expense"
	BookDedication = "dedication"
	BookRelease    = "release"
)

// BookAccountKinds are the kinds of ledger account the books map, then the accounts the
// books add, in the form's order.
var BookAccountKinds = []string{AccountOutside, AccountSeedFund, AccountSeedBudget, AccountCommonsFunds, AccountMatchingPool, AccountOperating,
	AccountVAT, BookIncome, BookExpense, BookDedication, BookRelease}

// DefaultBookAccounts are the accounts an association's accountant would start from: the
// bank for what comes in and goes out, dedicated funds (19x) for the money earmarked.
var DefaultBookAccounts = map[string]BookAccount{
	AccountOutside:      {"512", "Banque"},
	AccountSeedFund:     {"1941", "Fonds dédiés – fonds d’amorçage de l’année"},
	AccountSeedBudget:   {"1942", "Fonds dédiés – budgets d’amorçage des défis"},
	AccountCommonsFunds: {"1951", "Fonds dédiés – fonds de développement des communs"},
	AccountMatchingPool: {"1943", "Fonds dédiés – enveloppes d’abondement"},
	AccountOperating:    {"1945", "Fonds dédiés – fonctionnement du programme"},
	AccountVAT:          {"44566", "TVA déductible sur autres biens et services"},
	BookIncome:          {"7400", "Subventions et cofinancements affectés"},
	BookExpense:         {"6226", "Rétributions des contributeurs (honoraires)"},
	BookDedication:      {"6890", "Reports en fonds dédiés"},
	BookRelease:         {"7890", "Utilisations des fonds dédiés"},
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
	case AccountVAT:
		return "TVA déductible des factures (quand l’association la récupère)"
	case BookIncome:
		return "Cofinancements reçus (produits)"
	case BookExpense:
		return "Rétributions et temps de coordination payés (charges)"
	case BookDedication:
		return "Argent affecté à un fonds dédié (report)"
	case BookRelease:
		return "Argent dépensé sur un fonds dédié (utilisation)"
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
	return sirenRe.MatchString(s) && luhn(s)
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

// FECEntry is one entry of the ledger in the year's export: a ledger transaction's entry,
// numbered by its écriture.
type FECEntry struct {
	EcritureNum int
	TxID        int64
	TxKind      string // the transaction's kind
	Date        time.Time
	Kind        string // the ledger account's kind
	Amount      int64  // positive into the ledger account (credit), negative out (debit)
	Memo        string
	Reference   string
	AuxNum      string // the payee or funder of a line on the outside, "" otherwise
	AuxLabel    string
	Validated   time.Time
}

// FECLine is one line of the export: an account, a debit or a credit.
type FECLine struct {
	FECEntry
	Account       BookAccount
	Debit, Credit int64
}

// FECLines translates the ledger's entries into the books' lines. The ledger only
// earmarks: an entry on an earmarked account is a line on its dedicated fund (19x); the
// outside world is the bank when cash moves — a pledge received, a payment made — and the
// dedication accounts when the association earmarks its own money (an allocation to a
// fund, a pool or the operating account: 689 when it goes in, 789 when it comes back). A
// pledge received is also income dedicated to its fund (credit 74, debit 689); a payment
// is also an expense met by a dedicated fund (debit 62, credit 789). Every écriture
// balances, as its transaction does.
func (s BooksSettings) FECLines(entries []FECEntry) []FECLine {
	var out []FECLine
	line := func(e FECEntry, kind string, amount int64) FECLine {
		l := FECLine{FECEntry: e, Account: s.Account(kind)}
		if amount < 0 {
			l.Debit = -amount
		} else {
			l.Credit = amount
		}
		if kind != AccountOutside {
			l.AuxNum, l.AuxLabel = "", ""
		}
		return l
	}
	vat := false // the écriture pays deductible VAT: a claim on the State, no expense
	for i, e := range entries {
		kind := e.Kind
		vat = vat || kind == AccountVAT
		if kind == AccountOutside {
			switch e.TxKind {
			case TxFundAllocation, TxPoolFunding, TxOperatingAllocation:
				kind = BookDedication
				if e.Amount > 0 {
					kind = BookRelease
				}
			}
		}
		out = append(out, line(e, kind, e.Amount))
		// After the écriture's last entry, the lines the books add.
		if i+1 < len(entries) && entries[i+1].EcritureNum == e.EcritureNum {
			continue
		}
		amount := e.Amount
		if amount < 0 {
			amount = -amount
		}
		if vat {
			vat = false
			continue
		}
		switch e.TxKind {
		case TxPledge:
			out = append(out, line(e, BookIncome, amount), line(e, BookDedication, -amount))
		case TxPayment, TxCoordinationPayment:
			out = append(out, line(e, BookExpense, -amount), line(e, BookRelease, amount))
		}
	}
	return out
}
