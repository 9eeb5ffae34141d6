// Filter box above a long checklist: typing hides the choices whose label does not contain the
// words typed. Checked boxes always stay visible. Without JavaScript the box stays hidden and
// the whole list shows.
(function () {
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  document.querySelectorAll("input[data-filters]").forEach(function (box) {
    var list = document.getElementById(box.getAttribute("data-filters"));
    var status = document.getElementById(box.id + "-status");
    if (!list) return;
    box.closest("[hidden]") && box.closest("[hidden]").removeAttribute("hidden");
    box.addEventListener("input", function () {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      list.querySelectorAll(".check").forEach(function (item) {
        var input = item.querySelector("input");
        var text = fold(item.textContent);
        var match = input.checked || words.every(function (w) { return text.indexOf(w) !== -1; });
        item.hidden = !match;
        if (match) shown += 1;
      });
      list.querySelectorAll(".checklist-group").forEach(function (group) {
        group.hidden = !group.querySelector(".check:not([hidden])");
      });
      if (status) status.textContent = words.length ? shown + (shown === 1 ? " soort past" : " soorten passen") : "";
    });
  });
})();
