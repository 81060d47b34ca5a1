// Package demo loads data into the store: realistic French demo data for trying the
// platform (Demo).
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/password"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// DemoPassword is the password of every demo account.
const DemoPassword = "fabrique-demo-2026"

// demoLockID serialises concurrent runs of Demo.
const demoLockID = 0x46616273 // "Fabs"

// Account is a demo account, as printed for the person who loaded the data.
type Account struct {
	Email, Password, DisplayName, Role, Note string
}

// Demo loads the demo data in one transaction and returns the demo accounts. It is
// idempotent: users, places and communs are matched by email or slug and left alone when
// they exist, a défi's team, timeline and links are only written with the défi itself,
// and its framing only when it has none.
//
// The story is written with raw SQL on pool, the caller's own pool on the store's
// database (the store offers no backdated inserts, nor should it); the money and the
// development go through the store's methods and rules.
func Demo(ctx context.Context, db *postgres.DB, pool *pgxpool.Pool) ([]Account, error) {
	p, err := buildPlan(time.Now())
	if err != nil {
		return nil, err
	}
	hash, err := password.Hash(DemoPassword, password.Default)
	if err != nil {
		return nil, fmt.Errorf("seed: hash password: %w", err)
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("seed: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(demoLockID)); err != nil {
		return nil, fmt.Errorf("seed: lock: %w", err)
	}
	if err := p.write(ctx, tx, hash); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("seed: commit: %w", err)
	}
	if err := demoCommonsUses(ctx, pool); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	if err := demoMoney(ctx, db, pool, time.Now()); err != nil {
		return nil, fmt.Errorf("seed: money: %w", err)
	}
	if err := demoDevelopment(ctx, db, pool, time.Now()); err != nil {
		return nil, fmt.Errorf("seed: development: %w", err)
	}
	if err := demoEvents(ctx, db, pool, time.Now()); err != nil {
		return nil, fmt.Errorf("seed: rendez-vous: %w", err)
	}
	if err := demoWorkPlan(ctx, db, pool, time.Now()); err != nil {
		return nil, fmt.Errorf("seed: work plan: %w", err)
	}
	if err := demoBilling(ctx, db, pool, time.Now()); err != nil {
		return nil, fmt.Errorf("seed: billing: %w", err)
	}
	return demoAccounts(), nil
}

// PrintAccounts writes the accounts as an aligned table, in French.
func PrintAccounts(w io.Writer, accounts []Account) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "E-mail\tMot de passe\tRôle\tNote")
	for _, a := range accounts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Email, a.Password, roleLabel(a.Role), a.Note)
	}
	tw.Flush()
}

func roleLabel(role string) string {
	switch role {
	case fabrique.RoleCoordinator:
		return "coordinateur·rice"
	case fabrique.RoleContributor:
		return "contributeur·rice"
	}
	return role
}

// demoAccounts lists the demo users with a note on what each is for.
func demoAccounts() []Account {
	out := make([]Account, 0, len(demoUsers))
	for _, u := range demoUsers {
		role := u.Role
		if role == "" {
			role = fabrique.RoleContributor
		}
		out = append(out, Account{Email: u.Email, Password: DemoPassword, DisplayName: u.Name, Role: role, Note: userNote(u)})
	}
	return out
}

// userNote says what a demo account is for: the défis it leads, else its teams.
func userNote(u demoUser) string {
	if u.Note != "" {
		return u.Note
	}
	var leads []string
	teams := 0
	for _, c := range demoChallenges {
		if c.Lead == u.Email {
			leads = append(leads, "« "+c.Title+" »")
		}
		for _, m := range c.Members {
			if m.Email == u.Email && m.State == stateAccepted {
				teams++
			}
		}
	}
	who, contrib := "porteur", "contributeur"
	if u.Feminine {
		who, contrib = "porteuse", "contributrice"
	}
	switch len(leads) {
	case 0:
		switch teams {
		case 0:
			return contrib
		case 1:
			return contrib + ", membre d'une équipe"
		}
		return fmt.Sprintf("%s, membre de %d équipes", contrib, teams)
	case 1:
		return who + " du défi " + leads[0]
	}
	return who + " des défis " + strings.Join(leads[:len(leads)-1], ", ") + " et " + leads[len(leads)-1]
}

