/* Form building: labels, errors beside fields, the CSRF token. */
#include "form.h"

#include "../base/util.h"
#include "html.h"

void form_error_add(form_errors *e, const char *field, const char *message)
{
	if (e->n >= FORM_MAX_ERRORS) return; /* the first ones are enough to act on */
	e->items[e->n].field = field;
	e->items[e->n].message = message;
	e->n++;
}

void form_error_line(struct arena *a, form_errors *e, const char *field, const char *what, const char *s,
		     size_t max)
{
	const char *problem = text_line_problem(a, what, s, max);
	if (problem) form_error_add(e, field, problem);
}

const char *form_error_for(const form_errors *e, const char *field)
{
	for (size_t i = 0; e && i < e->n; i++)
		if (str_eq(e->items[i].field, field)) return e->items[i].message;
	return NULL;
}

static void error_summary(buf *b, const form_errors *e)
{
	if (!e || !e->n) return;
	html_printf(b, "<div class=\"form-error\" role=\"alert\"><p>%s</p><ul>",
		    e->n == 1 ? "There is a problem with this form:" : "There are problems with this form:");
	for (size_t i = 0; i < e->n; i++) {
		if (e->items[i].field)
			html_printf(b, "<li><a href=\"#%s\">%s</a></li>", e->items[i].field,
				    e->items[i].message);
		else html_printf(b, "<li>%s</li>", e->items[i].message);
	}
	html_RAW(b, "</ul></div>\n");
}

void form_begin(buf *b, const char *action, const char *csrf, const form_errors *e)
{
	error_summary(b, e);
	html_printf(b, "<form method=\"post\" action=\"%s\" novalidate>\n", action);
	if (csrf) form_hidden(b, "csrf", csrf);
}

void form_begin_upload(buf *b, const char *action, const char *csrf, const form_errors *e)
{
	error_summary(b, e);
	html_printf(b, "<form method=\"post\" action=\"%s\" enctype=\"multipart/form-data\" novalidate>\n",
		    action);
	if (csrf) form_hidden(b, "csrf", csrf);
}

void form_end(buf *b, const char *submit_label)
{
	html_printf(b, "<div class=\"actions\"><button type=\"submit\">%s</button></div>\n</form>\n",
		    submit_label);
}

void form_field_open(buf *b, const char *id, const char *label, const char *hint, const char *error)
{
	html_printf(b, "<div class=\"field%s\">\n<label for=\"%s\">%s</label>\n",
		    error ? " field-invalid" : "", id, label);
	if (hint) html_printf(b, "<span class=\"hint\" id=\"%s-hint\">%s</span>\n", id, hint);
	form_field_error(b, id, error);
}

void form_field_close(buf *b)
{
	html_RAW(b, "</div>\n");
}

void form_field_error(buf *b, const char *id, const char *error)
{
	if (error) html_printf(b, "<span class=\"field-error\" id=\"%s-error\">%s</span>\n", id, error);
}

void form_control_described(buf *b, const char *id, const char *hint, const char *error)
{
	if (error) html_RAW(b, " aria-invalid=\"true\"");
	if (hint && error) html_printf(b, " aria-describedby=\"%s-hint %s-error\"", id, id);
	else if (hint) html_printf(b, " aria-describedby=\"%s-hint\"", id);
	else if (error) html_printf(b, " aria-describedby=\"%s-error\"", id);
}

static void field_attrs(buf *b, const char *name, bool required, const char *hint, const char *error)
{
	html_printf(b, " id=\"%s\" name=\"%s\"", name, name);
	if (required) html_RAW(b, " required");
	form_control_described(b, name, hint, error);
}

void form_input(buf *b, const char *type, const char *name, const char *label, const char *value,
		bool required, const char *hint, const form_errors *e)
{
	const char *error = form_error_for(e, name);
	form_field_open(b, name, label, hint, error);
	html_printf(b, "<input type=\"%s\"", type);
	field_attrs(b, name, required, hint, error);
	html_printf(b, " value=\"%s\">\n</div>\n", value ? value : "");
}

void form_textarea(buf *b, const char *name, const char *label, const char *value, bool required,
		   const char *hint, const form_errors *e)
{
	const char *error = form_error_for(e, name);
	form_field_open(b, name, label, hint, error);
	html_RAW(b, "<textarea");
	field_attrs(b, name, required, hint, error);
	html_printf(b, ">%s</textarea>\n</div>\n", value ? value : "");
}

void form_select(buf *b, const char *name, const char *label, const form_option *opts, size_t n,
		 const char *selected, bool required, const form_errors *e)
{
	const char *error = form_error_for(e, name);
	form_field_open(b, name, label, NULL, error);
	html_RAW(b, "<select");
	field_attrs(b, name, required, NULL, error);
	html_RAW(b, ">\n");
	for (size_t i = 0; i < n; i++) {
		html_printf(b, "<option value=\"%s\"", opts[i].value);
		if (str_eq(opts[i].value, selected)) html_RAW(b, " selected");
		html_printf(b, ">%s</option>\n", opts[i].label);
	}
	html_RAW(b, "</select>\n</div>\n");
}

void form_file(buf *b, const char *name, const char *label, const char *accept, bool required,
	       const char *hint, const form_errors *e)
{
	const char *error = form_error_for(e, name);
	form_field_open(b, name, label, hint, error);
	html_RAW(b, "<input type=\"file\"");
	field_attrs(b, name, required, hint, error);
	if (accept) html_printf(b, " accept=\"%s\"", accept);
	html_RAW(b, ">\n</div>\n");
}

void form_checkbox(buf *b, const char *name, const char *label, bool checked)
{
	html_printf(b,
		    "<div class=\"field\"><label class=\"check\" for=\"%s\">"
		    "<input type=\"checkbox\" id=\"%s\" name=\"%s\" value=\"1\"%s> %s</label></div>\n",
		    name, name, name, checked ? " checked" : "", label);
}

void form_hidden(buf *b, const char *name, const char *value)
{
	html_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"%s\">\n", name, value ? value : "");
}

void form_button(buf *b, const char *action, const char *csrf, const char *label, const char *confirm,
		 const char *hidden_name, const char *hidden_value)
{
	html_printf(b, "<form method=\"post\" action=\"%s\" class=\"inline\"", action);
	if (confirm) html_printf(b, " data-confirm=\"%s\"", confirm);
	html_RAW(b, ">");
	if (csrf) form_hidden(b, "csrf", csrf);
	if (hidden_name) form_hidden(b, hidden_name, hidden_value);
	html_printf(b, "<button type=\"submit\" class=\"secondary\">%s</button></form>\n", label);
}
