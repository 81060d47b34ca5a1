package fabrique

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// Invoices (DESIGN §3, issue 17): the statement's author uploads the invoice of the one
// who invoices their days (their CAE…), with its number, dates and amounts; a coordinator
// who is not its author checks it — bon à payer, or à corriger with a reason, when the
// author replaces its file — then records its payment: one ledger movement for its TTC,
// every contribution of its statement paid together.

// Invoice states.
const (
	InvoiceFiled   = "deposee"     // uploaded, waiting for the coordination's check
	InvoiceOK      = "bon_a_payer" // checked: to pay
	InvoiceToFix   = "a_corriger"  // sent back with a reason; its author replaces the file
	InvoicePaid    = "payee"
	CauseInvoice   = "invoice"
	AccountVAT     = "vat_deductible" // the VAT an association that recovers it paid: a claim
	MaxDocument    = 10 << 20         // bytes of an uploaded document
	MaxInvoiceNum  = 60
	maxVATMention  = 300
	maxFixReason   = 2000
	maxPaymentRef  = 100
	DocumentPDF    = "application/pdf"
	documentJPEG   = "image/jpeg"
	documentPNG    = "image/png"
	invoiceFutureD = 31 // days an invoice may be dated ahead (a clock wrong by a day, a date typed ahead)
)

// InvoiceStateLabel is a state's name for people.
func InvoiceStateLabel(s string) string {
	switch s {
	case InvoiceFiled:
		return "Déposée, à vérifier"
	case InvoiceOK:
		return "Bon à payer"
	case InvoiceToFix:
		return "À corriger"
	case InvoicePaid:
		return "Payée"
	}
	return s
}

