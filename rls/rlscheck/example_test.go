package rlscheck_test

import (
	"fmt"
	"os"
	"path/filepath"

	"dostup/rls/rlscheck"
)

// Check a role whose restriction calls a template of the role.
func ExampleCheck() {
	dir, _ := os.MkdirTemp("", "roles")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "Roles", "Менеджер", "Ext", "Rights.xml")
	_ = os.MkdirAll(filepath.Dir(path), 0o755)
	_ = os.WriteFile(path, []byte(`<?xml version="1.0" encoding="UTF-8"?>
<Rights xmlns="http://v8.1c.ru/8.2/roles" version="2.20">
	<object>
		<name>Catalog.Контрагенты</name>
		<right>
			<name>Read</name>
			<value>true</value>
			<restrictionByCondition>
				<condition>#КонтрагентыЧтениеИзменение("ИЛИ ЭтоГруппа")</condition>
			</restrictionByCondition>
		</right>
	</object>
	<restrictionTemplate>
		<name>КонтрагентыЧтениеИзменение</name>
		<condition>ГДЕ Организация = &amp;Организация #Параметр(1)</condition>
	</restrictionTemplate>
</Rights>`), 0o644)
	report, err := rlscheck.Check([]string{dir}, rlscheck.CheckOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(report.Summary())
	// Output:
	// 1 restrictions: 1 ok, 0 failed (1 variants, 0 message variants)
}
