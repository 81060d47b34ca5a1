package server

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"
	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// Invoices (issue 17): the statement's author files the invoice (a PDF and its figures)
// at POST /releves/{number}/factures; the coordination checks and pays it from
// /factures/{id}. The document is served to its author and the coordination only.

// maxUploadBody bounds the body of a form with a document: a 10 MiB file, its fields and
// the multipart framing; a larger file is read up to 10 MiB and refused next to its field.
const maxUploadBody = 12 << 20

// uploadPath tells whether a request posts a form with a document, allowed maxUploadBody.
func uploadPath(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	p := r.URL.Path
	return (strings.HasPrefix(p, "/releves/") && strings.HasSuffix(p, "/factures")) ||
		(strings.HasPrefix(p, "/defis/") && strings.HasSuffix(p, "/frais"))
}

func (s *Server) registerInvoiceRoutes(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(s.requireLogin)
		r.Post("/releves/{number}/factures", s.handleInvoiceFile)
		r.Get("/factures/{id}", s.handleInvoiceShow)
		r.Get("/factures/{id}/document", s.handleInvoiceDocument)
		r.Post("/factures/{id}/bon-a-payer", s.handleInvoiceDecision(fabrique.InvoiceApprove))
		r.Post("/factures/{id}/a-corriger", s.handleInvoiceDecision(fabrique.InvoiceReject))
		r.Post("/factures/{id}/payer", s.handleInvoicePay)
	})
}

// upload is a multipart form read: its fields, and its one file.
type upload struct {
	fields   map[string]string
	file     []byte
	name     string
	tooLarge bool
	missing  bool
}

// readUpload reads a multipart form of small fields and one file named fileField, the
// file up to fabrique.MaxDocument bytes (tooLarge past it). It answers 400 or 413 itself
// and returns false when the body is not such a form.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request, fileField string) (*upload, bool) {
	bad := func(err error) (*upload, bool) {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.renderError(w, r, http.StatusRequestEntityTooLarge, "Formulaire trop volumineux", "Le formulaire envoyé dépasse la taille autorisée.")
		} else {
			s.renderError(w, r, http.StatusBadRequest, "Requête invalide", "Le formulaire envoyé est mal formé.")
		}
		return nil, false
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return bad(err)
	}
	u := &upload{fields: map[string]string{}, missing: true}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			return bad(err)
		}
		name := part.FormName()
		if name == fileField && part.FileName() != "" {
			data, err := io.ReadAll(io.LimitReader(part, fabrique.MaxDocument+1))
			if err != nil {
				return bad(err)
			}
			if len(data) > fabrique.MaxDocument {
				// Read what is left (the body is bounded), so the client gets the answer
				// saying the file is too large rather than a connection reset.
				u.tooLarge = true
				_, _ = io.Copy(io.Discard, r.Body)
				break
			}
			u.file, u.name, u.missing = data, cleanFileName(part.FileName()), len(data) == 0
			continue
		}
		value, err := io.ReadAll(io.LimitReader(part, 64<<10))
		if err != nil {
			return bad(err)
		}
		if !utf8.Valid(value) || bytes.IndexByte(value, 0) >= 0 {
			s.renderError(w, r, http.StatusBadRequest, "Requête invalide", "Le formulaire contient des caractères invalides.")
			return nil, false
		}
		if _, seen := u.fields[name]; !seen {
			u.fields[name] = string(value)
		}
	}
	return u, true
}

// document is the form's file, its type read from its bytes (never from its name or the
// browser's word), without parameters.
func (u *upload) document() fabrique.Upload {
	d := fabrique.Upload{Data: u.file, Name: u.name, TooLarge: u.tooLarge, Missing: u.missing}
	if len(u.file) > 0 && !u.tooLarge {
		d.ContentType = mimetype.Detect(u.file).String()
		if t, _, err := mime.ParseMediaType(d.ContentType); err == nil {
			d.ContentType = t
		}
	}
	return d
}

// cleanFileName keeps a file's base name, printable, at most 200 characters.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	return name
}

