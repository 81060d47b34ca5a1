package fabrique

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// Expenses (DESIGN §3, issue 17): a team member — a volunteer most often — claims what
// they spent for the défi (travel to a résidence…) on a receipt; the porteur or a
// coordinator, never its author, validates it, which reserves its amount on the budget
// that pays the défi's work, and a coordinator reimburses it like an invoice. Or its
// author waives the reimbursement (the renunciation they ticked is recorded): no money
// moves, and when the association says it may, a coordinator issues a numbered donation
// receipt.

// Expense states.
const (
	ExpenseDeclared   = "declaree"
	ExpenseValidated  = "validee"
	ExpenseReimbursed = "remboursee"
	ExpenseRefused    = "refusee"
	CauseExpense      = "expense"
	MaxExpenseAmount  = 1000000 // 10 000,00 €
	maxExpenseDesc    = 1000
)

// WaiverText is the renunciation a person ticks to waive an expense's reimbursement; it is
// recorded with the expense.
const WaiverText = "Je renonce au remboursement de ces frais, engagés pour l’association, et je les lui abandonne à titre de don."

// ExpenseStateLabel is a state's name for people; a waived expense validated is a gift.
func ExpenseStateLabel(state string, waived bool) string {
	switch state {
	case ExpenseDeclared:
		return "Déclarés, en attente de validation"
	case ExpenseValidated:
		if waived {
			return "Validés, abandonnés à l’association"
		}
		return "Validés, à rembourser"
	case ExpenseReimbursed:
		return "Remboursés"
	case ExpenseRefused:
		return "Refusés"
	}
	return state
}

// Expense is an expense claimed on a défi.
type Expense struct {
	ID             int64
	ChallengeID    int64
	ChallengeSlug  string
	ChallengeTitle string
	LeadID         int64
	UserID         int64
	UserName       string
	Payer          AccountRef
	SpentOn        time.Time
	Description    string
	Amount         int64
	DocumentID     int64
	Waived         bool
	WaiverText     string
	State          string
	Reason         string
	PaidOn         time.Time
	Reference      string
	ReceiptNumber  string
	ReceiptAt      time.Time
	CreatedAt      time.Time
}

// NewExpense is an expense claimed, its fields read and checked.
type NewExpense struct {
	SpentOn     time.Time
	Description string
	Amount      int64
	Waived      bool
	Receipt     Upload
}

// ExpenseForm is the expense form as typed.
type ExpenseForm struct {
	Date, Description, Amount string
	Waived                    bool
}

// ParseExpenseForm reads the expense's fields; today bounds its date.
func ParseExpenseForm(f ExpenseForm, today time.Time) (NewExpense, error) {
	var v Validation
	n := NewExpense{Waived: f.Waived}
	var err error
	if n.SpentOn, err = time.Parse(time.DateOnly, strings.TrimSpace(f.Date)); err != nil {
		v.Add("date", "Indiquez la date de la dépense au format AAAA-MM-JJ.")
	} else if n.SpentOn.Year() < MinFundYear || n.SpentOn.After(today) {
		v.Add("date", "La date de la dépense doit être entre 2020 et aujourd’hui.")
	}
	n.Description = strings.Join(strings.Fields(f.Description), " ")
	switch l := utf8.RuneCountInString(n.Description); {
	case l == 0:
		v.Add("description", "Dites ce qui a été payé et pour quoi, par exemple « Train Paris–Aubusson pour la résidence ».")
	case l > maxExpenseDesc:
		v.Add("description", "La description compte au plus 1 000 caractères.")
	}
	if n.Amount, err = ParseAmount(f.Amount); err != nil {
		v.Add("amount", ErrorMessage(err))
	} else if n.Amount > MaxExpenseAmount {
		v.Add("amount", "Une note de frais compte au plus 10 000,00 € : au-delà, parlez-en à la coordination.")
	}
	return n, v.Err()
}

// ExpenseDecision is what may be done to an expense once claimed.
type ExpenseDecision string

