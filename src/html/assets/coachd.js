/* coachd's only script: small conveniences on top of pages that work
   without it. Loaded with defer from /static (the CSP allows no inline JS). */
(function () {
	"use strict";

	/* Ask before a destructive submit: <button data-confirm="Delete this?">. */
	document.addEventListener("submit", function (e) {
		var button = e.submitter;
		var form = e.target;
		var msg = (button && button.getAttribute("data-confirm")) ||
			form.getAttribute("data-confirm");
		if (msg && !window.confirm(msg)) e.preventDefault();
	});
	document.addEventListener("click", function (e) {
		var link = e.target.closest && e.target.closest("a[data-confirm]");
		if (link && !window.confirm(link.getAttribute("data-confirm"))) e.preventDefault();
	});

	/* A flash message can be dismissed; the button exists only with JS. */
	function addDismiss(flash) {
		var b = document.createElement("button");
		b.type = "button";
		b.className = "flash-dismiss";
		b.setAttribute("aria-label", "Dismiss message");
		b.textContent = "\u00d7";
		b.addEventListener("click", function () {
			flash.remove();
			var main = document.getElementById("main");
			if (main) main.focus();
		});
		flash.appendChild(b);
	}
	document.querySelectorAll(".flash").forEach(addDismiss);

	/* Printing a chart prints its data table too. */
	var opened = [];
	window.addEventListener("beforeprint", function () {
		document.querySelectorAll("details.chart-data:not([open])").forEach(function (d) {
			d.open = true;
			opened.push(d);
		});
	});
	window.addEventListener("afterprint", function () {
		opened.forEach(function (d) { d.open = false; });
		opened = [];
	});
})();

/* Coaching cycles: times in the reader's own zone, the start form showing
   only what the kind and school chosen need, a photo sent once taken. */
(function () {
	"use strict";

	function two(n) { return (n < 10 ? "0" : "") + n; }
	document.querySelectorAll("time[data-local]").forEach(function (t) {
		var d = new Date(t.getAttribute("datetime"));
		if (isNaN(d.getTime())) return;
		var clock = two(d.getHours()) + ":" + two(d.getMinutes());
		t.textContent = t.getAttribute("data-local") === "time" ? clock :
			d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " + clock;
	});

	var kinds = document.querySelectorAll("input[type=radio][name=kind]");
	function showKind() {
		var chosen = document.querySelector("input[type=radio][name=kind]:checked");
		document.querySelectorAll("[data-for-kind]").forEach(function (el) {
			el.hidden = !!chosen && el.getAttribute("data-for-kind") !== chosen.value;
		});
	}
	if (kinds.length) {
		kinds.forEach(function (k) { k.addEventListener("change", showKind); });
		showKind();
	}

	/* Teachers and teams of the school chosen only; none chosen: all. */
	var school = document.querySelector("select[name=school_id]");
	function showSchool() {
		document.querySelectorAll("optgroup[data-school]").forEach(function (g) {
			var other = !!school.value && g.getAttribute("data-school") !== school.value;
			g.hidden = other;
			g.disabled = other;
		});
	}
	if (school && document.querySelector("optgroup[data-school]")) {
		school.addEventListener("change", showSchool);
		showSchool();
	}

	/* A photo taken in class goes at once: one less tap. */
	document.querySelectorAll("input[type=file][data-autosubmit]").forEach(function (input) {
		input.addEventListener("change", function () {
			if (input.files.length && input.form.requestSubmit) input.form.requestSubmit();
		});
	});
})();
