// The main navigation on phones: folded behind the Menu button, unfolded on a press.
// Without JavaScript the nav simply stays open (the CSS only folds it under .js-nav).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const header = document.querySelector("[data-site-header]");
    const button = header && header.querySelector(".menu-toggle");
    if (!button) return;
    header.classList.add("js-nav");
    button.addEventListener("click", function () {
      const open = header.classList.toggle("is-open");
      button.setAttribute("aria-expanded", String(open));
    });
  });
})();
