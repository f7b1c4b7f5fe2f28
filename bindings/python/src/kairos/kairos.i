/* SWIG interface of kairos.capi (C extension kairos._capi): the public libkairos API
 * through the thin glue of kairos_py.h, with typemaps that
 *  - take numpy arrays (any object with the buffer protocol) without copying: float64 as
 *    'd', int64 as 'q'/'l', int32 as 'i'; C-contiguous for 1-D, any non-negative strides
 *    that are whole elements for the 2-D batch input;
 *  - hand back library-owned text (kairos_buf) as str;
 *  - give owned handles (kairos_series, kairos_model) whose destructors call the _free();
 *  - turn a negative kpy_status into a kairos.KairosError subclass with the C message.
 * Built with `swig -threads`: the GIL is released around every C call. */
%module(package="kairos") capi

%{
#define SWIG_FILE_WITH_INIT
#include "kairos_py.h"
const char *kpy_glue_error(void);

/* Raise the kairos exception for status (negative), with the message of the failed call.
 * Called right after the C call on the same thread, so kairos_last_error() is that call's. */
static void kpy_raise(int status)
{
    const char *msg = kpy_glue_error();
    if (!msg || !*msg)
        msg = kairos_last_error();
    PyObject *mod = PyImport_ImportModule("kairos._errors");
    if (!mod)
        return;
    PyObject *exc = PyObject_CallMethod(mod, "_from_status", "is", status, msg);
    Py_DECREF(mod);
    if (!exc)
        return;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
}

enum kpy_kind { KPY_F64, KPY_I64, KPY_I32, KPY_BYTES };

static int kpy_format_ok(const Py_buffer *v, enum kpy_kind kind)
{
    const char *f = v->format ? v->format : "B";
    if (*f == '<' || *f == '=' || *f == '@')
        f++;
    switch (kind) {
    case KPY_F64: return v->itemsize == 8 && strcmp(f, "d") == 0;
    case KPY_I64: return v->itemsize == 8 && (strcmp(f, "q") == 0 || strcmp(f, "l") == 0);
    case KPY_I32: return v->itemsize == 4 && (strcmp(f, "i") == 0 || strcmp(f, "l") == 0);
    case KPY_BYTES: return 1;
    }
    return 0;
}

static const char *kpy_kind_name(enum kpy_kind kind)
{
    return kind == KPY_F64 ? "float64" : kind == KPY_I64 ? "int64" : kind == KPY_I32 ? "int32"
                                                                                     : "bytes";
}

/* A 1-D C-contiguous buffer of the given kind. */
static int kpy_get_1d(PyObject *obj, Py_buffer *v, enum kpy_kind kind, int writable,
                      const char *name)
{
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, v, flags) != 0) {
        PyErr_Format(PyExc_TypeError, "%s: expected a contiguous%s %s array", name,
                     writable ? " writable" : "", kpy_kind_name(kind));
        return -1;
    }
    if (!kpy_format_ok(v, kind)) {
        PyErr_Format(PyExc_TypeError, "%s: expected %s, got format '%s'", name,
                     kpy_kind_name(kind), v->format ? v->format : "B");
        PyBuffer_Release(v);
        return -1;
    }
    return 0;
}

/* A 2-D buffer with any non-negative element strides: shape (rows, cols) and strides in
 * elements, FFTW style. */
static int kpy_get_2d(PyObject *obj, Py_buffer *v, enum kpy_kind kind, size_t *rows,
                      size_t *cols, size_t *stride, size_t *dist, const char *name)
{
    if (PyObject_GetBuffer(obj, v, PyBUF_STRIDES | PyBUF_FORMAT) != 0) {
        PyErr_Format(PyExc_TypeError, "%s: expected a 2-D %s array", name, kpy_kind_name(kind));
        return -1;
    }
    if (v->ndim != 2 || !kpy_format_ok(v, kind) || v->strides[0] < 0 || v->strides[1] < 0 ||
        v->strides[0] % v->itemsize || v->strides[1] % v->itemsize) {
        PyErr_Format(PyExc_TypeError, "%s: expected a 2-D %s array with non-negative strides",
                     name, kpy_kind_name(kind));
        PyBuffer_Release(v);
        return -1;
    }
    *rows = (size_t)v->shape[0];
    *cols = (size_t)v->shape[1];
    *dist = (size_t)(v->strides[0] / v->itemsize);
    *stride = (size_t)(v->strides[1] / v->itemsize);
    return 0;
}
%}

