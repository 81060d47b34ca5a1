// Package fabrique is the domain of the platform: its types, their validation, error
// codes, and the pure rules (money, days, the status machine, matching). It does no I/O,
// so every rule here is unit-tested on its own.
package fabrique
