package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// DeleteAccount erases the personal data of the account id in one transaction, keeping
// its money records under a pseudonym (fabrique.DeletedName): contributions, pledges, the
// ledger and the journal are untouched, so every balance stays what it was. Its name,
// address, password, language, calendar token, notifications, preferences, e-mails, links
// and pending requests go; its seats at rendez-vous to come are freed (the first person
// waiting promoted); it leaves the teams it was a member of (a défi it leads keeps it, as
// the pseudonym) and the tiers-lieux; every session of it ends.
func (db *DB) DeleteAccount(ctx context.Context, id int64) error {
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		var role string
		var deleted bool
		if err := tx.QueryRow(ctx, `SELECT role, deleted_at IS NOT NULL FROM users WHERE id = $1 FOR UPDATE`, id).Scan(&role, &deleted); err != nil {
			return err
		}
		if deleted {
			return fabrique.ErrNotFound
		}
		if role == fabrique.RoleCoordinator {
			var others int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM users WHERE role = 'coordinator' AND id <> $1 AND deleted_at IS NULL`, id).Scan(&others); err != nil {
				return err
			}
			if others == 0 {
				return fabrique.ErrLastCoordinator
			}
		}
		// Seats at rendez-vous to come: freed, each one given to the first person waiting.
		rows, err := tx.Query(ctx,
			`SELECT r.event_id, r.state FROM event_registrations r JOIN events e ON e.id = r.event_id
			  WHERE r.user_id = $1 AND e.starts_at > now() ORDER BY r.event_id`, id)
		if err != nil {
			return err
		}
		type seat struct {
			event int64
			state string
		}
		seats, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (seat, error) {
			var s seat
			return s, r.Scan(&s.event, &s.state)
		})
		if err != nil {
			return err
		}
		for _, s := range seats {
			if _, err := tx.Exec(ctx, `SELECT 1 FROM events WHERE id = $1 FOR UPDATE`, s.event); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM event_registrations WHERE event_id = $1 AND user_id = $2`, s.event, id); err != nil {
				return err
			}
			if s.state == fabrique.RegistrationRegistered {
				if _, err := promote(ctx, tx, s.event); err != nil {
					return err
				}
			}
		}
		for _, sql := range []string{
			`DELETE FROM notifications WHERE user_id = $1`,
			`DELETE FROM notification_preferences WHERE user_id = $1`,
			`DELETE FROM account_tokens WHERE user_id = $1`,
			`DELETE FROM reminders WHERE user_id = $1`,
			`DELETE FROM emails WHERE user_id = $1`,
			`DELETE FROM place_members WHERE user_id = $1`,
			`DELETE FROM place_requests WHERE user_id = $1 AND state = 'pending'`,
			`DELETE FROM challenge_members WHERE user_id = $1 AND state = 'pending'`,
			`UPDATE challenge_members SET state = 'left' WHERE user_id = $1 AND state = 'accepted' AND role <> 'lead'`,
			`UPDATE event_registrations SET message = '' WHERE user_id = $1`,
			`UPDATE pledges SET message = '' WHERE user_id = $1`,
			`UPDATE funders SET organisation = '' WHERE user_id = $1 AND kind = 'particulier'`,
		} {
			if _, err := tx.Exec(ctx, sql, id); err != nil {
				return fmt.Errorf("%s: %w", sql, err)
			}
		}
		_, err = tx.Exec(ctx,
			`UPDATE users SET display_name = $2, email = $3, password_hash = '!', email_verified_at = NULL,
			        calendar_token = NULL, lang = 'fr', role = 'contributor', session_epoch = session_epoch + 1, deleted_at = now()
			  WHERE id = $1`, id, fabrique.DeletedName(id), fabrique.DeletedEmail(id))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: delete account %d: %w", id, mapError(err))
	}
	db.FenceSessions(ctx) // its sessions ended
	return nil
}

