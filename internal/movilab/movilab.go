// Package movilab renders défis and communs as MediaWiki wikitext, ready to paste into
// Movilab, the wiki of the tiers-lieux where the Fabrique documents them. It is pure:
// plain structs in, text out. The text is French, as Movilab is.
package movilab

import (
	"net/url"
	"strings"
)

// Challenge is what the Movilab page of a défi shows.
type Challenge struct {
	Title   string
	Status  string // the French label of its step
	Summary string // plain text
	Problem string // Markdown
	Framing []Field
	Team    []Person
	Places  []Place
	Commons []LinkedCommons
	URL     string // its page on the platform, absolute
}

// Field is one field of the framing: its label and its Markdown, "" while not written.
type Field struct {
	Label    string
	Markdown string
}

// Person is a member of a team.
type Person struct {
	Name string
	Lead bool // the porteur
}

// Place is a tiers-lieu.
type Place struct {
	Name   string
	City   string
	Region string
}

// LinkedCommons is a commun linked to a défi.
type LinkedCommons struct {
	Name       string
	URL        string // its page on the platform, absolute
	MovilabURL string // its Movilab page, "" when it has none
	Origin     bool   // the commun the défi gave rise to, rather than an existing solution
}

// Commons is what the Movilab page of a commun shows.
type Commons struct {
	Name        string
	Kind        string // the French label of its kind
	Licence     string
	Summary     string // plain text
	Description string // Markdown
	Website     string
	SourceURL   string
	MovilabURL  string
	Challenges  []Link  // the défis it answers
	Places      []Place // the tiers-lieux that use it
	URL         string  // its page on the platform, absolute
}

// Link is a page of the platform.
type Link struct {
	Title string
	URL   string // absolute
	Note  string // shown after the link, e.g. the défi's step
}

// todo marks what is still to be written, so the Movilab page invites to complete it.
const todo = "À compléter"

// page builds wikitext section by section.
type page struct{ b strings.Builder }

func (p *page) para(s string) {
	if p.b.Len() > 0 {
		p.b.WriteString("\n\n")
	}
	p.b.WriteString(s)
}

func (p *page) section(level int, title string) {
	mark := strings.Repeat("=", level)
	p.para(mark + " " + escapeText(title, false) + " " + mark)
}

func (p *page) list(items []string, empty string) {
	if len(items) == 0 {
		p.para(empty)
		return
	}
	p.para("* " + strings.Join(items, "\n* "))
}

func (p *page) String() string { return mergeNowiki(p.b.String()) + "\n" }

// Wikitext renders the défi's page.
func (c Challenge) Wikitext() string {
	var p page
	p.para("'''" + escapeText(c.Title, false) + "''' est un défi de la Fabrique à communs des tiers-lieux : un problème partagé par des tiers-lieux, qui peut devenir une ressource ouverte.")
	p.list([]string{"'''Étape''' : " + escapeText(c.Status, false)}, "")

	p.section(2, "Résumé")
	p.para(plainText(c.Summary, todo))

	p.section(2, "Problème")
	p.para(markdownOr(c.Problem, 2))

	p.section(2, "Préfiguration")
	for _, f := range c.Framing {
		p.section(3, f.Label)
		p.para(markdownOr(f.Markdown, 3))
	}

	p.section(2, "Équipe")
	team := make([]string, len(c.Team))
	for i, m := range c.Team {
		team[i] = escapeText(m.Name, false)
		if m.Lead {
			team[i] += " (porteur·se du défi)"
		}
	}
	p.list(team, "L’équipe reste à constituer.")

	p.section(2, "Tiers-lieux concernés")
	p.list(places(c.Places), "Aucun tiers-lieu ne s’est encore déclaré concerné.")

	p.section(2, "Communs liés")
	commons := make([]string, len(c.Commons))
	for i, k := range c.Commons {
		commons[i] = commonsLink(k)
		if k.Origin {
			commons[i] += " (commun issu du défi)"
		} else {
			commons[i] += " (solution existante)"
		}
	}
	p.list(commons, "Aucun commun lié pour le moment.")

	p.section(2, "Sur la Fabrique à communs")
	p.list([]string{platformLink(c.URL, "Le défi sur la Fabrique à communs des tiers-lieux")}, "")
	return p.String()
}

