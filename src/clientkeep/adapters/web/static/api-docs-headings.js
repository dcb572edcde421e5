// Swagger UI titles the API with an h1, each group of operations with an h3 and the schemas
// with an h4: a screen reader's outline skips levels (axe-core: heading-order). Each is a
// section of the page, so each is announced as a level-2 heading, as Swagger UI renders and
// re-renders them.
"use strict";
(function () {
  function levelGroups() {
    document.querySelectorAll("#swagger-ui h3.opblock-tag, #swagger-ui section.models h4").forEach(function (heading) {
      if (heading.getAttribute("aria-level") !== "2") heading.setAttribute("aria-level", "2");
    });
  }
  function watch() {
    var root = document.getElementById("swagger-ui");
    if (!root) return;
    new MutationObserver(levelGroups).observe(root, { childList: true, subtree: true });
    levelGroups();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