// The decisions on an expense.
const (
	ExpenseValidate  ExpenseDecision = "valider"
	ExpenseRefuse    ExpenseDecision = "refuser"
	ExpenseReimburse ExpenseDecision = "rembourser"
	ExpenseReceipt   ExpenseDecision = "recu"
)

// CheckExpenseDecision tells whether u may take d on e: the porteur or a coordinator
// validates or refuses, a coordinator reimburses or issues the receipt, never its author.
// A decision already taken returns already.
func CheckExpenseDecision(u *User, d ExpenseDecision, e *Expense, receiptsAllowed bool) (already bool, err error) {
	if u == nil || u.ID == e.UserID {
		return false, Errorf(EFORBIDDEN, "Vous ne pouvez pas décider de vos propres frais : une autre personne de l’équipe ou de la coordination le fait.")
	}
	switch d {
	case ExpenseValidate, ExpenseRefuse:
		if !u.IsCoordinator() && u.ID != e.LeadID {
			return false, Errorf(EFORBIDDEN, "Seuls le·la porteur·se du défi et la coordination valident les frais.")
		}
		switch {
		case e.State == ExpenseValidated && d == ExpenseValidate, e.State == ExpenseRefused && d == ExpenseRefuse:
			return true, nil
		case e.State == ExpenseReimbursed:
			return false, Errorf(ECONFLICT, "Ces frais sont déjà remboursés.")
		case e.State == ExpenseRefused:
			return false, Errorf(ECONFLICT, "Ces frais ont été refusés.")
		case e.ReceiptNumber != "":
			return false, Errorf(ECONFLICT, "Un reçu a été émis pour ces frais : ils ne peuvent plus être refusés.")
		}
		return false, nil
	case ExpenseReimburse:
		switch {
		case !u.IsCoordinator():
			return false, Errorf(EFORBIDDEN, "Seule la coordination rembourse les frais.")
		case e.Waived:
			return false, Errorf(EINVALID, "Ces frais sont abandonnés à l’association : ils ne se remboursent pas.")
		case e.State == ExpenseReimbursed:
			return true, nil
		case e.State != ExpenseValidated:
			return false, Errorf(EINVALID, "Des frais se remboursent une fois validés.")
		}
		return false, nil
	case ExpenseReceipt:
		switch {
		case !u.IsCoordinator():
			return false, Errorf(EFORBIDDEN, "Seule la coordination émet les reçus de don.")
		case !e.Waived:
			return false, Errorf(EINVALID, "Un reçu de don ne s’émet que pour des frais abandonnés à l’association.")
		case !receiptsAllowed:
			return false, Errorf(EINVALID, "L’association n’a pas indiqué pouvoir émettre des reçus de don (réglages de facturation).")
		case e.ReceiptNumber != "":
			return true, nil
		case e.State != ExpenseValidated:
			return false, Errorf(EINVALID, "Un reçu de don s’émet pour des frais validés.")
		}
		return false, nil
	}
	return false, Errorf(EINVALID, "Valeur invalide.")
}

// ReceiptNumber is a donation receipt's number.
func ReceiptNumber(year, seq int) string { return fmt.Sprintf("RF-%d-%04d", year, seq) }

// ExpenseMemo is the public ledger's detail of an expense reimbursed.
func ExpenseMemo(e *Expense) string {
	return fmt.Sprintf("Frais remboursés : %s (%s)", e.Description, i18n.Money("fr", e.Amount))
}

// Refusals of expenses.
var (
	ErrExpenseNotFound = Errorf(ENOTFOUND, "Ces frais n’existent pas.")
	ErrExpenseNotTeam  = Errorf(EFORBIDDEN, "Seuls les membres de l’équipe du défi y déclarent des frais.")
)

// ExpenseShortError refuses an expense the budget cannot cover.
func ExpenseShortError(payer AccountRef) error {
	if payer.Kind == AccountCommonsFunds {
		return Errorf(EINVALID, "Les fonds du commun restants ne couvrent pas ces frais.")
	}
	return Errorf(EINVALID, "Le budget d’amorçage restant ne couvre pas ces frais.")
}
