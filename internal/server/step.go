package server

import (
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/markdown"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// A commun's development steps: what will be done, when, for how much. Its porteur (the
// porteur of the défi it came from) or a coordinator publishes them on the commun's page.

func (s *Server) registerStepRoutes(r chi.Router) {
	r.With(s.requireLogin).Post("/communs/{slug}/etapes", s.handleStepCreate)
}

// Bounds of a step's dates: the Fabrique's programme did not exist before 2020, and a
// date past 2100 is a typing mistake.
var (
	firstStepDay = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	lastStepDay  = time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC)
)

// parseStepDay reads a YYYY-MM-DD date between 2020 and 2100; the message says what is
// wrong, or is "".
func parseStepDay(s string) (time.Time, string) {
	if s == "" {
		return time.Time{}, "Indiquez une date."
	}
	d, err := time.Parse(time.DateOnly, s)
	switch {
	case err != nil:
		return time.Time{}, "Indiquez une date au format AAAA-MM-JJ, par exemple 2026-03-14."
	case d.Before(firstStepDay) || d.After(lastStepDay):
		return time.Time{}, "La date doit être comprise entre 2020 et 2100."
	}
	return d, ""
}

// parseStepForm reads the step form; errors are by field.
func parseStepForm(form url.Values) (pages.StepForm, fabrique.Step, map[string]string) {
	f := pages.StepForm{
		Title:       strings.Join(strings.Fields(form.Get("title")), " "),
		Description: cleanText(form.Get("description")),
		Goal:        strings.TrimSpace(form.Get("goal")),
		StartsOn:    strings.TrimSpace(form.Get("starts_on")),
		EndsOn:      strings.TrimSpace(form.Get("ends_on")),
	}
	st := fabrique.Step{Title: f.Title, Description: f.Description}
	var v fabrique.Validation
	switch n := utf8.RuneCountInString(f.Title); {
	case n == 0:
		v.Add("title", "Indiquez le titre de l’étape.")
	case n > fabrique.MaxStepTitleLen:
		v.Add("title", "Le titre ne doit pas dépasser 160 caractères.")
	}
	if utf8.RuneCountInString(f.Description) > fabrique.MaxStepDescriptionLen {
		v.Add("description", "La description ne doit pas dépasser 20 000 caractères.")
	}
	if goal, err := fabrique.ParseAmount(f.Goal); err != nil {
		v.Add("goal", fabrique.ErrorMessage(err))
	} else {
		st.Goal = goal
	}
	var msg string
	if st.StartsOn, msg = parseStepDay(f.StartsOn); msg != "" {
		v.Add("starts_on", msg)
	}
	if st.EndsOn, msg = parseStepDay(f.EndsOn); msg != "" {
		v.Add("ends_on", msg)
	}
	if !st.StartsOn.IsZero() && !st.EndsOn.IsZero() && st.EndsOn.Before(st.StartsOn) {
		v.Add("ends_on", "La fin de l’étape ne peut pas précéder son début.")
	}
	return f, st, v.Fields
}

// handleStepCreate handles "POST /communs/{slug}/etapes" (title, description, goal,
// starts_on, ends_on): the commun's porteur or a coordinator publishes a development
// step. Rights come before the fields, so a stranger learns nothing from the errors.
func (s *Server) handleStepCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := s.db.CommonsBySlug(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	u := userFrom(ctx)
	may, err := s.db.MayEditSteps(ctx, c.ID, u)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !may {
		s.forbidden(w, r)
		return
	}
	form, st, errs := parseStepForm(r.PostForm)
	var msg string
	if len(errs) == 0 {
		_, err = s.db.CreateStep(ctx, c.ID, u, st)
		switch fabrique.ErrorCode(err) {
		case "":
			s.flash(ctx, "L’étape de développement est publiée : les financeurs peuvent la soutenir.")
			redirect(w, r, "/communs/"+c.Slug)
			return
		case fabrique.EINVALID: // a check of the schema the form's missed: said above the form
			errs = map[string]string{}
			msg = fabrique.ErrorMessage(err)
		default:
			s.error(w, r, err)
			return
		}
	}
	page := s.page(r, "")
	page.Title = c.Name // a name people wrote is not a catalog key
	vm, err := s.commonsShowView(r.Context(), r.Method, page, c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm.StepForm, vm.StepErrors, vm.StepMessage = form, errs, msg
	s.render(w, r, http.StatusUnprocessableEntity, pages.CommonsShow(vm))
}

// stepItems pairs each step of a commun, in the order they start, with its figures, as
// StepFigures returns them, and its number within the commun (1, 2, 3…).
func stepItems(steps []fabrique.Step, figures map[int64]fabrique.StepFigures) []pages.StepItem {
	items := make([]pages.StepItem, len(steps))
	for i, st := range steps {
		f, ok := figures[st.ID]
		if !ok { // nothing known of it yet: its whole goal remains
			f = fabrique.StepFigures{Goal: st.Goal, Remaining: st.Goal}
		}
		// steps come in the order they start: their number within the commun follows it
		items[i] = pages.StepItem{Step: st, Number: i + 1, Figures: f, DescriptionHTML: markdown.Render(st.Description)}
	}
	return items
}
