module runsel.test/fpgo

go 1.19
