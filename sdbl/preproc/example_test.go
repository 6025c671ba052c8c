package preproc_test

import (
	"fmt"

	"dostup/sdbl/preproc"
	"dostup/sdbl/source"
)

// One session's parameters choose one text; without them, Variants lists
// every text the unknown parameters can select.
func ExampleProgram_Variants() {
	text := `#Если &ИспользоватьRLS #Тогда
ГДЕ Организация = &Организация
#Иначе
ГДЕ ИСТИНА
#КонецЕсли`
	p, err := preproc.Parse(source.FromFile(source.NewFile("ограничение", text)))
	if err != nil {
		fmt.Println(err)
		return
	}
	one, _ := p.Eval(preproc.Params{"ИспользоватьRLS": false})
	fmt.Printf("session: %q\n", one.Body)
	all, _ := p.Variants(preproc.Options{})
	for _, v := range all.Variants {
		fmt.Printf("%v: %q\n", v.Assumptions, v.Text.Body)
	}
	// Output:
	// session: "\nГДЕ ИСТИНА\n"
	// [{&ИспользоватьRLS false}]: "\nГДЕ ИСТИНА\n"
	// [{&ИспользоватьRLS true}]: "\nГДЕ Организация = &Организация\n"
}
