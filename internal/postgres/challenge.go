package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// challengeSelect reads a défi with its porteur's name and team size in one row, so a
// list costs one query whatever its length.
const challengeSelect = `
SELECT ` + challengeColumns + challengeFrom

// challengeColumns and challengeFrom are challengeSelect in two, for a query that reads
// one more column (searchChallenges).
const (
	challengeColumns = `c.id, c.slug, c.title, c.summary, c.problem, c.status, c.lead_id, u.display_name,
       (SELECT count(*) FROM challenge_members m WHERE m.challenge_id = c.id AND m.state = 'accepted'),
       c.created_at, c.updated_at`
	challengeFrom = `
FROM challenges c JOIN users u ON u.id = c.lead_id`
)

func scanChallenge(row pgx.Row, extra ...any) (*fabrique.Challenge, error) {
	var c fabrique.Challenge
	dest := append([]any{&c.ID, &c.Slug, &c.Title, &c.Summary, &c.Problem, &c.Status, &c.LeadID, &c.LeadName,
		&c.TeamSize, &c.CreatedAt, &c.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	return &c, nil
}

// CreateChallenge records a défi proposed by leadID, who becomes its porteur, with a
// unique slug derived from the title and the first entry of its timeline.
func (db *DB) CreateChallenge(ctx context.Context, nc fabrique.NewChallenge, leadID int64) (*fabrique.Challenge, error) {
	base := fabrique.Slugify(nc.Title)
	if base == "" {
		return nil, fabrique.ErrTitleWithoutSlug
	}
	var c *fabrique.Challenge
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		var id int64
		var err error
		if id, err = insertChallenge(ctx, tx, base, nc, leadID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx,
			`INSERT INTO challenge_members (challenge_id, user_id, role, state, decided_at)
			 VALUES ($1, $2, 'lead', 'accepted', now())`, id, leadID); err != nil {
			return fmt.Errorf("postgres: add porteur: %w", err)
		}
		if _, err := tx.Exec(ctx,
			`INSERT INTO challenge_status_changes (challenge_id, from_status, to_status, user_id)
			 VALUES ($1, NULL, 'identifie', $2)`, id, leadID); err != nil {
			return fmt.Errorf("postgres: record status: %w", err)
		}
		c, err = scanChallenge(tx.QueryRow(ctx, challengeSelect+` WHERE c.id = $1`, id))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: create challenge: %w", mapError(err))
	}
	return c, nil
}

// insertChallenge inserts the défi under the first free slug derived from base.
func insertChallenge(ctx context.Context, tx pgx.Tx, base string, nc fabrique.NewChallenge, leadID int64) (int64, error) {
	id, _, err := insertWithSlug(ctx, tx, "challenges", base, func(slug string) pgx.Row {
		return tx.QueryRow(ctx,
			`INSERT INTO challenges (slug, title, summary, problem, lead_id) VALUES ($1, $2, $3, $4, $5)
			 ON CONFLICT (slug) DO NOTHING RETURNING id`,
			slug, nc.Title, nc.Summary, nc.Problem, leadID)
	})
	if fabrique.ErrorCode(err) == fabrique.ECONFLICT {
		return 0, fabrique.ErrChallengeTitleTaken
	}
	return id, err
}

// ChallengeBySlug returns the défi with slug.
func (db *DB) ChallengeBySlug(ctx context.Context, slug string) (*fabrique.Challenge, error) {
	c, err := scanChallenge(db.pool.QueryRow(ctx, challengeSelect+` WHERE c.slug = $1`, slug))
	if err != nil {
		return nil, fmt.Errorf("postgres: challenge %q: %w", slug, mapError(err))
	}
	return c, nil
}

// ChallengeIDBySlug returns the id of the défi slug (ENOTFOUND when none has it).
func (db *DB) ChallengeIDBySlug(ctx context.Context, slug string) (int64, error) {
	var id int64
	if err := db.pool.QueryRow(ctx, `SELECT id FROM challenges WHERE slug = $1`, slug).Scan(&id); err != nil {
		return 0, fmt.Errorf("postgres: challenge %q: %w", slug, mapError(err))
	}
	return id, nil
}

// MaxSearchLen bounds a search, in characters: longer queries are cut, so a pasted text
// cannot make PostgreSQL parse a huge tsquery.
const MaxSearchLen = 200

// SearchText cleans a search typed by someone: valid UTF-8 without control characters,
// spaces collapsed, at most MaxSearchLen characters.
func SearchText(q string) string {
	q = strings.ToValidUTF8(q, " ")
	q = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, q)
	q = strings.Join(strings.Fields(q), " ")
	if utf8.RuneCountInString(q) > MaxSearchLen {
		q = strings.TrimSpace(string([]rune(q)[:MaxSearchLen]))
	}
	return q
}