// handleInvoiceFile handles "POST /releves/{number}/factures" (multipart: file, number,
// issued_on, due_on, amount_ht, vat, amount_ttc, vat_mention): the statement's author
// files its invoice, or replaces one sent back to be corrected.
func (s *Server) handleInvoiceFile(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, err := s.db.StatementByNumber(ctx, chi.URLParam(r, "number"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	u := userFrom(ctx)
	if st.UserID != u.ID {
		s.error(w, r, fabrique.ErrInvoiceNotYours)
		return
	}
	up, ok := s.readUpload(w, r, "file")
	if !ok {
		return
	}
	form := fabrique.InvoiceForm{Number: up.fields["number"], IssuedOn: up.fields["issued_on"], DueOn: up.fields["due_on"],
		HT: up.fields["amount_ht"], VAT: up.fields["vat"], TTC: up.fields["amount_ttc"], VATMention: up.fields["vat_mention"]}
	in, verr := fabrique.ParseInvoiceForm(form, franceToday())
	errs := fabrique.ErrorFields(verr)
	in.File = up.document()
	if err := fabrique.CheckDocument("file", in.File, true); err != nil {
		if errs == nil {
			errs = map[string]string{}
		}
		for k, v := range fabrique.ErrorFields(err) {
			errs[k] = v
		}
	}
	if len(errs) > 0 {
		s.renderStatement(w, r, http.StatusUnprocessableEntity, st, &form, errs)
		return
	}
	id, err := s.db.FileInvoice(ctx, u.ID, st.Number, in)
	switch fabrique.ErrorCode(err) {
	case "":
		s.flash(ctx, "La facture est déposée : la coordination la vérifie avant de la payer.")
		redirect(w, r, "/factures/"+strconv.FormatInt(id, 10))
	case fabrique.EINVALID:
		s.renderStatement(w, r, http.StatusUnprocessableEntity, st, &form, fabrique.ErrorFields(err))
	default:
		s.error(w, r, err)
	}
}

// invoiceFromURL returns the invoice named by {id} if the viewer may see it (its author,
// the coordination), or answers 404 / 403 and false.
func (s *Server) invoiceFromURL(w http.ResponseWriter, r *http.Request) (*fabrique.Invoice, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return nil, false
	}
	inv, err := s.db.InvoiceByID(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return nil, false
	}
	u := userFrom(r.Context())
	if inv.UserID != u.ID && !u.IsCoordinator() {
		s.forbidden(w, r)
		return nil, false
	}
	return inv, true
}

// handleInvoiceShow handles "GET /factures/{id}".
func (s *Server) handleInvoiceShow(w http.ResponseWriter, r *http.Request) {
	inv, ok := s.invoiceFromURL(w, r)
	if !ok {
		return
	}
	s.renderInvoice(w, r, http.StatusOK, inv, nil)
}

// renderInvoiceRefused answers 422 with the invoice's page and msg, a refusal about no field.
func (s *Server) renderInvoiceRefused(w http.ResponseWriter, r *http.Request, inv *fabrique.Invoice, msg string) {
	s.renderInvoiceWith(w, r, http.StatusUnprocessableEntity, inv, nil, msg)
}

func (s *Server) renderInvoice(w http.ResponseWriter, r *http.Request, status int, inv *fabrique.Invoice, errs map[string]string) {
	s.renderInvoiceWith(w, r, status, inv, errs, "")
}

func (s *Server) renderInvoiceWith(w http.ResponseWriter, r *http.Request, status int, inv *fabrique.Invoice, errs map[string]string, msg string) {
	u := userFrom(r.Context())
	vm := pages.InvoiceView{Page: s.page(r, "Facture"), Invoice: inv, Mine: inv.UserID == u.ID, Errors: errs, Error: msg,
		Today: franceToday().Format(time.DateOnly), Overdue: inv.Overdue(franceToday())}
	vm.Page.Title = "Facture " + inv.Number // a number is not a catalog key
	for _, d := range []fabrique.InvoiceDecision{fabrique.InvoiceApprove, fabrique.InvoiceReject, fabrique.InvoicePay} {
		if already, err := fabrique.CheckInvoiceDecision(u, d, inv); err == nil && !already {
			switch d {
			case fabrique.InvoiceApprove:
				vm.CanApprove = true
			case fabrique.InvoiceReject:
				vm.CanReject = true
			case fabrique.InvoicePay:
				vm.CanPay = true
			}
		}
	}
	vm.OwnBar = u.IsCoordinator() && inv.UserID == u.ID && inv.State != fabrique.InvoicePaid
	s.render(w, r, status, pages.InvoicePage(vm))
}

// handleInvoiceDocument handles "GET /factures/{id}/document": the file, for its author
// and the coordination, never cached by anyone on the way.
func (s *Server) handleInvoiceDocument(w http.ResponseWriter, r *http.Request) {
	inv, ok := s.invoiceFromURL(w, r)
	if !ok {
		return
	}
	s.serveDocument(w, r, inv.DocumentID, "facture-"+strconv.FormatInt(inv.ID, 10))
}

// serveDocument answers with document id, named fallback when it came without a name,
// shown inline, never cached on the way, never run as a page of the site.
func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request, id int64, fallback string) {
	doc, data, err := s.db.DocumentData(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", doc.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
	name := doc.Name
	if name == "" {
		name = fallback
	}
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": name}))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}

// handleInvoiceDecision handles "POST /factures/{id}/bon-a-payer" and "/a-corriger"
// (reason).
func (s *Server) handleInvoiceDecision(d fabrique.InvoiceDecision) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		inv, ok := s.invoiceFromURL(w, r)
		if !ok || !s.parseForm(w, r) {
			return
		}
		ctx := r.Context()
		reason := ""
		if d == fabrique.InvoiceReject {
			var err error
			if reason, err = fabrique.CheckFixReason(r.PostForm.Get("reason")); err != nil {
				if _, err2 := fabrique.CheckInvoiceDecision(userFrom(ctx), d, inv); err2 != nil {
					s.error(w, r, err2) // rights first: someone else gets 403 whatever they sent
					return
				}
				s.renderInvoice(w, r, http.StatusUnprocessableEntity, inv, fabrique.ErrorFields(err))
				return
			}
		}
		already, err := s.db.DecideInvoice(ctx, inv.ID, userFrom(ctx), d, reason)
		switch {
		case err != nil:
			s.error(w, r, err)
			return
		case already:
			s.flash(ctx, "Cette décision était déjà prise : rien n’a changé.")
		case d == fabrique.InvoiceApprove:
			s.flash(ctx, "La facture est bonne à payer.")
		default:
			s.flash(ctx, "La facture est renvoyée à corriger : son auteur·rice en dépose une nouvelle version.")
		}
		redirect(w, r, "/factures/"+strconv.FormatInt(inv.ID, 10))
	}
}