// Wikitext renders the commun's page.
func (c Commons) Wikitext() string {
	var p page
	p.para("'''" + escapeText(c.Name, false) + "''' est un commun de la cartographie des ressources de la Fabrique à communs des tiers-lieux.")
	licence := escapeText(c.Licence, false)
	if strings.TrimSpace(c.Licence) == "" {
		licence = "à préciser"
	}
	p.list([]string{"'''Type''' : " + escapeText(c.Kind, false), "'''Licence''' : " + licence}, "")

	if strings.TrimSpace(c.Summary) != "" {
		p.section(2, "Résumé")
		p.para(plainText(c.Summary, todo))
	}

	p.section(2, "Liens")
	var links []string
	if c.Website != "" {
		links = append(links, "Site web : "+externalLink(c.Website, ""))
	}
	if c.SourceURL != "" {
		links = append(links, "Code source : "+externalLink(c.SourceURL, ""))
	}
	if c.MovilabURL != "" {
		links = append(links, "Page Movilab : "+commonsLink(LinkedCommons{Name: c.Name, MovilabURL: c.MovilabURL}))
	}
	links = append(links, platformLink(c.URL, "Le commun sur la Fabrique à communs des tiers-lieux"))
	p.list(links, "")

	p.section(2, "Description")
	p.para(markdownOr(c.Description, 2))

	p.section(2, "Défis auxquels il répond")
	challenges := make([]string, len(c.Challenges))
	for i, l := range c.Challenges {
		challenges[i] = platformLink(l.URL, escapeText(l.Title, false))
		if l.Note != "" {
			challenges[i] += " (" + escapeText(l.Note, false) + ")"
		}
	}
	p.list(challenges, "Aucun défi lié pour le moment.")

	p.section(2, "Tiers-lieux qui l’utilisent")
	p.list(places(c.Places), "Aucun tiers-lieu ne s’est encore déclaré utilisateur.")
	return p.String()
}

// markdownOr converts src below a section of level section, or says it is to be written.
func markdownOr(src string, section int) string {
	if s := Markdown(src, section); strings.TrimSpace(s) != "" {
		return s
	}
	return todo
}

// plainText renders text typed without Markdown: its paragraphs, each line kept.
func plainText(s, empty string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if s == "" {
		return empty
	}
	var paras []string
	for _, para := range strings.Split(s, "\n\n") {
		var lines []string
		for _, l := range strings.Split(para, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, escapeText(l, false))
			}
		}
		if len(lines) > 0 {
			paras = append(paras, lineStart(strings.Join(lines, "<br />")))
		}
	}
	return strings.Join(paras, "\n\n")
}

func places(list []Place) []string {
	out := make([]string, len(list))
	for i, pl := range list {
		out[i] = escapeText(pl.Name, false)
		var where []string
		for _, s := range []string{pl.City, pl.Region} {
			if strings.TrimSpace(s) != "" {
				where = append(where, escapeText(s, false))
			}
		}
		if len(where) > 0 {
			out[i] += " (" + strings.Join(where, ", ") + ")"
		}
	}
	return out
}

// platformLink links to a page of the platform, or keeps the label when the address is
// not a web one.
func platformLink(href, label string) string {
	return externalLink(href, label)
}

// commonsLink links to a commun: a wiki link to its Movilab page when it has one, else
// an external link to its page on the platform.
func commonsLink(k LinkedCommons) string {
	if title := wikiTitle(k.MovilabURL); title != "" {
		if title == k.Name {
			return "[[" + title + "]]"
		}
		return "[[" + title + "|" + escapeText(k.Name, false) + "]]"
	}
	if k.MovilabURL != "" {
		return externalLink(k.MovilabURL, escapeText(k.Name, false))
	}
	return externalLink(k.URL, escapeText(k.Name, false))
}

// wikiTitle returns the title of the Movilab page at address, as a wiki link names it
// ("https://movilab.org/wiki/Cahier_d'activités" → "Cahier d'activités"), or "" when the
// address is not a Movilab page or the title cannot be written in a link as it is.
func wikiTitle(address string) string {
	u, err := url.Parse(strings.TrimSpace(address))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	if host != "movilab.org" && !strings.HasSuffix(host, ".movilab.org") {
		return ""
	}
	var title string
	switch {
	case strings.HasPrefix(u.Path, "/wiki/"):
		title = strings.TrimPrefix(u.Path, "/wiki/")
	case u.Query().Get("title") != "":
		title = u.Query().Get("title")
	default:
		return ""
	}
	title = strings.TrimSpace(strings.ReplaceAll(title, "_", " "))
	// A title that would need escaping (a signature, a behaviour switch, an entity…)
	// cannot be written between [[ ]]: the page gets an external link instead.
	if title == "" || strings.ContainsAny(title, "[]{}|#<>\n") || escapeText(title, false) != title {
		return ""
	}
	return title
}
