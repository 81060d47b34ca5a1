package fabrique

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Paying people as they are actually paid (DESIGN §3, issue 17). Most contributors are
// entrepreneur·e·s-salarié·e·s of a CAE, paid a nominal day rate HT that their CAE
// invoices with VAT; an association that does not recover VAT pays the TTC. Each paid
// person declares how they are paid (a billing profile); validation reserves the HT plus
// the VAT the profile will add, so what a budget shows as remaining is what will really be
// left; the person then asks for a numbered statement to invoice (relevé à facturer) of
// validated days, which their CAE invoices quoting its number.

// Billing kinds: who invoices a contributor's days.
const (
	BillingCAE         = "cae"         // a coopérative d'activité et d'emploi
	BillingMicro       = "micro"       // the contributor as a micro-entrepreneur
	BillingEmployer    = "employeur"   // an employer lending them
	BillingAssociation = "association" // an association
)

// BillingKinds are the kinds, in the form's order.
var BillingKinds = []string{BillingCAE, BillingMicro, BillingEmployer, BillingAssociation}

// BillingKindLabel is a kind's name for people.
func BillingKindLabel(k string) string {
	switch k {
	case BillingCAE:
		return "Entrepreneur·e-salarié·e d’une CAE"
	case BillingMicro:
		return "Micro-entrepreneur·e"
	case BillingEmployer:
		return "Salarié·e mis·e à disposition par son employeur"
	case BillingAssociation:
		return "Association"
	}
	return k
}

// VAT regimes of the one who invoices.
const (
	VATLiable    = "assujetti"      // charges VAT at a rate
	VATFranchise = "franchise_293b" // franchise en base: « TVA non applicable, art. 293 B du CGI »
	VATExempt    = "exonere"        // exempt (an association's non-profit work, say)
)

// VATRegimes are the regimes, in the form's order.
var VATRegimes = []string{VATLiable, VATFranchise, VATExempt}

// VATRegimeLabel is a regime's name for people.
func VATRegimeLabel(r string) string {
	switch r {
	case VATLiable:
		return "Assujetti·e à la TVA"
	case VATFranchise:
		return "Franchise en base (TVA non applicable, art. 293 B du CGI)"
	case VATExempt:
		return "Exonéré·e de TVA"
	}
	return r
}

// VAT rates in basis points (2000 = 20 %): France's rates.
var VATRates = []int{2000, 1000, 550, 210}

// VATRateLabel writes a rate in basis points as people read it: "20 %", "5,5 %".
func VATRateLabel(bp int) string {
	s := strconv.Itoa(bp / 100)
	if r := bp % 100; r != 0 {
		s += "," + strings.TrimRight(fmt.Sprintf("%02d", r), "0")
	}
	return s + "\u00a0%"
}

// Bounds of a billing profile's fields.
const (
	MaxLegalNameLen  = 200
	MaxVATMentionLen = 300
)

// BillingProfile is how a person is paid: who invoices their days and with what VAT.
// A person may have several over time; one is current, and a validation or a statement
// keeps the one it used.
type BillingProfile struct {
	ID        int64
	UserID    int64
	Kind      string
	LegalName string // the invoicing entity's name (the CAE's, the employer's…)
	TradeName string // optional: the contributor's trade name within it
	SIRET     string // 14 digits
	VATNumber string // optional: FR + key + SIREN
	VATRegime string
	VATRate   int // basis points; 0 unless VATLiable
	Current   bool
	CreatedAt time.Time
}

// Normalize trims the fields and removes the spaces people type in numbers.
func (p *BillingProfile) Normalize() {
	p.Kind = strings.TrimSpace(p.Kind)
	p.LegalName = strings.Join(strings.Fields(p.LegalName), " ")
	p.TradeName = strings.Join(strings.Fields(p.TradeName), " ")
	p.SIRET = stripSpaces(p.SIRET)
	p.VATNumber = strings.ToUpper(stripSpaces(p.VATNumber))
	p.VATRegime = strings.TrimSpace(p.VATRegime)
	if p.VATRegime != VATLiable {
		p.VATRate = 0
	}
}

func stripSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '.' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, s)
}

