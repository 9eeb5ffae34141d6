/* After a failed submit, move focus to the error summary, so that keyboard and screen-reader
   users start at the list of problems. The summary's `autofocus` already does this in most
   browsers without JavaScript; this covers the others and summaries without the attribute. */
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (!summary || (document.activeElement && document.activeElement !== document.body)) return;
  if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
  summary.focus();
});