%include <stdint.i>

/* ---- status ---------------------------------------------------------------------------- */
typedef int kpy_status;
%typemap(out) kpy_status {
    if ($1 < 0) {
        kpy_raise($1);
        SWIG_fail;
    }
    $result = Py_None;
    Py_INCREF(Py_None);
}

/* ---- 1-D arrays ------------------------------------------------------------------------ */
%define KPY_1D_IN(CTYPE, KIND)
%typemap(in) (const CTYPE *IN, size_t IN_N) (Py_buffer view, int got = 0) {
    if (kpy_get_1d($input, &view, KIND, 0, "$1_name") != 0) SWIG_fail;
    got = 1;
    $1 = (CTYPE *)view.buf;
    $2 = (size_t)(view.len / view.itemsize);
}
%typemap(freearg) (const CTYPE *IN, size_t IN_N) { if (got$argnum) PyBuffer_Release(&view$argnum); }
%typemap(in) (const CTYPE *OPT_IN, size_t OPT_N) (Py_buffer view, int got = 0) {
    if ($input == Py_None) { $1 = NULL; $2 = 0; }
    else {
        if (kpy_get_1d($input, &view, KIND, 0, "$1_name") != 0) SWIG_fail;
        got = 1;
        $1 = (CTYPE *)view.buf;
        $2 = (size_t)(view.len / view.itemsize);
    }
}
%typemap(freearg) (const CTYPE *OPT_IN, size_t OPT_N) { if (got$argnum) PyBuffer_Release(&view$argnum); }
%typemap(in) (CTYPE *OUT, size_t OUT_N) (Py_buffer view, int got = 0) {
    if (kpy_get_1d($input, &view, KIND, 1, "$1_name") != 0) SWIG_fail;
    got = 1;
    $1 = (CTYPE *)view.buf;
    $2 = (size_t)(view.len / view.itemsize);
}
%typemap(freearg) (CTYPE *OUT, size_t OUT_N) { if (got$argnum) PyBuffer_Release(&view$argnum); }
%typemap(in) (CTYPE *OPT_OUT, size_t OPT_OUT_N) (Py_buffer view, int got = 0) {
    if ($input == Py_None) { $1 = NULL; $2 = 0; }
    else {
        if (kpy_get_1d($input, &view, KIND, 1, "$1_name") != 0) SWIG_fail;
        got = 1;
        $1 = (CTYPE *)view.buf;
        $2 = (size_t)(view.len / view.itemsize);
    }
}
%typemap(freearg) (CTYPE *OPT_OUT, size_t OPT_OUT_N) { if (got$argnum) PyBuffer_Release(&view$argnum); }
%enddef

KPY_1D_IN(double, KPY_F64)
KPY_1D_IN(int64_t, KPY_I64)
KPY_1D_IN(int32_t, KPY_I32)
KPY_1D_IN(char, KPY_BYTES)

/* 2-D strided float64 / int64 (batch input) */
%typemap(in) (const double *IN2D, size_t ROWS, size_t COLS, size_t STRIDE, size_t DIST)
    (Py_buffer view, int got = 0) {
    if (kpy_get_2d($input, &view, KPY_F64, &$2, &$3, &$4, &$5, "values") != 0) SWIG_fail;
    got = 1;
    $1 = (double *)view.buf;
}
%typemap(freearg) (const double *IN2D, size_t ROWS, size_t COLS, size_t STRIDE, size_t DIST) {
    if (got$argnum) PyBuffer_Release(&view$argnum);
}
%typemap(in) (const int64_t *OPT_IN2D, size_t ROWS, size_t COLS, size_t STRIDE, size_t DIST)
    (Py_buffer view, int got = 0) {
    if ($input == Py_None) { $1 = NULL; $2 = $3 = $4 = $5 = 0; }
    else {
        if (kpy_get_2d($input, &view, KPY_I64, &$2, &$3, &$4, &$5, "timestamps") != 0) SWIG_fail;
        got = 1;
        $1 = (int64_t *)view.buf;
    }
}
%typemap(freearg) (const int64_t *OPT_IN2D, size_t ROWS, size_t COLS, size_t STRIDE, size_t DIST) {
    if (got$argnum) PyBuffer_Release(&view$argnum);
}