// challengeWhere builds the FROM additions, WHERE clause and arguments shared by the list
// and its count, so both always apply the same filters. Arguments are numbered from
// first. The search parses the query once, with websearch_to_tsquery: it accepts any
// text (quotes, "or", -word) without a syntax error; a query of stop words only has no
// lexeme and matches nothing.
func challengeWhere(f fabrique.ChallengeFilter, first int) (from, where string, args []any) {
	var conds []string
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(first+len(args)-1)
	}
	if f.Query != "" {
		from = ` CROSS JOIN websearch_to_tsquery('fabrique_fr', ` + arg(f.Query) + `) AS query`
		conds = append(conds, `c.search @@ query`)
	}
	if f.Status != "" {
		conds = append(conds, `c.status = `+arg(string(f.Status)))
	}
	if f.Region != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM challenge_places cp JOIN places p ON p.id = cp.place_id
			WHERE cp.challenge_id = c.id AND p.region = `+arg(f.Region)+`)`)
	}
	if len(conds) > 0 {
		where = ` WHERE ` + strings.Join(conds, ` AND `)
	}
	return from, where, args
}

// Challenges returns a page of défis and how many match the filter: the best matches
// first when searching (then the newest), the newest first otherwise. At most two
// queries, whatever the page (a search's page carries its count: one query but on an
// empty page). The page's ids are chosen first, so the porteur and team size are read
// for its rows only, not for every row an OFFSET skips.
func (db *DB) Challenges(ctx context.Context, f fabrique.ChallengeFilter) ([]*fabrique.Challenge, int, error) {
	if f.Limit <= 0 {
		f.Limit = 20
	}
	f.Offset = max(f.Offset, 0)
	f.Query = SearchText(f.Query)
	if f.Query != "" {
		list, total, ok, err := db.searchChallenges(ctx, f)
		if err != nil || ok {
			return list, total, err
		}
		total, err = db.countChallenges(ctx, f) // an empty page: no match, or past the last
		return nil, total, err
	}
	// The page and the count go in one round trip (a batch). The limit and the offset are
	// written in the SQL, not parameters: a plan then knows the page is small and keeps to
	// nested loops over indexes, and the unfiltered list — most visits — has no parameter
	// at all, so PostgreSQL plans it once per connection instead of at every bind (0.6 ms,
	// more than running it).
	from, where, args := challengeWhere(f, 1)
	var list []*fabrique.Challenge
	var total int
	b := &pgx.Batch{}
	b.Queue(`WITH page AS (
		SELECT c.id, c.created_at FROM challenges c`+from+where+`
		ORDER BY c.created_at DESC, c.id DESC LIMIT `+strconv.Itoa(f.Limit)+` OFFSET `+strconv.Itoa(f.Offset)+`)`+
		challengeSelect+` JOIN page ON page.id = c.id ORDER BY page.created_at DESC, page.id DESC`, args...).
		Query(func(rows pgx.Rows) (err error) {
			list, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.Challenge, error) { return scanChallenge(r) })
			return err
		})
	b.Queue(`SELECT count(*) FROM challenges c`+from+where, args...).QueryRow(func(row pgx.Row) error { return row.Scan(&total) })
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, 0, fmt.Errorf("postgres: list challenges: %w", mapError(err))
	}
	return list, total, nil
}

// countChallenges counts the défis that match f.
func (db *DB) countChallenges(ctx context.Context, f fabrique.ChallengeFilter) (int, error) {
	from, where, args := challengeWhere(f, 1)
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM challenges c`+from+where, args...).Scan(&total); err != nil {
		return 0, fmt.Errorf("postgres: count challenges: %w", mapError(err))
	}
	return total, nil
}

// searchChallenges is Challenges for a search: the matches are found and ranked once
// (a common word matches half the défis, which the GIN index cannot narrow: a scan),
// then both counted and cut to the page, in one query. Counting them in a second query
// scanned them again: 15 + 12 ms at 10 000 défis for "outil", against 15 ms here
// (count(*) OVER () measured 28 ms, the window keeping every row). ok is false when the
// page is empty: it has no row to carry the count.
func (db *DB) searchChallenges(ctx context.Context, f fabrique.ChallengeFilter) (list []*fabrique.Challenge, total int, ok bool, err error) {
	from, where, args := challengeWhere(f, 2)
	rows, err := db.pool.Query(ctx, `WITH matches AS MATERIALIZED (
		SELECT c.id, c.created_at, ts_rank_cd(c.search, query) AS rank FROM challenges c`+from+where+`),
		page AS (SELECT * FROM matches ORDER BY rank DESC, created_at DESC, id DESC LIMIT `+strconv.Itoa(f.Limit)+` OFFSET $1)
		SELECT `+challengeColumns+`, (SELECT count(*) FROM matches)`+challengeFrom+` JOIN page ON page.id = c.id
		ORDER BY page.rank DESC, page.created_at DESC, page.id DESC`,
		append([]any{f.Offset}, args...)...)
	if err != nil {
		return nil, 0, false, fmt.Errorf("postgres: search challenges: %w", mapError(err))
	}
	list, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.Challenge, error) { return scanChallenge(r, &total) })
	if err != nil {
		return nil, 0, false, fmt.Errorf("postgres: search challenges: %w", mapError(err))
	}
	return list, total, len(list) > 0, nil
}

