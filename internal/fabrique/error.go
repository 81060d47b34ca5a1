package fabrique

import (
	"errors"
	"fmt"
)

// Error codes, mapped to HTTP statuses in one place by the server.
const (
	ECONFLICT  = "conflict"     // the action conflicts with the current state (409 or 422 on forms)
	EINTERNAL  = "internal"     // a bug or an outage (500)
	EINVALID   = "invalid"      // the input breaks a rule (422)
	ENOTFOUND  = "not_found"    // the thing does not exist (404)
	EFORBIDDEN = "forbidden"    // the user may not do this (403)
	EUNAUTH    = "unauthorized" // a login is needed (303 to /connexion)
	ERATELIMIT = "rate_limit"   // too many attempts (429)
)

// Error is a domain error: a code, a message key for people (looked up in the message
// catalog), and the message keys of each invalid form field.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("fabrique error: code=%s message=%q fields=%v", e.Code, e.Message, e.Fields)
	}
	return fmt.Sprintf("fabrique error: code=%s message=%q", e.Code, e.Message)
}

// Errorf returns a coded error whose message is a catalog key or a plain sentence.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other
// error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a generic one.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Erreur interne."
}

// ErrorFields returns the per-field messages of the first *Error in err's chain.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Validation collects field errors while a form is checked.
type Validation struct {
	Fields map[string]string
}

// Add records msg for field, keeping the first message of each field.
func (v *Validation) Add(field, msg string) {
	if v.Fields == nil {
		v.Fields = map[string]string{}
	}
	if _, ok := v.Fields[field]; !ok {
		v.Fields[field] = msg
	}
}

// Err returns an EINVALID error carrying the fields, or nil when every field is valid.
func (v *Validation) Err() error {
	if len(v.Fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: msgFormErrors, Fields: v.Fields}
}

// msgFormErrors is the form-level sentence of an error on some fields.
const msgFormErrors = "Le formulaire contient des erreurs."

// FieldError is an EINVALID error of a form with msg (a catalog key) next to field.
func FieldError(field, msg string) error { return fieldError(field, msg) }

// fieldError is an EINVALID error of a form with msg next to field.
func fieldError(field, msg string) error {
	return &Error{Code: EINVALID, Message: msgFormErrors, Fields: map[string]string{field: msg}}
}

// The answers to what the store finds of the database's own refusals (postgres.mapError):
// a missing row, a unique or check violation, a transaction that lost a race.
var (
	ErrNotFound         = Errorf(ENOTFOUND, "Introuvable.")
	ErrValueTaken       = Errorf(ECONFLICT, "Cette valeur est déjà utilisée.")
	ErrInvalidValue     = Errorf(EINVALID, "Valeur invalide.")
	ErrConcurrentChange = Errorf(ECONFLICT, "Une autre modification a eu lieu en même temps, réessayez.")
)
