// Organisation fields: the text field works on its own (a name, code or GSS code); with
// JavaScript, accessible-autocomplete offers matching organisations from the API as you type.
// A choice is written "Name (CODE)", which the write path resolves by its code.
(function () {
  "use strict";
  if (typeof window.accessibleAutocomplete !== "function" || !window.fetch) {
    return;
  }
  var endpoint = "/api/v1/organisations";

  function source(query, populate) {
    var url = endpoint + "?include_former=true&page_size=10&q=" + encodeURIComponent(query);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (body) {
        populate((body.results || []).map(function (org) { return org.name + " (" + org.code + ")"; }));
      })
      .catch(function () { populate([]); });
  }

  document.querySelectorAll("input[data-sw-autocomplete='organisations']").forEach(function (input) {
    var container = document.createElement("div");
    container.className = "sw-autocomplete";
    input.parentNode.insertBefore(container, input);
    var describedBy = input.getAttribute("aria-describedby");
    var hadError = input.className.indexOf("govuk-input--error") !== -1;
    window.accessibleAutocomplete({
      element: container,
      id: input.id,
      name: input.name,
      defaultValue: input.value,
      minLength: 2,
      showNoOptionsFound: true,
      confirmOnBlur: false,
      source: source,
      tNoResults: function () { return "No organisation found: try its code, or another part of its name"; },
      tStatusQueryTooShort: function (n) { return "Type in " + n + " or more characters for suggestions"; },
    });
    input.parentNode.removeChild(input);
    var created = document.getElementById(input.id);
    if (created) {
      if (describedBy) {
        created.setAttribute("aria-describedby", describedBy + " " + (created.getAttribute("aria-describedby") || ""));
      }
      if (hadError) {
        created.classList.add("govuk-input--error");
      }
    }
  });
})();
