// The import job page. Without JavaScript, its "refresh it" link shows the latest progress.
// With it, the page fetches itself every few seconds and puts the new content in place: a change
// of state (waiting, running, stalled) is announced politely, and once the job has finished the
// outcome replaces the progress and focus moves to its heading, so a screen reader reads it.
(function () {
  "use strict";
  var job = document.getElementById("import-job");
  var announcement = document.getElementById("import-job-announcement");
  if (!job || !announcement || !job.hasAttribute("data-sw-job-progress") || !window.fetch || !window.DOMParser) {
    return;
  }
  var every = (parseFloat(job.getAttribute("data-sw-job-progress")) || 2) * 1000;

  function heading(element) {
    var h1 = element.querySelector("h1");
    return h1 ? h1.textContent.trim() : "";
  }

  function update() {
    fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("import-job");
        if (!next) {
          throw new Error("no job on the page");
        }
        var before = heading(job);
        job.innerHTML = next.innerHTML;
        document.title = next.ownerDocument.title;
        if (next.hasAttribute("data-sw-job-progress")) {
          if (heading(job) !== before) {
            announcement.textContent = heading(job);
          }
          window.setTimeout(update, every);
        } else {
          job.removeAttribute("data-sw-job-progress");
          var h1 = job.querySelector("h1");
          if (h1) {
            h1.setAttribute("tabindex", "-1");
            h1.focus();
          }
        }
      })
      .catch(function () {
        window.setTimeout(update, every * 5); // the site is busy or offline: ask again, less often
      });
  }

  window.setTimeout(update, every);
})();