// plan is the demo data with every timestamp computed and every reference checked,
// before anything touches the database.
type plan struct {
	offset     time.Duration // moves the whole story to end the day before now
	users      []planUser
	places     []planPlace
	commons    []planCommons
	challenges []planChallenge
}

type planUser struct {
	demoUser
	created time.Time
}

type planPlace struct {
	demoPlace
	slug    string
	created time.Time
	members []planAt // user emails
}

type planCommons struct {
	demoCommons
	created time.Time
}

type planAt struct {
	key string
	at  time.Time
}

type planStep struct {
	from        fabrique.Status // "" for the first step
	to          fabrique.Status
	at          time.Time
	note        string
	coordinator bool // recorded by the coordinator rather than the porteur
}

type planMember struct {
	email, role, state, message string
	created                     time.Time
	decided                     *time.Time
}

type planLink struct {
	commons, relation string
	at                time.Time
}

// planFraming is a défi's framing and its history: a first partial draft by the
// porteur, then the complete version by a member.
type planFraming struct {
	current          fabrique.Framing
	draft            fabrique.Framing
	draftBy, finalBy string // emails
	draftAt, finalAt time.Time
}

type planChallenge struct {
	demoChallenge
	slug             string
	status           fabrique.Status
	created, updated time.Time
	steps            []planStep
	members          []planMember
	places           []planAt // place slugs
	links            []planLink
	framing          *planFraming // nil for the défis that never reached préfiguration
}

const day = 24 * time.Hour

func parseTime(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("seed: bad time %q: %w", s, err)
	}
	return t, nil
}

// daytime moves t to working hours (08:00–17:59 UTC) on the same day, keeping its minutes.
func daytime(t time.Time) time.Time {
	t = t.Truncate(time.Minute)
	return time.Date(t.Year(), t.Month(), t.Day(), 8+t.Hour()%10, t.Minute(), 0, 0, time.UTC)
}

func statusRank(s fabrique.Status) int { return slices.Index(fabrique.Statuses, s) }