/* text in: (const char *text, size_t len) from bytes or str */
%typemap(in) (const char *TEXT, size_t TEXT_N) (Py_buffer view, int got = 0, PyObject *tmp = NULL) {
    PyObject *src = $input;
    if (PyUnicode_Check(src)) {
        tmp = PyUnicode_AsUTF8String(src);
        if (!tmp) SWIG_fail;
        src = tmp;
    }
    if (PyObject_GetBuffer(src, &view, PyBUF_SIMPLE) != 0) SWIG_fail;
    got = 1;
    $1 = (char *)view.buf;
    $2 = (size_t)view.len;
}
%typemap(freearg) (const char *TEXT, size_t TEXT_N) {
    if (got$argnum) PyBuffer_Release(&view$argnum);
    Py_XDECREF(tmp$argnum);
}

/* ---- outputs --------------------------------------------------------------------------- */
%typemap(in, numinputs=0) kairos_buf *OUT_TEXT (kairos_buf buf = KAIROS_BUF_INIT) { $1 = &buf; }
%typemap(argout) kairos_buf *OUT_TEXT {
    PyObject *s = PyUnicode_DecodeUTF8($1->data ? $1->data : "", (Py_ssize_t)$1->len, "replace");
    if (!s) SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, s);
}
%typemap(freearg) kairos_buf *OUT_TEXT { kairos_buf_dispose($1); }

%typemap(in, numinputs=0) int64_t *OUT_I64 (int64_t tmp = 0) { $1 = &tmp; }
%typemap(argout) int64_t *OUT_I64 {
    $result = SWIG_Python_AppendOutput($result, PyLong_FromLongLong((long long)*$1));
}
%typemap(in, numinputs=0) double *OUT_F64 (double tmp = 0) { $1 = &tmp; }
%typemap(argout) double *OUT_F64 {
    $result = SWIG_Python_AppendOutput($result, PyFloat_FromDouble(*$1));
}

/* ---- handles --------------------------------------------------------------------------- */
%nodefaultctor kairos_series;
%nodefaultctor kairos_model;
typedef struct kairos_series kairos_series;
typedef struct kairos_model kairos_model;
struct kairos_series {};
struct kairos_model {};
%extend kairos_series { ~kairos_series() { kairos_series_free($self); } }
%extend kairos_model { ~kairos_model() { kairos_model_free($self); } }

%typemap(in, numinputs=0) kairos_series **OUT_SERIES (kairos_series *tmp = NULL) { $1 = &tmp; }
%typemap(argout) kairos_series **OUT_SERIES {
    $result = SWIG_Python_AppendOutput($result,
        SWIG_NewPointerObj(*$1, SWIGTYPE_p_kairos_series, SWIG_POINTER_OWN));
}
%typemap(in, numinputs=0) kairos_model **OUT_MODEL (kairos_model *tmp = NULL) { $1 = &tmp; }
%typemap(argout) kairos_model **OUT_MODEL {
    $result = SWIG_Python_AppendOutput($result,
        SWIG_NewPointerObj(*$1, SWIGTYPE_p_kairos_model, SWIG_POINTER_OWN));
}

/* ---- apply the typemaps to the glue's parameter names ------------------------------------ */
%apply kairos_series **OUT_SERIES { kairos_series **out };
%apply kairos_model **OUT_MODEL { kairos_model **out };
%apply kairos_buf *OUT_TEXT { kairos_buf *text, kairos_buf *json };
%apply int64_t *OUT_I64 { int64_t *out };
%apply double *OUT_F64 { double *out };
%apply (const char *TEXT, size_t TEXT_N) { (const char *text, size_t len) };

