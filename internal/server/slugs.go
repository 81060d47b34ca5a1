package server

import (
	"context"
	"sync"
)

// slugIDs keeps the id of each défi's and rendez-vous's slug it was asked for. Neither
// ever changes — a défi or a rendez-vous keeps the slug it was given, and none is deleted
// (a rendez-vous is cancelled, not removed) — so what it keeps never goes out of date,
// whatever changes: a form posted to its address (logging a contribution, registering to
// a rendez-vous; at every write a miss of the data cache, whose generation the writes
// move) finds what it is about without a query.
type slugIDs struct {
	mu  sync.Mutex
	ids map[string]int64 // by kind and slug
}

// maxSlugIDs bounds the slugs kept (a few dozen bytes each); when full, it starts afresh.
const maxSlugIDs = 1 << 16

// idOfSlug returns the id of the slug of kind, load's when not kept; load's error (as
// ENOTFOUND, when none has it) is not kept: one may take the slug later.
func (c *slugIDs) idOfSlug(ctx context.Context, kind, slug string, load func(context.Context, string) (int64, error)) (int64, error) {
	key := kind + "\x00" + slug
	c.mu.Lock()
	id, ok := c.ids[key]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	id, err := load(ctx, slug)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	if c.ids == nil || len(c.ids) >= maxSlugIDs {
		c.ids = map[string]int64{}
	}
	c.ids[key] = id
	c.mu.Unlock()
	return id, nil
}

// challengeID returns the id of the défi slug.
func (s *Server) challengeID(ctx context.Context, slug string) (int64, error) {
	return s.slugs.idOfSlug(ctx, "defi", slug, s.db.ChallengeIDBySlug)
}

// eventID returns the id of the rendez-vous slug.
func (s *Server) eventID(ctx context.Context, slug string) (int64, error) {
	return s.slugs.idOfSlug(ctx, "rendez-vous", slug, s.db.EventIDBySlug)
}
