package server

import (
	"context"
	"sync"
)

// slugIDs keeps the id of each défi's slug it was asked for. Neither ever changes — a
// défi keeps the slug it was given, and none is deleted — so what it keeps never goes
// out of date, whatever changes: a form posted to a défi's address (logging a
// contribution, at every write a miss of the data cache, whose generation the writes
// move) finds its défi without a query.
type slugIDs struct {
	mu  sync.Mutex
	ids map[string]int64
}

// maxSlugIDs bounds the slugs kept (a few dozen bytes each); when full, it starts afresh.
const maxSlugIDs = 1 << 16

// challengeID returns the id of the défi slug; ENOTFOUND when none has it (not kept:
// a défi may take it later).
func (s *Server) challengeID(ctx context.Context, slug string) (int64, error) {
	c := &s.slugs
	c.mu.Lock()
	id, ok := c.ids[slug]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	id, err := s.db.ChallengeIDBySlug(ctx, slug)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	if c.ids == nil || len(c.ids) >= maxSlugIDs {
		c.ids = map[string]int64{}
	}
	c.ids[slug] = id
	c.mu.Unlock()
	return id, nil
}
