package rules

import (
	"encoding/json"
	"testing"
)

// TestErrorJSON keeps the older pos beside the shape every positioned error
// of dostup has, so readers of either form go on working.
func TestErrorJSON(t *testing.T) {
	e := &Error{Pos: Pos{File: "rules.yaml", Line: 3, Col: 5}, Code: "yaml", Msg: "bad"}
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"pos":{"file":"rules.yaml"},"file":"rules.yaml","line":3,"col":5,"code":"yaml","message":"bad"}`
	if string(data) != want {
		t.Errorf("got  %s\nwant %s", data, want)
	}
	var back Error
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back != *e {
		t.Errorf("read back %+v, want %+v", back, *e)
	}
	if err := json.Unmarshal([]byte(`{"pos":{"file":"old.yaml"},"code":"c","message":"m"}`), &back); err != nil || back.Error() != "old.yaml: m" {
		t.Errorf("older form read as %q, %v", back.Error(), err)
	}
}
