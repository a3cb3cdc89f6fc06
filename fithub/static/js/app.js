// Small progressive enhancements; every page works without them.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el instanceof HTMLSelectElement && el.dataset.autosubmit !== undefined) el.form.requestSubmit();
});
document.addEventListener("click", (event) => {
  const el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) event.preventDefault();
});
// After a refused form, move focus to the summary of what to correct, so that a screen reader
// reads it and a keyboard user starts there. Its links move focus to each field.
const summary = document.querySelector("[data-error-summary]");
if (summary) summary.focus();
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-error-summary] a[href^='#']");
  const field = link && document.getElementById(link.getAttribute("href").slice(1));
  if (field) { event.preventDefault(); field.focus(); field.scrollIntoView({ block: "center" }); }
});