// buildPlan checks the demo data and computes its timestamps. The story is written in
// 2026 and moved, by whole days, to end the day before now: it stays a believable
// past year whatever the day it is loaded.
func buildPlan(now time.Time) (*plan, error) {
	p := &plan{}
	var latest time.Time
	see := func(t time.Time) time.Time {
		if t.After(latest) {
			latest = t
		}
		return t
	}
	userIndex := map[string]int{}
	firstActivity := map[string]time.Time{}
	active := func(email string, t time.Time) {
		if f, ok := firstActivity[email]; !ok || t.Before(f) {
			firstActivity[email] = t
		}
	}
	for i, u := range demoUsers {
		if _, dup := userIndex[u.Email]; dup {
			return nil, fmt.Errorf("seed: duplicate user %s", u.Email)
		}
		userIndex[u.Email] = i
	}
	placeSlug := map[string]string{}
	for _, pl := range demoPlaces {
		// The demo writes its places in SQL, with their dates: the form's rules hold anyway.
		form := fabrique.NewPlace{Name: pl.Name, City: pl.City, Region: pl.Region, Website: pl.Website,
			Description: pl.Description, Address: pl.Address, Contact: pl.Contact}
		form.Normalize()
		if err := form.Validate(); err != nil || form.Description != pl.Description || form.Address != pl.Address {
			return nil, fmt.Errorf("seed: place %q: %v", pl.Name, fabrique.ErrorFields(err))
		}
		created, err := parseTime(pl.Created)
		if err != nil {
			return nil, err
		}
		pp := planPlace{demoPlace: pl, slug: fabrique.Slugify(pl.Name), created: see(created)}
		if pp.slug == "" || placeSlug[pl.Name] != "" {
			return nil, fmt.Errorf("seed: place %q: bad or duplicate name", pl.Name)
		}
		placeSlug[pl.Name] = pp.slug
		p.places = append(p.places, pp)
	}
	commonsSlugs := map[string]bool{}
	base, _ := parseTime("2026-01-05 09:00")
	for i, c := range demoCommonsList {
		if !slices.Contains(fabrique.CommonsKinds, c.Kind) || fabrique.Slugify(c.Slug) != c.Slug {
			return nil, fmt.Errorf("seed: commun %q: bad kind or slug", c.Slug)
		}
		commonsSlugs[c.Slug] = true
		p.commons = append(p.commons, planCommons{demoCommons: c, created: see(base.Add(time.Duration(i) * time.Hour))})
	}

	slugs := map[string]bool{}
	for _, c := range demoChallenges {
		pc, err := planChallengeOf(c, userIndex, placeSlug, commonsSlugs)
		if err != nil {
			return nil, err
		}
		if slugs[pc.slug] {
			return nil, fmt.Errorf("seed: défi %q: duplicate slug", c.Title)
		}
		slugs[pc.slug] = true
		active(c.Lead, pc.created)
		for _, m := range pc.members {
			active(m.email, m.created)
			see(m.created)
			if m.decided != nil {
				see(*m.decided)
			}
		}
		for _, s := range pc.steps {
			see(s.at)
		}
		for _, pl := range pc.places {
			see(pl.at)
		}
		for _, l := range pc.links {
			see(l.at)
		}
		if pc.framing != nil {
			see(pc.framing.finalAt)
		}
		p.challenges = append(p.challenges, pc)
	}

	// Accounts exist a few days before their first action; the coordinator from the start.
	coordCreated, _ := parseTime("2026-01-02 09:00")
	idle, _ := parseTime("2026-06-15 10:00")
	for _, u := range demoUsers {
		created := idle
		if u.Email == CoordinatorEmail {
			created = coordCreated
		} else if f, ok := firstActivity[u.Email]; ok {
			created = f.Add(-4 * day)
		}
		p.users = append(p.users, planUser{demoUser: u, created: see(created)})
	}
	for i := range p.places {
		pl := &p.places[i]
		for _, email := range pl.Members {
			ui, ok := userIndex[email]
			if !ok {
				return nil, fmt.Errorf("seed: place %q: unknown member %s", pl.Name, email)
			}
			at := pl.created
			if uc := p.users[ui].created; uc.After(at) {
				at = uc
			}
			pl.members = append(pl.members, planAt{email, see(at.Add(day))})
		}
	}

	// The story ends yesterday (in Paris), whatever the day it is loaded: it moves by
	// whole days, its times of day kept, the same all day long (make snapshot compares
	// two runs of the same day).
	last := time.Date(latest.Year(), latest.Month(), latest.Day(), 0, 0, 0, 0, time.UTC)
	p.offset = parisDay(now).AddDate(0, 0, -1).Sub(last)
	if !latest.Add(p.offset).Before(now.Add(-time.Hour)) {
		p.offset -= day
	}
	return p, nil
}