// Validate checks a normalized profile, every field's error next to it.
func (p BillingProfile) Validate() error {
	var v Validation
	if !slices.Contains(BillingKinds, p.Kind) {
		v.Add("kind", "Choisissez comment vous êtes rémunéré·e.")
	}
	if p.LegalName == "" {
		v.Add("legal_name", "Indiquez le nom de la structure qui facture (votre CAE, votre employeur…).")
	} else if utf8.RuneCountInString(p.LegalName) > MaxLegalNameLen {
		v.Add("legal_name", "Le nom compte au plus 200 caractères.")
	}
	if utf8.RuneCountInString(p.TradeName) > MaxLegalNameLen {
		v.Add("trade_name", "Le nom commercial compte au plus 200 caractères.")
	}
	if !ValidSIRET(p.SIRET) {
		v.Add("siret", "Le SIRET compte 14 chiffres et sa clé doit être juste : vérifiez-le sur une facture ou sur l’annuaire des entreprises.")
	}
	if p.VATNumber != "" && !ValidVATNumber(p.VATNumber, p.SIRET) {
		v.Add("vat_number", "Le numéro de TVA intracommunautaire s’écrit FR, deux chiffres de clé et le SIREN (les 9 premiers chiffres du SIRET).")
	}
	if !slices.Contains(VATRegimes, p.VATRegime) {
		v.Add("vat_regime", "Choisissez le régime de TVA de la structure qui facture.")
	} else if p.VATRegime == VATLiable && !slices.Contains(VATRates, p.VATRate) {
		v.Add("vat_rate", "Choisissez le taux de TVA facturé : 20 %, 10 %, 5,5 % ou 2,1 %.")
	}
	return v.Err()
}

// ValidSIRET reports whether s is 14 digits whose Luhn key is right (La Poste's
// establishments, SIREN 356 000 000, use their own rule: the digits' sum is a multiple of 5).
func ValidSIRET(s string) bool {
	if len(s) != 14 || !allDigits(s) {
		return false
	}
	if strings.HasPrefix(s, "356000000") && s != "35600000000048" {
		sum := 0
		for _, r := range s {
			sum += int(r - '0')
		}
		return sum%5 == 0
	}
	return luhn(s)
}

