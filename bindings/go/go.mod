module github.com/libkairos/kairos-go

go 1.24