// planChallengeOf checks one défi and computes its timeline, team and links.
func planChallengeOf(c demoChallenge, userIndex map[string]int, placeSlug map[string]string, commonsSlugs map[string]bool) (planChallenge, error) {
	pc := planChallenge{demoChallenge: c, slug: fabrique.Slugify(c.Title)}
	fail := func(format string, args ...any) (planChallenge, error) {
		return planChallenge{}, fmt.Errorf("seed: défi %q: %s", c.Title, fmt.Sprintf(format, args...))
	}
	nc := fabrique.NewChallenge{Title: c.Title, Summary: c.Summary, Problem: c.Problem}
	if err := nc.Validate(); err != nil {
		return fail("%v", fabrique.ErrorFields(err))
	}
	if fabrique.ReservedSlug(pc.slug) {
		return fail("reserved slug")
	}
	if _, ok := userIndex[c.Lead]; !ok {
		return fail("unknown porteur %s", c.Lead)
	}
	if len(c.Steps) == 0 || c.Steps[0].To != fabrique.StatusIdentified {
		return fail("the timeline must start with %s", fabrique.StatusIdentified)
	}
	stepAt := map[fabrique.Status]time.Time{}
	var prev planStep
	for i, s := range c.Steps {
		at, err := parseTime(s.At)
		if err != nil {
			return planChallenge{}, err
		}
		ps := planStep{to: s.To, at: at, note: s.Note,
			coordinator: s.To == fabrique.StatusDevelopment || s.To == fabrique.StatusClosed}
		if i > 0 {
			ps.from = prev.to
			if !at.After(prev.at) || !s.To.Valid() || s.To == prev.to ||
				(s.To != fabrique.StatusClosed && statusRank(s.To) != statusRank(prev.to)+1) {
				return fail("bad step %s → %s at %s", prev.to, s.To, s.At)
			}
		}
		stepAt[s.To] = at
		pc.steps = append(pc.steps, ps)
		prev = ps
	}
	pc.created, pc.updated, pc.status = pc.steps[0].at, prev.at, prev.to

	// The porteur, then the members: accepted and refused ones asked between the
	// proposal and the team's formation, pending ones after the last step.
	proposed := pc.created
	pc.members = append(pc.members, planMember{email: c.Lead, role: fabrique.TeamLead, state: stateAccepted,
		created: proposed, decided: &proposed})
	end, ok := stepAt[fabrique.StatusTeam]
	if !ok {
		end = pc.created.Add(10 * day)
	}
	slot := end.Sub(pc.created) / time.Duration(len(c.Members)+2)
	accepted, pending := 1, 0
	seen := map[string]bool{c.Lead: true}
	for i, m := range c.Members {
		if _, ok := userIndex[m.Email]; !ok || seen[m.Email] {
			return fail("unknown or repeated member %s", m.Email)
		}
		seen[m.Email] = true
		pm := planMember{email: m.Email, role: fabrique.TeamMember, state: m.State, message: m.Message}
		switch m.State {
		case stateAccepted, stateRefused:
			pm.created = daytime(pc.created.Add(slot * time.Duration(i+1)))
			decided := daytime(pm.created.Add(slot / 2))
			pm.decided = &decided
			if m.State == stateAccepted {
				accepted++
			}
		case statePending:
			pm.created = daytime(pc.updated.Add(time.Duration(2+pending) * day))
			pending++
		default:
			return fail("bad member state %q", m.State)
		}
		pc.members = append(pc.members, pm)
	}
	if statusRank(pc.status) >= statusRank(fabrique.StatusTeam) && accepted < 2 {
		return fail("a team needs at least two accepted members")
	}

	for i, name := range c.Places {
		slug, ok := placeSlug[name]
		if !ok {
			return fail("unknown place %q", name)
		}
		pc.places = append(pc.places, planAt{slug, pc.created.Add(time.Duration(i+1) * 36 * time.Hour)})
	}
	for _, l := range c.Commons {
		if !commonsSlugs[l.Commons] || (l.Relation != "solution" && l.Relation != "origine") {
			return fail("bad link to %q (%s)", l.Commons, l.Relation)
		}
		at := pc.created.Add(day)
		if l.Relation == "origine" {
			if t, ok := stepAt[fabrique.StatusDevelopment]; ok {
				at = t
			}
		} else if t, ok := stepAt[fabrique.StatusFraming]; ok {
			at = t.Add(3 * day)
		}
		pc.links = append(pc.links, planLink{l.Commons, l.Relation, at})
	}

	framing, hasFraming := demoFramings[c.Title]
	framedAt, framed := stepAt[fabrique.StatusFraming]
	switch {
	case framed && !hasFraming:
		return fail("reached préfiguration without a framing")
	case hasFraming && !framed:
		return fail("has a framing but never reached préfiguration")
	case framed:
		framing.Normalize()
		if err := framing.Validate(); err != nil || !framing.Complete() {
			return fail("incomplete framing: %v", framing.Missing())
		}
		// The draft a week into préfiguration, the final version two weeks later, both
		// before the next step.
		pf := &planFraming{current: framing, draftBy: c.Lead, draftAt: daytime(framedAt.Add(6 * day)),
			finalAt: daytime(framedAt.Add(20 * day))}
		pf.draft = fabrique.Framing{Problems: framing.Problems, UseCases: framing.UseCases}
		pf.finalBy = c.Lead // unless a member wrote it
		for _, m := range pc.members {
			if m.state == stateAccepted && m.role == fabrique.TeamMember {
				pf.finalBy = m.email
				break
			}
		}
		for _, s := range pc.steps {
			if s.at.After(framedAt) && !pf.finalAt.Before(s.at) {
				return fail("the framing is written after the step %s", s.to)
			}
		}
		pc.framing = pf
	}
	return pc, nil
}

