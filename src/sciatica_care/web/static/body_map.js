// Assessment form: the body map becomes clickable. Each region toggles the matching checkbox of
// the chosen layer (pain, numbness, tingling); the checkbox lists stay the source of truth and
// work on their own without JavaScript.
"use strict";
(function () {
  var picker = document.querySelector("[data-body-map]");
  var lists = document.querySelector("[data-region-lists]");
  if (!picker || !lists) {
    return;
  }
  var svg = picker.querySelector("svg");
  var status = picker.querySelector("[data-body-map-status]");
  var LAYERS = ["pain", "numbness", "tingling"];
  var PATTERNS = { numbness: "url(#body-map-hatch)", tingling: "url(#body-map-dots)" };
  var PAIN_FILL = "#d9534f";

  function layer() {
    var chosen = picker.querySelector('input[name="map_layer"]:checked');
    return chosen ? chosen.value : "pain";
  }

  function box(name, region) {
    return lists.querySelector(
      'input[name="regions_' + name + '"][value="' + region + '"]'
    );
  }

  function label(shape) {
    var title = shape.querySelector("title");
    return title ? title.textContent : shape.getAttribute("data-region");
  }

  function clearOverlays(shape) {
    var next = shape.nextElementSibling;
    while (next && next.classList.contains("overlay")) {
      var gone = next;
      next = next.nextElementSibling;
      gone.remove();
    }
  }

  function paint(shape) {
    var region = shape.getAttribute("data-region");
    var last = shape;
    clearOverlays(shape);
    LAYERS.forEach(function (name) {
      var input = box(name, region);
      var on = Boolean(input && input.checked);
      shape.classList.toggle("marked-" + name, on);
      if (on && PATTERNS[name]) {
        var overlay = shape.cloneNode(false);
        ["id", "role", "tabindex", "aria-checked", "data-region"].forEach(function (attr) {
          overlay.removeAttribute(attr);
        });
        overlay.setAttribute("class", "overlay overlay-" + name);
        overlay.setAttribute("fill", PATTERNS[name]);
        overlay.setAttribute("stroke", "none");
        overlay.setAttribute("pointer-events", "none");
        overlay.setAttribute("aria-hidden", "true");
        last.after(overlay);
        last = overlay;
      }
    });
    var pain = box("pain", region);
    shape.setAttribute("fill", pain && pain.checked ? PAIN_FILL : "#ffffff");
    var mine = box(layer(), region);
    shape.setAttribute("aria-checked", mine && mine.checked ? "true" : "false");
  }

  function shapes() {
    return Array.prototype.slice.call(svg.querySelectorAll("[data-region]"));
  }

  function toggle(shape) {
    var input = box(layer(), shape.getAttribute("data-region"));
    if (!input) {
      return;
    }
    input.checked = !input.checked;
    paint(shape);
    if (status) {
      status.textContent =
        label(shape) + ": " + layer() + (input.checked ? " marked" : " cleared");
    }
  }

  shapes().forEach(function (shape) {
    shape.addEventListener("click", function () {
      toggle(shape);
    });
    shape.addEventListener("keydown", function (event) {
      if (event.key === " " || event.key === "Enter") {
        event.preventDefault();
        toggle(shape);
      }
    });
  });
  lists.addEventListener("change", function (event) {
    var region = event.target.value;
    var shape = svg.querySelector('[data-region="' + region + '"]');
    if (shape) {
      paint(shape);
    }
  });
  picker.querySelectorAll('input[name="map_layer"]').forEach(function (input) {
    input.addEventListener("change", function () {
      shapes().forEach(paint);
    });
  });

  shapes().forEach(paint);
  picker.hidden = false;
  lists.open = false;
})();
