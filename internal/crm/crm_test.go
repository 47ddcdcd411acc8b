package crm

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

func TestErrorCodesAndMessages(t *testing.T) {
	cause := errors.New("disk on fire")
	wrapped := fmt.Errorf("store: x: %w", Errorf(Conflict, "Already there.").WithCause(cause))
	if ErrorCode(wrapped) != Conflict || ErrorMessage(wrapped) != "Already there." || !errors.Is(wrapped, cause) {
		t.Fatalf("wrapped: %q %q", ErrorCode(wrapped), ErrorMessage(wrapped))
	}
	plain := errors.New("db: secret detail")
	if ErrorCode(plain) != Internal || ErrorMessage(plain) == plain.Error() {
		t.Fatal("internal errors must not show their cause")
	}
	if ErrorCode(nil) != "" {
		t.Fatal("nil has a code")
	}
	fe := FieldErrors{}
	if fe.Err() != nil {
		t.Fatal("empty FieldErrors is an error")
	}
	fe.Add("email", "first")
	fe.Add("email", "second")
	if f := ErrorFields(fe.Err()); f["email"] != "first" || ErrorCode(fe.Err()) != Invalid {
		t.Fatalf("fields %v", f)
	}
}

func TestIDJSONAndParse(t *testing.T) {
	b, _ := json.Marshal(struct{ ID ID }{ID: 9007199254740993}) // 2^53+1: not exact as a JS number
	if string(b) != `{"ID":"9007199254740993"}` {
		t.Fatalf("json %s", b)
	}
	var v struct{ ID ID }
	if err := json.Unmarshal(b, &v); err != nil || v.ID != 9007199254740993 {
		t.Fatalf("round trip %v %v", v.ID, err)
	}
	for _, bad := range []string{"", "abc", "-1", "0", "1e3"} {
		if _, err := ParseID(bad); ErrorCode(err) != NotFound {
			t.Errorf("ParseID(%q) = %v, want not found", bad, err)
		}
	}
}

func TestRoles(t *testing.T) {
	if !RoleOwner.Valid() || Role("god").Valid() || RoleAdmin.Rank() <= RoleMember.Rank() || RoleReadOnly.Rank() != 1 {
		t.Fatal("role ranks")
	}
	p := Principal{UserID: 3, APIKeyID: 7}
	if p.Actor() != (Actor{Type: "apikey", ID: 7}) {
		t.Fatal("api key actor")
	}
}
