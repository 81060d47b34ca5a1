package postgres

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/alexedwards/scs/v2"
)

// SessionCodec encodes a session's values — an account id, times in milliseconds, an
// epoch, a flash message — in a few bytes of our own instead of scs's gob: a gob decoder
// learns the types anew for every session read, which was a sixth of the CPU of a
// logged-in person's page once the page itself came from the data cache (issue 16).
// Values of any other type are encoded with gob, as are sessions written before, which
// it still reads: nobody is logged out by the change.
type SessionCodec struct{}

// sessionMagic starts a session in our encoding. A gob stream starts with the length of
// its first message, and gob writes a length of 0xFA as « 6 bytes follow »: a message of
// at least 2⁴⁰ bytes, which no session is.
const (
	sessionMagic   = 0xFA
	sessionVersion = 1
)

// The kind of each value, one byte before it.
const (
	kindString = 's'
	kindInt64  = 'i'
	kindInt    = 'n'
	kindBool   = 'b'
)

var errSessionData = errors.New("postgres: malformed session data")

// Encode implements scs.Codec.
func (SessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	b := make([]byte, 0, 64)
	b = append(b, sessionMagic, sessionVersion)
	b = binary.AppendVarint(b, deadline.UnixNano())
	b = binary.AppendUvarint(b, uint64(len(values)))
	for k, v := range values {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		switch v := v.(type) {
		case string:
			b = append(b, kindString)
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		case int64:
			b = append(b, kindInt64)
			b = binary.AppendVarint(b, v)
		case int:
			b = append(b, kindInt)
			b = binary.AppendVarint(b, int64(v))
		case bool:
			b = append(b, kindBool)
			if v {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
		default:
			return scs.GobCodec{}.Encode(deadline, values)
		}
	}
	return b, nil
}

// Decode implements scs.Codec.
func (SessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) < 2 || b[0] != sessionMagic || b[1] != sessionVersion {
		return scs.GobCodec{}.Decode(b)
	}
	r := sessionReader{b: b[2:]}
	deadline := time.Unix(0, r.varint())
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		return time.Time{}, nil, errSessionData
	}
	values := make(map[string]any, n)
	for range n {
		k := string(r.bytes())
		switch r.byte() {
		case kindString:
			values[k] = string(r.bytes())
		case kindInt64:
			values[k] = r.varint()
		case kindInt:
			values[k] = int(r.varint())
		case kindBool:
			values[k] = r.byte() == 1
		default:
			r.err = errSessionData
		}
		if r.err != nil {
			return time.Time{}, nil, r.err
		}
	}
	if len(r.b) != 0 {
		return time.Time{}, nil, errSessionData
	}
	return deadline, values, nil
}

// sessionReader reads our encoding; the first error sticks.
type sessionReader struct {
	b   []byte
	err error
}

func (r *sessionReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err, r.b = errSessionData, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err, r.b = errSessionData, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) byte() byte {
	if len(r.b) == 0 {
		r.err = errSessionData
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *sessionReader) bytes() []byte {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err, r.b = errSessionData, nil
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}
