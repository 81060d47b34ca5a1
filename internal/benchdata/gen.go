package benchdata

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// The bench's own calendar: the data spans these dates whatever day it is loaded, so a
// given N always gives the same rows. The last call for co-financing stays open until
// callOpenUntil, so pledges can be made during a benchmark.
var (
	dataStart     = time.Date(2024, 1, 8, 9, 0, 0, 0, time.UTC)
	dataEnd       = time.Date(2026, 10, 30, 18, 0, 0, 0, time.UTC)
	lastCallStart = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	callOpenUntil = time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC)
)

const day = 24 * time.Hour

// accountKey names a ledger account: its kind and its one reference (a year, a défi, a
// commun or a call; none for the outside world).
type accountKey struct {
	kind string
	ref  int64
}

// funding is money that reached a commun's funds on a date.
type funding struct {
	on     time.Time
	amount int64
}

// challengeMeta is what later passes need of a défi.
type challengeMeta struct {
	id       int64
	title    string
	status   fabrique.Status
	lead     int64
	team     []int64      // accepted members still in the team, the porteur first
	reached  [5]time.Time // when each step of fabrique.Statuses was reached (zero: never)
	closedAt time.Time
	origin   int64 // the commun it gave rise to
	dayRate  int64
	grantAt  time.Time
	granted  int64
}

func (m *challengeMeta) at(s fabrique.Status) time.Time {
	return m.reached[slices.Index(fabrique.Statuses, s)]
}

// gen builds every row in memory, deterministically from its random source.
type gen struct {
	r     *rand.Rand
	n     int
	last  map[string]int64           // last id used, by table
	taken map[string]map[string]bool // slugs in use, by table
	hash  string

	coord  int64
	people []int64 // every account but the coordinator's
	names  map[int64]string

	users            []userRow
	places           []placeRow
	placeMembers     []pairRow
	placeMemberSet   map[[2]int64]bool
	commons          []commonsRow
	commonsPlaces    []pairRow
	challenges       []challengeRow
	members          []memberRow
	changes          []statusChangeRow
	framings         []framingRow
	revisions        []framingRow
	challengePlaces  []pairRow
	challengeCommons []challengeCommonsRow
	steps            []stepRow
	calls            []callRow
	callSteps        []pairRow
	funders          []funderRow
	accounts         []accountRow
	movements        []movement
	seedRequests     []seedRequestRow
	pledges          []pledgeRow
	contributions    []contributionRow
	audits           []auditRow
	notifications    []notificationRow

	accountIdx   map[accountKey]int   // index in accounts
	existing     map[accountKey]int64 // accounts already in the database (--force)
	meta         []*challengeMeta
	commonsIdx   map[int64]int   // index in commons
	commonsLead  map[int64]int64 // porteur of the first défi a commun came from
	commonsSince map[int64]time.Time
	stepsOf      map[int64][]int // indices in steps, by commun
	fundings     map[int64][]funding
}

func newGen(n int, hash string, last map[string]int64, taken map[string]map[string]bool, existing map[accountKey]int64) *gen {
	return &gen{
		existing:       existing,
		r:              rand.New(rand.NewPCG(uint64(n), 0x46616272697175)), // "Fabriqu"
		n:              n,
		last:           last,
		taken:          taken,
		hash:           hash,
		names:          map[int64]string{},
		placeMemberSet: map[[2]int64]bool{},
		accountIdx:     map[accountKey]int{},
		commonsIdx:     map[int64]int{},
		commonsLead:    map[int64]int64{},
		commonsSince:   map[int64]time.Time{},
		stepsOf:        map[int64][]int{},
		fundings:       map[int64][]funding{},
	}
}

// Scale of the data for N défis.
func scaleUsers(n int) int   { return max(n/2, 20) }
func scalePlaces(n int) int  { return min(max(n/3, len(fabrique.Regions)), 3500) }
func scaleCommons(n int) int { return max(n/20, 5) }
func scaleCalls(n int) int   { return min(max(n/1000, 5), 10) }

// ---------------------------------------------------------------- helpers

