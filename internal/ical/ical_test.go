package ical_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/fabrique-a-communs/fabrique/internal/ical"
)

func TestWriteReadsBack(t *testing.T) {
	t.Parallel()
	start := time.Date(2027, 3, 28, 1, 30, 0, 0, time.UTC)
	long := strings.Repeat("Résidence contributive à l’Hermitage, avec café ; thé, et \\ gâteaux. ", 4) + "\nDeuxième ligne."
	var buf bytes.Buffer
	err := ical.Write(&buf, ical.Calendar{Name: "Agenda de la Fabrique", Events: []ical.Event{
		{UID: "rendez-vous-1@fabrique.example", Summary: "Atelier, Loot ; prise en main", Description: long, Location: "L’Hermitage, Autrêches",
			URL: "https://fabrique.example/rendez-vous/atelier", Start: start, End: start.Add(2 * time.Hour), Stamp: start.Add(-time.Hour), Sequence: 3},
		{UID: "rendez-vous-2@fabrique.example", Summary: "Annulé", Start: start, End: start.Add(time.Hour), Stamp: start, Cancelled: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	for i, l := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i, len(l), l)
		}
		if strings.Contains(l, "\n") {
			t.Errorf("line %d ends in a bare LF", i)
		}
	}
	if !strings.HasSuffix(raw, "END:VCALENDAR\r\n") || strings.Count(raw, "\n") != strings.Count(raw, "\r\n") {
		t.Error("lines do not all end in CRLF")
	}
	if !strings.Contains(raw, "SUMMARY:Atelier\\, Loot \\; prise en main\r\n") {
		t.Errorf("SUMMARY not escaped:\n%s", raw)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, raw)
	}
	evs := cal.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events", len(evs))
	}
	e := evs[0]
	prop := func(p ics.ComponentProperty) string {
		if v := e.GetProperty(p); v != nil {
			return v.Value
		}
		return ""
	}
	if got := prop(ics.ComponentPropertySummary); got != "Atelier, Loot ; prise en main" {
		t.Errorf("SUMMARY %q", got)
	}
	if got := prop(ics.ComponentPropertyDescription); got != long {
		t.Errorf("DESCRIPTION unfolded differs:\n%q\n%q", got, long)
	}
	if s, err := e.GetStartAt(); err != nil || !s.Equal(start) {
		t.Errorf("DTSTART %v %v", s, err)
	}
	if prop(ics.ComponentPropertySequence) != "3" || prop(ics.ComponentPropertyUniqueId) != "rendez-vous-1@fabrique.example" {
		t.Errorf("SEQUENCE %q UID %q", prop(ics.ComponentPropertySequence), prop(ics.ComponentPropertyUniqueId))
	}
	if v := evs[1].GetProperty(ics.ComponentPropertyStatus); v == nil || v.Value != "CANCELLED" {
		t.Errorf("STATUS of the cancelled one: %v", v)
	}
}