// handleInvoicePay handles "POST /factures/{id}/payer" (paid_on, reference).
func (s *Server) handleInvoicePay(w http.ResponseWriter, r *http.Request) {
	inv, ok := s.invoiceFromURL(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	if _, err := fabrique.CheckInvoiceDecision(u, fabrique.InvoicePay, inv); fabrique.ErrorCode(err) == fabrique.EFORBIDDEN {
		s.error(w, r, err) // rights first
		return
	}
	errs := map[string]string{}
	paidOn, msg := parseWorkDay(r.PostForm.Get("paid_on"))
	if msg != "" {
		errs["paid_on"] = msg
	}
	reference, err := fabrique.CheckPaymentReference(r.PostForm.Get("reference"))
	for k, v := range fabrique.ErrorFields(err) {
		errs[k] = v
	}
	if len(errs) > 0 {
		s.renderInvoice(w, r, http.StatusUnprocessableEntity, inv, errs)
		return
	}
	already, err := s.db.PayInvoice(ctx, inv.ID, u, paidOn, reference)
	switch {
	case fabrique.ErrorCode(err) == fabrique.EINVALID && fabrique.ErrorFields(err) == nil:
		s.renderInvoiceRefused(w, r, inv, fabrique.ErrorMessage(err))
		return
	case err != nil:
		s.error(w, r, err)
		return
	case already:
		s.flash(ctx, "Cette facture était déjà payée : rien n’a changé.")
	default:
		s.flash(ctx, "Le paiement de la facture est enregistré.")
	}
	redirect(w, r, "/factures/"+strconv.FormatInt(inv.ID, 10))
}
