package postgres

import (
	"reflect"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

func TestSessionCodec(t *testing.T) {
	deadline := time.Date(2026, 12, 5, 19, 30, 0, 123, time.UTC)
	values := map[string]any{"user_id": int64(42), "seen": int64(1796500000000), "epoch": 3,
		"flash": "Votre défi est publié.", "flag": true, "empty": ""}
	b, err := SessionCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	if b[0] != sessionMagic {
		t.Fatalf("encoded with gob, want ours: % x", b[:8])
	}
	got, gotValues, err := SessionCodec{}.Decode(b)
	if err != nil || !got.Equal(deadline) || !reflect.DeepEqual(gotValues, values) {
		t.Fatalf("decoded %v %#v %v, want %v %#v", got, gotValues, err, deadline, values)
	}

	// A session written by scs's gob (before this codec, or holding a type of its own)
	// still reads.
	old, err := scs.GobCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	if got, gotValues, err := (SessionCodec{}).Decode(old); err != nil || !got.Equal(deadline) || !reflect.DeepEqual(gotValues, values) {
		t.Fatalf("gob session decoded %v %#v %v", got, gotValues, err)
	}
	other := map[string]any{"ratio": 2.5}
	b, err = SessionCodec{}.Encode(deadline, other)
	if err != nil {
		t.Fatal(err)
	}
	if _, gotValues, err := (SessionCodec{}).Decode(b); err != nil || !reflect.DeepEqual(gotValues, other) {
		t.Fatalf("a value of another type: %#v %v", gotValues, err)
	}

	// Cut or damaged data is an error, never a panic nor a wrong value.
	good, _ := SessionCodec{}.Encode(deadline, values)
	for i := 2; i < len(good); i++ {
		if _, v, err := (SessionCodec{}).Decode(good[:i]); err == nil {
			t.Fatalf("cut at %d of %d decoded: %#v", i, len(good), v)
		}
	}
	for _, b := range [][]byte{{sessionMagic, sessionVersion, 0, 0xFF, 0xFF, 0xFF, 0x0F}, {sessionMagic, sessionVersion, 0, 1, 1, 'k', 'x', 0}} {
		if _, v, err := (SessionCodec{}).Decode(b); err == nil {
			t.Fatalf("% x decoded: %#v", b, v)
		}
	}
}

func FuzzSessionCodec(f *testing.F) {
	good, _ := SessionCodec{}.Encode(time.Now(), map[string]any{"user_id": int64(7), "flash": "x"})
	f.Add(good)
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 2 || b[0] != sessionMagic || b[1] != sessionVersion {
			return // gob's
		}
		d, values, err := SessionCodec{}.Decode(b)
		if err != nil {
			return
		}
		again, err := SessionCodec{}.Encode(d, values)
		if err != nil {
			t.Fatal(err)
		}
		if _, v2, err := (SessionCodec{}).Decode(again); err != nil || !reflect.DeepEqual(values, v2) {
			t.Fatalf("%#v → %#v, %v", values, v2, err)
		}
	})
}