// recentChallengesSQL reads the newest défis in status $1, without counting them all as
// Challenges does (challenges_status_created_idx).
func recentChallengesSQL(limit int) string {
	return challengeSelect + ` WHERE c.status = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT ` + strconv.Itoa(limit)
}

// challengesInProgressSQL reads the défis being worked on, most recently active first
// (challenges_updated_idx). The limit is written in the SQL: with LIMIT $1, the cached
// generic plan sorted every défi in progress (49 ms at 10 000 défis) instead of walking
// the index (0.2 ms).
func challengesInProgressSQL(limit int) string {
	return challengeSelect + ` WHERE c.status IN ('equipe', 'prefiguration', 'developpement')
		ORDER BY c.updated_at DESC, c.id DESC LIMIT ` + strconv.Itoa(limit)
}

func scanChallenges(rows pgx.Rows) ([]*fabrique.Challenge, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.Challenge, error) { return scanChallenge(r) })
}

// HomeChallenges returns what the home page lists in one round trip (a batch): the
// défis in progress, most recently active first, and the newest défis identified.
func (db *DB) HomeChallenges(ctx context.Context, inProgress, identified int) (active, recent []*fabrique.Challenge, err error) {
	b := &pgx.Batch{}
	b.Queue(challengesInProgressSQL(inProgress)).Query(func(rows pgx.Rows) (err error) {
		active, err = scanChallenges(rows)
		return err
	})
	b.Queue(recentChallengesSQL(identified), string(fabrique.StatusIdentified)).Query(func(rows pgx.Rows) (err error) {
		recent, err = scanChallenges(rows)
		return err
	})
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, fmt.Errorf("postgres: home challenges: %w", err)
	}
	return active, recent, nil
}

// ChallengeTeam returns the accepted members of a défi, the porteur first.
func (db *DB) ChallengeTeam(ctx context.Context, challengeID int64) ([]fabrique.Member, error) {
	rows, err := db.pool.Query(ctx,
		`SELECT m.user_id, u.display_name, m.role, coalesce(m.decided_at, m.created_at)
		 FROM challenge_members m JOIN users u ON u.id = m.user_id
		 WHERE m.challenge_id = $1 AND m.state = 'accepted'
		 ORDER BY m.role = 'lead' DESC, m.decided_at, u.display_name`, challengeID)
	if err != nil {
		return nil, fmt.Errorf("postgres: team: %w", err)
	}
	team, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.Member, error) {
		var m fabrique.Member
		err := r.Scan(&m.UserID, &m.DisplayName, &m.Role, &m.Since)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: team: %w", err)
	}
	return team, nil
}

// UserChallenges returns the défis where userID is an accepted member, newest first.
func (db *DB) UserChallenges(ctx context.Context, userID int64) ([]*fabrique.Challenge, error) {
	rows, err := db.pool.Query(ctx, userChallengesSQL, userID)
	if err != nil {
		return nil, fmt.Errorf("postgres: user challenges: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.Challenge, error) { return scanChallenge(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: user challenges: %w", err)
	}
	return list, nil
}

// userChallengesSQL is UserChallenges' query ($1 the account).
const userChallengesSQL = challengeSelect +
	` JOIN challenge_members me ON me.challenge_id = c.id AND me.user_id = $1 AND me.state = 'accepted'
	  ORDER BY c.updated_at DESC, c.id DESC`

// SearchChallengeIDs returns the ids of every défi matching f's search, status and region,
// the best matches first (then the newest): a search ranked once, which pages then read
// by ChallengesByID.
func (db *DB) SearchChallengeIDs(ctx context.Context, f fabrique.ChallengeFilter) ([]int64, error) {
	f.Query = SearchText(f.Query)
	if f.Query == "" {
		return nil, nil
	}
	from, where, args := challengeWhere(f, 1)
	rows, err := db.pool.Query(ctx, `SELECT c.id FROM challenges c`+from+where+`
		ORDER BY ts_rank_cd(c.search, query) DESC, c.created_at DESC, c.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: search challenges: %w", mapError(err))
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("postgres: search challenges: %w", mapError(err))
	}
	return ids, nil
}

// ChallengesByID returns the défis ids, in that order (one missing since is left out).
func (db *DB) ChallengesByID(ctx context.Context, ids []int64) ([]*fabrique.Challenge, error) {
	rows, err := db.pool.Query(ctx, challengeSelect+` JOIN unnest($1::bigint[]) WITH ORDINALITY AS page(id, n) ON page.id = c.id
		ORDER BY page.n`, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: challenges by id: %w", mapError(err))
	}
	list, err := scanChallenges(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: challenges by id: %w", mapError(err))
	}
	return list, nil
}