func (g *gen) nextID(table string) int64 {
	g.last[table]++
	return g.last[table]
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) intIn(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

func pick[T any](g *gen, list []T) T { return list[g.r.IntN(len(list))] }

// between is a random instant in [a, b]; a when b is not after a.
func (g *gen) between(a, b time.Time) time.Time {
	if !b.After(a) {
		return a
	}
	return a.Add(time.Duration(g.r.Int64N(int64(b.Sub(a)) + 1)))
}

func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// slug returns a slug free in table, as the store makes them: base, base-2, base-3…
func (g *gen) slug(table, name string) string {
	base := fabrique.Slugify(name)
	taken := g.taken[table]
	for n := 1; ; n++ {
		s := base
		if n > 1 || fabrique.ReservedSlug(base) {
			s = fabrique.SlugWithSuffix(base, max(n, 2))
		}
		if !taken[s] {
			taken[s] = true
			return s
		}
	}
}

// distinct picks k different values of from, none in exclude.
func distinct(g *gen, from []int64, k int, exclude ...int64) []int64 {
	out := make([]int64, 0, k)
	seen := map[int64]bool{}
	for _, e := range exclude {
		seen[e] = true
	}
	for tries := 0; len(out) < k && tries < 20*k+20; tries++ {
		v := from[g.r.IntN(len(from))]
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func money(cents int64) string { return i18n.Money(i18n.French, cents) }

// audit records a decision; ids are given by time once all are known.
func (g *gen) audit(userID int64, action, target string, targetID int64, detail string, at time.Time) {
	g.audits = append(g.audits, auditRow{userID: userID, action: action,
		target: target, targetID: targetID, detail: detail, createdAt: at})
}

// account returns the id of the ledger account of kind and ref, created on first use.
func (g *gen) account(kind string, ref int64, at time.Time) int64 {
	k := accountKey{kind, ref}
	if id, ok := g.existing[k]; ok {
		return id
	}
	if i, ok := g.accountIdx[k]; ok {
		if at.Before(g.accounts[i].createdAt) {
			g.accounts[i].createdAt = at
		}
		return g.accounts[i].id
	}
	a := accountRow{id: g.nextID("ledger_accounts"), kind: kind, createdAt: at}
	switch kind {
	case fabrique.AccountSeedFund:
		a.year = int(ref)
		a.name = kind + " " + strconv.Itoa(a.year)
	case fabrique.AccountSeedBudget:
		a.challengeID = ref
		a.name = kind + " challenge " + strconv.FormatInt(ref, 10)
	case fabrique.AccountCommonsFunds:
		a.commonsID = ref
		a.name = kind + " commons " + strconv.FormatInt(ref, 10)
	case fabrique.AccountMatchingPool:
		a.callID = ref
		a.name = kind + " call " + strconv.FormatInt(ref, 10)
	default:
		a.name = kind
	}
	g.accountIdx[k] = len(g.accounts)
	g.accounts = append(g.accounts, a)
	return a.id
}

// move records a movement between two accounts; its id comes once all are known.
func (g *gen) move(m movement) { g.movements = append(g.movements, m) }

func (g *gen) outside(at time.Time) int64 { return g.account(fabrique.AccountOutside, 0, at) }

// ---------------------------------------------------------------- people and places

func (g *gen) genUsers() {
	g.coord = g.nextID("users")
	g.users = append(g.users, userRow{id: g.coord, email: CoordinatorEmail, name: "Coordination de la Fabrique",
		role: fabrique.RoleCoordinator, createdAt: dataStart.AddDate(-1, 0, 0)})
	g.names[g.coord] = "Coordination de la Fabrique"
	for i := range scaleUsers(g.n) {
		first, last := pick(g, firstNames), pick(g, lastNames)
		name := first + " " + last
		email := fmt.Sprintf("%s.%s.%d@bench.example", fabrique.Slugify(first), fabrique.Slugify(last), i+1)
		u := userRow{id: g.nextID("users"), email: email, name: name, role: fabrique.RoleContributor,
			createdAt: g.between(dataStart.AddDate(-1, 0, 0), dataStart)}
		g.users = append(g.users, u)
		g.people = append(g.people, u.id)
		g.names[u.id] = name
	}
}

func (g *gen) genPlaces() {
	var regions []string // weighted draw
	for _, r := range fabrique.Regions {
		for range regionWeights[r] {
			regions = append(regions, r)
		}
	}
	for i := range scalePlaces(g.n) {
		region := pick(g, regions)
		if i < len(fabrique.Regions) {
			region = fabrique.Regions[i] // every region has places
		}
		city := pick(g, citiesByRegion[region])
		name := pick(g, placePrefixes) + " " + pick(g, placeSuffixes)
		if g.chance(0.5) {
			name += " de " + city
		}
		p := placeRow{id: g.nextID("places"), name: name, city: city, region: region,
			createdAt: g.between(dataStart.AddDate(-1, 0, 0), dataEnd.AddDate(0, -1, 0))}
		p.slug = g.slug("places", name)
		p.website = "https://" + p.slug + ".bench.example"
		g.places = append(g.places, p)
		for _, u := range distinct(g, g.people, g.intIn(1, 3)) {
			g.addPlaceMember(p.id, u, g.between(p.createdAt, dataEnd))
		}
	}
}

func (g *gen) addPlaceMember(placeID, userID int64, at time.Time) {
	k := [2]int64{placeID, userID}
	if g.placeMemberSet[k] {
		return
	}
	g.placeMemberSet[k] = true
	g.placeMembers = append(g.placeMembers, pairRow{a: placeID, b: userID, createdAt: at})
}

var commonsNicknames = []string{
	"Alpaga", "Boussole", "Cigale", "Dahlia", "Écume", "Fougère", "Galet", "Héron", "Iris", "Jonquille",
	"Kayak", "Lucarne", "Mésange", "Noisette", "Ondine", "Pollen", "Quartz", "Roseau", "Sésame", "Tilleul",
	"Ulysse", "Vanille", "Wapiti", "Yucca", "Zéphyr", "Ardoise", "Brindille", "Colibri", "Dune", "Étincelle",
}

func (g *gen) genCommons() {
	placeIDs := make([]int64, len(g.places))
	for i, p := range g.places {
		placeIDs[i] = p.id
	}
	for range scaleCommons(g.n) {
		name := pick(g, commonsFirst) + " " + pick(g, commonsSecond) + " " + pick(g, commonsNicknames)
		c := commonsRow{id: g.nextID("commons"), name: name, kind: pick(g, fabrique.CommonsKinds),
			licence: pick(g, licences), createdAt: g.between(dataStart.AddDate(-2, 0, 0), dataStart)}
		c.slug = g.slug("commons", name)
		c.summary = "Un commun ouvert et documenté pour " + strings.TrimPrefix(pick(g, challengePublics), "pour ") + "."
		c.description = "## À quoi sert-il\n\n" + pick(g, problemSentences) + "\n\n## Comment l’utiliser\n\n" +
			"La documentation est sur Movilab ; le code et les gabarits sont sous licence " + c.licence + "."
		c.website = "https://" + c.slug + ".bench.example"
		c.sourceURL = "https://forge.bench.example/communs/" + c.slug
		c.movilabURL = "https://movilab.org/wiki/" + c.slug
		g.commonsIdx[c.id] = len(g.commons)
		g.commons = append(g.commons, c)
		for _, p := range distinct(g, placeIDs, g.intIn(0, 16)) {
			g.commonsPlaces = append(g.commonsPlaces, pairRow{a: c.id, b: p, createdAt: g.between(c.createdAt, dataEnd)})
		}
	}
}

// ---------------------------------------------------------------- défis

// statusPath draws a défi's final status and the steps it went through, in order.
func (g *gen) statusPath() []fabrique.Status {
	s := fabrique.Statuses
	var final fabrique.Status
	switch x := g.r.IntN(100); {
	case x < 25:
		final = fabrique.StatusIdentified
	case x < 45:
		final = fabrique.StatusTeam
	case x < 65:
		final = fabrique.StatusFraming
	case x < 90:
		final = fabrique.StatusDevelopment
	default:
		final = fabrique.StatusClosed
	}
	if final != fabrique.StatusClosed {
		return s[:slices.Index(s, final)+1]
	}
	prior := []int{1, 2, 3, 3, 4, 4, 4}[g.r.IntN(7)] // closed after 1 to 4 steps
	return append(slices.Clone(s[:prior]), fabrique.StatusClosed)
}

func (g *gen) genChallenges() {
	placeIDs := make([]int64, len(g.places))
	for i, p := range g.places {
		placeIDs[i] = p.id
	}
	commonsIDs := make([]int64, len(g.commons))
	for i, c := range g.commons {
		commonsIDs[i] = c.id
	}
	devCount := 0
	for range g.n {
		path := g.statusPath()
		created := g.between(dataStart, dataEnd.AddDate(0, 0, -30))
		times := make([]time.Time, len(path))
		times[0] = created
		for i := 1; i < len(path); i++ {
			times[i] = g.between(created.Add(day), dataEnd)
		}
		slices.SortFunc(times[1:], func(a, b time.Time) int { return a.Compare(b) })
		m := &challengeMeta{id: g.nextID("challenges"), status: path[len(path)-1], lead: pick(g, g.people),
			dayRate: fabrique.DefaultDayRate}
		for i, s := range path {
			if s == fabrique.StatusClosed {
				m.closedAt = times[i]
			} else {
				m.reached[slices.Index(fabrique.Statuses, s)] = times[i]
			}
		}
		switch x := g.r.IntN(20); {
		case x == 0:
			m.dayRate = 25000
		case x == 1:
			m.dayRate = 20000
		}
		obj, act, pub := pick(g, challengeObjects), pick(g, challengeActions), pick(g, challengePublics)
		m.title = obj + " " + act + " " + pub
		c := challengeRow{id: m.id, title: m.title, status: string(m.status), leadID: m.lead, dayRate: m.dayRate,
			createdAt: created, updatedAt: times[len(times)-1]}
		c.slug = g.slug("challenges", m.title)
		c.summary = truncateRunes(obj+" "+act+" "+pub+" : "+lowerFirst(pick(g, problemSentences)), fabrique.MaxSummaryLen)
		c.problem = pick(g, problemSentences) + "\n\n" + pick(g, problemSentences) + "\n\n" +
			"Ce que nous attendons :\n\n" + pick(g, useCaseLines) + "\n" + pick(g, useCaseLines)
		if m.id%10 == 3 {
			// Where one in ten was born: a town's name, the rare words of a search (a dozen
			// défis each at 10 000), where the titles' vocabulary is narrow (each word in
			// hundreds). Chosen from its id, not drawn: the rest of the data stays as it was.
			c.problem += "\n\nNé dans un tiers-lieu de " + g.places[int(m.id*7919)%len(g.places)].city + "."
		}
		g.challenges = append(g.challenges, c)
		g.meta = append(g.meta, m)

		g.genTeam(m, created)
		if t3 := m.at(fabrique.StatusDevelopment); !t3.IsZero() {
			origin := pick(g, commonsIDs)
			if devCount < len(commonsIDs) {
				origin = commonsIDs[devCount] // each commun comes from at least one défi, while there are enough
			}
			devCount++
			m.origin = origin
			g.challengeCommons = append(g.challengeCommons, challengeCommonsRow{challengeID: m.id, commonsID: origin,
				relation: fabrique.RelationOrigin, createdAt: t3})
			if _, ok := g.commonsLead[origin]; !ok || t3.Before(g.commonsSince[origin]) {
				g.commonsLead[origin], g.commonsSince[origin] = m.lead, t3
			}
			g.audit(g.coord, "commons.attach", "commons", origin,
				fmt.Sprintf("« %s » passe en développement, rattaché au commun « %s »", m.title, g.commons[g.commonsIdx[origin]].name), t3)
		}
		g.genTimeline(m, path, times)
		g.genFraming(m, commonsIDs)
		for _, p := range distinct(g, placeIDs, g.intIn(0, 6)) {
			g.challengePlaces = append(g.challengePlaces, pairRow{a: m.id, b: p, createdAt: g.between(created, dataEnd)})
		}
	}
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// genTeam writes the porteur and the team: 2 to 8 accepted members, all accepted before
// the team was declared formed, plus pending, refused and departed requests.
func (g *gen) genTeam(m *challengeMeta, created time.Time) {
	g.members = append(g.members, memberRow{challengeID: m.id, userID: m.lead, role: fabrique.TeamLead,
		state: "accepted", createdAt: created, decidedAt: created})
	m.team = []int64{m.lead}
	t1 := m.at(fabrique.StatusTeam)
	size := 1
	limit := dataEnd
	if !m.closedAt.IsZero() {
		limit = m.closedAt
	}
	if !t1.IsZero() {
		size, limit = g.intIn(2, 8), t1
	} else if g.chance(0.3) {
		size = 2
	}
	others := distinct(g, g.people, size-1+3, m.lead)
	accepted, rest := others[:min(size-1, len(others))], others[min(size-1, len(others)):]
	for _, u := range accepted {
		asked := g.between(created, limit.Add(-time.Hour))
		decided := g.between(asked, limit.Add(-time.Minute))
		g.members = append(g.members, memberRow{challengeID: m.id, userID: u, role: fabrique.TeamMember,
			state: "accepted", message: "Je peux aider sur ce défi.", createdAt: asked, decidedAt: decided})
		m.team = append(m.team, u)
	}
	if len(m.team) >= 3 && g.chance(0.05) { // someone left, later
		g.members[len(g.members)-1].state = "left"
		m.team = m.team[:len(m.team)-1]
	}
	open, end := m.closedAt.IsZero(), dataEnd
	if !open {
		end = m.closedAt // a closed défi takes no request
	}
	for i, u := range rest {
		switch {
		case i == 0 && g.chance(0.1):
			asked := g.between(created, end)
			g.members = append(g.members, memberRow{challengeID: m.id, userID: u, role: fabrique.TeamMember,
				state: "refused", message: "Disponible quelques heures par mois.", createdAt: asked,
				decidedAt: g.between(asked, end)})
		case i > 0 && open && g.chance(0.35):
			g.members = append(g.members, memberRow{challengeID: m.id, userID: u, role: fabrique.TeamMember,
				state: "pending", message: "Notre tiers-lieu a le même problème, je voudrais rejoindre l’équipe.",
				createdAt: g.between(created, dataEnd)})
		}
	}
}

// genTimeline writes every status change, by whoever the rules allow: the porteur for
// the steps of the amorçage, the coordination for développement and closing.
func (g *gen) genTimeline(m *challengeMeta, path []fabrique.Status, times []time.Time) {
	for i, s := range path {
		c := statusChangeRow{id: g.nextID("challenge_status_changes"), challengeID: m.id, to: string(s),
			userID: m.lead, createdAt: times[i]}
		if i > 0 {
			c.from = string(path[i-1])
		}
		switch s {
		case fabrique.StatusDevelopment:
			c.userID, c.note = g.coord, "La pertinence est démontrée : passage en développement."
		case fabrique.StatusClosed:
			c.userID, c.note = g.coord, pick(g, closingNotes)
		}
		g.changes = append(g.changes, c)
	}
}

// genFraming writes the framing: complete from the préfiguration on, started by some
// teams before; each edit kept as a revision, the last one being the current version.
func (g *gen) genFraming(m *challengeMeta, commonsIDs []int64) {
	t2 := m.at(fabrique.StatusFraming)
	t1 := m.at(fabrique.StatusTeam)
	complete := !t2.IsZero()
	if !complete && (t1.IsZero() || !g.chance(0.3)) {
		return
	}
	from, to := t1, dataEnd
	if complete {
		from, to = t1, t2 // complete when the préfiguration starts… or soon after
		if g.chance(0.5) {
			from, to = t2, minTime(dataEnd, t2.AddDate(0, 2, 0))
		}
		for _, next := range []time.Time{m.at(fabrique.StatusDevelopment), m.closedAt} {
			if !next.IsZero() && to.After(next) {
				to = next // complete before the défi moves on
			}
		}
	}
	var solutions []int64
	if complete {
		solutions = distinct(g, commonsIDs, g.intIn(0, 3), m.origin) // not the commun it gave rise to
	}
	var names []string
	for _, id := range solutions {
		names = append(names, g.commons[g.commonsIdx[id]].name)
	}
	f := [6]string{
		pick(g, problemSentences) + "\n\n" + pick(g, problemSentences),
		pick(g, useCaseLines) + "\n" + pick(g, useCaseLines) + "\n" + pick(g, useCaseLines),
	}
	if complete {
		f[2] = "Trois tiers-lieux voisins testent avec nous, et le réseau régional relaie."
		f[3] = "Aucune solution ouverte ne couvre tout le besoin ; des pratiques proches sont documentées sur Movilab."
		if len(names) > 0 {
			f[3] = "Solutions ouvertes repérées : " + strings.Join(names, ", ") + ". Il leur manque la prise en main par des bénévoles."
		}
		f[4] = "Un cahier des charges co-écrit avec les lieux pilotes, puis un prototype documenté au fil de l’eau."
		f[5] = "1. Prototype\n2. Test dans trois lieux\n3. Documentation sur Movilab"
	}
	edits := g.intIn(1, 3)
	at := g.between(from, to)
	author := pick(g, m.team)
	revTimes := make([]time.Time, edits)
	for i := range revTimes {
		revTimes[i] = g.between(from, at)
	}
	revTimes[edits-1] = at
	slices.SortFunc(revTimes, func(a, b time.Time) int { return a.Compare(b) })
	for i, t := range revTimes {
		v, by := f, pick(g, m.team)
		if i == edits-1 {
			by = author // the current version is the last edit
		}
		if i < edits-1 { // earlier edits had filled less
			for k := 2 + i; k < 6; k++ {
				v[k] = ""
			}
		}
		g.revisions = append(g.revisions, framingRow{id: g.nextID("challenge_framing_revisions"), challengeID: m.id,
			fields: v, userID: by, at: t})
	}
	g.framings = append(g.framings, framingRow{challengeID: m.id, fields: f, userID: author, at: at})
	for _, id := range solutions {
		g.challengeCommons = append(g.challengeCommons, challengeCommonsRow{challengeID: m.id, commonsID: id,
			relation: fabrique.RelationSolution, createdAt: at})
	}
}

// ---------------------------------------------------------------- développement

func (g *gen) genSteps() {
	for _, c := range g.commons {
		base := g.between(dataStart, dataEnd.AddDate(-1, 0, 0))
		by := g.coord
		if since, ok := g.commonsSince[c.id]; ok {
			base, by = since, g.commonsLead[c.id]
		}
		start := g.between(base, base.AddDate(0, 3, 0))
		for i := range g.intIn(1, 4) {
			if start.After(dataEnd.AddDate(0, 2, 0)) {
				break
			}
			end := start.AddDate(0, 0, g.intIn(60, 240))
			s := stepRow{id: g.nextID("steps"), commonsID: c.id, title: fmt.Sprintf("Étape %d : %s", i+1, pick(g, stepTitles)),
				goal: int64(g.intIn(10, 120)) * 500_00, startsOn: dateOf(start), endsOn: dateOf(end), createdBy: by,
				createdAt: minTime(maxTime(start.AddDate(0, 0, -20), base), dataEnd)}
			s.description = "Ce que l’étape finance : " + lowerFirst(pick(g, contributionTexts)) +
				"\n\nLes jours de l’équipe sont payés au taux du défi, sur les fonds de développement du commun."
			g.stepsOf[c.id] = append(g.stepsOf[c.id], len(g.steps))
			g.steps = append(g.steps, s)
			start = end.AddDate(0, 0, g.intIn(-30, 30))
		}
	}
}

// genCalls writes the calls for co-financing: past ones, closed with their matching
// posted, and the last one open; each with its pool funded and its steps.
func (g *gen) genCalls() {
	k := scaleCalls(g.n)
	inCall := map[int]bool{}
	span := dataEnd.AddDate(0, -2, 0).Sub(dataStart.AddDate(0, 6, 0))
	for i := range k {
		start := dataStart.AddDate(0, 6, 0).Add(span * time.Duration(i) / time.Duration(k-1))
		end := start.AddDate(0, 0, g.intIn(75, 120))
		var closed time.Time
		if i == k-1 {
			start, end = lastCallStart, callOpenUntil
		} else {
			end = minTime(end, dataEnd.AddDate(0, 0, -30))
			closed = end.AddDate(0, 0, g.intIn(7, 20))
		}
		title := fmt.Sprintf("%s %d", callThemes[i%len(callThemes)], start.Year())
		c := callRow{id: g.nextID("calls"), title: title, startsOn: dateOf(start), endsOn: dateOf(end),
			pool: int64(g.intIn(6, 30)) * 5000_00, percent: []int{100, 200}[g.r.IntN(2)],
			kinds: [][]string{{"tiers-lieu"}, {"tiers-lieu", "collectivite"}}[g.r.IntN(2)],
			cap:   int64(g.intIn(5, 20)) * 1000_00, createdBy: g.coord, createdAt: start.AddDate(0, 0, -15)}
		c.slug = g.slug("calls", title)
		c.description = fmt.Sprintf("L’appel cofinance les étapes de développement des communs des tiers-lieux. "+
			"Chaque euro promis par un financeur de type %s apporte %d %% de plus au commun, dans la limite de %s par commun.",
			strings.Join(c.kinds, " ou "), c.percent, money(c.cap))
		if !closed.IsZero() {
			c.closedAt, c.closedBy = closed, g.coord
		}
		g.calls = append(g.calls, c)
		g.move(movement{kind: fabrique.TxPoolFunding, amount: c.pool, from: g.outside(c.createdAt),
			to: g.account(fabrique.AccountMatchingPool, c.id, c.createdAt), causeType: "call", causeID: c.id,
			memo: "Enveloppe d’abondement de l’appel « " + title + " »", userID: g.coord, on: dateOf(c.createdAt), at: c.createdAt})
		g.audit(g.coord, "call.create", "call", c.id, fmt.Sprintf("Appel « %s », enveloppe %s", title, money(c.pool)), c.createdAt)

		// steps running during the call, not yet in another one
		var cands []int
		for si, s := range g.steps {
			if !inCall[si] && !s.startsOn.After(c.endsOn) && !s.endsOn.Before(c.startsOn) {
				cands = append(cands, si)
			}
		}
		if len(cands) < 3 { // few steps (small N): any step that existed during the call
			for si, s := range g.steps {
				if !inCall[si] && !slices.Contains(cands, si) && !s.createdAt.After(end) {
					cands = append(cands, si)
				}
			}
		}
		g.r.Shuffle(len(cands), func(a, b int) { cands[a], cands[b] = cands[b], cands[a] })
		for _, si := range cands[:min(len(cands), 60)] {
			inCall[si] = true
			g.callSteps = append(g.callSteps, pairRow{a: c.id, b: g.steps[si].id,
				createdAt: g.between(maxTime(c.createdAt, g.steps[si].createdAt), maxTime(start, g.steps[si].createdAt))})
		}
	}
}

func (g *gen) genFunders() []funderRow {
	count := min(len(g.people)*6/10, max(300, g.n/12))
	placeOf := map[int64]int64{}
	for _, pm := range g.placeMembers {
		if _, ok := placeOf[pm.b]; !ok {
			placeOf[pm.b] = pm.a
		}
	}
	placeName := map[int64]placeRow{}
	for _, p := range g.places {
		placeName[p.id] = p
	}
	for _, u := range distinct(g, g.people, count) {
		f := funderRow{userID: u, createdAt: dataEnd}
		switch x := g.r.IntN(100); {
		case x < 35:
			f.kind = "particulier"
		case x < 65:
			f.kind = "tiers-lieu"
			p, ok := placeOf[u]
			if !ok {
				p = pick(g, g.places).id
				g.addPlaceMember(p, u, dataStart)
			}
			f.placeID, f.org = p, placeName[p].name
		case x < 80:
			f.kind = "entreprise"
			f.org = pick(g, organisations["entreprise"]) + " " + pick(g, lastNames)
		case x < 92:
			f.kind = "collectivite"
			p := pick(g, g.places)
			f.org = pick(g, organisations["collectivite"]) + " " + p.city
		default:
			f.kind = "fondation"
			f.org = pick(g, organisations["fondation"])
		}
		g.funders = append(g.funders, f)
	}
	return g.funders
}

func (g *gen) pledgeAmount(kind string) int64 {
	euros := map[string][2]int{"particulier": {20, 500}, "tiers-lieu": {100, 3000}, "entreprise": {500, 10000},
		"collectivite": {2000, 30000}, "fondation": {5000, 50000}}[kind]
	step := max(euros[0]/10, 10)
	return int64(g.intIn(euros[0]/step, euros[1]/step)*step) * 100
}

// genPledges writes the pledges of hundreds of funders: to the steps of each call during
// its period, and to steps in no call. Confirmed pledges post their funds; a closed call
// expired its promises and posted its matching.
func (g *gen) genPledges() {
	funders := g.genFunders()
	if len(funders) == 0 || len(g.steps) == 0 {
		return
	}
	stepsOfCall := map[int64][]int{}
	inCall := map[int64]bool{}
	stepIdx := map[int64]int{}
	for i, s := range g.steps {
		stepIdx[s.id] = i
	}
	for _, cs := range g.callSteps {
		stepsOfCall[cs.a] = append(stepsOfCall[cs.a], stepIdx[cs.b])
		inCall[cs.b] = true
	}
	firstPledge := map[int64]time.Time{}
	for ci := range g.calls {
		c := &g.calls[ci]
		steps := stepsOfCall[c.id]
		if len(steps) == 0 {
			continue
		}
		var matched []fabrique.MatchPledge
		for range min(max(g.n/30, 20), 400) {
			f := pick(g, funders)
			s := g.steps[pick(g, steps)]
			lo := maxTime(c.startsOn.Add(9*time.Hour), s.createdAt)
			hi := minTime(c.endsOn.Add(18*time.Hour), dataEnd)
			if hi.Before(lo) {
				continue // the step was added after the call's end
			}
			created := g.between(lo, hi)
			bound := dataEnd
			if !c.closedAt.IsZero() {
				bound = c.closedAt
			}
			p := g.pledge(f, s, c.id, created, bound, !c.closedAt.IsZero())
			if p.state == fabrique.PledgeConfirmed {
				matched = append(matched, fabrique.MatchPledge{CommonsID: s.commonsID, StepID: s.id, Kind: p.kind,
					Amount: p.amount, State: p.state})
			}
			if t, ok := firstPledge[f.userID]; !ok || created.Before(t) {
				firstPledge[f.userID] = created
			}
		}
		if c.closedAt.IsZero() {
			continue
		}
		m := fabrique.Match(fabrique.MatchRule{Percent: c.percent, Kinds: c.kinds, Cap: c.cap, Pool: c.pool}, matched, false)
		commons := make([]int64, 0, len(m.ByCommons))
		for id := range m.ByCommons {
			commons = append(commons, id)
		}
		slices.Sort(commons)
		for _, id := range commons {
			g.move(movement{kind: fabrique.TxMatching, amount: m.ByCommons[id],
				from: g.account(fabrique.AccountMatchingPool, c.id, c.createdAt),
				to:   g.account(fabrique.AccountCommonsFunds, id, c.closedAt), causeType: "call", causeID: c.id,
				memo: "Abondement de l’appel « " + c.title + " »", userID: g.coord, on: dateOf(c.closedAt), at: c.closedAt})
			g.fundings[id] = append(g.fundings[id], funding{on: c.closedAt, amount: m.ByCommons[id]})
		}
		g.audit(g.coord, "call.close", "call", c.id, fmt.Sprintf("Appel « %s » clôturé : %s d’abondement versés à %d commun(s)",
			c.title, money(m.Total), len(commons)), c.closedAt)
	}
	var free []int // steps in no call
	for i, s := range g.steps {
		if !inCall[s.id] {
			free = append(free, i)
		}
	}
	for i := 0; i < max(10, g.n/20) && len(free) > 0; i++ {
		f := pick(g, funders)
		s := g.steps[pick(g, free)]
		created := g.between(maxTime(s.createdAt, dataStart), minTime(s.endsOn.Add(18*time.Hour), dataEnd))
		g.pledge(f, s, 0, created, dataEnd, false)
		if t, ok := firstPledge[f.userID]; !ok || created.Before(t) {
			firstPledge[f.userID] = created
		}
	}
	for i := range g.funders {
		if t, ok := firstPledge[g.funders[i].userID]; ok {
			g.funders[i].createdAt = t
		} else {
			g.funders[i].createdAt = g.between(dataStart, dataEnd)
		}
	}
}

// pledge writes one pledge made at created and decided before bound; closed says its
// call was closed (at bound), which expired the promises left.
func (g *gen) pledge(f funderRow, s stepRow, callID int64, created, bound time.Time, closed bool) pledgeRow {
	p := pledgeRow{id: g.nextID("pledges"), stepID: s.id, callID: callID, userID: f.userID, kind: f.kind, placeID: f.placeID,
		amount: g.pledgeAmount(f.kind), anonymous: g.chance(0.15), state: fabrique.PledgePromise,
		createdAt: created, updatedAt: created}
	p.key = fmt.Sprintf("bench-%08d", p.id) // 8 to 100 characters
	if g.chance(0.3) {
		p.message = pick(g, pledgeMessages)
	}
	decided := created.Add(time.Duration(g.intIn(1, 30)) * day)
	x := g.r.IntN(100)
	switch {
	case x < 60 && !decided.After(bound):
		p.state, p.decidedBy, p.decidedAt = fabrique.PledgeConfirmed, g.coord, decided
	case x >= 60 && x < 72 && !decided.After(bound):
		p.state, p.decidedBy, p.decidedAt = fabrique.PledgeCancelled, f.userID, decided
		if g.chance(0.3) {
			p.decidedBy = g.coord
		}
	case closed:
		p.state, p.decidedBy, p.decidedAt = fabrique.PledgeExpired, g.coord, bound
	}
	if !p.decidedAt.IsZero() {
		p.updatedAt = p.decidedAt
	}
	if p.state == fabrique.PledgeConfirmed {
		who := "financeur anonyme"
		if !p.anonymous {
			who = f.org
			if who == "" {
				who = g.names[f.userID]
			}
		}
		i := len(g.pledges)
		g.move(movement{kind: fabrique.TxPledge, amount: p.amount, from: g.outside(decided),
			to: g.account(fabrique.AccountCommonsFunds, s.commonsID, decided), causeType: "pledge", causeID: p.id,
			memo:   fmt.Sprintf("Promesse n° %d de %s, étape « %s »", p.id, who, s.title),
			userID: g.coord, on: dateOf(decided), at: decided, setID: func(id int64) { g.pledges[i].ledgerTx = id }})
		g.fundings[s.commonsID] = append(g.fundings[s.commonsID], funding{on: decided, amount: p.amount})
		g.audit(g.coord, "pledge.confirm", "pledge", p.id, fmt.Sprintf("Promesse n° %d : %s reçus", p.id, money(p.amount)), decided)
	}
	g.pledges = append(g.pledges, p)
	return p
}

// ---------------------------------------------------------------- seed money

// genSeed writes the seed requests and decisions of every défi whose team formed, and
// each year's seed fund, allocated at the start of the year with enough for its grants.
func (g *gen) genSeed() {
	grants := map[int]int64{}
	for _, m := range g.meta {
		t1 := m.at(fabrique.StatusTeam)
		if t1.IsZero() {
			continue
		}
		wEnd := dataEnd // approvals only while in équipe or préfiguration
		if t3 := m.at(fabrique.StatusDevelopment); !t3.IsZero() {
			wEnd = t3
		} else if !m.closedAt.IsZero() {
			wEnd = m.closedAt
		}
		plan := "- Entretiens avec les lieux concernés : 4 jours\n- Ateliers de préfiguration : 5 jours\n- Synthèse et cahier des charges : 3 jours"
		if g.chance(0.75) {
			created := g.between(t1, t1.Add(wEnd.Sub(t1)*6/10))
			if g.chance(0.1) {
				rc := g.between(t1, created)
				rd := g.between(rc, created)
				r := seedRequestRow{id: g.nextID("seed_requests"), challengeID: m.id, requestedBy: m.lead,
					amount: fabrique.DefaultSeedCeiling, plan: plan, state: fabrique.SeedRefused,
					note: "Plan à préciser : qui fait quoi, combien de jours chacun ?", decidedBy: g.coord, decidedAt: rd, createdAt: rc}
				g.seedRequests = append(g.seedRequests, r)
				g.audit(g.coord, "seed_request.refuse", "seed_request", r.id, fmt.Sprintf("« %s » : demande refusée. %s", m.title, r.note), rd)
			}
			decided := g.between(created.Add(day), wEnd)
			if !decided.Before(wEnd) {
				decided = created.Add(wEnd.Sub(created) / 2)
			}
			amount := int64(g.intIn(15, 30)) * 100_00
			approved := amount
			note := ""
			if g.chance(0.2) {
				approved = amount * int64(g.intIn(50, 95)) / 100 / 1000 * 1000
				note = pick(g, partialGrantNotes)
			}
			r := seedRequestRow{id: g.nextID("seed_requests"), challengeID: m.id, requestedBy: m.lead, amount: amount,
				plan: plan, state: fabrique.SeedApproved, approved: approved, fundYear: decided.Year(), note: note,
				decidedBy: g.coord, decidedAt: decided, createdAt: created}
			i := len(g.seedRequests)
			g.seedRequests = append(g.seedRequests, r)
			g.move(movement{kind: fabrique.TxSeedGrant, amount: approved,
				from: g.account(fabrique.AccountSeedFund, int64(r.fundYear), decided),
				to:   g.account(fabrique.AccountSeedBudget, m.id, decided), causeType: "seed_request", causeID: r.id,
				memo: "Budget d’amorçage de « " + m.title + " »", userID: g.coord, on: dateOf(decided), at: decided,
				setID: func(id int64) { g.seedRequests[i].ledgerTx = id }})
			g.audit(g.coord, "seed_request.approve", "seed_request", r.id,
				fmt.Sprintf("« %s » : %s accordés sur le fonds d’amorçage %d (%s demandés).", m.title, money(approved), r.fundYear, money(amount)), decided)
			m.granted, m.grantAt = approved, decided
			grants[r.fundYear] += approved
		} else if (m.status == fabrique.StatusTeam || m.status == fabrique.StatusFraming) && g.chance(0.5) {
			g.seedRequests = append(g.seedRequests, seedRequestRow{id: g.nextID("seed_requests"), challengeID: m.id,
				requestedBy: m.lead, amount: int64(g.intIn(15, 30)) * 100_00, plan: plan, state: fabrique.SeedPending,
				createdAt: g.between(t1, dataEnd)})
		}
	}
	years := make([]int, 0, len(grants))
	for y := range grants {
		years = append(years, y)
	}
	slices.Sort(years)
	for _, y := range years {
		amount := (grants[y]+1_000_000-1)/1_000_000*1_000_000 + 12000_00 // rounded up to 10 000 €, plus a margin
		at := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)                   // before any grant of the year
		g.move(movement{kind: fabrique.TxFundAllocation, amount: amount, from: g.outside(at),
			to: g.account(fabrique.AccountSeedFund, int64(y), at), causeType: "seed_fund", causeID: int64(y),
			memo: "Fonds d’amorçage " + strconv.Itoa(y) + " porté à " + money(amount), userID: g.coord, on: dateOf(at), at: at})
		g.audit(g.coord, "seed_fund.set", "seed_fund", int64(y), fmt.Sprintf("Fonds d’amorçage %d : 0,00 € → %s", y, money(amount)), at)
	}
}

// ---------------------------------------------------------------- contributions

// pendingContribution is a paid contribution waiting for money, decided once the
// budgets are known.
type pendingContribution struct {
	idx       int // in contributions
	validate  time.Time
	challenge *challengeMeta
}

// genContributions writes about 20 contributions per défi, on the défis whose team
// formed: logged by accepted members, validated by the porteur (or the coordination when
// the porteur logged them), paid by the coordination; never more validated and paid than
// the budget that pays them holds — the défi's seed budget during the amorçage, its
// commun's development funds once in développement.
func (g *gen) genContributions() {
	var eligible []*challengeMeta
	for _, m := range g.meta {
		if !m.at(fabrique.StatusTeam).IsZero() && len(m.team) >= 1 {
			eligible = append(eligible, m)
		}
	}
	if len(eligible) == 0 {
		return
	}
	avg := 20 * g.n / len(eligible)
	var development []pendingContribution
	for _, m := range eligible {
		t1, t3 := m.at(fabrique.StatusTeam), m.at(fabrique.StatusDevelopment)
		endWork := dataEnd
		if !m.closedAt.IsZero() {
			endWork = m.closedAt
		}
		count := g.intIn(0, 2*avg)
		var seed []pendingContribution
		for range count {
			author := pick(g, m.team)
			worked := g.between(t1, endWork)
			k := contributionRow{id: g.nextID("contributions"), challengeID: m.id, userID: author,
				workedOn: dateOf(worked), quarters: []int{1, 2, 2, 2, 3, 4, 4, 4, 6, 8}[g.r.IntN(10)],
				activity: pick(g, fabrique.Activities).Value, description: pick(g, contributionTexts),
				volunteer: g.chance(0.12), dayRate: m.dayRate, state: fabrique.ContributionDeclared,
				createdAt: minTime(worked.Add(time.Duration(g.intIn(1, 72))*time.Hour), dataEnd)}
			if !k.volunteer {
				k.amount = fabrique.DayAmount(k.quarters, k.dayRate)
			}
			if !t3.IsZero() && !worked.Before(t3) && m.origin != 0 {
				k.commonsID = m.origin
				if steps := g.stepsOf[m.origin]; len(steps) > 0 && g.chance(0.5) {
					k.stepID = g.steps[pick(g, steps)].id
				}
			}
			validator := m.lead
			if author == m.lead {
				validator = g.coord
			}
			validate := worked.Add(time.Duration(g.intIn(2, 10)) * day)
			i := len(g.contributions)
			g.contributions = append(g.contributions, k)
			switch {
			case g.chance(0.05):
				g.refuse(i, validator, pick(g, refusalReasons[:2]), minTime(validate, dataEnd), m.title)
			case k.volunteer:
				if validate.Before(dataEnd) && g.chance(0.7) {
					g.validate(i, validator, validate, m.title)
				}
			case k.commonsID != 0:
				development = append(development, pendingContribution{idx: i, validate: validate, challenge: m})
			default:
				seed = append(seed, pendingContribution{idx: i, validate: validate, challenge: m})
			}
		}
		// The seed budget, in the order the work was validated.
		slices.SortStableFunc(seed, func(a, b pendingContribution) int { return a.validate.Compare(b.validate) })
		left := m.granted
		for _, p := range seed {
			v := p.validate
			if m.granted > 0 && v.Before(m.grantAt.Add(day)) {
				v = m.grantAt.Add(day)
			}
			g.spend(p, v, &left, fabrique.AccountSeedBudget, m.id)
		}
	}
	// Development funds, across the défis of a commun, in the order of validation: the
	// money a validation reserves must have been received by then.
	slices.SortStableFunc(development, func(a, b pendingContribution) int { return a.validate.Compare(b.validate) })
	for id := range g.fundings {
		slices.SortStableFunc(g.fundings[id], func(a, b funding) int { return a.on.Compare(b.on) })
	}
	used := map[int64]int64{}
	for _, p := range development {
		c := g.contributions[p.idx].commonsID
		received := int64(0)
		for _, f := range g.fundings[c] {
			if f.on.After(p.validate) {
				break
			}
			received += f.amount
		}
		left := received - used[c]
		g.spend(p, p.validate, &left, fabrique.AccountCommonsFunds, c)
		used[c] = received - left
	}
}

// spend decides a paid contribution validated at v: validated (and paid, when old
// enough) if left covers it, else left declared or refused for want of budget.
func (g *gen) spend(p pendingContribution, v time.Time, left *int64, kind string, ref int64) {
	k := &g.contributions[p.idx]
	m := p.challenge
	validator := m.lead
	if k.userID == m.lead {
		validator = g.coord
	}
	if v.After(dataEnd.Add(-5*day)) || *left < k.amount {
		if !v.After(dataEnd) && *left < k.amount && g.chance(0.15) {
			g.refuse(p.idx, validator, refusalReasons[2], v, m.title)
		}
		return
	}
	*left -= k.amount
	g.validate(p.idx, validator, v, m.title)
	paid := dateOf(v.Add(time.Duration(g.intIn(5, 30)) * day))
	if paid.After(dataEnd) || !g.chance(0.75) {
		return
	}
	k.state, k.paidBy, k.paidOn = fabrique.ContributionPaid, g.coord, paid
	k.reference = fmt.Sprintf("VIR-%d-%06d", paid.Year(), k.id)
	i := p.idx
	g.move(movement{kind: fabrique.TxPayment, amount: k.amount, from: g.account(kind, ref, v), to: g.outside(paid),
		causeType: "contribution", causeID: k.id,
		memo:      fmt.Sprintf("Contribution n° %d de %s (%s)", k.id, g.names[k.userID], fabrique.FormatDaysWithUnit(k.quarters)),
		reference: k.reference, userID: g.coord, on: paid, at: paid.Add(10 * time.Hour),
		setID: func(id int64) { g.contributions[i].ledgerTx = id }})
	g.audit(g.coord, "contribution.pay", "contribution", k.id,
		fmt.Sprintf("%s, %s, défi « %s », %s, payée le %s, référence %s", g.names[k.userID], fabrique.FormatDaysWithUnit(k.quarters),
			m.title, money(k.amount), paid.Format(time.DateOnly), k.reference), paid.Add(10*time.Hour))
	g.notice(fabrique.ContributionPaidNotification(&fabrique.ContributionRecord{
		Contribution: fabrique.Contribution{UserID: k.userID, Amount: k.amount, Reference: k.reference}, ChallengeTitle: m.title}), paid.Add(10*time.Hour))
}

func (g *gen) validate(i int, by int64, at time.Time, title string) {
	k := &g.contributions[i]
	k.state, k.validatedBy, k.validatedAt = fabrique.ContributionValidated, by, at
	detail := fmt.Sprintf("%s, %s, défi « %s », ", g.names[k.userID], fabrique.FormatDaysWithUnit(k.quarters), title)
	if k.volunteer {
		detail += "bénévole"
	} else {
		detail += money(k.amount)
	}
	g.audit(by, "contribution.validate", "contribution", k.id, detail, at)
	g.notice(fabrique.ContributionDecidedNotification(&fabrique.ContributionRecord{Contribution: fabrique.Contribution{UserID: k.userID}, ChallengeTitle: title}, true), at)
}

func (g *gen) refuse(i int, by int64, reason string, at time.Time, title string) {
	k := &g.contributions[i]
	k.state, k.reason = fabrique.ContributionRefused, reason
	g.audit(by, "contribution.refuse", "contribution", k.id, fmt.Sprintf("%s ; motif : %s", g.names[k.userID], reason), at)
	g.notice(fabrique.ContributionDecidedNotification(&fabrique.ContributionRecord{Contribution: fabrique.Contribution{UserID: k.userID, Reason: reason}, ChallengeTitle: title}, false), at)
}

// notice records the notification n (of one person) made at: read by now, but for those
// of the last fortnight — the notifications a platform of this size holds, and the
// unread count every logged-in page reads among them. Shown on the site only: none
// waits for an e-mail.
func (g *gen) notice(n fabrique.NewNotification, at time.Time) {
	var read time.Time
	if at.Before(dataEnd.AddDate(0, 0, -14)) {
		read = at.Add(time.Duration(g.intIn(1, 72)) * time.Hour)
	}
	g.notifications = append(g.notifications, notificationRow{userID: n.UserIDs[0], kind: string(n.Kind), data: n.Data,
		url: n.URL, createdAt: at, readAt: read})
}

// ---------------------------------------------------------------- the ledger

// numberLedger sorts the movements by date and numbers them, so the ledger reads in
// order of time, and gives each cause its transaction's id.
func (g *gen) numberLedger() {
	sort.SliceStable(g.movements, func(a, b int) bool {
		ma, mb := &g.movements[a], &g.movements[b]
		if c := ma.on.Compare(mb.on); c != 0 {
			return c < 0
		}
		return ma.at.Before(mb.at)
	})
	for i := range g.movements {
		m := &g.movements[i]
		m.id = g.nextID("ledger_transactions")
		if m.setID != nil {
			m.setID(m.id)
		}
	}
	slices.SortStableFunc(g.audits, func(a, b auditRow) int { return a.createdAt.Compare(b.createdAt) })
	for i := range g.audits {
		g.audits[i].id = g.nextID("audit_log")
	}
	slices.SortStableFunc(g.notifications, func(a, b notificationRow) int { return a.createdAt.Compare(b.createdAt) })
	for i := range g.notifications {
		g.notifications[i].id = g.nextID("notifications")
	}
}

// generate builds every row.
func (g *gen) generate() {
	g.genUsers()
	g.genPlaces()
	g.genCommons()
	g.genChallenges()
	g.genSteps()
	g.genCalls()
	g.genPledges()
	g.genSeed()
	g.genContributions()
	g.numberLedger()
}
