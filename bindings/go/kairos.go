// Package kairos is the Go binding of libkairos, an embeddable library for predictive
// capacity planning: it forecasts metric history with calibrated quantiles, turns the
// forecast into a replica plan with headroom and risk, prices the plan and writes the KEDA
// manifests that carry it out.
//
// The package calls the C library through cgo and builds against the installed library
// with pkg-config (`#cgo pkg-config: kairos`). Everything it returns is Go memory: results
// are copied out of the library inside the call, so no C pointer ever reaches the caller.
// The one object with a lifetime is [Model], a fitted model held by the library; release it
// with [Model.Close] (a finalizer frees a forgotten one, but do not rely on it: the Go
// garbage collector does not see the C memory behind a model).
//
// Errors are values of type *[Error] carrying the library's status code and its detail
// message. The message is read on the OS thread that made the call, inside the same cgo
// call, so no goroutine ever needs runtime.LockOSThread. Test a class of failure with
// errors.Is(err, kairos.ErrData) and read the detail with errors.As.
//
// Every function is safe to call from any number of goroutines; a [Model] may be shared
// and forecast from concurrently (docs/go.md).
package kairos

/*
#cgo pkg-config: kairos
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import "unsafe"

// Version is the version of the linked libkairos, "MAJOR.MINOR.PATCH".
func Version() string { return C.GoString(C.kairos_version_string()) }

// msgBuf is the buffer each shim copies kairos_last_error() into.
type msgBuf [C.KGO_MSG_SIZE]C.char

func (b *msgBuf) ptr() *C.char { return &b[0] }

// check turns a status returned by a shim into an *Error (nil for success).
func check(status C.int, op string, msg *msgBuf) error {
	if status == 0 {
		return nil
	}
	return newError(Status(status), op, C.GoString(msg.ptr()))
}

// statusName is kairos_strerror(status), the library's own name for a code.
func statusName(s Status) string { return C.GoString(C.kairos_strerror(C.int(s))) }

// cString copies s into C memory; the caller frees it with C.free. "" gives NULL when
// emptyIsNull is set (the library's "default" for optional strings).
func cString(s string, emptyIsNull bool) *C.char {
	if s == "" && emptyIsNull {
		return nil
	}
	return C.CString(s)
}

func freeAll(ps ...*C.char) {
	for _, p := range ps {
		if p != nil {
			C.free(unsafe.Pointer(p))
		}
	}
}
