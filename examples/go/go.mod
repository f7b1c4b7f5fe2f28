module github.com/libkairos/kairos-go/examples

go 1.24.0

require github.com/libkairos/kairos-go v0.0.0

replace github.com/libkairos/kairos-go => ../../bindings/go