%apply (const double *IN, size_t IN_N) {
    (const double *numbers, size_t n_numbers),
    (const double *values, size_t n), (const double *levels, size_t n),
    (const double *mean, size_t horizon), (const double *quantiles, size_t n_q),
    (const double *opts, size_t n_opts), (const double *model, size_t n_model),
    (const double *values, size_t n_values) };
%apply (const double *OPT_IN, size_t OPT_N) {
    (const double *levels, size_t n_levels), (const double *quantiles, size_t n_quantiles) };
%apply (const int64_t *IN, size_t IN_N) {
    (const int64_t *fit, size_t n_fit), (const int64_t *bt, size_t n_bt), (const int64_t *offsets, size_t n_offsets),
    (const int64_t *replicas, size_t horizon), (const int64_t *replicas, size_t n_replicas) };
%apply (const int64_t *OPT_IN, size_t OPT_N) {
    (const int64_t *timestamps, size_t n_timestamps), (const int64_t *periods, size_t n_periods) };
%apply (double *OUT, size_t OUT_N) {
    (double *out, size_t n_out), (double *mean, size_t horizon), (double *values, size_t n),
    (double *mean, size_t n_mean), (double *demand, size_t n_demand),
    (double *p_shortfall, size_t n_p), (double *totals, size_t n_totals),
    (double *report, size_t n_report) };
%apply (double *OPT_OUT, size_t OPT_OUT_N) { (double *quantiles, size_t n_q) };
%apply (int64_t *OUT, size_t OUT_N) {
    (int64_t *report, size_t n_report), (int64_t *replicas, size_t n_replicas),
    (int64_t *out, size_t horizon) };
%apply (int64_t *OPT_OUT, size_t OPT_OUT_N) { (int64_t *timestamps, size_t n_timestamps) };
%apply (int32_t *OUT, size_t OUT_N) { (int32_t *status, size_t n_status) };
%apply (char *OPT_OUT, size_t OPT_OUT_N) { (char *messages, size_t n_messages) };
%apply (const double *IN2D, size_t ROWS, size_t COLS, size_t STRIDE, size_t DIST) {
    (const double *values, size_t n_series, size_t len, size_t stride, size_t dist) };
%apply (const int64_t *OPT_IN2D, size_t ROWS, size_t COLS, size_t STRIDE, size_t DIST) {
    (const int64_t *timestamps, size_t ts_n, size_t ts_len, size_t ts_stride, size_t ts_dist) };

/* Cheap calls keep the GIL. */
%nothread kpy_series_has_timestamps;
%nothread kairos_series_length;
%nothread kairos_series_step;
%nothread kairos_series_name;
%nothread kairos_strerror;
%nothread kairos_version_string;
%nothread kairos_version_number;

/* ---- the API ----------------------------------------------------------------------------- */
%include "kairos_py.h"

const char *kairos_strerror(int status);
unsigned kairos_version_number(void);
const char *kairos_version_string(void);
size_t kairos_series_length(const kairos_series *s);
int64_t kairos_series_step(const kairos_series *s);
const char *kairos_series_name(const kairos_series *s);

%constant int OK = KAIROS_OK;
%constant int EINVAL = KAIROS_EINVAL;
%constant int ENOMEM = KAIROS_ENOMEM;
%constant int EIO = KAIROS_EIO;
%constant int EPARSE = KAIROS_EPARSE;
%constant int EDATA = KAIROS_EDATA;
%constant int EMODEL = KAIROS_EMODEL;
%constant int EVERSION = KAIROS_EVERSION;
%constant int ERANGE = KAIROS_ERANGE;
%constant int ENOTSUP = KAIROS_ENOTSUP;
%constant int BATCH_MESSAGE_SIZE = KAIROS_BATCH_MESSAGE_SIZE;