// Invoice is an invoice filed against a statement.
type Invoice struct {
	ID            int64
	StatementID   int64
	Statement     string // its number
	StatementHT   int64  // the statement's total HT
	UserID        int64  // its author: the statement's
	UserName      string
	IssuerSIRET   string
	IssuerName    string
	Number        string
	IssuedOn      time.Time
	DueOn         time.Time
	HT, VAT, TTC  int64
	VATMention    string
	DocumentID    int64
	Document      Document
	SeenBefore    int // other documents with the same bytes
	State         string
	Reason        string
	CheckedBy     int64
	CheckedByName string
	PaidOn        time.Time
	Reference     string
	Reserved      int64 // what its contributions reserve (HT + estimated VAT)
	Payer         AccountRef
	PayerName     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Overdue tells whether an invoice to pay is past its due date on today.
func (inv *Invoice) Overdue(today time.Time) bool {
	return inv.State != InvoicePaid && inv.DueOn.Before(today)
}

// Warnings are what the coordination should look at before paying: not refusals.
func (inv *Invoice) Warnings() []string {
	var w []string
	if inv.HT != inv.StatementHT {
		w = append(w, "Le montant HT de la facture diffère du total HT du relevé.")
	}
	if inv.SeenBefore > 0 {
		w = append(w, "Ce fichier a déjà été déposé : vérifiez qu’il ne s’agit pas d’une facture déjà payée.")
	}
	if inv.TTC > inv.Reserved {
		w = append(w, "La facture dépasse ce que la validation a réservé : la différence doit tenir dans le budget.")
	}
	return w
}

// Document is an uploaded file: an invoice's PDF, a receipt.
type Document struct {
	ID          int64
	SHA256      string
	ContentType string
	Size        int64
	Name        string
	UploadedBy  int64
	CreatedAt   time.Time
}

// InvoiceForm is the invoice's fields as typed, amounts parsed.
type InvoiceForm struct {
	Number, IssuedOn, DueOn, HT, VAT, TTC, VATMention string
}

// NewInvoice is an invoice to file, its fields read and checked.
type NewInvoice struct {
	Number          string
	IssuedOn, DueOn time.Time
	HT, VAT, TTC    int64
	VATMention      string
	File            Upload
}

// Upload is a file sent with a form: an invoice, a receipt.
type Upload struct {
	Data        []byte
	Name        string
	ContentType string // read from the bytes, never from the name
	TooLarge    bool   // over MaxDocument: not read whole
	Missing     bool
}

// ParseInvoiceForm reads the invoice's fields; today bounds its date.
func ParseInvoiceForm(f InvoiceForm, today time.Time) (NewInvoice, error) {
	var v Validation
	var in NewInvoice
	in.Number = strings.Join(strings.Fields(f.Number), " ")
	switch n := utf8.RuneCountInString(in.Number); {
	case n == 0:
		v.Add("number", "Indiquez le numéro de la facture.")
	case n > MaxInvoiceNum:
		v.Add("number", "Le numéro de facture compte au plus 60 caractères.")
	}
	var err error
	if in.IssuedOn, err = time.Parse(time.DateOnly, strings.TrimSpace(f.IssuedOn)); err != nil {
		v.Add("issued_on", "Indiquez la date de la facture au format AAAA-MM-JJ.")
	} else if in.IssuedOn.Year() < MinFundYear || in.IssuedOn.After(today.AddDate(0, 0, invoiceFutureD)) {
		v.Add("issued_on", "La date de la facture doit être entre 2020 et aujourd’hui.")
	}
	if in.DueOn, err = time.Parse(time.DateOnly, strings.TrimSpace(f.DueOn)); err != nil {
		v.Add("due_on", "Indiquez l’échéance de la facture au format AAAA-MM-JJ.")
	} else if !in.IssuedOn.IsZero() && in.DueOn.Before(in.IssuedOn) {
		v.Add("due_on", "L’échéance ne peut pas précéder la date de la facture.")
	}
	amount := func(field, s string, zero bool) int64 {
		if zero && strings.TrimSpace(s) != "" && ZeroAmount(s) {
			return 0
		}
		c, err := ParseAmount(s)
		if err != nil {
			v.Add(field, ErrorMessage(err))
		}
		return c
	}
	in.HT = amount("amount_ht", f.HT, false)
	in.VAT = amount("vat", f.VAT, true)
	in.TTC = amount("amount_ttc", f.TTC, false)
	if v.Fields["amount_ht"] == "" && v.Fields["vat"] == "" && v.Fields["amount_ttc"] == "" && in.HT+in.VAT != in.TTC {
		v.Add("amount_ttc", "Le montant TTC doit être égal au HT plus la TVA : vérifiez les trois montants.")
	}
	in.VATMention = strings.Join(strings.Fields(f.VATMention), " ")
	if utf8.RuneCountInString(in.VATMention) > maxVATMention {
		v.Add("vat_mention", "La mention de TVA compte au plus 300 caractères.")
	} else if in.VAT == 0 && in.VATMention == "" && v.Fields["vat"] == "" {
		v.Add("vat_mention", "Sans TVA, recopiez la mention de la facture, par exemple « TVA non applicable, art. 293 B du CGI ».")
	}
	return in, v.Err()
}

// ZeroAmount tells whether s says zero euros ("0", "0,00 €").
func ZeroAmount(s string) bool {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€"))
	return strings.Trim(strings.NewReplacer(",", "", ".", "", " ", "", "\u00a0", "", "\u202f", "").Replace(s), "0") == ""
}

// CheckDocument refuses a file that is missing, too large, or not of an accepted type
// (detected from its bytes), next to the field; pdfOnly for an invoice.
func CheckDocument(field string, u Upload, pdfOnly bool) error {
	switch {
	case (u.Missing || len(u.Data) == 0) && pdfOnly:
		return fieldError(field, "Joignez le fichier de la facture (PDF).")
	case u.Missing || len(u.Data) == 0:
		return fieldError(field, "Joignez le justificatif : un PDF, ou une photo en JPEG ou PNG.")
	case u.TooLarge || len(u.Data) > MaxDocument:
		return fieldError(field, "Le fichier dépasse 10 Mio : réduisez-le ou scannez-le en plus basse résolution.")
	case u.ContentType == DocumentPDF:
		return nil
	case !pdfOnly && (u.ContentType == documentJPEG || u.ContentType == documentPNG):
		return nil
	case pdfOnly:
		return fieldError(field, "Le fichier n’est pas un PDF : déposez la facture en PDF.")
	}
	return fieldError(field, "Le fichier doit être un PDF, un JPEG ou un PNG.")
}

// InvoiceDecision is what the coordination does with an invoice.
type InvoiceDecision string

// The decisions on an invoice.
const (
	InvoiceApprove InvoiceDecision = "bon-a-payer"
	InvoiceReject  InvoiceDecision = "a-corriger"
	InvoicePay     InvoiceDecision = "payer"
)

// CheckInvoiceDecision tells whether actor may take d on inv: a coordinator who is not
// its author, in a state that allows it. A decision already taken (a second click)
// returns already.
func CheckInvoiceDecision(actor *User, d InvoiceDecision, inv *Invoice) (already bool, err error) {
	if !actor.IsCoordinator() {
		return false, Errorf(EFORBIDDEN, "Seule la coordination vérifie et paie les factures.")
	}
	if actor.ID == inv.UserID {
		return false, Errorf(EFORBIDDEN, "Vous ne pouvez pas vérifier ni payer votre propre facture : un·e autre coordinateur·rice s’en charge.")
	}
	switch d {
	case InvoiceApprove:
		switch inv.State {
		case InvoiceOK:
			return true, nil
		case InvoiceFiled:
			return false, nil
		}
	case InvoiceReject:
		switch inv.State {
		case InvoiceFiled, InvoiceOK:
			return false, nil
		case InvoiceToFix:
			return true, nil
		}
	case InvoicePay:
		switch inv.State {
		case InvoicePaid:
			return true, nil
		case InvoiceOK:
			return false, nil
		case InvoiceFiled, InvoiceToFix:
			return false, Errorf(EINVALID, "Une facture se paie une fois marquée « bon à payer ».")
		}
	}
	return false, Errorf(ECONFLICT, "Cette facture est déjà payée.")
}

// CheckFixReason checks the reason an invoice is sent back.
func CheckFixReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return "", fieldError("reason", "Dites ce qui est à corriger sur la facture.")
	case n > maxFixReason:
		return "", fieldError("reason", "La raison compte au plus 2 000 caractères.")
	}
	return reason, nil
}

