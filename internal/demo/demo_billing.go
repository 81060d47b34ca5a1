package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// demoBilling names the association on its statements, gives the team members who logged
// paid days a billing profile of each kind — a CAE at 20 %, a micro-entrepreneur in
// franchise, an employer lending someone, an association — and has the CAE contributor ask for a statement
// of their validated, unpaid days. It runs once: once the association is named, it does
// nothing.
func demoBilling(ctx context.Context, db *postgres.DB, pool *pgxpool.Pool, now time.Time) error {
	settings, err := db.BillingSettings(ctx)
	if err != nil || settings.Complete() {
		return err
	}
	coord, err := db.UserByEmail(ctx, CoordinatorEmail)
	if err != nil {
		return err
	}
	if err := db.SaveBillingSettings(ctx, coord, fabrique.BillingSettings{LegalName: "Association de la Fabrique à communs (démo)",
		Address: "12 rue des Tanneurs\n23200 Aubusson", SIREN: "812345676"}); err != nil {
		return fmt.Errorf("billing settings: %w", err)
	}
	// Team members, those with validated paid days first.
	rows, err := pool.Query(ctx, `SELECT m.user_id FROM challenge_members m
		LEFT JOIN contributions k ON k.user_id = m.user_id AND NOT k.volunteer AND k.state = 'validee'
		WHERE m.state = 'accepted' GROUP BY m.user_id ORDER BY count(k.id) DESC, m.user_id LIMIT 4`)
	if err != nil {
		return err
	}
	var authors []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		authors = append(authors, id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	profiles := []fabrique.BillingProfile{
		{Kind: fabrique.BillingCAE, LegalName: "Coopérative d’activité Les Ouvrages (démo)", SIRET: "79876543200017",
			VATNumber: "FR63798765432", VATRegime: fabrique.VATLiable, VATRate: 2000},
		{Kind: fabrique.BillingMicro, LegalName: "Atelier Brindille (démo)", SIRET: "88345612300016", VATRegime: fabrique.VATFranchise},
		{Kind: fabrique.BillingEmployer, LegalName: "Tiers-lieu La Grange (démo)", SIRET: "81234567900011", VATRegime: fabrique.VATExempt},
		{Kind: fabrique.BillingAssociation, LegalName: "Association Les Communeux (démo)", SIRET: "42300000000012", VATRegime: fabrique.VATExempt},
	}
	for i, id := range authors {
		if _, err := db.SaveBillingProfile(ctx, id, profiles[i]); err != nil {
			return fmt.Errorf("billing profile: %w", err)
		}
	}
	if len(authors) == 0 {
		return nil
	}
	// The CAE contributor asks for a statement of one défi's validated days.
	var ids []int64
	rows, err = pool.Query(ctx, `SELECT id FROM contributions WHERE user_id = $1 AND state = 'validee' AND NOT volunteer
		AND statement_id IS NULL AND challenge_id = (SELECT min(challenge_id) FROM contributions
		    WHERE user_id = $1 AND state = 'validee' AND NOT volunteer) ORDER BY id`, authors[0])
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return err
	}
	first, err := db.CreateStatement(ctx, authors[0], ids, now)
	if err != nil {
		return fmt.Errorf("statement: %w", err)
	}
	return demoInvoices(ctx, db, pool, coord, authors[0], first, now)
}

