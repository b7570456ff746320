// The map of shared services. It enhances what the page already shows without
// JavaScript (the list of arrangements and the table of councils with their counts):
// councils are shaded by their number of arrangements, choosing a council narrows the
// list to its arrangements, and choosing an arrangement draws lines between its partners.
// No tile server: the ONS boundaries (TopoJSON, served as static files) are the map.
(function () {
  "use strict";
  var script = document.currentScript;
  var element = document.getElementById("arrangements-map");
  var dataElement = document.getElementById("map-data");
  if (!script || !element || !dataElement || !window.L || !window.topojson || !window.fetch) return;

  var data = JSON.parse(dataElement.textContent);
  var organisations = data.organisations; // by organisation code
  var byGss = {};
  Object.keys(organisations).forEach(function (code) {
    var organisation = organisations[code];
    organisation.code = code;
    if (organisation.gss) byGss[organisation.gss] = organisation;
  });
  var arrangementsById = {};
  data.arrangements.forEach(function (a) { arrangementsById[String(a.id)] = a; });

  var heading = document.getElementById("map-panel-heading");
  var status = document.getElementById("map-panel-status");
  var showAllButton = document.getElementById("map-show-all");
  var list = document.getElementById("map-arrangement-list");
  var empty = document.getElementById("map-panel-empty");
  var items = list ? Array.prototype.slice.call(list.querySelectorAll("li[data-arrangement]")) : [];
  var allHeading = heading.textContent;

  var LINE_COLOUR = "#d53880";
  var BORDER_COLOUR = "#6f777b";
  var SELECTED_COLOUR = "#0b0c0c";

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function colourFor(count) {
    if (!count) return data.none_colour;
    for (var i = 0; i < data.bins.length; i++) {
      if (count >= data.bins[i].low && count <= data.bins[i].high) return data.bins[i].colour;
    }
    return data.bins[data.bins.length - 1].colour;
  }

  function countFor(feature) {
    var organisation = byGss[feature.properties.AREACD];
    return organisation ? organisation.count : 0;
  }

  function setStatus(text) { status.textContent = text; }

  function setHash(value) {
    if (!window.history || !window.history.replaceState) return;
    var url = window.location.pathname + window.location.search + (value ? "#" + value : "");
    window.history.replaceState(null, "", url);
  }

  // --- The map and its layers -----------------------------------------------------------
  var map = L.map(element, { zoomSnap: 0.25, minZoom: 4, maxZoom: 12 });
  map.attributionControl.setPrefix(false).addAttribution("Boundaries: ONS, OGL v3");
  map.setView([54.6, -3.2], 5);
  var partnerLayer = L.layerGroup();
  var districtLayer = null;
  var countyShading = null;
  var countyOutlines = null;
  var shapes = { district: {}, county: {} }; // by GSS code
  var tier = "district";
  var selectedShape = null;
  var selectedCouncil = null;
  var selectedArrangement = null;

  function shadedStyle(feature) {
    var count = countFor(feature);
    // White borders between shaded councils keep neighbours with the same count apart.
    return { color: count ? "#ffffff" : BORDER_COLOUR, weight: count ? 1 : 0.6, fillColor: colourFor(count),
             fillOpacity: 1 };
  }

  function describe(feature) {
    var organisation = byGss[feature.properties.AREACD];
    var name = organisation ? organisation.name : feature.properties.AREANM;
    return name + ": " + plural(countFor(feature), "arrangement");
  }

  function shadedLayer(collection, kind) {
    return L.geoJSON(collection, {
      className: kind === "county" ? "sw-council sw-council--county" : "sw-council",
      style: shadedStyle,
      onEachFeature: function (feature, shape) {
        shapes[kind][feature.properties.AREACD] = shape;
        shape.on("add", function () { // lets tests and styles find an area by its GSS code
          var path = shape.getElement();
          if (path) path.setAttribute("data-area", feature.properties.AREACD);
        });
        shape.bindTooltip(describe(feature), { sticky: true });
        shape.on("click", function () {
          var organisation = byGss[feature.properties.AREACD];
          selectCouncil(organisation ? organisation.code : feature.properties.AREACD, false);
        });
      }
    });
  }

  function useTier(value) {
    tier = value;
    if (value === "county") {
      map.removeLayer(countyOutlines);
      countyShading.addTo(map);
    } else {
      map.removeLayer(countyShading);
      countyOutlines.addTo(map);
    }
    partnerLayer.addTo(map); // lines stay on top of the shading
    if (partnerLayer.getLayers().length) partnerLayer.eachLayer(function (l) { if (l.bringToFront) l.bringToFront(); });
    element.setAttribute("data-tier", value);
  }

  // --- Choosing a council ---------------------------------------------------------------
  function highlight(gss) {
    if (selectedShape) {
      (selectedShape.kind === "county" ? countyShading : districtLayer).resetStyle(selectedShape.shape);
      selectedShape = null;
    }
    if (!gss) return;
    var kind = shapes.county[gss] && (tier === "county" || !shapes.district[gss]) ? "county" : "district";
    var shape = shapes[kind][gss];
    if (!shape) return;
    shape.setStyle({ color: SELECTED_COLOUR, weight: 3 });
    shape.bringToFront();
    partnerLayer.eachLayer(function (l) { if (l.bringToFront) l.bringToFront(); });
    selectedShape = { kind: kind, shape: shape };
  }

  function showItems(predicate) {
    var shown = 0;
    items.forEach(function (item) {
      var visible = predicate(item);
      item.hidden = !visible;
      if (visible) shown += 1;
    });
    return shown;
  }

  // `key`: an organisation code, or the GSS code of an area with no arrangements.
  function selectCouncil(key, moveFocus) {
    var organisation = organisations[key] || byGss[key] || null;
    var gss = organisation ? organisation.gss : key;
    var name = organisation ? organisation.name : areaName(gss);
    if (organisation && shapes.county[gss] && !shapes.district[gss] && tier !== "county") {
      document.getElementById("map-tier-county").checked = true;
      useTier("county");
    }
    selectedCouncil = organisation ? organisation.code : gss;
    highlight(gss);
    var code = organisation ? organisation.code : null;
    var shown = showItems(function (item) {
      return code !== null && item.getAttribute("data-partners").split(" ").indexOf(code) !== -1;
    });
    heading.textContent = "Arrangements involving " + name + " (" + shown + ")";
    var count = organisation ? organisation.count : 0;
    var text = name + " takes part in " + plural(count, "arrangement") + " in this view.";
    if (count > shown) text += " The list shows the " + shown + " among the first " + data.shown + ".";
    setStatus(text);
    if (empty) {
      empty.hidden = shown > 0;
      empty.textContent = "No arrangements in this view involve " + name + ".";
    }
    showAllButton.hidden = false;
    element.setAttribute("data-selected-council", selectedCouncil);
    setHash("council=" + encodeURIComponent(selectedCouncil));
    if (moveFocus) heading.focus();
  }

  function areaName(gss) {
    var shape = shapes.district[gss] || shapes.county[gss];
    return shape ? shape.feature.properties.AREANM : gss;
  }

  function showAll() {
    highlight(null);
    clearArrangement();
    selectedCouncil = null;
    showItems(function () { return true; });
    heading.textContent = allHeading;
    if (empty) empty.hidden = true;
    showAllButton.hidden = true;
    element.removeAttribute("data-selected-council");
    setStatus("Showing all arrangements in this view.");
    setHash("");
    heading.focus();
  }

  // --- Choosing an arrangement ----------------------------------------------------------
  function clearArrangement() {
    partnerLayer.clearLayers();
    items.forEach(function (item) {
      item.classList.remove("sw-map-panel__item--selected");
      item.removeAttribute("aria-current");
    });
    selectedArrangement = null;
    element.removeAttribute("data-selected-arrangement");
  }

  function selectArrangement(id) {
    var arrangement = arrangementsById[String(id)];
    if (!arrangement) return;
    clearArrangement();
    selectedArrangement = arrangement;
    var located = arrangement.partners.filter(function (p) { return p.point; });
    var hub = located.filter(function (p) { return p.lead; })[0] || located[0];
    located.forEach(function (p) {
      if (p !== hub) {
        L.polyline([hub.point, p.point], {
          color: LINE_COLOUR, weight: 3, opacity: 0.9, interactive: false, className: "sw-partner-line"
        }).addTo(partnerLayer);
      }
    });
    located.forEach(function (p) {
      var organisation = organisations[p.code];
      L.circleMarker(p.point, {
        radius: p === hub ? 8 : 6, color: LINE_COLOUR, weight: 2, fillOpacity: 1,
        fillColor: p === hub ? LINE_COLOUR : "#ffffff", className: "sw-partner-point"
      }).bindTooltip((organisation ? organisation.name : p.code) + (p.lead ? " (lead)" : "")).addTo(partnerLayer);
    });
    if (located.length) {
      map.fitBounds(L.latLngBounds(located.map(function (p) { return p.point; })).pad(0.6), { maxZoom: 9 });
    }
    items.forEach(function (item) {
      if (item.getAttribute("data-arrangement") === String(arrangement.id)) {
        item.classList.add("sw-map-panel__item--selected");
        item.setAttribute("aria-current", "true");
      }
    });
    var missing = arrangement.partners.length - located.length;
    var text = "The map shows the " + plural(arrangement.partners.length, "partner") + " of " + arrangement.title + ".";
    if (hub && located.length > 1) {
      var hubName = organisations[hub.code] ? organisations[hub.code].name : hub.code;
      text += " Lines join " + hubName + (hub.lead ? ", the lead," : "") + " to each other partner.";
    }
    if (missing) text += " " + plural(missing, "partner") + " with no location on the map.";
    setStatus(text);
    showAllButton.hidden = false;
    element.setAttribute("data-selected-arrangement", String(arrangement.id));
    setHash("arrangement=" + arrangement.id);
  }

  function button(text, hiddenText, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "sw-link-button govuk-link";
    b.appendChild(document.createTextNode(text));
    var hidden = document.createElement("span");
    hidden.className = "govuk-visually-hidden";
    hidden.textContent = hiddenText;
    b.appendChild(hidden);
    b.addEventListener("click", onClick);
    return b;
  }

  items.forEach(function (item) {
    var arrangement = arrangementsById[item.getAttribute("data-arrangement")];
    if (!arrangement) return;
    item.appendChild(button("Show partners on the map", " for " + arrangement.title, function () {
      selectArrangement(arrangement.id);
    }));
  });
  showAllButton.addEventListener("click", showAll);

  // --- Loading the boundaries -----------------------------------------------------------
  function load(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("Could not load " + url);
      return response.json();
    });
  }

  function features(topology) {
    return topojson.feature(topology, topology.objects[Object.keys(topology.objects)[0]]);
  }

  Promise.all([load(script.getAttribute("data-districts")), load(script.getAttribute("data-counties"))])
    .then(function (topologies) {
      var districts = features(topologies[0]);
      var counties = features(topologies[1]);
      districtLayer = shadedLayer(districts, "district").addTo(map);
      countyShading = shadedLayer(counties, "county");
      countyOutlines = L.geoJSON(counties, {
        interactive: false, className: "sw-county-outline",
        style: { fill: false, color: SELECTED_COLOUR, weight: 1.5, dashArray: "5 4" }
      });
      Array.prototype.forEach.call(document.querySelectorAll("input[name=map-tier]"), function (radio) {
        radio.addEventListener("change", function () {
          if (!radio.checked) return;
          useTier(radio.value);
          if (selectedCouncil) highlight(organisations[selectedCouncil] ? organisations[selectedCouncil].gss : selectedCouncil);
        });
      });
      useTier("district");

      // Start with the whole UK, and come back to it with the reset button.
      var wholeUk = districtLayer.getBounds();
      map.fitBounds(wholeUk);
      var reset = document.getElementById("map-reset");
      if (reset) {
        reset.hidden = false;
        reset.addEventListener("click", function () {
          map.fitBounds(wholeUk);
          setStatus("The map shows the whole UK again.");
        });
      }

      addTableButtons();
      element.setAttribute("data-councils-drawn", String(districtLayer.getLayers().length));
      restoreFromHash();
    })
    .catch(function () {
      setStatus("The map could not be loaded. The list and the table of councils have the same facts.");
    });

  // Keyboard and screen-reader users choose a council from the table.
  function addTableButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("#council-counts tr[data-organisation]"), function (row) {
      var organisation = organisations[row.getAttribute("data-organisation")];
      if (!organisation || !(shapes.district[organisation.gss] || shapes.county[organisation.gss])) return;
      var cell = row.querySelector("th");
      cell.appendChild(document.createElement("br"));
      cell.appendChild(button("Show on the map", " for " + organisation.name, function () {
        selectCouncil(organisation.code, true);
      }));
    });
  }

  function restoreFromHash() {
    var match = /^#(council|arrangement)=(.+)$/.exec(window.location.hash);
    if (!match) return;
    var value = decodeURIComponent(match[2]);
    if (match[1] === "council") selectCouncil(value, false);
    else selectArrangement(value);
  }
})();