// writeFraming inserts the framing of the défi id and its two revisions, unless the défi
// already has a framing (loaded before, or written since by its team).
func writeFraming(ctx context.Context, tx pgx.Tx, id int64, pf *planFraming, userID map[string]int64, at func(time.Time) time.Time) error {
	if pf == nil {
		return nil
	}
	f := pf.current
	var inserted bool
	err := tx.QueryRow(ctx,
		`INSERT INTO challenge_framings
		   (challenge_id, problems, use_cases, actors, existing_solutions, approach, next_steps, updated_by, updated_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (challenge_id) DO NOTHING RETURNING true`,
		id, f.Problems, f.UseCases, f.Actors, f.ExistingSolutions, f.Approach, f.NextSteps,
		userID[pf.finalBy], at(pf.finalAt)).Scan(&inserted)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("framing: %w", err)
	}
	for _, rev := range []struct {
		f  fabrique.Framing
		by string
		at time.Time
	}{{pf.draft, pf.draftBy, pf.draftAt}, {pf.current, pf.finalBy, pf.finalAt}} {
		if _, err := tx.Exec(ctx,
			`INSERT INTO challenge_framing_revisions
			   (challenge_id, problems, use_cases, actors, existing_solutions, approach, next_steps, user_id, created_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			id, rev.f.Problems, rev.f.UseCases, rev.f.Actors, rev.f.ExistingSolutions, rev.f.Approach, rev.f.NextSteps,
			userID[rev.by], at(rev.at)); err != nil {
			return fmt.Errorf("framing revision: %w", err)
		}
	}
	return nil
}

// write inserts what is missing, in tx.
func (p *plan) write(ctx context.Context, tx pgx.Tx, hash string) error {
	at := func(t time.Time) time.Time { return t.Add(p.offset) }

	userID := map[string]int64{}
	for _, u := range p.users {
		role := u.Role
		if role == "" {
			role = fabrique.RoleContributor
		}
		var id int64
		err := tx.QueryRow(ctx,
			`WITH ins AS (
			   INSERT INTO users (email, display_name, password_hash, role, created_at, email_verified_at)
			   VALUES ($1, $2, $3, $4, $5::timestamptz, $5::timestamptz + interval '7 minutes') ON CONFLICT (email) DO NOTHING RETURNING id)
			 SELECT id FROM ins UNION ALL SELECT id FROM users WHERE email = $1 LIMIT 1`,
			u.Email, u.Name, hash, role, at(u.created)).Scan(&id)
		if err != nil {
			return fmt.Errorf("user %s: %w", u.Email, err)
		}
		userID[u.Email] = id
	}
	coordinator := userID[CoordinatorEmail]

	// The demo's tiers-lieux are verified and their members accepted (place_members
	// holds the accepted ones), so their pledges are matched as a real call's would be.
	placeID := map[string]int64{}
	for _, pl := range p.places {
		var id int64
		var created bool
		err := tx.QueryRow(ctx,
			`WITH ins AS (
			   INSERT INTO places (slug, name, city, region, website, description, address, contact,
			                       created_at, verified_at, verified_by, verification_note)
			   VALUES ($1, $2, $3, $4, $5, $8, $9, $10, $6, $6, $7, 'Tiers-lieu de la démonstration.') ON CONFLICT (slug) DO NOTHING RETURNING id)
			 SELECT id, true FROM ins UNION ALL SELECT id, false FROM places WHERE slug = $1 LIMIT 1`,
			pl.slug, pl.Name, pl.City, pl.Region, pl.Website, at(pl.created), coordinator,
			pl.Description, pl.Address, pl.Contact).Scan(&id, &created)
		if err != nil {
			return fmt.Errorf("place %s: %w", pl.slug, err)
		}
		placeID[pl.slug] = id
		if !created {
			continue
		}
		for _, m := range pl.members {
			if _, err := tx.Exec(ctx,
				`INSERT INTO place_members (place_id, user_id, created_at) VALUES ($1, $2, $3)
				 ON CONFLICT DO NOTHING`, id, userID[m.key], at(m.at)); err != nil {
				return fmt.Errorf("place %s: member: %w", pl.slug, err)
			}
		}
	}

	commonsID := map[string]int64{}
	for _, c := range p.commons {
		var id int64
		err := tx.QueryRow(ctx,
			`WITH ins AS (
			   INSERT INTO commons (slug, name, kind, summary, description, licence, website, source_url, movilab_url, created_at)
			   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (slug) DO NOTHING RETURNING id)
			 SELECT id FROM ins UNION ALL SELECT id FROM commons WHERE slug = $1 LIMIT 1`,
			c.Slug, c.Name, c.Kind, c.Summary, c.Description, c.Licence, c.Website, c.Source, c.Movilab,
			at(c.created)).Scan(&id)
		if err != nil {
			return fmt.Errorf("commun %s: %w", c.Slug, err)
		}
		commonsID[c.Slug] = id
	}

	for _, c := range p.challenges {
		lead := userID[c.Lead]
		var id int64
		var created bool
		err := tx.QueryRow(ctx,
			`WITH ins AS (
			   INSERT INTO challenges (slug, title, summary, problem, status, lead_id, created_at, updated_at)
			   VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (slug) DO NOTHING RETURNING id)
			 SELECT id, true FROM ins UNION ALL SELECT id, false FROM challenges WHERE slug = $1 LIMIT 1`,
			c.slug, c.Title, c.Summary, c.Problem, string(c.status), lead, at(c.created), at(c.updated)).Scan(&id, &created)
		if err != nil {
			return fmt.Errorf("défi %s: %w", c.slug, err)
		}
		// A framing is written when missing, even on a défi loaded by an older demo.
		if err := writeFraming(ctx, tx, id, c.framing, userID, at); err != nil {
			return fmt.Errorf("défi %s: %w", c.slug, err)
		}
		if !created {
			continue // already there: its team, timeline and links too
		}
		for _, m := range c.members {
			var decided *time.Time
			if m.decided != nil {
				d := at(*m.decided)
				decided = &d
			}
			if _, err := tx.Exec(ctx,
				`INSERT INTO challenge_members (challenge_id, user_id, role, state, message, created_at, decided_at)
				 VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				id, userID[m.email], m.role, m.state, m.message, at(m.created), decided); err != nil {
				return fmt.Errorf("défi %s: member %s: %w", c.slug, m.email, err)
			}
		}
		for _, s := range c.steps {
			by := lead
			if s.coordinator {
				by = coordinator
			}
			var from *string
			if s.from != "" {
				f := string(s.from)
				from = &f
			}
			if _, err := tx.Exec(ctx,
				`INSERT INTO challenge_status_changes (challenge_id, from_status, to_status, note, user_id, created_at)
				 VALUES ($1, $2, $3, $4, $5, $6)`,
				id, from, string(s.to), s.note, by, at(s.at)); err != nil {
				return fmt.Errorf("défi %s: status %s: %w", c.slug, s.to, err)
			}
		}
		for _, pl := range c.places {
			if _, err := tx.Exec(ctx,
				`INSERT INTO challenge_places (challenge_id, place_id, created_at) VALUES ($1, $2, $3)
				 ON CONFLICT DO NOTHING`, id, placeID[pl.key], at(pl.at)); err != nil {
				return fmt.Errorf("défi %s: place %s: %w", c.slug, pl.key, err)
			}
		}
		for _, l := range c.links {
			if _, err := tx.Exec(ctx,
				`INSERT INTO challenge_commons (challenge_id, commons_id, relation, created_at) VALUES ($1, $2, $3, $4)
				 ON CONFLICT DO NOTHING`, id, commonsID[l.commons], l.relation, at(l.at)); err != nil {
				return fmt.Errorf("défi %s: commun %s: %w", c.slug, l.commons, err)
			}
		}
	}
	return nil
}
