package fabrique

import "time"

// AuditEntry is one line of the audit trail: a privileged decision, who took it, and
// its detail as worded when it was taken.
type AuditEntry struct {
	ID         int64
	UserName   string
	Action     string
	TargetType string
	TargetID   int64
	Detail     string
	At         time.Time
}