// ValidVATNumber reports whether n is the French intra-community VAT number of siret's
// SIREN: "FR", a two-digit key (12 + 3 × (SIREN mod 97)) mod 97, the SIREN.
func ValidVATNumber(n, siret string) bool {
	if len(n) != 13 || !strings.HasPrefix(n, "FR") || !allDigits(n[2:]) {
		return false
	}
	siren := n[4:]
	if len(siret) >= 9 && siret[:9] != siren {
		return false
	}
	v, _ := strconv.Atoi(siren)
	key, _ := strconv.Atoi(n[2:4])
	return key == (12+3*(v%97))%97
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// luhn reports whether the digits of s pass the Luhn check.
func luhn(s string) bool {
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// VATOf is the VAT on ht at rate (basis points), rounded to the nearest cent, halves up.
func VATOf(ht int64, rate int) int64 {
	return (ht*int64(rate) + 5000) / 10000
}

// Reservation is what validating a paid contribution of ht reserves on the budget that
// pays it: ht plus the VAT the author's billing profile will add, unless the association
// recovers VAT, when the budget carries the HT and the VAT goes to the deductible-VAT
// account at payment. Without a profile yet, the HT: the days cannot be billed until the
// author says how they are paid, and the statement then reserves what the profile adds
// (under the budget's lock, like a validation). rate is the VAT rate reserved, kept on the
// contribution.
func Reservation(ht int64, profile *BillingProfile, vatRecoverable bool) (reserved int64, rate int) {
	if !vatRecoverable && profile != nil && profile.VATRegime == VATLiable {
		rate = profile.VATRate
	}
	return ht + VATOf(ht, rate), rate
}

// BillingSettings is the association's identity on the statements it issues, and whether
// it recovers VAT (off by default: budgets, ceilings and the ledger in TTC).
type BillingSettings struct {
	LegalName      string
	Address        string
	SIREN          string
	VATRecoverable bool
	// DonationReceipts: the association says it may issue donation receipts (an
	// organisation of general interest); then waived expenses get one.
	DonationReceipts bool
	UpdatedAt        time.Time
}

// Normalize trims the settings' fields.
func (s *BillingSettings) Normalize() {
	s.LegalName = strings.Join(strings.Fields(s.LegalName), " ")
	lines := strings.Split(strings.ReplaceAll(s.Address, "\r\n", "\n"), "\n")
	var kept []string
	for _, l := range lines {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			kept = append(kept, l)
		}
	}
	s.Address = strings.Join(kept, "\n")
	s.SIREN = stripSpaces(s.SIREN)
}

// Validate checks normalized settings.
func (s BillingSettings) Validate() error {
	var v Validation
	if s.LegalName == "" {
		v.Add("legal_name", "Indiquez le nom de l’association, tel qu’il figure sur ses statuts.")
	} else if utf8.RuneCountInString(s.LegalName) > MaxLegalNameLen {
		v.Add("legal_name", "Le nom compte au plus 200 caractères.")
	}
	if s.Address == "" {
		v.Add("address", "Indiquez l’adresse du siège : elle figure sur chaque relevé à facturer.")
	} else if utf8.RuneCountInString(s.Address) > 500 {
		v.Add("address", "L’adresse compte au plus 500 caractères.")
	}
	if !ValidSIREN(s.SIREN) {
		v.Add("siren", "Le SIREN compte 9 chiffres et sa clé doit être juste.")
	}
	return v.Err()
}

// Complete tells whether a statement can be issued: the association is named.
func (s BillingSettings) Complete() bool {
	return s.LegalName != "" && s.SIREN != "" && s.Address != ""
}

// StatementNumber is a statement's number: FAB, its year, its rank in the year.
func StatementNumber(year, seq int) string { return fmt.Sprintf("FAB-%d-%04d", year, seq) }

// Statement is a statement to invoice (relevé à facturer): validated days of one person on
// one budget, which the one who invoices them bills quoting its number.
type Statement struct {
	ID        int64
	Number    string
	UserID    int64
	UserName  string
	Profile   BillingProfile // as it was when the statement was issued
	Issuer    BillingSettings
	Payer     AccountRef // the budget that pays: a défi's seed budget or a commun's funds
	PayerName string     // the défi's title or the commun's name
	PayerSlug string     // the défi's or the commun's address
	TotalHT   int64
	Quarters  int
	Lines     []*ContributionRecord
	CreatedAt time.Time
}

// StatementSummary is a statement as a person's list shows it.
type StatementSummary struct {
	Number    string
	CreatedAt time.Time
	TotalHT   int64
	Reserved  int64 // HT and the VAT reserved: what the invoice should come to
	Quarters  int
	PayerName string
}

// ErrBillingSettingsForbidden refuses the billing settings to anyone but the coordination.
var ErrBillingSettingsForbidden = Errorf(EFORBIDDEN, "Seule la coordination règle la facturation.")

// ErrStatementNotFound answers a statement number nobody issued.
var ErrStatementNotFound = Errorf(ENOTFOUND, "Ce relevé n’existe pas.")

// CheckBillable tells whether userID may put k on a statement: their own contribution,
// validated, paid (not volunteer), on no statement yet.
func CheckBillable(userID int64, k *ContributionRecord) error {
	switch {
	case k.UserID != userID:
		return Errorf(EFORBIDDEN, "Vous ne pouvez demander le paiement que de vos propres contributions.")
	case k.Volunteer:
		return fieldError("contribution_id", "Une contribution bénévole n’est pas payée : elle ne va pas sur un relevé.")
	case k.StatementID != 0:
		return fieldError("contribution_id", "Une des contributions choisies est déjà sur le relevé "+k.Statement+".")
	case k.State != ContributionValidated:
		return fieldError("contribution_id", "Seules les contributions validées, pas encore payées, vont sur un relevé.")
	}
	return nil
}

// StatementEmptyError refuses a statement of no contribution.
func StatementEmptyError() error {
	return fieldError("contribution_id", "Cochez les contributions validées dont vous demandez le paiement.")
}

// StatementChoiceError refuses a choice naming a contribution that is not there (any more).
func StatementChoiceError() error {
	return fieldError("contribution_id", "Une des contributions choisies n’existe pas ou vient de changer : rechargez la page.")
}

// StatementOneBudgetError refuses contributions of several défis or budgets together.
func StatementOneBudgetError() error {
	return fieldError("contribution_id", "Un relevé porte sur un seul défi et un seul budget : choisissez des contributions d’un même groupe.")
}

// StatementNoProfileError asks for a billing profile before the first statement.
func StatementNoProfileError() error {
	return Errorf(EINVALID, "Dites d’abord comment vous êtes rémunéré·e (votre CAE, votre micro-entreprise…) dans « Ma facturation ».")
}

// StatementNoIssuerError says the association's identity is missing from the settings.
func StatementNoIssuerError() error {
	return Errorf(EINVALID, "La coordination n’a pas encore renseigné l’identité de l’association (nom, adresse, SIREN) : le relevé ne peut pas encore être émis.")
}

// StatementShortError refuses a statement whose VAT the budget can no longer cover.
func StatementShortError(payer AccountRef) error {
	if payer.Kind == AccountCommonsFunds {
		return Errorf(EINVALID, "Les fonds du commun restants ne couvrent pas la TVA de votre facturation : parlez-en à la coordination.")
	}
	return Errorf(EINVALID, "Le budget d’amorçage restant ne couvre pas la TVA de votre facturation : parlez-en au porteur ou à la coordination.")
}
