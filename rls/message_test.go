package rls

import "testing"

func TestMessageOf(t *testing.T) {
	cases := []struct {
		text, msg string
		ok        bool
	}{
		{"  // комментарий\n  Ошибка: Внешние пользователи отключены.\n", "Внешние пользователи отключены.", true},
		{"Error: template not supported \"a b\"", "template not supported \"a b\"", true},
		{"ГДЕ Ошибка = 1", "", false},
		{"Ошибка ГДЕ 1 = 1", "", false},
		{"ГДЕ ИСТИНА\nНеверноеПраво: Чтение\nИ ЛОЖЬ", "НеверноеПраво: Чтение", true},
		{"ГДЕ Поле = \"Ошибка: в строке\"", "", false},
		{"ГДЕ А = 1 // Ошибка: в комментарии", "", false},
	}
	for _, c := range cases {
		msg, ok := MessageOf(c.text)
		if ok != c.ok || msg != c.msg {
			t.Errorf("MessageOf(%q) = %q, %v; want %q, %v", c.text, msg, ok, c.msg, c.ok)
		}
	}
}
