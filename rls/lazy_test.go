package rls

import (
	"strings"
	"testing"

	"dostup/metadata"
	"dostup/metadata/vocab"
)

// lazyConfig has a role whose template calls one the role lacks: the
// mistake shows when a session first needs the restriction, at its place.
const lazyConfig = `
configuration: {name: Ленивая, language: ru}
catalogs:
  - name: Товары
roles:
  - name: Продавец
    objects:
      - object: Справочник.Товары
        rights: [Чтение]
        restrictions:
          - {right: Чтение, condition: '#ДляОбъекта("")'}
    templates:
      - name: ДляОбъекта(Поле)
        condition: |
          ГДЕ ИСТИНА
            И #Нет("")
`

// TestTemplateErrorsAtFirstUse: the error of a role's templates, built on
// first use, names the YAML's line and column, for a configuration loaded
// from YAML and for the same read back from its compact form (whose texts'
// positions come when first asked for).
func TestTemplateErrorsAtFirstUse(t *testing.T) {
	cfg, err := metadata.LoadSources(map[string][]byte{"c.yaml": []byte(lazyConfig)})
	if err != nil {
		t.Fatal(err)
	}
	data, err := metadata.MarshalCompact(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	back, err := metadata.UnmarshalCompact(data)
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*metadata.Configuration{"yaml": cfg, "compact": back} {
		s, err := NewPolicy(c).Session([]string{"Продавец"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Plan("Справочник.Товары", vocab.Read, Fields{})
		const at = "c.yaml:16:15 (in template ДляОбъекта called at c.yaml:11:41)"
		if err == nil || !strings.Contains(err.Error(), at) {
			t.Errorf("%s: %v, not an error at %s", name, err, at)
		}
	}
}
