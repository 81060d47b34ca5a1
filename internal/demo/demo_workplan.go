package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// demoWorkPlan gives the coordination its plan of the year (the seed's table), an
// operating account of 53 days, and three entries of its own days in the last weeks,
// waiting for another coordinator. It runs once: when the year has a plan, it does
// nothing.
func demoWorkPlan(ctx context.Context, db *postgres.DB, pool *pgxpool.Pool, now time.Time) error {
	year := parisDay(now).Year()
	var saved bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM work_plan WHERE year = $1)`, year).Scan(&saved); err != nil || saved {
		return err
	}
	coord, err := db.UserByEmail(ctx, CoordinatorEmail)
	if err != nil {
		return err
	}
	start := time.Date(year, time.January, 2, 9, 0, 0, 0, time.UTC)
	if !start.Before(now) {
		start = now.Add(-time.Hour)
	}
	at := postgres.Backdated(ctx, start)
	if err := db.SaveWorkPlan(at, coord, fabrique.DefaultWorkPlan(year)); err != nil {
		return fmt.Errorf("work plan: %w", err)
	}
	if _, err := db.SetOperatingFund(at, coord, year, 53*fabrique.DefaultDayRate); err != nil {
		return fmt.Errorf("operating account: %w", err)
	}
	var commons string
	if err := pool.QueryRow(ctx, `SELECT slug FROM commons ORDER BY id LIMIT 1`).Scan(&commons); err != nil {
		return err
	}
	for _, e := range []struct {
		ago      int
		service  string
		quarters int
		what     string
		commons  string
	}{
		{20, "cofinancement", 4, "Préparation du comité de l’appel à cofinancement avec les financeurs.", commons},
		{10, "ressources-et-vous", 2, "Animation de la session « Ressources & vous » et compte rendu.", ""},
		{3, "animation-defis", 4, "Relance des défis identifiés et mise en relation des porteur·ses.", ""},
	} {
		day := parisDay(now).AddDate(0, 0, -e.ago)
		in := fabrique.NewCoordinationTime{WorkedOn: day, Service: e.service, Quarters: e.quarters, Description: e.what, CommonsSlug: e.commons}
		if _, err := db.LogCoordinationTime(postgres.Backdated(ctx, day.Add(17*time.Hour)), coord, in); err != nil {
			return fmt.Errorf("coordination time: %w", err)
		}
	}
	return nil
}
