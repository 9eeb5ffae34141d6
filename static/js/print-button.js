// A "print" button for pages meant for paper. Hidden without JavaScript: the page then says
// to use Ctrl+P.
(function () {
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
