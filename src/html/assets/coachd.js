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
