package kairos

import "fmt"

// Status is a libkairos status code. The numeric values are the C library's and never change.
type Status int

// The library's status codes (kairos_status in kairos/common.h).
const (
	StatusOK           Status = 0
	StatusInvalid      Status = -1 // invalid argument or option: a caller error
	StatusNoMemory     Status = -2 // out of memory
	StatusIO           Status = -3 // a file could not be opened or read
	StatusParse        Status = -4 // malformed input text (CSV, JSON, YAML, timestamps)
	StatusData         Status = -5 // well-formed data that cannot be used
	StatusModel        Status = -6 // a model could not be fitted
	StatusVersion      Status = -7 // an options struct version the library does not know
	StatusRange        Status = -8 // a value outside the supported range
	StatusNotSupported Status = -9 // the operation does not apply to this input or model
)

// String is the library's name for the code ("invalid argument", ...).
func (s Status) String() string { return statusName(s) }

// Error is a failure reported by libkairos: the status code, the library's detail message
// (kairos_last_error(), read inside the failing call) and the operation that failed.
type Error struct {
	Status  Status
	Message string // the library's detail; its name for the status when it gave none
	Op      string // the Go function, e.g. "Fit"
}

func newError(s Status, op, msg string) *Error {
	if msg == "" {
		msg = statusName(s)
	}
	return &Error{Status: s, Message: msg, Op: op}
}

// Error formats as "kairos: Op: message".
func (e *Error) Error() string {
	if e.Op == "" {
		return "kairos: " + e.Message
	}
	return fmt.Sprintf("kairos: %s: %s", e.Op, e.Message)
}

// Is makes errors.Is(err, ErrData) (and the other sentinels) true for every *Error with
// that status, whatever its message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	if t.Message == "" && t.Op == "" {
		return t.Status == e.Status
	}
	return t == e
}

// Sentinels, one per status, for errors.Is. They carry no message; never return them.
var (
	ErrInvalid      = &Error{Status: StatusInvalid}
	ErrNoMemory     = &Error{Status: StatusNoMemory}
	ErrIO           = &Error{Status: StatusIO}
	ErrParse        = &Error{Status: StatusParse}
	ErrData         = &Error{Status: StatusData}
	ErrModel        = &Error{Status: StatusModel}
	ErrVersion      = &Error{Status: StatusVersion}
	ErrRange        = &Error{Status: StatusRange}
	ErrNotSupported = &Error{Status: StatusNotSupported}
)

// invalid builds an ErrInvalid-class error detected on the Go side (before any C call).
func invalid(op, format string, args ...any) *Error {
	return &Error{Status: StatusInvalid, Op: op, Message: fmt.Sprintf(format, args...)}
}
