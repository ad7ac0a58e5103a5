// Runs first thing in <body>, before anything is drawn: GOV.UK Frontend styles
// its JavaScript-only layout (such as the collapsed menu on phones) from this
// class, so setting it before the first paint stops the page jumping when
// main.js loads. It is a file, not an inline script, because our Content
// Security Policy allows no inline script.
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
}
