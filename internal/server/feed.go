package server

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/movilab"
)

// feedEntries is the length of the Atom feed: enough for a weekly reader of the forum.
const feedEntries = 50

// feedID identifies the feed and, with a change's id, each entry: stable whatever the
// address the platform is reached at.
const feedID = "urn:fabrique-a-communs:defis"

func (s *Server) registerFeedRoutes(r chi.Router) {
	r.Get("/defis.atom", s.handleChallengeFeed)
	r.Get("/defis/{slug}/movilab.txt", s.handleChallengeMovilab)
	r.Get("/communs/{slug}/movilab.txt", s.handleCommonsMovilab)
}

// absoluteURL returns the public address of path: under the configured BaseURL, else
// under the scheme and host the request came with.
func (s *Server) absoluteURL(r *http.Request, path string) string {
	base := strings.TrimRight(s.cfg.BaseURL, "/")
	if base == "" {
		base = s.requestScheme(r) + "://" + r.Host
	}
	return base + path
}

// The Atom 1.0 document (RFC 4287), as encoding/xml writes it: every text escaped.
type (
	atomFeed struct {
		XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
		Lang     string      `xml:"xml:lang,attr"`
		ID       string      `xml:"id"`
		Title    string      `xml:"title"`
		Subtitle string      `xml:"subtitle"`
		Updated  string      `xml:"updated"`
		Links    []atomLink  `xml:"link"`
		Author   atomPerson  `xml:"author"`
		Entries  []atomEntry `xml:"entry"`
	}
	atomLink struct {
		Rel  string `xml:"rel,attr,omitempty"`
		Type string `xml:"type,attr,omitempty"`
		Href string `xml:"href,attr"`
	}
	atomPerson struct {
		Name string `xml:"name"`
	}
	atomText struct {
		Type string `xml:"type,attr"`
		Body string `xml:",chardata"`
	}
	atomEntry struct {
		ID      string     `xml:"id"`
		Title   atomText   `xml:"title"`
		Updated string     `xml:"updated"`
		Link    atomLink   `xml:"link"`
		Author  atomPerson `xml:"author"`
		Summary atomText   `xml:"summary"`
	}
)

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// handleChallengeFeed handles "GET /defis.atom": the latest new défis and status changes,
// for the forum and the networks. One query.
func (s *Server) handleChallengeFeed(w http.ResponseWriter, r *http.Request) {
	events, err := s.db.ChallengeEvents(r.Context(), feedEntries)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	feed := atomFeed{
		Lang:     "fr",
		ID:       feedID,
		Title:    "Défis de la Fabrique à communs des tiers-lieux",
		Subtitle: "Les nouveaux défis des tiers-lieux et leurs changements d’étape.",
		Updated:  atomTime(time.Now()),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: s.absoluteURL(r, "/defis.atom")},
			{Rel: "alternate", Type: "text/html", Href: s.absoluteURL(r, "/defis")},
		},
		Author: atomPerson{Name: "Fabrique à communs des tiers-lieux"},
	}
	if len(events) > 0 {
		feed.Updated = atomTime(events[0].At) // the newest first
	}
	for _, e := range events {
		feed.Entries = append(feed.Entries, feedEntry(e, s.absoluteURL(r, "/defis/"+e.Slug)))
	}
	out, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(out)
}

// feedEntry words one event of the timeline, in French.
func feedEntry(e fabrique.ChallengeEvent, link string) atomEntry {
	title := e.Title + " : " + e.Label()
	summary := e.Summary
	if e.From == "" {
		title = "Nouveau défi : " + e.Title
	} else {
		step := "Le défi passe à l’étape « " + e.To.Label() + " »."
		if e.From == fabrique.StatusClosed {
			step = "Le défi est rouvert, à l’étape « " + e.To.Label() + " »."
		}
		if note := strings.TrimSpace(e.Note); note != "" {
			step += " " + note
		}
		summary = step + "\n\n" + e.Summary
	}
	return atomEntry{
		ID:      feedID + ":evenement:" + strconv.FormatInt(e.ID, 10),
		Title:   atomText{Type: "text", Body: title},
		Updated: atomTime(e.At),
		Link:    atomLink{Rel: "alternate", Type: "text/html", Href: link},
		Author:  atomPerson{Name: e.UserName},
		Summary: atomText{Type: "text", Body: summary},
	}
}

// writeWikitext answers text, to paste into Movilab.
func writeWikitext(w http.ResponseWriter, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(text))
}

// handleChallengeMovilab handles "GET /defis/{slug}/movilab.txt": the défi as wikitext.
func (s *Server) handleChallengeMovilab(w http.ResponseWriter, r *http.Request) {
	sh, err := s.db.ChallengeSheetBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	c := sh.Challenge
	page := movilab.Challenge{
		Title:   c.Title,
		Status:  c.Status.Label(),
		Summary: c.Summary,
		Problem: c.Problem,
		URL:     s.absoluteURL(r, "/defis/"+c.Slug),
	}
	var framing fabrique.Framing // empty fields while the team has written none
	if sh.Framing != nil {
		framing = *sh.Framing
	}
	for _, f := range fabrique.FramingFields {
		page.Framing = append(page.Framing, movilab.Field{Label: f.Label, Markdown: framing.Get(f.Name)})
	}
	for _, m := range sh.Team {
		page.Team = append(page.Team, movilab.Person{Name: m.DisplayName, Lead: m.Role == fabrique.TeamLead})
	}
	page.Places = movilabPlaces(sh.Places)
	for _, k := range sh.Commons {
		page.Commons = append(page.Commons, movilab.LinkedCommons{
			Name: k.Name, URL: s.absoluteURL(r, "/communs/"+k.Slug), MovilabURL: k.MovilabURL,
			Origin: k.Relation == "origine",
		})
	}
	writeWikitext(w, page.Wikitext())
}

// handleCommonsMovilab handles "GET /communs/{slug}/movilab.txt": the commun as wikitext.
func (s *Server) handleCommonsMovilab(w http.ResponseWriter, r *http.Request) {
	sh, err := s.db.CommonsSheetBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	k := sh.Commons
	page := movilab.Commons{
		Name:        k.Name,
		Kind:        movilabKinds[k.Kind],
		Licence:     k.Licence,
		Summary:     k.Summary,
		Description: k.Description,
		Website:     k.Website,
		SourceURL:   k.SourceURL,
		MovilabURL:  k.MovilabURL,
		Places:      movilabPlaces(sh.Places),
		URL:         s.absoluteURL(r, "/communs/"+k.Slug),
	}
	if page.Kind == "" {
		page.Kind = k.Kind
	}
	for _, c := range sh.Challenges {
		note := c.Status.Label()
		if c.Relation == "origine" {
			note += ", à l’origine du commun"
		}
		page.Challenges = append(page.Challenges, movilab.Link{Title: c.Title, URL: s.absoluteURL(r, "/defis/"+c.Slug), Note: note})
	}
	writeWikitext(w, page.Wikitext())
}

// movilabKinds are the French labels of the kinds of communs, as Movilab pages name them.
var movilabKinds = map[string]string{
	"logiciel":      "Logiciel",
	"methode":       "Méthode",
	"documentation": "Documentation",
	"donnees":       "Données",
	"materiel":      "Matériel",
	"autre":         "Autre",
}

func movilabPlaces(list []fabrique.Place) []movilab.Place {
	out := make([]movilab.Place, len(list))
	for i, p := range list {
		out[i] = movilab.Place{Name: p.Name, City: p.City, Region: p.Region}
	}
	return out
}
