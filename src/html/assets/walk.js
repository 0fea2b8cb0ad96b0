/* The visit form, made quicker with JavaScript (it works without): the
   look-fors' − and + change the count at once instead of sending the
   form, and a new visit's time is the phone's clock, not the server's. */
(function () {
	"use strict";
	document.querySelectorAll(".visit-form button[data-step]").forEach(function (b) {
		b.type = "button";
		b.addEventListener("click", function () {
			var input = b.parentNode.querySelector("input[type=number]");
			var n = (parseInt(input.value, 10) || 0) + parseInt(b.getAttribute("data-step"), 10);
			input.value = String(Math.max(0, Math.min(999, n)));
			input.dispatchEvent(new Event("change", { bubbles: true }));
		});
	});
	var t = document.querySelector(".visit-form input[data-now]");
	if (t) {
		var d = new Date();
		t.value = ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
	}
})();
