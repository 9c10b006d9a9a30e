module runsel.test/goprog

go 1.19
