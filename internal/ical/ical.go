// Package ical writes iCalendar feeds (RFC 5545) of the rendez-vous: CRLF line ends, lines
// folded at 75 octets without splitting a character, text escaped, times in UTC. Written
// by hand — a calendar is a few lines per event — and read back in the tests by
// github.com/arran4/golang-ical, the parser calendar clients resemble.
package ical

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one VEVENT.
type Event struct {
	UID         string // stable across fetches and edits
	Summary     string
	Description string
	Location    string
	URL         string
	Start, End  time.Time
	Stamp       time.Time // DTSTAMP: when this version was made (the event's last change)
	Created     time.Time
	Sequence    int // raised at each change
	Cancelled   bool
}

// Calendar is a VCALENDAR: its name and its events.
type Calendar struct {
	Name   string
	Events []Event
}

// Write writes c to w.
func Write(w io.Writer, c Calendar) error {
	b := bufio.NewWriter(w)
	line := func(name, value string) { fold(b, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//Fabrique à communs des tiers-lieux//Agenda//FR")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	if c.Name != "" {
		line("X-WR-CALNAME", Escape(c.Name))
	}
	for _, e := range c.Events {
		line("BEGIN", "VEVENT")
		line("UID", Escape(e.UID))
		line("DTSTAMP", utc(e.Stamp))
		if !e.Created.IsZero() {
			line("CREATED", utc(e.Created))
			line("LAST-MODIFIED", utc(e.Stamp))
		}
		line("DTSTART", utc(e.Start))
		line("DTEND", utc(e.End))
		line("SEQUENCE", strconv.Itoa(e.Sequence))
		line("SUMMARY", Escape(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION", Escape(e.Description))
		}
		if e.Location != "" {
			line("LOCATION", Escape(e.Location))
		}
		if e.URL != "" {
			line("URL", e.URL)
		}
		if e.Cancelled {
			line("STATUS", "CANCELLED")
		} else {
			line("STATUS", "CONFIRMED")
		}
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	return b.Flush()
}

func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// Escape escapes a TEXT value: backslash, semicolon, comma and newlines.
func Escape(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// fold writes l as content lines of at most 75 octets each, CRLF-terminated, the
// continuations starting with a space, never cutting a UTF-8 sequence.
func fold(b *bufio.Writer, l string) {
	limit := 75
	for len(l) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		b.WriteString(l[:cut])
		b.WriteString("\r\n ")
		l = l[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(l)
	b.WriteString("\r\n")
}
