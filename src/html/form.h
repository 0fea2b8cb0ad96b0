/* Forms: labelled fields with their error beside them, the CSRF token in
 * every state-changing form, and one summary of what is wrong above the
 * form. Every page with a form builds it through these, so every field has
 * a label and every error is announced the same way. */
#ifndef COACHD_FORM_H
#define COACHD_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/buf.h"

enum { FORM_MAX_ERRORS = 24 };

typedef struct form_errors {
	struct {
		const char *field;
		const char *message;
	} items[FORM_MAX_ERRORS];
	size_t n;
} form_errors;

void form_error_add(form_errors *e, const char *field, const char *message);
/* The one rule of a single-line field (text_line_problem in base/util.h),
 * as an error beside field when s breaks it; what names it ("title"). */
struct arena;
void form_error_line(struct arena *a, form_errors *e, const char *field, const char *what, const char *s,
		     size_t max);
const char *form_error_for(const form_errors *e, const char *field);

/* A choice for selects and radio groups. */
typedef struct form_option {
	const char *value;
	const char *label;
} form_option;

/* <form method="post" action=...> with the hidden CSRF field; csrf may be
 * NULL only for the sign-in form. Also writes the error summary. */
void form_begin(buf *b, const char *action, const char *csrf, const form_errors *e);
/* The same for a form that carries files (multipart/form-data). */
void form_begin_upload(buf *b, const char *action, const char *csrf, const form_errors *e);
void form_end(buf *b, const char *submit_label);

/* type: "text", "email", "date", "time", "number", "search", "url",
 * "password". hint may be NULL. */
void form_input(buf *b, const char *type, const char *name, const char *label, const char *value,
		bool required, const char *hint, const form_errors *e);
void form_textarea(buf *b, const char *name, const char *label, const char *value, bool required,
		   const char *hint, const form_errors *e);
void form_select(buf *b, const char *name, const char *label, const form_option *opts, size_t n,
		 const char *selected, bool required, const form_errors *e);
void form_checkbox(buf *b, const char *name, const char *label, bool checked);
/* A file chooser; accept lists types ("".zip,application/zip"), may be NULL. */
void form_file(buf *b, const char *name, const char *label, const char *accept, bool required,
	       const char *hint, const form_errors *e);
void form_hidden(buf *b, const char *name, const char *value);

/* The pieces the fields above are made of, for a control a page writes
 * itself (chips, steppers, a group of checkboxes), so that every field
 * reads and is announced the same way: */
/* <div class="field"> with the label for id, its hint (id-hint) and its
 * error (id-error); form_field_close ends it. */
void form_field_open(buf *b, const char *id, const char *label, const char *hint, const char *error);
void form_field_close(buf *b);
/* The error of field id beside it, for aria-describedby; nothing when NULL. */
void form_field_error(buf *b, const char *id, const char *error);
/* The attributes that tie a control (or a fieldset) to its hint and
 * error: aria-invalid and aria-describedby. */
void form_control_described(buf *b, const char *id, const char *hint, const char *error);

/* A one-button POST form (deactivate, remove, revoke) with the CSRF token;
 * confirm, when given, is asked before submitting (with JavaScript). */
void form_button(buf *b, const char *action, const char *csrf, const char *label, const char *confirm,
		 const char *hidden_name, const char *hidden_value);

#endif