// PersonalData returns, as JSON, everything the platform holds about the account id (its
// « mes données » file): the account, its défis and memberships, framing edits,
// contributions, seed requests, pledges and funder profile, tiers-lieux, rendez-vous,
// notifications, preferences and the e-mails sent to it. Only its own facts: other people
// appear by name at most, never by address.
func (db *DB) PersonalData(ctx context.Context, id int64) ([]byte, error) {
	sections := []struct{ name, sql string }{
		{"compte", `SELECT json_build_object('id', id, 'nom', display_name, 'email', email, 'role', role, 'langue', lang,
		             'cree_le', created_at, 'adresse_confirmee_le', email_verified_at) FROM users WHERE id = $1`},
		{"defis_portes", `SELECT coalesce(json_agg(json_build_object('defi', slug, 'titre', title, 'statut', status, 'cree_le', created_at) ORDER BY id), '[]')
		             FROM challenges WHERE lead_id = $1`},
		{"equipes", `SELECT coalesce(json_agg(json_build_object('defi', c.slug, 'titre', c.title, 'role', m.role, 'etat', m.state,
		             'message', m.message, 'demande_le', m.created_at, 'decide_le', m.decided_at) ORDER BY m.created_at), '[]')
		             FROM challenge_members m JOIN challenges c ON c.id = m.challenge_id WHERE m.user_id = $1`},
		{"cadrages_modifies", `SELECT coalesce(json_agg(json_build_object('defi', c.slug, 'le', r.created_at) ORDER BY r.created_at), '[]')
		             FROM challenge_framing_revisions r JOIN challenges c ON c.id = r.challenge_id WHERE r.user_id = $1`},
		{"contributions", `SELECT coalesce(json_agg(to_jsonb(k) - 'validated_by' - 'paid_by' ORDER BY k.id), '[]')
		             FROM contributions k WHERE k.user_id = $1`},
		{"demandes_amorcage", `SELECT coalesce(json_agg(to_jsonb(s) - 'decided_by' ORDER BY s.id), '[]') FROM seed_requests s WHERE s.requested_by = $1`},
		{"promesses", `SELECT coalesce(json_agg(to_jsonb(p) - 'decided_by' - 'idempotency_key' ORDER BY p.id), '[]') FROM pledges p WHERE p.user_id = $1`},
		{"profil_financeur", `SELECT to_jsonb(f) FROM funders f WHERE f.user_id = $1`},
		{"profils_facturation", `SELECT coalesce(json_agg(to_jsonb(b) ORDER BY b.id), '[]') FROM billing_profiles b WHERE b.user_id = $1`},
		{"releves", `SELECT coalesce(json_agg(to_jsonb(s) ORDER BY s.id), '[]') FROM statements s WHERE s.user_id = $1`},
		{"factures", `SELECT coalesce(json_agg(to_jsonb(i) - 'checked_by' - 'paid_by' ORDER BY i.id), '[]') FROM invoices i WHERE i.user_id = $1`},
		{"frais", `SELECT coalesce(json_agg(to_jsonb(x) - 'validated_by' - 'paid_by' - 'receipt_by' ORDER BY x.id), '[]') FROM expenses x WHERE x.user_id = $1`},
		{"temps_de_coordination", `SELECT coalesce(json_agg(to_jsonb(t) - 'validated_by' - 'paid_by' ORDER BY t.id), '[]') FROM coordination_time t WHERE t.user_id = $1`},
		{"tiers_lieux", `SELECT coalesce(json_agg(json_build_object('tiers_lieu', p.slug, 'nom', p.name, 'depuis', m.created_at) ORDER BY m.created_at), '[]')
		             FROM place_members m JOIN places p ON p.id = m.place_id WHERE m.user_id = $1`},
		{"demandes_tiers_lieux", `SELECT coalesce(json_agg(json_build_object('tiers_lieu', p.slug, 'etat', r.state, 'message', r.message, 'le', r.created_at) ORDER BY r.created_at), '[]')
		             FROM place_requests r JOIN places p ON p.id = r.place_id WHERE r.user_id = $1`},
		{"rendez_vous", `SELECT coalesce(json_agg(json_build_object('rendez_vous', e.slug, 'titre', e.title, 'etat', r.state, 'present', r.present,
		             'message', r.message, 'inscrit_le', r.registered_at) ORDER BY r.registered_at), '[]')
		             FROM event_registrations r JOIN events e ON e.id = r.event_id WHERE r.user_id = $1`},
		{"notifications", `SELECT coalesce(json_agg(json_build_object('type', kind, 'faits', data, 'lien', url, 'le', created_at, 'lue_le', read_at) ORDER BY id), '[]')
		             FROM notifications WHERE user_id = $1`},
		{"preferences", `SELECT coalesce(json_object_agg(kind, delivery), '{}') FROM notification_preferences WHERE user_id = $1`},
		{"courriels", `SELECT coalesce(json_agg(json_build_object('objet', subject, 'a', to_address, 'etat', state, 'le', created_at) ORDER BY id), '[]')
		             FROM emails WHERE user_id = $1`},
	}
	out := map[string]json.RawMessage{}
	for _, s := range sections {
		var raw []byte
		if err := db.pool.QueryRow(ctx, s.sql, id).Scan(&raw); err != nil && err != pgx.ErrNoRows {
			return nil, fmt.Errorf("postgres: personal data %s: %w", s.name, mapError(err))
		}
		if raw == nil {
			raw = []byte("null")
		}
		out[s.name] = raw
	}
	return json.MarshalIndent(out, "", "  ")
}
