package fabrique_test

import (
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

func TestParseParisTime(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want string // UTC, RFC 3339; "" for an error
	}{
		{"2027-01-12T14:00", "2027-01-12T13:00:00Z"},    // winter: UTC+1
		{"2027-07-12T14:00", "2027-07-12T12:00:00Z"},    // summer: UTC+2
		{"2027-07-12T14:00:00", "2027-07-12T12:00:00Z"}, // seconds some browsers send
		{"2027-03-28T02:30", ""},                        // skipped when clocks go forward
		{"2027-03-28T03:30", "2027-03-28T01:30:00Z"},
		{"2027-10-31T02:30", "2027-10-31T01:30:00Z"}, // twice that night: the second, in winter time
		{"12/03/2027 14:00", ""},
		{"2027-02-30T10:00", ""},
		{"", ""},
		{"1899-01-01T10:00", ""},
	} {
		got, msg := fabrique.ParseParisTime(c.in)
		switch {
		case c.want == "" && msg == "":
			t.Errorf("%q: got %v, want an error", c.in, got)
		case c.want != "" && (msg != "" || got.UTC().Format(time.RFC3339) != c.want):
			t.Errorf("%q: got %v (%q), want %s", c.in, got.UTC(), msg, c.want)
		}
	}
}

func TestEventFormValidate(t *testing.T) {
	t.Parallel()
	valid := func() fabrique.EventForm {
		return fabrique.EventForm{Title: "Prendre en main Loot", Kind: fabrique.EventRessources, Summary: "Une heure pour découvrir Loot.",
			Online: true, VisioURL: "https://visio.example.org/loot", StartsAt: "2027-01-12T14:00", EndsAt: "2027-01-12T15:30", Capacity: "12"}
	}
	f := valid()
	if err := f.Validate(); err != nil {
		t.Fatalf("valid form: %v", err)
	}
	if f.Cap == nil || *f.Cap != 12 || f.Ends.Sub(f.Starts) != 90*time.Minute {
		t.Errorf("parsed: cap %v, duration %v", f.Cap, f.Ends.Sub(f.Starts))
	}
	for _, c := range []struct {
		field string
		edit  func(*fabrique.EventForm)
	}{
		{"title", func(f *fabrique.EventForm) { f.Title = "" }},
		{"kind", func(f *fabrique.EventForm) { f.Kind = "fete" }},
		{"summary", func(f *fabrique.EventForm) { f.Summary = "" }},
		{"ends_at", func(f *fabrique.EventForm) { f.EndsAt = "2027-01-12T13:00" }},
		{"ends_at", func(f *fabrique.EventForm) { f.EndsAt = f.StartsAt }},
		{"starts_at", func(f *fabrique.EventForm) { f.StartsAt = "demain" }},
		{"starts_at", func(f *fabrique.EventForm) { f.StartsAt = "2027-03-28T02:30" }},
		{"capacity", func(f *fabrique.EventForm) { f.Capacity = "0" }},
		{"capacity", func(f *fabrique.EventForm) { f.Capacity = "douze" }},
		{"visio_url", func(f *fabrique.EventForm) { f.VisioURL = "javascript:alert(1)" }},
		{"place_slug", func(f *fabrique.EventForm) { f.Online = false }},
		{"ends_at", func(f *fabrique.EventForm) {
			f.Kind, f.EndsAt = fabrique.EventResidence, "2027-01-18T15:30"
		}},
	} {
		f := valid()
		c.edit(&f)
		if got := fabrique.ErrorFields(f.Validate())[c.field]; got == "" {
			t.Errorf("%+v: no error on %s", f, c.field)
		}
	}
	// No capacity: no limit.
	f = valid()
	f.Capacity = ""
	if err := f.Validate(); err != nil || f.Cap != nil {
		t.Errorf("no capacity: %v, cap %v", err, f.Cap)
	}
}

func TestMaySeeVisio(t *testing.T) {
	t.Parallel()
	member := &fabrique.User{ID: 2, Role: fabrique.RoleContributor}
	coord := &fabrique.User{ID: 3, Role: fabrique.RoleCoordinator}
	registered := &fabrique.Registration{State: fabrique.RegistrationRegistered}
	waiting := &fabrique.Registration{State: fabrique.RegistrationWaiting}
	for _, c := range []struct {
		u    *fabrique.User
		f    fabrique.EventViewerFacts
		want bool
	}{
		{nil, fabrique.EventViewerFacts{}, false},
		{member, fabrique.EventViewerFacts{}, false},
		{member, fabrique.EventViewerFacts{Registration: waiting}, false},
		{member, fabrique.EventViewerFacts{Registration: registered}, true},
		{member, fabrique.EventViewerFacts{Organiser: true}, true},
		{coord, fabrique.EventViewerFacts{}, true},
	} {
		if got := fabrique.MaySeeVisio(c.u, c.f); got != c.want {
			t.Errorf("%+v %+v: got %v", c.u, c.f, got)
		}
	}
}
