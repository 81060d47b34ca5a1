package fabrique

import "fmt"

// Deleting an account (DESIGN §5): the personal data goes, the money records stay, under a
// pseudonym, so the ledger and the public accounts are unchanged and still balance.

// DeletedName is the pseudonym a deleted account is shown under.
func DeletedName(id int64) string { return fmt.Sprintf("Compte supprimé n° %d", id) }

// DeletedEmail is the address a deleted account keeps: it can receive nothing
// (.invalid, RFC 2606) and frees the real one for a new account.
func DeletedEmail(id int64) string { return fmt.Sprintf("compte-%d@supprime.invalid", id) }

// ErrLastCoordinator refuses to delete the last coordinator's account: nobody would be
// left to pay people and confirm funds.
var ErrLastCoordinator = Errorf(ECONFLICT, "Vous êtes le·la dernier·e coordinateur·rice : nommez-en un·e autre avant de supprimer votre compte.")