// CheckExpenseRefusal checks the reason expenses are refused.
func CheckExpenseRefusal(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return "", fieldError("reason", "Dites pourquoi ces frais sont refusés.")
	case n > maxFixReason:
		return "", fieldError("reason", "La raison compte au plus 2 000 caractères.")
	}
	return reason, nil
}

// CheckPaymentReference checks a payment's bank reference.
func CheckPaymentReference(ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	switch n := utf8.RuneCountInString(ref); {
	case n == 0:
		return "", fieldError("reference", "Indiquez la référence du virement.")
	case n > maxPaymentRef:
		return "", fieldError("reference", "La référence compte au plus 100 caractères.")
	}
	return ref, nil
}

// ShareTTC splits ttc among amounts in proportion to them, the cents left by rounding
// down given to the largest remainders (the first on ties), so the shares add up to ttc.
func ShareTTC(ttc int64, amounts []int64) []int64 {
	shares := make([]int64, len(amounts))
	var total int64
	for _, a := range amounts {
		total += a
	}
	if total <= 0 {
		return shares
	}
	rems := make([]int64, len(amounts))
	var given int64
	for i, a := range amounts {
		shares[i] = ttc * a / total
		rems[i] = ttc * a % total
		given += shares[i]
	}
	for left := ttc - given; left > 0; left-- {
		best := -1
		for i := range rems {
			if best < 0 || rems[i] > rems[best] {
				best = i
			}
		}
		shares[best]++
		rems[best] = -1
	}
	return shares
}

// InvoicePaymentMemo is the public ledger's detail of an invoice paid: its statement and
// amounts; never a file, an address or an IBAN. Who it paid is read live
// (InvoicePayeeLabel), so that a person's erased name leaves the ledger with them.
func InvoicePaymentMemo(inv *Invoice) string {
	return fmt.Sprintf("Relevé %s : HT %s, TVA %s, TTC %s", inv.Statement, i18n.Money("fr", inv.HT), i18n.Money("fr", inv.VAT), i18n.Money("fr", inv.TTC))
}

// InvoiceVATMemo is the detail of the deductible VAT of an invoice paid.
func InvoiceVATMemo(inv *Invoice) string { return InvoicePaymentMemo(inv) + " — TVA déductible" }

// PaidWithoutInvoice marks, in the public ledger, a contribution paid on its own for its
// HT: as every payment was before invoices, and still for days billed on no statement.
const PaidWithoutInvoice = "Payée au HT, sans facture."

// InvoicePayeeLabel names, in the public ledger, whom an invoice paid.
func InvoicePayeeLabel(number, issuer, person string) string {
	return fmt.Sprintf("Facture n° %s de %s pour %s", number, issuer, person)
}

// Refusals of invoices.
var (
	ErrInvoiceNotFound     = Errorf(ENOTFOUND, "Cette facture n’existe pas.")
	ErrInvoiceNotYours     = Errorf(EFORBIDDEN, "Seul·e l’auteur·rice du relevé y dépose sa facture.")
	ErrInvoiceAlreadyFiled = Errorf(ECONFLICT, "Une facture est déjà déposée pour ce relevé : elle ne se remplace que si la coordination la renvoie à corriger.")
	ErrInvoiceLinesChanged = Errorf(ECONFLICT, "Une contribution du relevé a changé d’état : la facture ne peut pas être payée ainsi.")
	ErrPaidOnInvoice       = Errorf(EINVALID, "Cette personne est payée sur facture : elle demande le paiement de ses jours validés, et sa facture se paie depuis le relevé.")
)

// InvoiceNumberTakenError refuses an invoice number its issuer already used.
func InvoiceNumberTakenError() error {
	return fieldError("number", "Une facture de cette structure portant ce numéro est déjà enregistrée : vérifiez le numéro.")
}

// InvoiceShortError refuses a payment the budget no longer covers.
func InvoiceShortError(payer AccountRef) error {
	if payer.Kind == AccountCommonsFunds {
		return Errorf(EINVALID, "Les fonds du commun ne couvrent pas le montant de cette facture.")
	}
	return Errorf(EINVALID, "Le budget d’amorçage du défi ne couvre pas le montant de cette facture.")
}
