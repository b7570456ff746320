// GOV.UK Frontend's "JavaScript is on" classes, set before the page is drawn (so styles for
// scripted parts apply without a flash). A file, not an inline script: the
// Content-Security-Policy allows scripts from this site's files only.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
