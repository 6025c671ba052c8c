module dostup

go 1.26