// demoPDF stands for the PDF of an invoice or a receipt.
var demoPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// demoInvoices gives the CAE contributor invoices in every state — the first statement's
// waiting for its check, then a day each on statements whose invoices are bon à payer, à
// corriger and paid — and the porteur of the same défi two expenses: a train ticket waived
// (with its donation receipt, the association saying it may issue them) and a purchase
// waiting for validation.
func demoInvoices(ctx context.Context, db *postgres.DB, pool *pgxpool.Pool, coord *fabrique.User, author int64, first *fabrique.Statement, now time.Time) error {
	lead, err := db.UserByID(ctx, first.Lines[0].LeadID)
	if err != nil {
		return err
	}
	challengeID := first.Lines[0].ChallengeID
	day := parisDay(now)
	file := func(st *fabrique.Statement, n int) (int64, error) {
		vat := fabrique.VATOf(st.TotalHT, st.Profile.VATRate)
		in := fabrique.NewInvoice{Number: fmt.Sprintf("LO-%d-%03d", day.Year(), 40+n), IssuedOn: day.AddDate(0, 0, -n), DueOn: day.AddDate(0, 0, 30-n),
			HT: st.TotalHT, VAT: vat, TTC: st.TotalHT + vat, VATMention: "TVA 20 %",
			File: fabrique.Upload{Data: demoPDF, Name: fmt.Sprintf("facture-LO-%03d.pdf", 40+n), ContentType: fabrique.DocumentPDF}}
		return db.FileInvoice(ctx, author, st.Number, in)
	}
	if _, err := file(first, 0); err != nil {
		return fmt.Errorf("invoice: %w", err)
	}
	for n, state := range []string{fabrique.InvoiceOK, fabrique.InvoiceToFix, fabrique.InvoicePaid} {
		// Worked three weeks ago or so, declared the next evening, validated three days later.
		worked := day.AddDate(0, 0, -20+3*n)
		declared := worked.Add(day.Sub(day.AddDate(0, 0, -1)) + 18*time.Hour)
		validated := daytime(declared.Add(3 * 24 * time.Hour))
		rec, err := db.CreateContribution(ctx, challengeID, author, fabrique.Contribution{WorkedOn: worked, Quarters: 4,
			Activity: "documentation", Description: "Fiche pratique de la cantine partagée, chapitre " + fmt.Sprint(n+1) + "."})
		if err != nil {
			return fmt.Errorf("contribution: %w", err)
		}
		if err := redate(ctx, pool, "contributions", rec.ID, "created_at", declared); err != nil {
			return err
		}
		if _, _, err := db.ValidateContribution(postgres.Backdated(ctx, validated), rec.ID, lead); err != nil {
			return fmt.Errorf("validate: %w", err)
		}
		if err := redate(ctx, pool, "contributions", rec.ID, "validated_at", validated); err != nil {
			return err
		}
		st, err := db.CreateStatement(ctx, author, []int64{rec.ID}, now)
		if err != nil {
			return fmt.Errorf("statement: %w", err)
		}
		id, err := file(st, n+1)
		if err != nil {
			return fmt.Errorf("invoice: %w", err)
		}
		switch state {
		case fabrique.InvoiceToFix:
			_, err = db.DecideInvoice(ctx, id, coord, fabrique.InvoiceReject, "Le numéro du relevé ne figure pas sur la facture : ajoutez-le.")
		default:
			if _, err = db.DecideInvoice(ctx, id, coord, fabrique.InvoiceApprove, ""); err == nil && state == fabrique.InvoicePaid {
				_, err = db.PayInvoice(ctx, id, coord, day, fmt.Sprintf("VIR-%d-LO-%03d", day.Year(), 40+n+1))
			}
		}
		if err != nil {
			return fmt.Errorf("invoice decision: %w", err)
		}
	}
	settings, err := db.BillingSettings(ctx)
	if err != nil {
		return err
	}
	settings.DonationReceipts = true
	if err := db.SaveBillingSettings(ctx, coord, settings); err != nil {
		return err
	}
	receipt := fabrique.Upload{Data: demoPDF, Name: "billet-train.pdf", ContentType: fabrique.DocumentPDF}
	gift, err := db.ClaimExpense(ctx, challengeID, lead.ID, fabrique.NewExpense{SpentOn: day.AddDate(0, 0, -12),
		Description: "Train Paris–Aubusson pour la résidence contributive", Amount: 38_40, Waived: true, Receipt: receipt})
	if err != nil {
		return fmt.Errorf("expense: %w", err)
	}
	if _, err := db.DecideExpense(ctx, gift, coord, fabrique.ExpenseValidate, "", time.Time{}, ""); err != nil {
		return fmt.Errorf("expense: %w", err)
	}
	if _, err := db.DecideExpense(ctx, gift, coord, fabrique.ExpenseReceipt, "", time.Time{}, ""); err != nil {
		return fmt.Errorf("donation receipt: %w", err)
	}
	receipt.Name = "ticket-quincaillerie.pdf"
	if _, err := db.ClaimExpense(ctx, challengeID, lead.ID, fabrique.NewExpense{SpentOn: day.AddDate(0, 0, -5),
		Description: "Étagères pour la réserve de la cantine", Amount: 64_90, Receipt: receipt}); err != nil {
		return fmt.Errorf("expense: %w", err)
	}
	return nil
}
