// A search box that narrows a list of checkboxes as the reader types (the list works without it).
document.querySelectorAll("input[data-filters]").forEach(function (box) {
  var list = document.querySelector(box.dataset.filters);
  if (!list) return;
  box.addEventListener("input", function () {
    var needle = box.value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
    list.querySelectorAll("[data-name]").forEach(function (item) {
      var name = item.dataset.name.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      var checked = item.querySelector("input:checked");
      item.hidden = needle !== "" && !checked && name.indexOf(needle) === -1;
    });
  });
});
