/* Behaviour every page shares, bound from data attributes: the Content-Security-Policy allows
   no inline handlers. */
(function () {
  "use strict";

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // The main menu folds behind its button on a narrow screen (see app.css).
  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("mainnav");
  if (toggle && nav) {
    var narrow = window.matchMedia("(max-width: 40rem)");
    var fold = function (folded) {
      toggle.setAttribute("aria-expanded", folded ? "false" : "true");
      if (folded) { nav.setAttribute("data-folded", ""); } else { nav.removeAttribute("data-folded"); }
    };
    toggle.hidden = false;
    fold(true);
    toggle.addEventListener("click", function () { fold(nav.hasAttribute("data-folded") === false); });
    narrow.addEventListener("change", function () { fold(true); });
  }
})();
